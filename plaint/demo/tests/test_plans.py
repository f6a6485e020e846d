"""The demo's plans are walks the lifecycle and the role policy allow, for any seed.

No database: each plan is replayed against ``lifecycle.plan`` and ``policy.may``
with the role that the loader would use at each level, so that a change to the
quotas, the planner or the lifecycle shows here before it breaks ``plaint demo``.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import magic
import pytest
from django.conf import settings

from plaint.complaints.lifecycle import (
    OPEN_STATES,
    Action,
    Facts,
    Level,
    State,
    escalation_target,
    plan,
)
from plaint.complaints.policy import Operation, Who, may
from plaint.demo import files
from plaint.demo.catalogue import MANAGED
from plaint.demo.plans import AGE_DAYS, Plan, office_hours, plan_for, schedule

ACTIONS = {
    "acknowledge": Action.ACKNOWLEDGE,
    "investigate": Action.START_INVESTIGATION,
    "ask": Action.REQUEST_INFORMATION,
    "resume": Action.RESUME,
    "decide": Action.DECIDE,
    "accept": Action.ACCEPT_DECISION,
    "reject": Action.REJECT_DECISION,
    "close": Action.CLOSE,
    "final_response": Action.ISSUE_FINAL_RESPONSE,
    "refer": Action.REFER_EXTERNALLY,
    "outcome": Action.RECORD_EXTERNAL_OUTCOME,
    "reopen": Action.REOPEN,
    "withdraw": Action.WITHDRAW,
}
HANDLER = {1: Who.AGENT, 2: Who.TEAM_LEADER, 3: Who.COMPLAINTS_OFFICER, 4: Who.MANAGER}
OFFICER_STEPS = {"final_response", "refer", "outcome"}


def _replay(p: Plan) -> tuple[State, Level]:
    """Walk the plan through the lifecycle as the loader's actors would; fail on a refusal."""
    state, level, demands = State.RECEIVED, Level(p.start_level), p.demands_at_intake
    for step in p.steps[1:]:
        if step.name == "demands":
            demands = True
        elif step.name in ("escalate", "supervisor"):
            assert state in OPEN_STATES, p
            if step.name == "escalate":
                assert may(HANDLER[level], Operation.ESCALATE, level), p
            level = escalation_target(level, supervisor_request=step.name == "supervisor")
        elif step.name in ACTIONS:
            action = ACTIONS[step.name]
            who = HANDLER[max(level, 3)] if step.name in OFFICER_STEPS else HANDLER[level]
            assert may(who, Operation(action.value), level), (p, step)
            outcome = plan(action, Facts(
                state=state, level=level, demands_recorded=demands, reason="why",
                outcome="upheld", reasoning="because",
            ))
            state, level = outcome.target, outcome.level
    return state, level


@pytest.mark.parametrize("target", list(AGE_DAYS))
def test_every_plan_reaches_its_state_and_level(target: str) -> None:
    # given many seeds, with and without a customer login
    for seed in range(150):
        rng = random.Random(seed)
        # when a plan is drawn for the target
        p = plan_for(target, rng, has_login=seed % 2 == 0)
        # then replaying it ends in the target state at the planned level
        assert _replay(p) == (State(target), Level(p.level)), p


def test_schedule_is_increasing_and_ends_in_time() -> None:
    # given a plan and its lifetime
    rng = random.Random(7)
    p = plan_for("externally_resolved", rng, has_login=True)
    start = datetime(2026, 3, 6, 21, 0, tzinfo=UTC)  # a Friday evening
    end = start + timedelta(days=40)
    # when its steps are scheduled with office hours for every staff step
    times = schedule(p.steps, start, end, rng, at_office=[True] * len(p.steps),
                     time_zone="Europe/Prague")
    # then the times increase, start no earlier than the start, and end in time
    assert times[0] >= start
    assert all(a < b for a, b in zip(times, times[1:], strict=False))
    assert times[-1] <= end


def test_office_hours_move_a_saturday_night_to_monday_morning() -> None:
    # given a Saturday 23:00 in Prague
    saturday = datetime(2026, 3, 7, 22, 0, tzinfo=UTC)
    # when it is moved into office hours / then it is Monday between 8:00 and 10:30
    moved = office_hours(saturday, "Europe/Prague", random.Random(1))
    local = moved.astimezone(ZoneInfo("Europe/Prague"))
    assert local.weekday() == 0
    assert 8 <= local.hour <= 10


def test_every_demo_file_passes_the_evidence_type_check() -> None:
    # given every file the demo may attach
    allowed = settings.PLAINT_EVIDENCE_ALLOWED_TYPES
    contents = [files.pdf(["Faktura č. 1", "649 Kč"]), files.png(seed=3)]
    for spec in MANAGED:
        for items in spec.texts.staff_evidence.values():
            contents += [files.text(item.lines) for item in items]
    # when libmagic reads them / then each is of an accepted type (not, say, text/csv)
    for content in contents:
        assert magic.from_buffer(content, mime=True) in allowed
