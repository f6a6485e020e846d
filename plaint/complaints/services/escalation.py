"""Escalation: one level up, with a reason. A separate axis from the state."""

from __future__ import annotations

from django.utils.translation import gettext

from plaint.complaints.actors import SYSTEM_ACTOR, Actor
from plaint.complaints.choices import EventKind
from plaint.complaints.lifecycle import OPEN_STATES, Level, State, TransitionRefused
from plaint.complaints.lifecycle import escalation_target as next_level
from plaint.complaints.models import Complaint
from plaint.complaints.policy import Operation
from plaint.complaints.services.common import (
    authorise,
    event_record,
    refusal_to_error,
    service,
    touch,
)
from plaint.core.exceptions import Conflict, ValidationFailed


def _escalate(
    actor: Actor, complaint: Complaint, reason: str, *, supervisor_request: bool,
    extra: dict[str, object] | None = None,
) -> Complaint:
    if not reason.strip():
        message = gettext("Please give a reason.")
        raise ValidationFailed("reason_required", message, fields={"reason": [message]})
    if State(complaint.state) not in OPEN_STATES or complaint.merged_into_id is not None:
        raise Conflict(
            "transition_not_allowed", gettext("A closed complaint cannot be escalated.")
        )
    try:
        target = next_level(Level(complaint.level), supervisor_request=supervisor_request)
    except TransitionRefused as refusal:
        raise refusal_to_error(refusal) from refusal
    previous = complaint.level
    complaint.level = target
    touch(complaint, "level")
    event_record(
        actor=actor,
        kind=EventKind.SUPERVISOR_REQUESTED if supervisor_request else EventKind.ESCALATED,
        complaint=complaint,
        data={"level_from": previous, "level_to": int(target), **(extra or {})},
        reason=reason,
    )
    return complaint


@service
def complaint_escalate(*, actor: Actor, complaint: Complaint, reason: str) -> Complaint:
    """Move the complaint one level up; the reason is required and recorded."""
    authorise(actor, Operation.ESCALATE, complaint)
    return _escalate(actor, complaint, reason, supervisor_request=False)


@service
def complaint_request_supervisor(*, actor: Actor, complaint: Complaint, words: str) -> Complaint:
    """The customer asks for a supervisor: frontline to supervisor, never higher.

    The customer's own words are the reason.
    """
    authorise(actor, Operation.REQUEST_SUPERVISOR, complaint)
    return _escalate(actor, complaint, words, supervisor_request=True)


@service
def escalate_as_system(complaint: Complaint, reason: str, *, rule: str) -> Complaint:
    """A clock ran out and its rule escalates: one level up, the rule named in the event."""
    return _escalate(SYSTEM_ACTOR, complaint, reason, supervisor_request=False, extra={"rule": rule})
