"""State changes that need nothing but a reason: the generic transition service."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from plaint.complaints.actors import Actor
from plaint.complaints.choices import STATE_LABELS, EventKind
from plaint.complaints.lifecycle import Action, Facts, Level, Plan, State, TransitionRefused, plan
from plaint.complaints.models import Complaint, Decision
from plaint.complaints.notifications import notify_complaint_customer
from plaint.complaints.policy import operation_for
from plaint.complaints.services.common import (
    authorise,
    event_record,
    refusal_to_error,
    service,
    touch,
)
from plaint.core import clock
from plaint.core.exceptions import ValidationFailed

# Actions with data of their own have their own services (decisions.py, merge.py).
GENERIC_ACTIONS = frozenset(
    {
        Action.ACKNOWLEDGE,
        Action.START_INVESTIGATION,
        Action.REQUEST_INFORMATION,
        Action.RESUME,
        Action.ACCEPT_DECISION,
        Action.REJECT_DECISION,
        Action.CLOSE,
        Action.REOPEN,
        Action.WITHDRAW,
    }
)


def complaint_facts(complaint: Complaint, **request: object) -> Facts:
    """What the lifecycle guards need to know about ``complaint`` and the request."""
    return Facts(
        state=State(complaint.state),
        level=Level(complaint.level),
        demands_recorded=complaint.demands_recorded,
        closed_at=complaint.closed_at,
        now=clock.now(),
        reopen_period=timedelta(days=complaint.organisation.reopen_period_days),
        is_merged=complaint.merged_into_id is not None,
        **request,  # type: ignore[arg-type]
    )


def complaint_plan(complaint: Complaint, action: Action, **request: object) -> Plan:
    """Ask the lifecycle; render a refusal as the error adapters show."""
    try:
        return plan(action, complaint_facts(complaint, **request))
    except TransitionRefused as refusal:
        raise refusal_to_error(refusal) from refusal


def apply_plan(complaint: Complaint, outcome: Plan) -> dict[str, object]:
    """Set the state and level the plan says, and return the event data describing it."""
    now = clock.now()
    data: dict[str, object] = {"from": complaint.state, "to": outcome.target.value}
    fields = ["state", "state_changed_at", "final_response_due"]
    if outcome.level != complaint.level:
        data.update(level_from=complaint.level, level_to=int(outcome.level))
        complaint.level = outcome.level
        fields.append("level")
    complaint.state = outcome.target.value
    complaint.state_changed_at = now
    complaint.final_response_due = outcome.final_response_due
    if outcome.target is State.CLOSED:
        complaint.closed_at = now
        fields.append("closed_at")
    elif outcome.target is State.REOPENED:
        complaint.closed_at = None
        fields.append("closed_at")
    touch(complaint, *fields)
    return data


@service
def complaint_transition(
    *, actor: Actor, complaint: Complaint, action: Action, reason: str = ""
) -> Complaint:
    """Move the complaint by ``action``, recording who did it and why.

    ``complaint`` must come from an access function with ``for_update=True``.
    For a request for information, ``reason`` is the question put to the customer.
    """
    if action not in GENERIC_ACTIONS:
        raise ValidationFailed(
            "validation_error",
            _("This action has an endpoint of its own."),
            fields={"action": [str(_("This action has an endpoint of its own."))]},
        )
    authorise(actor, operation_for(action), complaint)
    outcome = complaint_plan(complaint, action, reason=reason)
    data = apply_plan(complaint, outcome)
    data["action"] = action.value
    kind = EventKind.TRANSITIONED
    if action in (Action.ACCEPT_DECISION, Action.REJECT_DECISION):
        kind = EventKind.DECISION_REJECTED if action is Action.REJECT_DECISION else kind
        response = (
            Decision.CustomerResponse.REJECTED
            if action is Action.REJECT_DECISION
            else Decision.CustomerResponse.ACCEPTED
        )
        latest = complaint.decisions.order_by("-decided_at", "-id").first()
        if latest is not None:
            latest.customer_response = response
            latest.save(update_fields=["customer_response"])
            data["decision"] = latest.pk
    event_record(actor=actor, kind=kind, complaint=complaint, data=data, reason=reason)
    if not actor.is_customer:
        notify_complaint_customer(
            complaint,
            "state_changed",
            state=STATE_LABELS[State(complaint.state)],
            request_text=reason if action is Action.REQUEST_INFORMATION else "",
        )
    return complaint
