"""What was said about a complaint: interactions with their promises, messages and notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext

from plaint.complaints.actors import Actor
from plaint.complaints.choices import (
    Channel,
    Direction,
    EventKind,
    MessageKind,
    PromiseKind,
    Visibility,
)
from plaint.complaints.models import Complaint, Interaction, Message, Promise
from plaint.complaints.notifications import notify_complaint_customer, notify_customer_replied
from plaint.complaints.policy import Operation
from plaint.complaints.services.common import authorise, event_record, service, touch
from plaint.core import clock
from plaint.core.exceptions import ValidationFailed

MAX_DURATION_SECONDS = 24 * 3600


@dataclass(frozen=True)
class PromiseSpec:
    kind: str
    due_at: datetime
    description: str = ""


@dataclass(frozen=True)
class InteractionSpec:
    """A contact to log. Staff details are taken from the staff member's
    membership when staff log it; a customer types what the agent told them."""

    channel: str
    direction: str
    started_at: datetime
    duration_seconds: int = 0
    notes: str = ""
    references_quoted: list[str] = field(default_factory=list)
    staff_name: str = ""
    staff_position: str = ""
    staff_location: str = ""
    visibility: str = Visibility.CUSTOMER
    promises: list[PromiseSpec] = field(default_factory=list)


def _invalid(fields: dict[str, list[str]]) -> ValidationFailed:
    return ValidationFailed("validation_error", gettext("Some fields are not valid."), fields=fields)


def _validate_interaction(spec: InteractionSpec) -> None:
    errors: dict[str, list[str]] = {}
    if spec.channel not in Channel.values:
        errors["channel"] = [gettext("Unknown channel.")]
    if spec.direction not in Direction.values:
        errors["direction"] = [gettext("Unknown direction.")]
    if spec.started_at > clock.now():
        errors["started_at"] = [gettext("The start time is in the future.")]
    if not 0 <= spec.duration_seconds <= MAX_DURATION_SECONDS:
        errors["duration_seconds"] = [gettext("The duration must be between 0 and 24 hours.")]
    if spec.visibility not in Visibility.values:
        errors["visibility"] = [gettext("Unknown visibility.")]
    for index, promise in enumerate(spec.promises):
        if promise.kind not in PromiseKind.values:
            errors[f"promises.{index}.kind"] = [gettext("Unknown kind of promise.")]
        if promise.due_at <= spec.started_at:
            errors[f"promises.{index}.due_at"] = [
                gettext("A promise must fall due after the contact started.")
            ]
    if errors:
        raise _invalid(errors)


def interaction_build(
    *, actor: Actor, complaint: Complaint, spec: InteractionSpec, staff_from_membership: bool = True
) -> Interaction:
    """Validate and write an interaction with its promises, without an event: the
    caller's service records the one event of its change (``interaction_log``, a letter,
    a chat transcript). ``staff_from_membership``: when staff log it, the staff details
    are their own; an integration's transcript names the agent who chatted instead."""
    _validate_interaction(spec)
    member = actor.membership if staff_from_membership else None
    interaction = Interaction.objects.create(
        complaint=complaint,
        channel=spec.channel,
        direction=spec.direction,
        started_at=spec.started_at,
        duration_seconds=spec.duration_seconds,
        staff_member=member,
        staff_name=member.user.full_name if member else spec.staff_name,
        staff_position=member.position if member else spec.staff_position,
        staff_location=member.location if member else spec.staff_location,
        references_quoted=spec.references_quoted,
        notes=spec.notes,
        visibility=Visibility.CUSTOMER if actor.is_customer else spec.visibility,
        recorded_by_kind=actor.kind,
        recorded_by=actor.user,
        created_at=clock.now(),
    )
    Promise.objects.bulk_create(
        [
            Promise(
                interaction=interaction,
                complaint=complaint,
                kind=p.kind,
                due_at=p.due_at,
                description=p.description,
            )
            for p in spec.promises
        ]
    )
    return interaction


@service
def interaction_log(*, actor: Actor, complaint: Complaint, spec: InteractionSpec) -> Interaction:
    """Log a contact about the complaint, with what was promised in it."""
    authorise(actor, Operation.ADD_INTERACTION, complaint)
    interaction = interaction_build(actor=actor, complaint=complaint, spec=spec)
    touch(complaint)
    event_record(
        actor=actor,
        kind=EventKind.INTERACTION_LOGGED,
        complaint=complaint,
        visibility=Visibility(interaction.visibility),
        data={"interaction": interaction.pk, "channel": spec.channel,
              "promises": len(spec.promises)},
    )
    return interaction


@service
def message_add(
    *,
    actor: Actor,
    complaint: Complaint,
    body: str,
    internal: bool = False,
    channel: str = Channel.WEB,
) -> Message:
    """Add a message (customer-visible) or, for staff, an internal note.

    A staff message is also sent to the customer by e-mail.
    """
    operation = Operation.ADD_NOTE if internal else Operation.ADD_MESSAGE
    authorise(actor, operation, complaint)
    if not body.strip():
        raise _invalid({"body": [gettext("The message is empty.")]})
    if channel not in Channel.values:
        raise _invalid({"channel": [gettext("Unknown channel.")]})
    message = Message.objects.create(
        complaint=complaint,
        kind=MessageKind.NOTE if internal else MessageKind.MESSAGE,
        channel=channel,
        author_kind=actor.kind,
        author=actor.user,
        body=body,
        visibility=Visibility.INTERNAL if internal else Visibility.CUSTOMER,
        created_at=clock.now(),
    )
    touch(complaint)
    event_record(
        actor=actor,
        kind=EventKind.NOTE_ADDED if internal else EventKind.MESSAGE_ADDED,
        complaint=complaint,
        visibility=Visibility(message.visibility),
        data={"message": message.pk},
    )
    if not internal and not actor.is_customer:
        notify_complaint_customer(complaint, "message", body=body)
    elif actor.is_customer:
        notify_customer_replied(complaint, channel=channel)
    return message


@service
def message_move(
    *, actor: Actor, message: Message, to_complaint: Complaint, reason: str = ""
) -> Message:
    """Move a misfiled message to the complaint it belongs to (same organisation).

    One event, shown on both complaints' timelines.
    """
    source = message.complaint
    # The event joins the source's chain: hold the source's lock as every other writer does.
    Complaint.objects.select_for_update().filter(pk=source.pk).values_list("pk").get()
    authorise(actor, Operation.MOVE_MESSAGE, source)
    authorise(actor, Operation.MOVE_MESSAGE, to_complaint)
    if to_complaint.pk == source.pk:
        raise _invalid({"to_reference": [gettext("The message is already on this complaint.")]})
    message.moved_from = source
    message.complaint = to_complaint
    message.save(update_fields=["moved_from", "complaint"])
    touch(to_complaint)
    event_record(
        actor=actor,
        kind=EventKind.MESSAGE_MOVED,
        complaint=source,
        related_complaint=to_complaint,
        visibility=Visibility(message.visibility),
        data={"message": message.pk, "from": source.pk, "to": to_complaint.pk},
        reason=reason,
    )
    return message
