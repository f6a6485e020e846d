"""Which actions a complaint's console page offers: asked of the same rules the services apply.

``allowed_actions`` asks the role table (``policy.may``) at the complaint's level, the lifecycle
(``lifecycle.plan`` with the complaint's facts, so every guard that does not depend on what the
person types is applied: demands recorded, a final response only after a decision or at level 3,
the reopen period, a merged complaint) and, for an escalation, ``lifecycle.escalation_target``.
Nothing here decides on its own: an action offered succeeds with valid input, an action not
offered is refused by its service (``tests/test_case_actions.py`` checks both for the whole
cast in several states).
"""

from __future__ import annotations

from enum import StrEnum

from plaint.complaints.actors import Actor
from plaint.complaints.lifecycle import (
    OPEN_BEFORE_DECISION,
    OPEN_STATES,
    Action,
    Level,
    State,
    TransitionRefused,
    escalation_target,
    plan,
)
from plaint.complaints.models import Complaint
from plaint.complaints.policy import Operation, may
from plaint.complaints.services.transitions import complaint_facts


class CaseAction(StrEnum):
    """The forms of a complaint's page; the value is the URL's suffix and the form's prefix."""

    ACKNOWLEDGE = "acknowledge"
    LOG_INTERACTION = "interaction"
    MESSAGE = "message"
    NOTE = "note"
    DEMANDS = "demands"
    REQUEST_INFORMATION = "request-information"
    ESCALATE = "escalate"
    ASSIGN = "assign"
    DECIDE = "decide"
    FINAL_RESPONSE = "final-response"
    CANCELLATION_EXECUTED = "cancellation-executed"
    MOVE_MESSAGE = "move-message"
    MERGE = "merge"


# The lifecycle action behind each state change, and the operation behind every form.
LIFECYCLE: dict[CaseAction, Action] = {
    CaseAction.ACKNOWLEDGE: Action.ACKNOWLEDGE,
    CaseAction.REQUEST_INFORMATION: Action.REQUEST_INFORMATION,
    CaseAction.DECIDE: Action.DECIDE,
    CaseAction.FINAL_RESPONSE: Action.ISSUE_FINAL_RESPONSE,
    CaseAction.MERGE: Action.MERGE,
}
OPERATION: dict[CaseAction, Operation] = {
    CaseAction.ACKNOWLEDGE: Operation.ACKNOWLEDGE,
    CaseAction.LOG_INTERACTION: Operation.ADD_INTERACTION,
    CaseAction.MESSAGE: Operation.ADD_MESSAGE,
    CaseAction.NOTE: Operation.ADD_NOTE,
    CaseAction.DEMANDS: Operation.RECORD_DEMANDS,
    CaseAction.REQUEST_INFORMATION: Operation.REQUEST_INFORMATION,
    CaseAction.ESCALATE: Operation.ESCALATE,
    CaseAction.ASSIGN: Operation.ASSIGN,
    CaseAction.DECIDE: Operation.DECIDE,
    CaseAction.FINAL_RESPONSE: Operation.ISSUE_FINAL_RESPONSE,
    CaseAction.MOVE_MESSAGE: Operation.MOVE_MESSAGE,
    CaseAction.MERGE: Operation.MERGE,
}
# Stand-ins for what the person types, so that only the guards about the complaint itself
# decide here; the services check the real input.
TYPED = {"reason": "-", "outcome": "upheld", "reasoning": "-"}


def _lifecycle_allows(complaint: Complaint, action: Action) -> bool:
    try:
        plan(action, complaint_facts(complaint, **TYPED))
    except TransitionRefused:
        return False
    return True


def _escalation_allowed(complaint: Complaint) -> bool:
    if State(complaint.state) not in OPEN_STATES or complaint.merged_into_id is not None:
        return False
    try:
        escalation_target(Level(complaint.level))
    except TransitionRefused:
        return False
    return True


def _allowed(action: CaseAction, complaint: Complaint, actor: Actor) -> bool:
    if action is CaseAction.CANCELLATION_EXECUTED:
        # cancellation_execute: any staff of the organisation (a cancellation is no complaint).
        return not actor.is_customer and actor.organisation_id == complaint.organisation_id
    if actor.who is None or actor.organisation_id != complaint.organisation_id:
        return False
    if not may(actor.who, OPERATION[action], complaint.level):
        return False
    if action in LIFECYCLE:
        return _lifecycle_allows(complaint, LIFECYCLE[action])
    if action is CaseAction.ESCALATE:
        return _escalation_allowed(complaint)
    if action is CaseAction.DEMANDS:
        return complaint.state in OPEN_BEFORE_DECISION
    return True


def allowed_actions(complaint: Complaint, actor: Actor) -> list[CaseAction]:
    """The page's actions ``actor`` may take on ``complaint`` now, in the page's order."""
    return [action for action in CaseAction if _allowed(action, complaint, actor)]
