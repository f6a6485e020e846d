"""What every complaint service shares: authorisation, events, the transaction."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.db import transaction
from django.utils.translation import gettext

from plaint.complaints.actors import Actor
from plaint.complaints.chain import event_hash
from plaint.complaints.choices import EventKind, Visibility
from plaint.complaints.error_codes import ComplaintErrorCode
from plaint.complaints.lifecycle import TransitionRefused
from plaint.complaints.models import CancellationRequest, Complaint, Event, Reason
from plaint.complaints.policy import Operation, may
from plaint.core import clock
from plaint.core.exceptions import Conflict, PermissionDenied, ValidationFailed

P = ParamSpec("P")
R = TypeVar("R")

#: Called with the complaint and the event after every event about a complaint, in the event's
#: transaction. ``plaint.clocks`` registers its refresh here (in ``ClocksConfig.ready``)
#: so that the clocks follow the events without this app importing the one above it.
event_observers: list[Callable[[Complaint, Event], None]] = []
#: Called with every event (about a complaint, a cancellation or an organisation), in the event's
#: transaction, after ``event_observers``. ``plaint.webhooks`` registers here (``WebhooksConfig``).
event_listeners: list[Callable[[Event], None]] = []


def service(function: Callable[P, R]) -> Callable[P, R]:
    """Run a service in a transaction: the caller's if there is one, else its own.

    No savepoint: a service that fails fails its caller's whole transaction,
    which is what an adapter wants (nothing half-done is kept).
    """

    @wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with transaction.atomic(savepoint=False):
            return function(*args, **kwargs)

    return wrapper


def authorise(actor: Actor, operation: Operation, complaint: Complaint) -> None:
    """Refuse unless the actor's role may perform the operation at the complaint's level."""
    if actor.is_system:
        return
    if actor.organisation_id != complaint.organisation_id or actor.who is None:
        raise PermissionDenied(ComplaintErrorCode.NOT_PERMITTED, gettext("Not permitted."))
    if not may(actor.who, operation, complaint.level):
        raise PermissionDenied(
            ComplaintErrorCode.NOT_PERMITTED,
            gettext("Your role may not do this at the complaint's escalation level."),
        )


def refusal_to_error(refusal: TransitionRefused) -> Conflict | ValidationFailed:
    """A lifecycle refusal as the error the adapters render."""
    message = str(refusal.message)
    if refusal.field:
        return ValidationFailed(refusal.code, message, fields={refusal.field: [message]})
    return Conflict(refusal.code, message)


def chain_tail(fields: dict[str, Any]) -> tuple[int, str]:
    """The position and hash of the last event of the chain an event with ``fields`` joins
    ((0, "") for a new chain): one query on the chain's unique (owner, position) index."""
    if fields["complaint_id"] is not None:
        rows = Event.objects.filter(complaint_id=fields["complaint_id"])
    elif fields["cancellation_id"] is not None:
        rows = Event.objects.filter(complaint__isnull=True, cancellation_id=fields["cancellation_id"])
    else:
        rows = Event.objects.filter(complaint__isnull=True, cancellation__isnull=True,
                                    organisation_id=fields["organisation_id"])
    return rows.order_by("-position").values_list("position", "hash").first() or (0, "")


def event_record(
    *,
    actor: Actor,
    kind: EventKind,
    complaint: Complaint | None = None,
    cancellation: CancellationRequest | None = None,
    related_complaint: Complaint | None = None,
    organisation_id: int | None = None,
    visibility: Visibility = Visibility.CUSTOMER,
    data: dict[str, Any] | None = None,
    reason: str = "",
) -> Event:
    """Append one event. ``data`` holds ids, codes and field names only; free text goes
    into a ``Reason`` row that the event points to."""
    now = clock.now()
    if complaint is not None:
        organisation_id = complaint.organisation_id
    elif cancellation is not None:
        organisation_id = cancellation.organisation_id
    reason_row = Reason.objects.create(text=reason, created_at=now) if reason else None
    fields: dict[str, Any] = {
        "organisation_id": organisation_id,
        "complaint_id": complaint.pk if complaint is not None else None,
        "related_complaint_id": related_complaint.pk if related_complaint is not None else None,
        "cancellation_id": cancellation.pk if cancellation is not None else None,
        "kind": str(kind),
        "occurred_at": now,
        "actor_kind": str(actor.kind),
        "actor_user_id": actor.user.pk if actor.user is not None else None,
        "actor_token_id": actor.token.pk if actor.token is not None else None,
        "actor_role": actor.who.value if actor.who else "",
        "visibility": str(visibility),
        "data": data or {},
        "reason_id": reason_row.pk if reason_row is not None else None,
    }
    # The caller holds the lock of the chain's owner (the complaint, the cancellation or the
    # organisation row); the unique position makes a writer that does not fail, not fork.
    position, previous_hash = chain_tail(fields)
    event = Event.objects.create(
        organisation_id=organisation_id,
        complaint=complaint,
        related_complaint=related_complaint,
        cancellation=cancellation,
        kind=kind,
        occurred_at=now,
        actor_kind=actor.kind,
        actor_user=actor.user,
        actor_token=actor.token,
        actor_role=fields["actor_role"],
        visibility=visibility,
        data=fields["data"],
        reason=reason_row,
        position=position + 1,
        previous_hash=previous_hash,
        hash=event_hash(fields, position=position + 1, previous_hash=previous_hash),
    )
    if complaint is not None:
        for observer in event_observers:
            observer(complaint, event)
    for listener in event_listeners:
        listener(event)
    return event


def touch(complaint: Complaint, *fields: str) -> None:
    """Save the named fields and the update time."""
    complaint.updated_at = clock.now()
    complaint.save(update_fields=[*fields, "updated_at"])
