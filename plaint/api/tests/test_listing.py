"""The list of complaints: cursor pagination, newest first, and every filter."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from plaint.api.tests.api_requests import ROOT
from plaint.complaints.actors import SYSTEM_ACTOR
from plaint.complaints.lifecycle import Action
from plaint.complaints.models import Complaint
from plaint.complaints.services.assignment import complaint_assign
from plaint.core import clock
from plaint.parties.choices import Role, TeamKind
from plaint.testing import builders
from plaint.testing.actors import AGENT, CUSTOMER_A, CUSTOMER_B, TOKEN, Cast


def walk(client, params: dict[str, object]) -> tuple[list[str], int]:
    """Every reference the list gives by following ``next_cursor``, and the number of pages."""
    references: list[str] = []
    pages = 0
    cursor = None
    while True:
        response = client.get(f"{ROOT}/complaints", {**params, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.content[:300]
        page = response.json()
        pages += 1
        references += [c["reference"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return references, pages
        assert pages < 10, "the cursor does not move on"


def test_following_the_cursor_gives_every_complaint_once_newest_first(cast):
    # given 120 more complaints in organisation 1, customer A's and customer B's in turn
    for n in range(120):
        builders.complaint(cast.customers[CUSTOMER_A if n % 2 else CUSTOMER_B], subject=f"No {n}")
    expected = list(Complaint.objects.filter(organisation=cast.org1).order_by("-created_at", "-id")
                    .values_list("reference", flat=True))
    # when the integration follows next_cursor 50 at a time
    references, pages = walk(cast.client(TOKEN), {"limit": 50})
    # then it saw each of the 122 once, newest first, in three pages
    assert len(expected) == 122
    assert references == expected
    assert pages == 3


def test_following_the_cursor_as_a_customer_gives_only_their_own(cast):
    # given 30 more complaints of customer A and 30 of customer B
    for n in range(60):
        builders.complaint(cast.customers[CUSTOMER_A if n % 2 else CUSTOMER_B], subject=f"No {n}")
    expected = list(cast.customers[CUSTOMER_A].complaints.order_by("-id")
                    .values_list("reference", flat=True))
    # when customer A follows the cursor 7 at a time
    references, pages = walk(cast.client(CUSTOMER_A), {"limit": 7})
    # then they saw their 31, once each, newest first
    assert references == expected
    assert len(references) == 31
    assert pages == 5


def test_a_filtered_list_is_paged_within_the_filter(cast):
    # given 25 withdrawn complaints among 25 received ones
    for n in range(50):
        complaint = builders.complaint(cast.customers[CUSTOMER_A], subject=f"No {n}")
        if n % 2:
            builders.move(complaint, Action.WITHDRAW)
    expected = list(Complaint.objects.filter(state="withdrawn").order_by("-id")
                    .values_list("reference", flat=True))
    # when the withdrawn ones are paged 10 at a time
    references, pages = walk(cast.client(AGENT), {"state": "withdrawn", "limit": 10})
    # then all 25 and only they come, in three pages
    assert references == expected
    assert len(references) == 25
    assert pages == 3


def moment(day: int) -> datetime:
    return datetime(2025, 1, day, 10, 0, tzinfo=UTC)


@pytest.fixture
def varied(cast: Cast) -> dict[str, object]:
    """Beside the cast's complaints A and B (web, no category, level 1, received, filed now):
    c1 by phone about billing, c2 by e-mail, formal and acknowledged, c3 on the web about
    billing, withdrawn; filed on 1, 2 and 3 January 2025; c1 and c2 routed to teams."""
    billing = builders.team(cast.org1, TeamKind.BILLING, name="Billing desk")
    technical = builders.team(cast.org1, TeamKind.TECHNICAL, name="Network")
    handler = builders.staff(cast.org1, Role.AGENT, team=billing)
    customer = cast.customers[CUSTOMER_A]
    with clock.frozen_at(moment(1)):
        c1 = builders.complaint(customer, channel="phone", category="billing",
                                subject="Router broken", description="It blinks red.")
        complaint_assign(actor=SYSTEM_ACTOR, complaint=c1, team_id=billing.pk, assignee_id=handler.pk)
    with clock.frozen_at(moment(2)):
        c2 = builders.complaint(customer, channel="email", category="technical", level=3,
                                subject="Slow line", description="Half the speed paid for.")
        builders.move(c2, Action.ACKNOWLEDGE)
        complaint_assign(actor=SYSTEM_ACTOR, complaint=c2, team_id=technical.pk, assignee_id=None)
    with clock.frozen_at(moment(3)):
        c3 = builders.complaint(customer, channel="web", category="billing",
                                subject="Late fee", description="Charged during the outage.")
        builders.move(c3, Action.WITHDRAW)
    return {"complaints": {"a": cast.complaint_a, "b": cast.complaint_b, "c1": c1, "c2": c2, "c3": c3},
            "@billing": billing.pk, "@technical": technical.pk, "@handler": handler.pk,
            "@org2": cast.org2.pk, "@c2": c2.reference.lower()}


FILTERS = [
    ({"state": "received"}, {"a", "b", "c1"}),
    ({"state": ["received", "withdrawn"]}, {"a", "b", "c1", "c3"}),
    ({"level": 3}, {"c2"}),
    ({"level": 1}, {"a", "b", "c1", "c3"}),
    ({"team_id": "@billing"}, {"c1"}),
    ({"team_id": "@technical"}, {"c2"}),
    ({"assignee_id": "@handler"}, {"c1"}),
    ({"category": "billing"}, {"c1", "c3"}),
    ({"channel": "email"}, {"c2"}),
    ({"channel": "web"}, {"a", "b", "c3"}),
    ({"created_from": "2025-01-02T00:00:00Z", "created_to": "2025-01-03T00:00:00Z"}, {"c2"}),
    ({"created_from": "2025-01-02T11:00:00+01:00"}, {"a", "b", "c2", "c3"}),
    ({"created_to": "2025-01-02T10:00:00Z"}, {"c1"}),
    ({"q": "outage"}, {"c3"}),
    ({"q": "ROUTER"}, {"b", "c1"}),
    ({"q": "  slow line "}, {"c2"}),
    ({"q": "@c2"}, {"c2"}),
    ({"category": "billing", "state": "withdrawn"}, {"c3"}),
    ({"organisation_id": "@org2"}, set()),
]


@pytest.mark.parametrize(("filters", "expected"), FILTERS, ids=[str(f) for f, _ in FILTERS])
def test_each_filter_narrows_the_list_to_what_it_names(cast, varied, filters, expected):
    # given the varied complaints, and the filter with the ids (@name) it names
    names = {c.reference: name for name, c in varied["complaints"].items()}
    params = {k: varied.get(v, v) if isinstance(v, str) else v for k, v in filters.items()}
    # when an agent lists with it
    response = cast.client(AGENT).get(f"{ROOT}/complaints", {**params, "limit": 200})
    # then exactly the complaints it names come
    assert response.status_code == 200, response.content[:300]
    assert {names[c["reference"]] for c in response.json()["items"]} == expected


def test_a_customer_cannot_learn_the_routing_of_their_complaint_by_filtering(cast):
    # given customer A's complaint routed to the billing team and the agent
    agent = cast.memberships[AGENT]
    complaint_assign(actor=SYSTEM_ACTOR, complaint=cast.complaint_a, team_id=agent.team_id,
                     assignee_id=agent.pk)
    customer = cast.client(CUSTOMER_A)
    assert customer.get(f"{ROOT}/complaints").json()["items"]
    # when the customer filters by that team or that handler
    by_team = customer.get(f"{ROOT}/complaints", {"team_id": agent.team_id}).json()
    by_assignee = customer.get(f"{ROOT}/complaints", {"assignee_id": agent.pk}).json()
    # then the filters answer nothing, as for any other team or handler
    assert by_team["items"] == []
    assert by_assignee["items"] == []
    # while staff filtering the same way find it
    staff = cast.client(AGENT).get(f"{ROOT}/complaints", {"team_id": agent.team_id}).json()
    assert cast.complaint_a.reference in [i["reference"] for i in staff["items"]]


@pytest.mark.parametrize(
    ("actor", "sees"),
    [(CUSTOMER_A, {"A"}), (CUSTOMER_B, {"B"}), (AGENT, {"A", "B"}), (TOKEN, {"A", "B"})],
)
def test_the_cancellation_queue_shows_each_actor_only_what_they_may_see(cast, actor, sees):
    # given one open cancellation of customer A and one of customer B, and one executed of A
    from plaint.complaints.services.cancellations import cancellation_execute, cancellation_request

    made = {}
    for name, who in (("A", CUSTOMER_A), ("B", CUSTOMER_B)):
        made[name] = cancellation_request(actor=cast.actor(who), customer=cast.customers[who],
                                          service_name="TV package").protocol_number
    executed = cancellation_request(actor=cast.actor(CUSTOMER_A),
                                    customer=cast.customers[CUSTOMER_A], service_name="Landline")
    cancellation_execute(actor=SYSTEM_ACTOR, cancellation=executed)
    names = {v: k for k, v in made.items()}
    # when the actor lists the open ones
    page = cast.client(actor).get(f"{ROOT}/cancellations", {"state": "open"}).json()
    # then only their own (customers) or their organisation's (staff) appear, executed ones not
    assert {names[c["protocol_number"]] for c in page["items"]} == sees
    assert page["next_cursor"] is None
