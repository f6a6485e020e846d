"""Merging two complaints about the same matter, keeping both histories."""

from __future__ import annotations

from django.utils.translation import gettext

from plaint.complaints.actors import Actor
from plaint.complaints.choices import EventKind
from plaint.complaints.error_codes import ComplaintErrorCode
from plaint.complaints.lifecycle import OPEN_STATES, Action, State
from plaint.complaints.models import Complaint
from plaint.complaints.policy import Operation
from plaint.complaints.services.common import authorise, event_record, service, touch
from plaint.complaints.services.transitions import apply_plan, complaint_plan
from plaint.core.exceptions import ValidationFailed


@service
def complaint_merge(
    *, actor: Actor, source: Complaint, target: Complaint, reason: str
) -> Complaint:
    """Close ``source`` as merged into ``target``.

    Nothing is moved or deleted: the source keeps its own records and events,
    and the target's timeline shows them (see ``selectors.complaint_timeline``).
    One event, on the source, names the target and shows on both timelines.
    """
    authorise(actor, Operation.MERGE, source)
    authorise(actor, Operation.MERGE, target)
    problem = None
    if source.pk == target.pk:
        problem = gettext("A complaint cannot be merged into itself.")
    elif source.customer_id != target.customer_id:
        problem = gettext("Only complaints of the same customer can be merged.")
    elif target.merged_into_id is not None or State(target.state) not in OPEN_STATES:
        problem = gettext("The complaint to merge into must be open.")
    if problem:
        raise ValidationFailed(
            ComplaintErrorCode.INVALID_MERGE, problem, fields={"into_reference": [problem]}
        )
    outcome = complaint_plan(source, Action.MERGE, reason=reason)
    data = apply_plan(source, outcome)
    source.merged_into = target
    touch(source, "merged_into")
    touch(target)
    data.update(into=target.pk)
    event_record(
        actor=actor,
        kind=EventKind.MERGED,
        complaint=source,
        related_complaint=target,
        data=data,
        reason=reason,
    )
    return target
