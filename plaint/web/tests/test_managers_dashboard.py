"""The managers' dashboard: each figure on a crafted dataset built through the services, and a
number of queries that does not grow with the data. Runs on SQLite and PostgreSQL (the median
is computed differently on each)."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plaint.clocks.sweep import clocks_sweep
from plaint.complaints.actors import customer_actor, staff_actor
from plaint.complaints.lifecycle import Action
from plaint.complaints.services.assignment import complaint_assign
from plaint.complaints.services.cancellations import cancellation_execute, cancellation_request
from plaint.core import clock
from plaint.feedback.selectors import feedback_summary
from plaint.feedback.services import feedback_card_add, handling_rate
from plaint.parties.actors import Principal
from plaint.parties.choices import Role, Sector, TeamKind
from plaint.testing import builders
from plaint.web.managers.dashboard import DASHBOARD_QUERIES, dashboard, week_start

pytestmark = pytest.mark.django_db

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
# Wednesday 25 November 2026, noon in Warsaw: the week began on Monday the 23rd.
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=WARSAW)


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=WARSAW)


def _file(customer, when: datetime, **draft):  # type: ignore[no-untyped-def]
    with clock.frozen_at(when):
        return builders.complaint(customer, **draft)


def _acknowledge(complaint, actor, when: datetime) -> None:  # type: ignore[no-untyped-def]
    with clock.frozen_at(when):
        builders.move(complaint, Action.ACKNOWLEDGE, actor=actor)


def build_world(extra_open: int = 0) -> dict:  # noqa: PLR0915 - one story, told in order
    """A Polish retailer (14-day statutory reply, deemed accepted when missed; the ISO 10002
    one-business-day acknowledgement) with complaints A to F, two cancellations and the sweep run
    at NOW. ``extra_open`` adds more open complaints, for the query count."""
    org = builders.organisation(
        country="PL", sector=Sector.RETAIL, time_zone="Europe/Warsaw", languages=["pl"], default_language="pl"
    )
    billing = builders.team(org, TeamKind.BILLING, "Billing")
    technical = builders.team(org, TeamKind.TECHNICAL, "Technical")
    agent = staff_actor(Principal(user=builders.staff(org, Role.AGENT).user), org.pk)
    manager = staff_actor(Principal(user=builders.staff(org, Role.MANAGER).user), org.pk)
    customer = builders.customer(org)
    # A: 5 October, acknowledged an hour later, never answered: the law deems it accepted.
    a = _file(customer, at(5, 10, month=10), subject="A")
    _acknowledge(a, agent, at(5, 11, month=10))
    # B: Friday 13 November, acknowledged after 3 hours, escalated to level 3; its reply is due on
    # the 27th and its warning (at 75 %) has come: at risk.
    b = _file(customer, at(13, 10), subject="B")
    _acknowledge(b, agent, at(13, 13))
    with clock.frozen_at(at(14, 9)):
        builders.escalate_to(b, 3, actor=manager)
    # F: Sunday 22 November 23:30, before the week began; never acknowledged (ISO missed).
    f = _file(customer, at(22, 23, 30), subject="F")
    # D: Monday 08:00, never acknowledged: the ISO acknowledgement ran out on Tuesday at 17:00.
    d = _file(customer, at(23, 8), subject="D")
    # C: Tuesday, acknowledged after 5 hours; nothing at risk.
    c = _file(customer, at(24, 9), subject="C")
    _acknowledge(c, agent, at(24, 14))
    # E: received this morning and withdrawn by the customer: not open.
    e = _file(customer, at(25, 11), subject="E")
    with clock.frozen_at(at(25, 11, 30)):
        builders.move(
            e,
            Action.WITHDRAW,
            actor=customer_actor(Principal(user=customer.user), org.pk),
            reason="Sorted out",
        )
    for _ in range(extra_open):
        _file(customer, at(24, 10), subject="more")
        with clock.frozen_at(at(24, 10)):
            feedback_card_add(organisation=org, kind="suggestion", text="More", language="pl")
    with clock.frozen_at(at(20, 9)):
        for complaint, team in ((a, billing), (d, billing), (b, technical)):
            complaint_assign(actor=manager, complaint=complaint, team_id=team.pk, assignee_id=None)
    customer_as_actor = customer_actor(Principal(user=customer.user), org.pk)
    with clock.frozen_at(at(2, 9)):
        executed = cancellation_request(actor=customer_as_actor, customer=customer, service_name="TV")
    with clock.frozen_at(at(3, 9)):
        waiting = cancellation_request(actor=customer_as_actor, customer=customer, service_name="Internet")
        cancellation_execute(actor=manager, cancellation=executed)
    with clock.frozen_at(NOW):
        clocks_sweep(now=NOW)
    return {"org": org, "a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "waiting": waiting}


def test_the_week_begins_on_monday_at_midnight_in_the_organisations_time_zone():
    # given Sunday 23:30 in Warsaw, which is already Monday nowhere west of it
    sunday = datetime(2026, 11, 22, 23, 30, tzinfo=WARSAW)
    # then its week began on Monday the 16th, and Monday 00:00 starts the next one
    assert week_start(sunday, "Europe/Warsaw") == datetime(2026, 11, 16, tzinfo=WARSAW)
    assert week_start(NOW, "Europe/Warsaw") == datetime(2026, 11, 23, tzinfo=WARSAW)


def test_the_dashboard_counts_each_figure_as_defined():
    # given the crafted organisation
    world = build_world()
    # when the dashboard is read at NOW
    with clock.frozen_at(NOW):
        figures = dashboard(world["org"])
    # then open complaints are A, B, C, D and F (E was withdrawn)
    assert figures.open == 5
    # received this week: C, D and E (F came on Sunday night)
    assert figures.received_this_week == 3
    # the median first response is between B's 3 hours and C's 5 hours (A is older than 30 days;
    # D and F were never answered by staff; E's only step was the customer's)
    assert figures.median_first_response == timedelta(hours=4)
    assert figures.responded == 2
    # missed and at-risk deadlines by team: A's statutory reply and D's ISO acknowledgement in
    # Billing, B's reply at risk in Technical, F's ISO acknowledgement without a team
    by_team = {
        row.team: (row.breached, row.breached_statutory, row.at_risk) for row in figures.clocks_by_team
    }
    assert by_team == {"Billing": (2, 1, 0), "Technical": (0, 0, 1), "": (1, 0, 0)}
    # escalations: D and F by the sweep, B by its manager (to 2, then 3)
    levels = {row.level: (row.open, row.escalated_recently) for row in figures.levels}
    assert levels == {1: (2, 0), 2: (2, 3), 3: (1, 1), 4: (0, 0)}
    # the oldest open complaints, oldest first
    assert [c.subject for c in figures.oldest_open] == ["A", "B", "F", "D", "C"]
    # A was deemed accepted under the Polish reply rule
    assert figures.deemed_accepted == 1
    assert [(r["complaint__reference"], r["deemed_by_rule"]) for r in figures.deemed_recent] == [
        (world["a"].reference, "PL.consumer.reply")
    ]
    # one cancellation waits (the other was executed)
    assert figures.cancellations_waiting == 1
    assert [c.pk for c in figures.oldest_cancellations] == [world["waiting"].pk]


def test_the_dashboard_makes_the_same_few_queries_whatever_the_data():
    # given the crafted organisation, and another with ten more open complaints
    small, large = build_world()["org"], build_world(extra_open=10)["org"]
    counts = []
    for org in (small, large):
        # when the dashboard is read
        with clock.frozen_at(NOW), CaptureQueriesContext(connection) as queries:
            dashboard(org)
        counts.append(len(queries))
    # then both cost the same number of queries, within the documented bound
    assert counts[0] == counts[1] <= DASHBOARD_QUERIES


def test_the_dashboard_page_shows_the_figures_with_links_or_plain_references(cast):
    # given organisation 1 of the cast, with its two open complaints
    client = cast.client("manager")
    # when its manager opens the dashboard
    response = client.get(f"/manage/{cast.org1.slug}/")
    # then the page lists the oldest open complaints and the headline figures as tables
    html = response.content.decode()
    assert response.status_code == 200
    assert cast.complaint_a.reference in html
    assert cast.complaint_b.reference in html
    assert "<caption>" in html
    assert cast.complaint_other_org.reference not in html


def _withdrawn_and_rated(customer, when: datetime, *, resolved: bool, satisfaction: int, effort: int):  # type: ignore[no-untyped-def]  # noqa: E501
    complaint = _file(customer, when - timedelta(days=1), subject="rated")
    actor = customer_actor(Principal(user=customer.user), customer.organisation_id)
    with clock.frozen_at(when):
        builders.move(complaint, Action.WITHDRAW, actor=actor, reason="Sorted out")
        return handling_rate(
            actor=actor, complaint=complaint, resolved=resolved, satisfaction=satisfaction, effort=effort
        )


def test_the_dashboard_counts_what_customers_told_us_in_the_last_thirty_days_apart_from_complaints():
    # given a provider with feedback cards and handling ratings, some older than 30 days, and
    # another provider with its own
    org, other = builders.organisation(), builders.organisation()
    customer, stranger = builders.customer(org), builders.customer(other)
    for when, kind in (
        (at(20, 9), "compliment"),
        (at(24, 9), "compliment"),
        (at(25, 9), "suggestion"),
        (at(20, 9, month=10), "compliment"),  # 36 days before NOW: not counted
    ):
        with clock.frozen_at(when):
            feedback_card_add(organisation=org, kind=kind, text="Thanks", language="cs")
    with clock.frozen_at(at(24, 9)):
        feedback_card_add(organisation=other, kind="compliment", text="Thanks", language="cs")
    _withdrawn_and_rated(customer, at(10, 9), resolved=True, satisfaction=5, effort=1)
    _withdrawn_and_rated(customer, at(12, 9), resolved=False, satisfaction=2, effort=4)
    _withdrawn_and_rated(customer, at(24, 9), resolved=True, satisfaction=4, effort=2)
    _withdrawn_and_rated(customer, at(10, 9, month=10), resolved=False, satisfaction=1, effort=5)  # too old
    _withdrawn_and_rated(stranger, at(24, 9), resolved=False, satisfaction=1, effort=5)  # another provider
    # when the dashboard is read at NOW
    with clock.frozen_at(NOW):
        feedback = dashboard(org).feedback
    # then two compliments and one suggestion, and three ratings: two of three resolved,
    # satisfaction 11 / 3 and effort 7 / 3, to one decimal
    assert (feedback.compliments, feedback.suggestions, feedback.ratings) == (2, 1, 3)
    assert feedback.resolved_percent == Decimal("66.7")
    assert (feedback.satisfaction, feedback.effort) == (Decimal("3.7"), Decimal("2.3"))
    # and the cards are not complaints: the complaint figures count only the rated ones
    with clock.frozen_at(NOW):
        assert dashboard(org).open == 0


def test_without_any_rating_the_averages_are_not_given():
    org = builders.organisation()
    with clock.frozen_at(NOW):
        feedback = feedback_summary(org, NOW - timedelta(days=30))
    assert (feedback.compliments, feedback.suggestions, feedback.ratings) == (0, 0, 0)
    assert (feedback.resolved_percent, feedback.satisfaction, feedback.effort) == (None, None, None)


def test_the_dashboard_page_shows_what_customers_told_us_in_the_pages_language(cast):
    # given a compliment and a rating of organisation 1, read by its Czech manager
    _withdrawn_and_rated(cast.customers["customer_a"], clock.now(), resolved=True, satisfaction=4, effort=2)
    _withdrawn_and_rated(cast.customers["customer_b"], clock.now(), resolved=False, satisfaction=3, effort=2)
    manager = cast.users["manager"]
    manager.preferred_language = "cs"
    manager.save(update_fields=["preferred_language"])
    # when they open the dashboard
    html = cast.client("manager").get(f"/manage/{cast.org1.slug}/").content.decode()
    # then the figures are there, with the Czech decimal comma
    assert 'id="feedback-heading"' in html
    assert "<td class=\"num\">3,5</td>" in html  # satisfaction (4 + 3) / 2
    assert "<td class=\"num\">50</td>" in html  # resolved, in per cent
