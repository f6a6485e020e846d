"""Reads: only what the viewer may see, in a number of queries that does not grow with the data."""

from __future__ import annotations

import base64
import io
from datetime import timedelta
from decimal import Decimal

import pytest

from plaint.complaints.actors import SYSTEM_ACTOR
from plaint.complaints.choices import EventKind, Visibility
from plaint.complaints.lifecycle import Action, State
from plaint.complaints.models import Complaint
from plaint.complaints.selectors import (
    ComplaintFilters,
    complaint_detail,
    complaint_list,
    complaint_timeline,
)
from plaint.complaints.services.assignment import complaint_assign
from plaint.complaints.services.evidence import evidence_add
from plaint.complaints.services.records import (
    InteractionSpec,
    PromiseSpec,
    interaction_log,
    message_add,
)
from plaint.complaints.tests.helpers import NOW
from plaint.core import clock, references
from plaint.core.exceptions import ValidationFailed
from plaint.parties.actors import ANONYMOUS, Principal
from plaint.parties.choices import Role
from plaint.parties.models import Membership
from plaint.testing import builders
from plaint.testing.actors import (
    AGENT,
    CUSTOMER_A,
    CUSTOMER_B,
    INTERNAL_MARK,
    MANAGER,
    PDF,
    TEAM_LEADER,
)

#: Demands, interactions, their promises, messages, evidence, decisions, final responses
#: and referrals: one query each (the complaint itself, with its organisation, customer,
#: team, assignee and merge target, comes loaded from the access function).
DETAIL_QUERIES = 8
#: The memberships of the principal, and the page.
LIST_QUERIES = 2
#: The ids of merged complaints, and the events.
TIMELINE_QUERIES = 2


def _list(principal, limit=50, cursor=None, **filters):
    rows, next_cursor = complaint_list(principal=principal, filters=ComplaintFilters(**filters),
                                       cursor=cursor, limit=limit)
    return rows, next_cursor


def _manager(cast):
    return Principal(user=cast.users[MANAGER])


def _add_records(cast, complaint, n):
    """``n`` of every kind of record on ``complaint``, internal and visible, with promises."""
    agent = cast.actor(AGENT)
    for i in range(n):
        message_add(actor=agent, complaint=complaint, body=f"Message {i}")
        message_add(actor=agent, complaint=complaint, body=f"Note {i}", internal=True)
        interaction_log(actor=agent, complaint=complaint, spec=InteractionSpec(
            channel="phone", direction="outbound",
            started_at=clock.now() - timedelta(minutes=10 + i), duration_seconds=30,
            visibility=Visibility.INTERNAL if i % 2 else Visibility.CUSTOMER,
            promises=[PromiseSpec(kind="callback", due_at=clock.now() + timedelta(days=1)),
                      PromiseSpec(kind="action", due_at=clock.now() + timedelta(days=2))],
        ))
        evidence_add(actor=agent, complaint=complaint, stream=io.BytesIO(PDF), name=f"{i}.pdf",
                     internal=bool(i % 2))


def _read_detail(complaint):
    """Everything a consumer of the detail reads, to count the queries it costs."""
    seen = [complaint.organisation.name, complaint.customer.email, complaint.team,
            complaint.assignee.user.full_name if complaint.assignee else None,
            complaint.merged_into]
    seen += list(complaint.demands.all())
    for interaction in complaint.interactions.all():
        seen += list(interaction.promises.all())
    seen += list(complaint.messages.all()) + list(complaint.evidence.all())
    seen += list(complaint.decisions.all()) + list(complaint.final_responses.all())
    seen += list(complaint.referrals.all())
    return seen


# complaint_list


def test_staff_list_their_organisations_complaints_newest_first(cast):
    newer = builders.complaint(cast.customers[CUSTOMER_B])
    rows, next_cursor = _list(_manager(cast))
    assert rows == [newer, cast.complaint_b, cast.complaint_a]
    assert next_cursor is None


def test_a_customer_lists_only_their_own_complaints(cast):
    rows, _ = _list(Principal(user=cast.users[CUSTOMER_A]))
    assert rows == [cast.complaint_a]


def test_an_anonymous_caller_lists_nothing(cast):
    assert _list(ANONYMOUS) == ([], None)


def test_pages_follow_each_other_without_overlap_until_the_last_has_no_cursor(cast):
    # given seven complaints of the organisation
    for _ in range(5):
        builders.complaint(cast.customers[CUSTOMER_B])
    expected = list(Complaint.objects.filter(organisation=cast.org1).order_by("-id"))
    # when the list is read three at a time
    pages, cursor = [], None
    while True:
        rows, cursor = _list(_manager(cast), limit=3, cursor=cursor)
        pages.append(rows)
        if cursor is None:
            break
    # then the pages are the whole list in order, and only the last is short
    assert [len(p) for p in pages] == [3, 3, 1]
    assert [c for page in pages for c in page] == expected


def test_a_full_last_page_has_no_next_cursor(cast):
    rows, cursor = _list(_manager(cast), limit=2)
    assert len(rows) == 2
    assert cursor is None


@pytest.mark.parametrize("cursor", [
    "!!!",
    base64.urlsafe_b64encode(b"pk:5").decode(),
    base64.urlsafe_b64encode(b"id:five").decode(),
    base64.urlsafe_b64encode(b"no-colon").decode(),
    base64.urlsafe_b64encode(b"\xff\xfe:1").decode(),
])
def test_an_invalid_cursor_is_refused(cast, cursor):
    with pytest.raises(ValidationFailed) as refused:
        _list(_manager(cast), cursor=cursor)
    assert refused.value.code == "validation_error"
    assert "cursor" in refused.value.fields


@pytest.fixture
def varied(cast):
    """Complaints of organisation 1 that differ in one attribute each from complaint A."""
    customer = cast.customers[CUSTOMER_B]
    with clock.frozen_at(NOW - timedelta(days=10)):
        old = builders.complaint(customer, subject="Old one")
    acknowledged = builders.move(builders.complaint(customer), Action.ACKNOWLEDGE)
    escalated = builders.escalate_to(builders.complaint(customer), 2)
    assigned = builders.complaint(customer)
    complaint_assign(actor=SYSTEM_ACTOR, complaint=assigned, team_id=None,
                     assignee_id=cast.memberships[TEAM_LEADER].pk)
    categorised = builders.complaint(customer, category="billing")
    by_phone = builders.complaint(customer, channel="phone")
    worded = builders.complaint(customer, subject="Router", description="The lights blink red")
    return {"old": old, "acknowledged": acknowledged, "escalated": escalated,
            "assigned": assigned, "categorised": categorised, "by_phone": by_phone,
            "worded": worded}


@pytest.mark.parametrize(("filters", "expected"), [
    ({"state": [State.ACKNOWLEDGED.value]}, {"acknowledged"}),
    ({"level": 2}, {"escalated"}),
    ({"category": "billing"}, {"categorised"}),
    ({"channel": "phone"}, {"by_phone"}),
    ({"text": "BLINK red"}, {"worded"}),
    ({"text": "  lights "}, {"worded"}),
])
def test_each_filter_keeps_only_the_matching_complaints(cast, varied, filters, expected):
    rows, _ = _list(_manager(cast), **filters)
    assert set(rows) == {varied[name] for name in expected}


def test_filters_by_team_and_assignee(cast, varied):
    leader = cast.memberships[TEAM_LEADER]
    assert _list(_manager(cast), assignee_id=leader.pk)[0] == [varied["assigned"]]
    assert _list(_manager(cast), team_id=leader.team_id)[0] == [varied["assigned"]]


def test_filters_by_creation_time_from_inclusive_to_exclusive(cast, varied):
    old = varied["old"]
    assert _list(_manager(cast), created_to=old.created_at)[0] == []
    assert _list(_manager(cast), created_to=old.created_at + timedelta(seconds=1))[0] == [old]
    assert old not in _list(_manager(cast), created_from=old.created_at + timedelta(seconds=1))[0]
    assert old in _list(_manager(cast), created_from=old.created_at)[0]


def test_filters_by_organisation_for_staff_of_two(cast):
    # given the manager is also a manager of organisation 2
    Membership.objects.create(user=cast.users[MANAGER], organisation=cast.org2, role=Role.MANAGER)
    # when / then
    assert len(_list(_manager(cast))[0]) == 3
    assert _list(_manager(cast), organisation_id=cast.org2.pk)[0] == [cast.complaint_other_org]


def test_text_finds_a_complaint_by_its_reference_as_stored_or_as_displayed(cast):
    reference = cast.complaint_b.reference
    for typed in (reference, reference.lower(), references.display(reference)):
        assert _list(_manager(cast), text=typed)[0] == [cast.complaint_b], typed


def test_listing_costs_the_same_queries_whatever_the_page_size(cast, django_assert_num_queries):
    # given many assigned complaints with teams
    for _ in range(12):
        complaint = builders.complaint(cast.customers[CUSTOMER_B])
        complaint_assign(actor=SYSTEM_ACTOR, complaint=complaint, team_id=None,
                         assignee_id=cast.memberships[AGENT].pk)
    for limit in (1, 3, 14):
        # when a page is read with everything a summary shows
        with django_assert_num_queries(LIST_QUERIES):
            rows, _ = _list(_manager(cast), limit=limit)
            shown = [(c.organisation.name, str(c.customer), c.team and c.team.name,
                      c.assignee and c.assignee.user.full_name) for c in rows]
        # then the page was full
        assert len(shown) == limit


# complaint_detail


def test_the_customer_sees_no_internal_interaction_message_or_evidence(cast):
    # when
    detail = complaint_detail(complaint=cast.complaint_a, actor=cast.actor(CUSTOMER_A))
    # then
    records = [*detail.interactions.all(), *detail.messages.all(), *detail.evidence.all()]
    assert records
    assert {r.visibility for r in records} == {Visibility.CUSTOMER}
    assert not any(INTERNAL_MARK in (getattr(r, "notes", "") or getattr(r, "body", "")
                                     or r.original_name) for r in records)
    assert detail.evidence.count() == 0


def test_staff_see_internal_records_too(cast):
    detail = complaint_detail(complaint=cast.complaint_a, actor=cast.actor(AGENT))
    assert [m.body for m in detail.messages.all()] == [f"Note {INTERNAL_MARK}",
                                                       "We are looking into it."]
    assert {i.visibility for i in detail.interactions.all()} == {"internal", "customer"}
    assert [e.original_name for e in detail.evidence.all()] == [f"{INTERNAL_MARK}.pdf"]


def test_interactions_are_in_the_order_they_happened_with_promises_by_due_time(cast):
    # given an interaction logged after an earlier one
    complaint = builders.complaint(cast.customers[CUSTOMER_A])
    agent = cast.actor(AGENT)
    later = interaction_log(actor=agent, complaint=complaint, spec=InteractionSpec(
        channel="phone", direction="inbound", started_at=clock.now() - timedelta(minutes=5),
        promises=[PromiseSpec(kind="action", due_at=clock.now() + timedelta(days=3)),
                  PromiseSpec(kind="callback", due_at=clock.now() + timedelta(hours=2))],
    ))
    earlier = interaction_log(actor=agent, complaint=complaint, spec=InteractionSpec(
        channel="chat", direction="inbound", started_at=clock.now() - timedelta(hours=5),
    ))
    # when
    detail = complaint_detail(complaint=complaint, actor=agent)
    # then
    assert list(detail.interactions.all()) == [earlier, later]
    assert [p.kind for p in detail.interactions.all()[1].promises.all()] == ["callback", "action"]


@pytest.mark.parametrize("name", [AGENT, CUSTOMER_A])
def test_the_detail_costs_the_same_queries_however_many_records_there_are(
    cast, name, django_assert_num_queries
):
    actor = cast.actor(name)
    complaint = builders.reach(builders.complaint(cast.customers[CUSTOMER_A]), State.DECIDED)
    complaint_assign(actor=SYSTEM_ACTOR, complaint=complaint, team_id=None,
                     assignee_id=cast.memberships[AGENT].pk)
    _add_records(cast, complaint, 2)
    with django_assert_num_queries(DETAIL_QUERIES):
        few = len(_read_detail(complaint_detail(complaint=complaint, actor=actor)))
    # when many more records are added
    _add_records(cast, complaint, 10)
    builders.move(complaint, Action.REJECT_DECISION)
    builders.decide(complaint)
    # then reading everything costs the same queries
    with django_assert_num_queries(DETAIL_QUERIES):
        many = len(_read_detail(complaint_detail(complaint=complaint, actor=actor)))
    assert many > few


# complaint_timeline


def test_the_timeline_is_oldest_first(cast):
    # given events written at times out of id order
    complaint = builders.complaint(cast.customers[CUSTOMER_A])
    with clock.frozen_at(clock.now() + timedelta(days=2)):
        builders.move(complaint, Action.ACKNOWLEDGE)
    with clock.frozen_at(clock.now() + timedelta(days=1)):
        message_add(actor=cast.actor(CUSTOMER_A), complaint=complaint, body="Any news?")
    # when
    events = complaint_timeline(complaint=complaint, actor=cast.actor(AGENT))
    # then
    assert [e.kind for e in events] == [EventKind.RECEIVED, EventKind.MESSAGE_ADDED,
                                        EventKind.TRANSITIONED]
    assert [e.occurred_at for e in events] == sorted(e.occurred_at for e in events)


def test_the_customers_timeline_has_no_internal_events(cast):
    # given complaint A with internal notes, interactions, evidence, and an assignment
    complaint_assign(actor=SYSTEM_ACTOR, complaint=cast.complaint_a, team_id=None,
                     assignee_id=cast.memberships[AGENT].pk)
    staff_kinds = [e.kind for e in complaint_timeline(complaint=cast.complaint_a,
                                                      actor=cast.actor(AGENT))]
    # when
    events = complaint_timeline(complaint=cast.complaint_a, actor=cast.actor(CUSTOMER_A))
    # then
    assert {e.visibility for e in events} == {Visibility.CUSTOMER}
    assert [e.kind for e in events] == [
        EventKind.RECEIVED, EventKind.MESSAGE_ADDED, EventKind.INTERACTION_LOGGED,
    ]
    assert EventKind.NOTE_ADDED in staff_kinds
    assert EventKind.ASSIGNED in staff_kinds
    assert EventKind.EVIDENCE_ADDED in staff_kinds


def test_the_timeline_costs_the_same_queries_however_many_events_there_are(
    cast, django_assert_num_queries
):
    complaint = builders.complaint(cast.customers[CUSTOMER_A])
    other = builders.complaint(cast.customers[CUSTOMER_A])
    builders.move(other, Action.WITHDRAW, reason="Filed twice")
    manager = cast.actor(MANAGER)
    for n in (1, 10):
        _add_records(cast, complaint, n)
        with django_assert_num_queries(TIMELINE_QUERIES):
            events = complaint_timeline(complaint=complaint, actor=manager)
            labels = [(e.reason.text if e.reason else "", str(e.actor_user)) for e in events]
        assert len(labels) > 4 * n


def test_amounts_in_dispute_are_listed_with_their_currency(cast):
    # given
    complaint = builders.complaint(cast.customers[CUSTOMER_A], amount_in_dispute=Decimal("12.50"),
                                   currency="EUR")
    # when
    detail = complaint_detail(complaint=complaint, actor=cast.actor(AGENT))
    # then
    assert (detail.amount_in_dispute, detail.currency) == (Decimal("12.50"), "EUR")
