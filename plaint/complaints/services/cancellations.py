"""Cancellation of a service: confirmed at once, executed later by the provider."""

from __future__ import annotations

from django.utils.translation import gettext

from plaint.complaints.actors import Actor
from plaint.complaints.choices import CancellationState, Channel, EventKind
from plaint.complaints.error_codes import ComplaintErrorCode
from plaint.complaints.models import CancellationRequest
from plaint.complaints.notifications import notify_customer
from plaint.complaints.services.common import event_record, service
from plaint.core import clock, references
from plaint.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from plaint.parties.models import Customer


@service
def cancellation_request(
    *,
    actor: Actor,
    customer: Customer,
    service_name: str,
    account_number: str = "",
    channel: str = Channel.WEB,
) -> CancellationRequest:
    """Confirm a cancellation at once with a protocol number, effective now.

    Nothing about the customer's balance or contract is checked: the request is
    the customer's right, and the provider executes it afterwards.
    """
    if not actor.is_system and actor.organisation_id != customer.organisation_id:
        raise PermissionDenied(ComplaintErrorCode.NOT_PERMITTED, gettext("Not permitted."))
    errors: dict[str, list[str]] = {}
    if not service_name.strip():
        errors["service"] = [gettext("Say which service to cancel.")]
    if channel not in Channel.values:
        errors["channel"] = [gettext("Unknown channel.")]
    if errors:
        raise ValidationFailed("validation_error", gettext("Some fields are not valid."),
                               fields=errors)
    now = clock.now()
    cancellation = CancellationRequest.objects.create(
        protocol_number=references.generate(),
        organisation_id=customer.organisation_id,
        customer=customer,
        account_number=account_number,
        service=service_name,
        channel=channel,
        requested_at=now,
        effective_at=now,
    )
    event_record(
        actor=actor,
        kind=EventKind.CANCELLATION_REQUESTED,
        cancellation=cancellation,
        data={"channel": channel},
    )
    notify_customer(
        customer=customer,
        organisation_id=customer.organisation_id,
        kind="cancellation_confirmed",
        thread_reference=cancellation.protocol_number,
        time_zone=customer.organisation.time_zone,
        context={
            "service": service_name,
            "protocol": references.display(cancellation.protocol_number),
            "effective_at": now,
        },
    )
    return cancellation


@service
def cancellation_execute(
    *, actor: Actor, cancellation: CancellationRequest
) -> CancellationRequest:
    """Record that the provider executed the cancellation (staff only)."""
    if actor.is_customer or (
        not actor.is_system and actor.organisation_id != cancellation.organisation_id
    ):
        raise PermissionDenied(ComplaintErrorCode.NOT_PERMITTED, gettext("Not permitted."))
    if cancellation.state == CancellationState.EXECUTED:
        raise Conflict(
            ComplaintErrorCode.CANCELLATION_ALREADY_EXECUTED,
            gettext("This cancellation was already executed."),
        )
    cancellation.state = CancellationState.EXECUTED
    cancellation.executed_at = clock.now()
    cancellation.executed_by = actor.user
    cancellation.save(update_fields=["state", "executed_at", "executed_by"])
    event_record(actor=actor, kind=EventKind.CANCELLATION_EXECUTED, cancellation=cancellation)
    return cancellation
