"""A hypothesis state machine drives random sequences of API calls on complaints, as the actors of
the canonical cast, and checks the invariants after every step:

- a complaint reaches a state only by an allowed transition (``lifecycle.TRANSITIONS``), and a
  refused call changes nothing;
- every call the API accepts writes exactly one event, a refused one none;
- the clock rows equal their rebuild from the events (``clocks_rebuild(dry_run=True)``);
- another organisation's staff never see the complaints (404);
- the customer never sees an internal note, in the complaint or in its timeline.

PostgreSQL tier (it fuzzes). ``PLAINT_HYPOTHESIS_EXAMPLES`` sets the number of sequences
(6 fixed ones in CI; e.g. 500 random ones on demand: ``PLAINT_HYPOTHESIS_EXAMPLES=500 … pytest -k stateful``).
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from plaint.clocks.rebuild import clocks_rebuild
from plaint.complaints.lifecycle import TRANSITIONS, Action, State
from plaint.complaints.models import Complaint, Event
from plaint.testing.actors import (
    AGENT,
    COMPLAINTS_OFFICER,
    CUSTOMER_A,
    INTERNAL_MARK,
    MANAGER,
    OTHER_ORG_AGENT,
    TEAM_LEADER,
    Cast,
)

pytestmark = pytest.mark.postgresql_only

ROOT = "/api/v1"
# CI runs a few fixed sequences (derandomized: the same ones each run, so a failure is never
# luck); a number in the environment runs that many random ones.
EXAMPLES = int(os.environ.get("PLAINT_HYPOTHESIS_EXAMPLES", "0")) or None
ACTING = [CUSTOMER_A, AGENT, TEAM_LEADER, COMPLAINTS_OFFICER, MANAGER]
# The transitions endpoint takes these; decisions, final responses, referrals and merges have
# endpoints of their own (decide is driven below).
GENERIC = [a.value for a in (Action.ACKNOWLEDGE, Action.START_INVESTIGATION, Action.REQUEST_INFORMATION,
                             Action.RESUME, Action.ACCEPT_DECISION, Action.REJECT_DECISION, Action.CLOSE,
                             Action.REOPEN, Action.WITHDRAW)]


def make_machine(cast: Cast) -> type[RuleBasedStateMachine]:
    clients = {who: cast.client(who) for who in [*ACTING, OTHER_ORG_AGENT]}

    class ComplaintsMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.references: list[str] = []

        # -- helpers ----------------------------------------------------------------------

        def _call(self, who: str, method: str, path: str, body: dict) -> tuple[int, str, str, int]:
            """Call the API on a complaint; check the state and event count against the answer."""
            reference = path.split("/")[2]
            before = Complaint.objects.get(reference=reference)
            events = Event.objects.filter(complaint=before).count()
            response = getattr(clients[who], method)(f"{ROOT}{path}", body, content_type="application/json")
            after = Complaint.objects.get(reference=reference)
            added = Event.objects.filter(complaint=after).count() - events
            assert response.status_code < 500, response.content[:500]
            if response.status_code < 300:
                assert added == 1, (path, who, added)
            else:
                assert response.status_code in (403, 404, 409, 422), response.content[:500]
                assert (added, after.state, after.level) == (0, before.state, before.level), path
            return response.status_code, before.state, after.state, added

        # -- rules --------------------------------------------------------------------------

        @rule(who=st.sampled_from([CUSTOMER_A, AGENT]))
        def file(self, who: str) -> None:
            body = {"organisation_id": cast.org1.pk, "channel": "web", "subject": "Fuzzed",
                    "description": "Filed by the state machine."}
            if who != CUSTOMER_A:
                body["customer"] = {"full_name": "Jana Dvořáková", "email": cast.customers[CUSTOMER_A].email}
                body["channel"] = "phone"
            response = clients[who].post(f"{ROOT}/complaints", body, content_type="application/json")
            assert response.status_code == 201, response.content[:500]
            self.references.append(response.json()["reference"])

        @precondition(lambda self: self.references)
        @rule(data=st.data(), who=st.sampled_from(ACTING), action=st.sampled_from(GENERIC))
        def transition(self, data: st.DataObject, who: str, action: str) -> None:
            reference = data.draw(st.sampled_from(self.references))
            status, was, now, _ = self._call(who, "post", f"/complaints/{reference}/transitions",
                                            {"action": action, "reason": "Because."})
            if status < 300:
                assert TRANSITIONS[State(was)].get(Action(action)) == State(now), (was, action, now)

        @precondition(lambda self: self.references)
        @rule(data=st.data(), who=st.sampled_from(ACTING))
        def escalate(self, data: st.DataObject, who: str) -> None:
            reference = data.draw(st.sampled_from(self.references))
            self._call(who, "post", f"/complaints/{reference}/escalations", {"reason": "Not resolved."})

        @precondition(lambda self: self.references)
        @rule(data=st.data(), who=st.sampled_from(ACTING), internal=st.booleans())
        def message(self, data: st.DataObject, who: str, internal: bool) -> None:
            reference = data.draw(st.sampled_from(self.references))
            body = f"Note {INTERNAL_MARK}" if internal else "A message anyone on the case may read."
            self._call(who, "post", f"/complaints/{reference}/messages", {"body": body, "internal": internal})

        @precondition(lambda self: self.references)
        @rule(data=st.data(), who=st.sampled_from(ACTING),
              outcome=st.sampled_from(["upheld", "partly_upheld", "rejected"]))
        def decide(self, data: st.DataObject, who: str, outcome: str) -> None:
            reference = data.draw(st.sampled_from(self.references))
            self._call(who, "post", f"/complaints/{reference}/decisions",
                       {"outcome": outcome, "reasoning": "Weighed the evidence."})

        @precondition(lambda self: self.references)
        @rule(data=st.data(), who=st.sampled_from([AGENT, COMPLAINTS_OFFICER]))
        def record_demands(self, data: st.DataObject, who: str) -> None:
            reference = data.draw(st.sampled_from(self.references))
            self._call(who, "put", f"/complaints/{reference}/demands",
                       {"demands": [{"kind": "apology"}]})

        # -- invariants -----------------------------------------------------------------------

        @invariant()
        def clocks_equal_their_rebuild(self) -> None:
            assert clocks_rebuild(dry_run=True).changed == 0

        @invariant()
        def nothing_leaks(self) -> None:
            for reference in self.references:
                assert clients[OTHER_ORG_AGENT].get(f"{ROOT}/complaints/{reference}").status_code == 404
                for path in (f"/complaints/{reference}", f"/complaints/{reference}/timeline"):
                    response = clients[CUSTOMER_A].get(f"{ROOT}{path}")
                    assert response.status_code == 200
                    assert INTERNAL_MARK not in response.content.decode()

    return ComplaintsMachine


@pytest.mark.django_db
def test_random_sequences_of_api_calls_keep_every_invariant(cast):
    machine = make_machine(cast)
    run_state_machine_as_test(machine, settings=settings(
        max_examples=EXAMPLES or 6, stateful_step_count=12, deadline=None, derandomize=EXAMPLES is None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                               HealthCheck.filter_too_much],
    ))
