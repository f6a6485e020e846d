"""The lifecycle table and its guards, without a database."""

from datetime import UTC, datetime, timedelta

import pytest

from plaint.complaints.lifecycle import (
    OPEN_BEFORE_DECISION,
    OPEN_STATES,
    TERMINAL,
    TRANSITIONS,
    Action,
    Facts,
    Level,
    Refusal,
    State,
    TransitionRefused,
    allowed_actions,
    escalation_target,
    plan,
)

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
VALID_INPUT = {"reason": "because", "outcome": "upheld", "reasoning": "checked the bill"}


def facts(state: State, level: Level = Level.FRONTLINE, **more) -> Facts:
    given = {"demands_recorded": True, "now": NOW, **VALID_INPUT, **more}
    return Facts(state=state, level=level, **given)


def test_the_table_is_total_every_state_is_listed_and_every_target_is_a_state():
    assert set(TRANSITIONS) == set(State)
    for moves in TRANSITIONS.values():
        assert set(moves) <= set(Action)
        assert set(moves.values()) <= set(State)


def test_every_state_is_reachable_from_received():
    seen, frontier = {State.RECEIVED}, [State.RECEIVED]
    while frontier:
        for target in TRANSITIONS[frontier.pop()].values():
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    assert seen == set(State)


def test_only_withdrawn_is_terminal():
    assert frozenset({State.WITHDRAWN}) == TERMINAL


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("action", list(Action))
def test_every_pair_of_state_and_action_is_either_allowed_or_refused_with_a_code(state, action):
    # given valid input at the formal level (so no level guard interferes)
    given = facts(state, Level.FORMAL)
    # when / then
    if action in TRANSITIONS[state]:
        assert plan(action, given).target in State
    else:
        with pytest.raises(TransitionRefused) as refused:
            plan(action, given)
        assert refused.value.code is Refusal.NOT_ALLOWED_FROM_STATE


@pytest.mark.parametrize("action", [Action.REJECT_DECISION, Action.WITHDRAW, Action.MERGE])
def test_actions_that_need_a_reason_are_refused_without_one(action):
    with pytest.raises(TransitionRefused) as refused:
        plan(action, facts(State.DECIDED if action is Action.REJECT_DECISION
                           else State.INVESTIGATING, reason="  "))
    assert refused.value.code is Refusal.REASON_REQUIRED
    assert refused.value.field == "reason"


def test_reopening_needs_a_reason_and_the_period_not_over():
    closed = facts(State.CLOSED, closed_at=NOW - timedelta(days=10))
    assert plan(Action.REOPEN, closed).target is State.REOPENED
    with pytest.raises(TransitionRefused) as refused:
        plan(Action.REOPEN, facts(State.CLOSED, closed_at=NOW - timedelta(days=31)))
    assert refused.value.code is Refusal.REOPEN_PERIOD_OVER


@pytest.mark.parametrize(
    ("missing", "code"),
    [
        ({"demands_recorded": False}, Refusal.DEMANDS_UNSPECIFIED),
        ({"outcome": ""}, Refusal.OUTCOME_REQUIRED),
        ({"reasoning": " "}, Refusal.REASONING_REQUIRED),
    ],
)
def test_a_decision_needs_demands_an_outcome_and_reasoning(missing, code):
    with pytest.raises(TransitionRefused) as refused:
        plan(Action.DECIDE, facts(State.INVESTIGATING, **missing))
    assert refused.value.code is code


@pytest.mark.parametrize("state", OPEN_BEFORE_DECISION)
def test_a_final_response_before_a_decision_needs_the_formal_level(state):
    with pytest.raises(TransitionRefused) as refused:
        plan(Action.ISSUE_FINAL_RESPONSE, facts(state, Level.SUPERVISOR))
    assert refused.value.code is Refusal.FINAL_RESPONSE_TOO_EARLY
    assert plan(Action.ISSUE_FINAL_RESPONSE, facts(state, Level.FORMAL)).target is (
        State.FINAL_RESPONSE_ISSUED
    )


def test_a_final_response_may_follow_a_decision_at_any_level():
    assert plan(Action.ISSUE_FINAL_RESPONSE, facts(State.DECIDED)).target is (
        State.FINAL_RESPONSE_ISSUED
    )


@pytest.mark.parametrize("level", [Level.FRONTLINE, Level.SUPERVISOR])
def test_rejecting_a_decision_below_the_formal_level_makes_it_a_formal_complaint(level):
    outcome = plan(Action.REJECT_DECISION, facts(State.DECIDED, level))
    assert outcome.target is State.INVESTIGATING
    assert outcome.level is Level.FORMAL
    assert not outcome.final_response_due


@pytest.mark.parametrize("level", [Level.FORMAL, Level.SENIOR_MANAGEMENT])
def test_rejecting_a_decision_at_the_formal_level_makes_a_final_response_due(level):
    outcome = plan(Action.REJECT_DECISION, facts(State.DECIDED, level))
    assert outcome.target is State.DECIDED
    assert outcome.level is level
    assert outcome.final_response_due


def test_a_merged_complaint_refuses_every_action():
    for action in Action:
        with pytest.raises(TransitionRefused) as refused:
            plan(action, facts(State.INVESTIGATING, is_merged=True))
        assert refused.value.code is Refusal.MERGED


@pytest.mark.parametrize(
    ("level", "expected"),
    [(Level.FRONTLINE, Level.SUPERVISOR), (Level.SUPERVISOR, Level.FORMAL),
     (Level.FORMAL, Level.SENIOR_MANAGEMENT)],
)
def test_escalation_moves_exactly_one_level_up(level, expected):
    assert escalation_target(level) is expected


def test_escalation_stops_at_senior_management():
    with pytest.raises(TransitionRefused) as refused:
        escalation_target(Level.SENIOR_MANAGEMENT)
    assert refused.value.code is Refusal.LEVEL_MAXIMUM


def test_a_supervisor_request_leads_from_the_frontline_to_a_supervisor_and_never_higher():
    assert escalation_target(Level.FRONTLINE, supervisor_request=True) is Level.SUPERVISOR
    for level in (Level.SUPERVISOR, Level.FORMAL, Level.SENIOR_MANAGEMENT):
        with pytest.raises(TransitionRefused) as refused:
            escalation_target(level, supervisor_request=True)
        assert refused.value.code is Refusal.SUPERVISOR_ONLY_FROM_FRONTLINE


def test_reopening_needs_a_reason():
    with pytest.raises(TransitionRefused) as refused:
        plan(Action.REOPEN, facts(State.CLOSED, closed_at=NOW, reason=""))
    assert refused.value.code is Refusal.REASON_REQUIRED


def test_reopening_on_the_last_moment_of_the_period_is_allowed():
    closed = facts(State.CLOSED, closed_at=NOW - timedelta(days=5), reopen_period=timedelta(days=5))
    assert plan(Action.REOPEN, closed).target is State.REOPENED
    with pytest.raises(TransitionRefused):
        plan(Action.REOPEN, facts(State.CLOSED, closed_at=NOW - timedelta(days=5, seconds=1),
                                  reopen_period=timedelta(days=5)))


def test_the_allowed_actions_are_the_tables_and_none_once_merged():
    for state in State:
        assert allowed_actions(facts(state)) == list(TRANSITIONS[state])
        assert allowed_actions(facts(state, is_merged=True)) == []


def test_open_states_are_all_but_closed_withdrawn_and_externally_resolved():
    assert set(State) - OPEN_STATES == {State.CLOSED, State.WITHDRAWN, State.EXTERNALLY_RESOLVED}


@pytest.mark.parametrize("state", [s for s in State if s is not State.DECIDED])
def test_only_a_decision_is_accepted_or_rejected(state):
    for action in (Action.ACCEPT_DECISION, Action.REJECT_DECISION):
        with pytest.raises(TransitionRefused) as refused:
            plan(action, facts(state, Level.FORMAL))
        assert refused.value.code is Refusal.NOT_ALLOWED_FROM_STATE
