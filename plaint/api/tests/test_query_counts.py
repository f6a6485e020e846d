"""Queries per request do not grow with what a page or a complaint holds."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plaint.api.tests.api_requests import ROOT
from plaint.complaints.actors import SYSTEM_ACTOR
from plaint.complaints.lifecycle import Action
from plaint.complaints.models import Complaint
from plaint.complaints.services.assignment import complaint_assign
from plaint.complaints.services.decisions import (
    DecisionSpec,
    complaint_decide,
    complaint_final_response_issue,
    complaint_refer,
)
from plaint.complaints.services.evidence import evidence_add
from plaint.complaints.services.records import (
    InteractionSpec,
    PromiseSpec,
    interaction_log,
    message_add,
)
from plaint.core import clock
from plaint.parties.choices import Role
from plaint.testing import builders
from plaint.testing.actors import AGENT, CUSTOMER_A, CUSTOMER_B, PDF, TOKEN, Cast

#: Ceilings, so that a count that is constant but large fails too: the session, its user
#: and memberships (or the token), the access check, then the page's own queries.
MOST_QUERIES = {"list": 5, "detail": 14, "timeline": 8,
                # a complaint with chat transcripts: their participants and lines, one query each
                "detail_with_chats": 16}


def queries(client, url: str, params: dict[str, object] | None = None) -> int:
    # A token's first use is written at once, later ones at most once a minute
    # (``api_token_use_record``): that write is not the page's, so it happens before counting.
    client.get(url, params or {})
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:300]
    return len(captured)


def complaints_with_teams_and_handlers(cast: Cast, count: int) -> None:
    """``count`` complaints of customers A and B, each routed to its own team and handler."""
    for n in range(count):
        customer = cast.customers[CUSTOMER_A if n % 2 else CUSTOMER_B]
        complaint = builders.complaint(customer, subject=f"Complaint {n}")
        team = builders.team(cast.org1, name=f"Team {n}")
        handler = builders.staff(cast.org1, Role.AGENT, team=team)
        complaint_assign(actor=SYSTEM_ACTOR, complaint=complaint, team_id=team.pk,
                         assignee_id=handler.pk)


@pytest.mark.parametrize("who", [AGENT, TOKEN, CUSTOMER_A])
def test_the_list_takes_as_many_queries_for_fifty_complaints_as_for_five(
    cast, who, django_assert_num_queries
):
    # given 60 complaints, each with a team and a handler of its own
    complaints_with_teams_and_handlers(cast, 60)
    client = cast.client(who)
    url = f"{ROOT}/complaints"
    small = queries(client, url, {"limit": 5})
    # when a page of 50 is read
    with django_assert_num_queries(small):
        page = client.get(url, {"limit": 50}).json()
    # then it took no more queries than a page of 5, and few
    assert small <= MOST_QUERIES["list"]
    assert len(page["items"]) == (50 if who != CUSTOMER_A else 31)
    if who != CUSTOMER_A:
        assert all(c["team"] and c["assignee"] for c in page["items"])


def busy_complaint(cast: Cast, *, each: int, decisions: int) -> Complaint:
    """A complaint of customer A with ``each`` interactions (two promises apiece), messages,
    internal notes and evidence files, ``decisions`` decisions (1 or 2), a final response
    and a referral."""
    complaint = builders.complaint(cast.customers[CUSTOMER_A], subject="Busy")
    agent, customer = cast.actor(AGENT), cast.actor(CUSTOMER_A)
    start = clock.now() - timedelta(hours=2)
    for n in range(each):
        interaction_log(actor=agent, complaint=complaint, spec=InteractionSpec(
            channel="phone", direction="inbound", started_at=start + timedelta(minutes=n),
            notes=f"Call {n}", promises=[
                PromiseSpec(kind="callback", due_at=start + timedelta(days=1, minutes=n)),
                PromiseSpec(kind="action", due_at=start + timedelta(days=2, minutes=n)),
            ]))
        message_add(actor=customer, complaint=complaint, body=f"Message {n}")
        message_add(actor=agent, complaint=complaint, body=f"Note {n}", internal=True)
        evidence_add(actor=customer, complaint=complaint, stream=io.BytesIO(PDF), name=f"{n}.pdf")
    builders.move(complaint, Action.ACKNOWLEDGE)
    spec = DecisionSpec(outcome="rejected", reasoning="No double charge in our ledger.")
    complaint_decide(actor=SYSTEM_ACTOR, complaint=complaint, spec=spec)
    if decisions == 2:
        builders.move(complaint, Action.REJECT_DECISION, actor=customer)
        complaint_decide(actor=SYSTEM_ACTOR, complaint=complaint, spec=spec)
    complaint_final_response_issue(actor=SYSTEM_ACTOR, complaint=complaint, text="Final.")
    complaint_refer(actor=SYSTEM_ACTOR, complaint=complaint, body="ČTÚ")
    return complaint


@pytest.mark.parametrize("who", [AGENT, TOKEN, CUSTOMER_A])
@pytest.mark.parametrize("page", ["detail", "timeline"])
def test_a_complaint_takes_as_many_queries_with_many_records_as_with_one(
    cast, who, page, django_assert_num_queries
):
    # given a complaint with one record of each kind, and one with many of each
    few = busy_complaint(cast, each=1, decisions=1)
    many = busy_complaint(cast, each=6, decisions=2)
    client = cast.client(who)
    suffix = "" if page == "detail" else f"/{page}"
    baseline = queries(client, f"{ROOT}/complaints/{few.reference}{suffix}")
    # when the busy one is read
    with django_assert_num_queries(baseline):
        response = client.get(f"{ROOT}/complaints/{many.reference}{suffix}").json()
    # then it took no more queries, and few
    assert baseline <= MOST_QUERIES[page]
    if page == "detail":
        assert len(response["interactions"]) == 6
        assert len(response["decisions"]) == 2
        assert len(response["evidence"]) == 6
        assert len(response["messages"]) == (12 if who != CUSTOMER_A else 6)
    else:
        assert len(response) >= 25


def chatty_complaint(cast: Cast, *, chats: int, lines: int) -> Complaint:
    """A complaint of customer A with ``chats`` chat transcripts of ``lines`` lines each, and
    as many scanned letters."""
    from plaint.complaints.services.letters import LetterSpec, letter_record
    from plaint.complaints.services.transcripts import (
        LineSpec,
        ParticipantSpec,
        TranscriptSpec,
        chat_transcript_attach,
    )

    complaint = builders.complaint(cast.customers[CUSTOMER_A], subject="Chatty")
    start = clock.now() - timedelta(hours=3)
    for n in range(chats):
        chat_transcript_attach(actor=cast.actor(AGENT), complaint=complaint, spec=TranscriptSpec(
            started_at=start + timedelta(minutes=n), ended_at=start + timedelta(minutes=n + 30),
            participants=[ParticipantSpec(role="customer", name="Jan"),
                          ParticipantSpec(role="agent", name="Eva", position="Chat")],
            lines=[LineSpec(at=start + timedelta(minutes=n, seconds=i), participant=i % 2,
                            text=f"Line {i}") for i in range(lines)],
        ))
        letter_record(actor=cast.actor(AGENT), complaint=complaint, spec=LetterSpec(
            received_at=start, stream=io.BytesIO(PDF), name=f"letter-{n}.pdf"))
    return complaint


@pytest.mark.parametrize("who", [AGENT, CUSTOMER_A])
def test_a_complaint_takes_as_many_queries_with_long_chats_and_many_letters_as_with_one(
    cast, who, django_assert_num_queries
):
    # given a complaint with one short chat and one letter, and one with three long chats
    # and three letters
    few = chatty_complaint(cast, chats=1, lines=2)
    many = chatty_complaint(cast, chats=3, lines=60)
    client = cast.client(who)
    baseline = queries(client, f"{ROOT}/complaints/{few.reference}")
    # when the busy one is read
    with django_assert_num_queries(baseline):
        response = client.get(f"{ROOT}/complaints/{many.reference}").json()
    # then it took no more queries, and few
    assert baseline <= MOST_QUERIES["detail_with_chats"]
    transcripts = [i["transcript"] for i in response["interactions"] if i["transcript"]]
    assert [len(t["lines"]) for t in transcripts] == [60, 60, 60]
    assert len([i for i in response["interactions"] if i["letter"]]) == 3
