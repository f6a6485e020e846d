"""Nothing internal reaches a customer, through any endpoint.

The cast's complaint A has an internal note, an internal interaction and an
internal evidence file marked with ``INTERNAL_MARK``; here it is also routed to
a team whose name carries the mark, and a message is moved onto it with a staff
reason that carries it. Staff read every mark (so that these tests can fail);
customer A reads none.
"""

from __future__ import annotations

import json

import pytest

from plaint.api.tests.api_requests import NOT_FOUND, ROOT, content, send
from plaint.api.tests.permission_cases import CASE_IDS, CASES
from plaint.complaints.actors import SYSTEM_ACTOR
from plaint.complaints.models import Event, Evidence
from plaint.complaints.services.assignment import complaint_assign
from plaint.complaints.services.records import message_add, message_move
from plaint.parties.choices import TeamKind
from plaint.testing import builders
from plaint.testing.actors import AGENT, CUSTOMER_A, CUSTOMER_B, INTERNAL_MARK, PDF, Cast

MARK = INTERNAL_MARK.encode()


def mark_more_internal_things(cast: Cast) -> None:
    """Route complaint A to a team named with the mark, and move a message onto it with a
    reason that carries the mark; neither changes its state or level."""
    team = builders.team(cast.org1, TeamKind.COMPLAINTS, name=f"Escalations {INTERNAL_MARK}")
    complaint_assign(actor=SYSTEM_ACTOR, complaint=cast.complaint_a, team_id=team.pk,
                     assignee_id=cast.memberships[AGENT].pk)
    other = builders.complaint(cast.customers[CUSTOMER_A], subject="Misfiled")
    agent = cast.actor(AGENT)
    message = message_add(actor=agent, complaint=other, body="Your refund is on its way.")
    message_move(actor=agent, message=message, to_complaint=cast.complaint_a,
                 reason=f"Belongs to the October complaint {INTERNAL_MARK}")


def read_everything(cast: Cast, who: str) -> dict[str, bytes]:
    client = cast.client(who)
    url = f"{ROOT}/complaints/{cast.complaint_a.reference}"
    return {
        "detail": client.get(url).content,
        "timeline": client.get(f"{url}/timeline").content,
        "list": client.get(f"{ROOT}/complaints").content,
    }


def test_staff_read_every_internal_item(cast):
    # given complaint A with internal items marked
    mark_more_internal_things(cast)
    # when an agent reads it
    read = read_everything(cast, AGENT)
    detail = json.loads(read["detail"])
    # then the detail, the timeline and the list show the marks
    assert all(MARK in body for body in read.values())
    assert any(INTERNAL_MARK in m["body"] for m in detail["messages"])
    assert any(INTERNAL_MARK in i["notes"] for i in detail["interactions"])
    assert any(INTERNAL_MARK in e["name"] for e in detail["evidence"])
    assert INTERNAL_MARK in detail["team"]["name"]


def test_the_customer_reads_nothing_internal_in_the_detail_the_timeline_and_the_list(cast):
    # given complaint A with internal items marked
    mark_more_internal_things(cast)
    # when customer A reads it
    read = read_everything(cast, CUSTOMER_A)
    detail = json.loads(read["detail"])
    # then no mark is anywhere, and no internal record, team or handler is shown
    assert not any(MARK in body for body in read.values())
    assert {m["visibility"] for m in detail["messages"]} == {"customer"}
    assert {i["visibility"] for i in detail["interactions"]} == {"customer"}
    assert detail["evidence"] == []
    assert detail["team"] is None
    assert detail["assignee"] is None
    listed = json.loads(read["list"])["items"]
    assert len(listed) == 2
    assert {(c["team"], c["assignee"]) for c in listed} == {(None, None)}


def test_the_customer_timeline_leaves_out_exactly_the_internal_events(cast):
    # given complaint A with internal events (a note, an interaction, evidence, an assignment)
    mark_more_internal_things(cast)
    url = f"{ROOT}/complaints/{cast.complaint_a.reference}/timeline"
    # when staff and customer A read the timeline
    staff_ids = [e["id"] for e in cast.client(AGENT).get(url).json()]
    customer_ids = [e["id"] for e in cast.client(CUSTOMER_A).get(url).json()]
    # then the customer's is the staff's without the internal events, in the same order
    internal = set(Event.objects.filter(visibility="internal").values_list("pk", flat=True))
    assert internal & set(staff_ids)
    assert customer_ids == [i for i in staff_ids if i not in internal]


@pytest.mark.parametrize("case_", CASES, ids=CASE_IDS)
def test_no_response_to_the_customer_contains_an_internal_item(cast, case_):
    # given complaint A with internal items marked, in the case's starting state
    mark_more_internal_things(cast)
    context = case_.given(cast)
    # when customer A makes the case's request
    response = send(cast.client(CUSTOMER_A), case_, context)
    # then the answer, whatever it is, carries no mark
    assert MARK not in content(response)


def test_the_customer_cannot_download_internal_evidence(cast):
    # given complaint A's internal evidence file
    evidence = Evidence.objects.get(complaint=cast.complaint_a, visibility="internal")
    url = f"{ROOT}/complaints/{cast.complaint_a.reference}/evidence/{evidence.pk}"
    # when customer A and an agent ask for it
    customer = cast.client(CUSTOMER_A).get(url)
    agent = cast.client(AGENT).get(url)
    # then the customer gets the 404 of a file that does not exist, the agent the file
    assert customer.status_code == 404
    assert customer.json() == NOT_FOUND
    assert agent.status_code == 200
    assert INTERNAL_MARK in agent["Content-Disposition"]
    assert content(agent) == PDF


def test_a_message_moved_from_another_customers_complaint_does_not_reveal_that_complaint(cast):
    # given a message filed on customer B's complaint, moved by an agent to customer A's
    agent = cast.actor(AGENT)
    message = message_add(actor=agent, complaint=cast.complaint_b, body="Your router ships today.")
    message_move(actor=agent, message=message, to_complaint=cast.complaint_a, reason="Misfiled.")
    url = f"{ROOT}/complaints/{cast.complaint_a.reference}/timeline"
    # when customer A and the agent read complaint A's timeline
    customer = cast.client(CUSTOMER_A).get(url)
    staff = cast.client(AGENT).get(url)
    # then both see that the message moved, but only the agent reads customer B's reference
    moved = [e for e in customer.json() if e["kind"] == "message_moved"]
    assert len(moved) == 1
    assert moved[0]["complaint"] is None
    assert cast.complaint_b.reference.encode() not in customer.content
    assert cast.complaint_b.reference.encode() in staff.content
    # and customer B cannot read complaint A at all
    assert cast.client(CUSTOMER_B).get(url).status_code == 404
