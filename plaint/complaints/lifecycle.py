"""The complaint lifecycle: states, actions, the transition table and its guards.

Pure Python: no ORM, no database; tested without one. Services ask ``plan()``
what an action does to a complaint described by ``Facts`` and either get the
resulting state and level or a ``TransitionRefused`` that says why not.

Escalation level is a separate axis from the state: ``escalation_target()``
says where an escalation leads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum, StrEnum
from typing import Final

from django.utils.translation import gettext_lazy as _


class State(StrEnum):
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    INVESTIGATING = "investigating"
    AWAITING_CUSTOMER = "awaiting_customer"
    DECIDED = "decided"
    FINAL_RESPONSE_ISSUED = "final_response_issued"
    REFERRED_EXTERNALLY = "referred_externally"
    EXTERNALLY_RESOLVED = "externally_resolved"
    CLOSED = "closed"
    REOPENED = "reopened"
    WITHDRAWN = "withdrawn"


class Action(StrEnum):
    """Every way a complaint's state can change."""

    ACKNOWLEDGE = "acknowledge"
    START_INVESTIGATION = "start_investigation"
    REQUEST_INFORMATION = "request_information"
    RESUME = "resume"
    DECIDE = "decide"
    ACCEPT_DECISION = "accept_decision"
    REJECT_DECISION = "reject_decision"
    ISSUE_FINAL_RESPONSE = "issue_final_response"
    REFER_EXTERNALLY = "refer_externally"
    RECORD_EXTERNAL_OUTCOME = "record_external_outcome"
    CLOSE = "close"
    REOPEN = "reopen"
    WITHDRAW = "withdraw"
    MERGE = "merge"


class Level(IntEnum):
    FRONTLINE = 1
    SUPERVISOR = 2
    FORMAL = 3
    SENIOR_MANAGEMENT = 4


S = State
OPEN_BEFORE_DECISION: Final = (
    S.RECEIVED, S.ACKNOWLEDGED, S.INVESTIGATING, S.AWAITING_CUSTOMER, S.REOPENED,
)

# For every state, every action leads to exactly one state or is refused (absent).
TRANSITIONS: Final[dict[State, dict[Action, State]]] = {
    S.RECEIVED: {
        Action.ACKNOWLEDGE: S.ACKNOWLEDGED,
        Action.ISSUE_FINAL_RESPONSE: S.FINAL_RESPONSE_ISSUED,
        Action.WITHDRAW: S.WITHDRAWN,
        Action.MERGE: S.CLOSED,
    },
    S.ACKNOWLEDGED: {
        Action.START_INVESTIGATION: S.INVESTIGATING,
        Action.REQUEST_INFORMATION: S.AWAITING_CUSTOMER,
        Action.DECIDE: S.DECIDED,
        Action.ISSUE_FINAL_RESPONSE: S.FINAL_RESPONSE_ISSUED,
        Action.WITHDRAW: S.WITHDRAWN,
        Action.MERGE: S.CLOSED,
    },
    S.INVESTIGATING: {
        Action.REQUEST_INFORMATION: S.AWAITING_CUSTOMER,
        Action.DECIDE: S.DECIDED,
        Action.ISSUE_FINAL_RESPONSE: S.FINAL_RESPONSE_ISSUED,
        Action.WITHDRAW: S.WITHDRAWN,
        Action.MERGE: S.CLOSED,
    },
    S.AWAITING_CUSTOMER: {
        Action.RESUME: S.INVESTIGATING,
        Action.DECIDE: S.DECIDED,
        Action.ISSUE_FINAL_RESPONSE: S.FINAL_RESPONSE_ISSUED,
        Action.WITHDRAW: S.WITHDRAWN,
        Action.MERGE: S.CLOSED,
    },
    S.DECIDED: {
        Action.ACCEPT_DECISION: S.CLOSED,
        Action.REJECT_DECISION: S.INVESTIGATING,
        Action.ISSUE_FINAL_RESPONSE: S.FINAL_RESPONSE_ISSUED,
        Action.CLOSE: S.CLOSED,
        Action.WITHDRAW: S.WITHDRAWN,
    },
    S.FINAL_RESPONSE_ISSUED: {
        Action.REFER_EXTERNALLY: S.REFERRED_EXTERNALLY,
        Action.CLOSE: S.CLOSED,
    },
    S.REFERRED_EXTERNALLY: {
        Action.RECORD_EXTERNAL_OUTCOME: S.EXTERNALLY_RESOLVED,
    },
    S.EXTERNALLY_RESOLVED: {
        Action.CLOSE: S.CLOSED,
    },
    S.CLOSED: {
        Action.REOPEN: S.REOPENED,
    },
    S.REOPENED: {
        Action.START_INVESTIGATION: S.INVESTIGATING,
        Action.REQUEST_INFORMATION: S.AWAITING_CUSTOMER,
        Action.DECIDE: S.DECIDED,
        Action.ISSUE_FINAL_RESPONSE: S.FINAL_RESPONSE_ISSUED,
        Action.WITHDRAW: S.WITHDRAWN,
        Action.MERGE: S.CLOSED,
    },
    S.WITHDRAWN: {},
}

TERMINAL: Final = frozenset(s for s, moves in TRANSITIONS.items() if not moves)
OPEN_STATES: Final = frozenset(
    s for s in State if s not in {S.CLOSED, S.WITHDRAWN, S.EXTERNALLY_RESOLVED}
)


class Refusal(StrEnum):
    """Why a move was refused; the API's error code."""

    NOT_ALLOWED_FROM_STATE = "transition_not_allowed"
    REASON_REQUIRED = "reason_required"
    DEMANDS_UNSPECIFIED = "demands_unspecified"
    OUTCOME_REQUIRED = "outcome_required"
    REASONING_REQUIRED = "reasoning_required"
    FINAL_RESPONSE_TOO_EARLY = "final_response_too_early"
    REOPEN_PERIOD_OVER = "reopen_period_over"
    LEVEL_MAXIMUM = "level_maximum"
    SUPERVISOR_ONLY_FROM_FRONTLINE = "supervisor_only_from_frontline"
    MERGED = "complaint_merged"


class TransitionRefused(Exception):  # noqa: N818 - a refusal is the normal outcome, not a bug
    """The move is not allowed; ``field`` names the input at fault, if any."""

    def __init__(self, code: Refusal, message: object, field: str | None = None) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Facts:
    """What the guards need to know about a complaint and the request."""

    state: State
    level: Level
    demands_recorded: bool = False
    has_decision: bool = False
    reason: str = ""
    outcome: str = ""
    reasoning: str = ""
    closed_at: datetime | None = None
    now: datetime | None = None
    reopen_period: timedelta = timedelta(days=30)
    is_merged: bool = False


@dataclass(frozen=True)
class Plan:
    """What an allowed action does."""

    target: State
    level: Level
    final_response_due: bool = False


NEEDS_REASON: Final = frozenset(
    {Action.REJECT_DECISION, Action.WITHDRAW, Action.REOPEN, Action.MERGE}
)


def plan(action: Action, facts: Facts) -> Plan:
    """The state and level ``action`` leads to, or ``TransitionRefused``."""
    if facts.is_merged:
        raise TransitionRefused(Refusal.MERGED, _("This complaint was merged into another one."))
    target = TRANSITIONS[facts.state].get(action)
    if target is None:
        raise TransitionRefused(
            Refusal.NOT_ALLOWED_FROM_STATE,
            _("This action is not possible while the complaint is in this state."),
        )
    if action in NEEDS_REASON and not facts.reason.strip():
        raise TransitionRefused(Refusal.REASON_REQUIRED, _("Please give a reason."), "reason")
    if action is Action.DECIDE:
        _check_decision(facts)
    if action is Action.ISSUE_FINAL_RESPONSE and not (
        facts.state is S.DECIDED or facts.level >= Level.FORMAL
    ):
        raise TransitionRefused(
            Refusal.FINAL_RESPONSE_TOO_EARLY,
            _(
                "A final response can only be issued after a decision or an escalation "
                "to a formal complaint."
            ),
        )
    if action is Action.REOPEN:
        _check_reopen(facts)
    if action is Action.REJECT_DECISION:
        if facts.level >= Level.FORMAL:
            # Already a formal complaint: the provider now owes its final response.
            return Plan(target=S.DECIDED, level=facts.level, final_response_due=True)
        return Plan(target=target, level=Level.FORMAL)
    return Plan(target=target, level=facts.level)


def _check_decision(facts: Facts) -> None:
    if not facts.demands_recorded:
        raise TransitionRefused(
            Refusal.DEMANDS_UNSPECIFIED,
            _("Record what the customer asks for before deciding."),
            "demands",
        )
    if not facts.outcome:
        raise TransitionRefused(Refusal.OUTCOME_REQUIRED, _("Choose an outcome."), "outcome")
    if not facts.reasoning.strip():
        raise TransitionRefused(
            Refusal.REASONING_REQUIRED, _("Explain the reasons for the decision."), "reasoning"
        )


def _check_reopen(facts: Facts) -> None:
    if facts.closed_at is None or facts.now is None:
        return
    if facts.now - facts.closed_at > facts.reopen_period:
        raise TransitionRefused(
            Refusal.REOPEN_PERIOD_OVER,
            _("The period for reopening this complaint has ended."),
        )


def escalation_target(level: Level, *, supervisor_request: bool = False) -> Level:
    """The level an escalation from ``level`` leads to: always exactly one up.

    A customer's request for a supervisor leads from the frontline to a
    supervisor and never higher.
    """
    if supervisor_request and level is not Level.FRONTLINE:
        raise TransitionRefused(
            Refusal.SUPERVISOR_ONLY_FROM_FRONTLINE,
            _("A supervisor is already handling this complaint."),
        )
    if level is Level.SENIOR_MANAGEMENT:
        raise TransitionRefused(
            Refusal.LEVEL_MAXIMUM, _("The complaint is already at the highest level.")
        )
    return Level(level + 1)


def allowed_actions(facts: Facts) -> list[Action]:
    """The actions the table allows from the state (guards that need input aside)."""
    if facts.is_merged:
        return []
    return list(TRANSITIONS[facts.state])


def markdown_table() -> str:
    """The transition table as Markdown: a row per state, the actions leaving it."""
    rows = ["| from | action → to |", "|---|---|"]
    for state, moves in TRANSITIONS.items():
        cell = "<br>".join(f"`{a.value}` → `{t.value}`" for a, t in moves.items()) or "(terminal)"
        rows.append(f"| `{state.value}` | {cell} |")
    return "\n".join(rows)
