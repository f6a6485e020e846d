"""Deadlines through the API: each complaint's clocks explained in the reader's language, and the
list filtered by overdue and due-within, and sorted by the nearest deadline a page at a time."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from plaint.api.tests.api_requests import ROOT
from plaint.clocks.sweep import clocks_sweep
from plaint.complaints.actors import SYSTEM_ACTOR
from plaint.complaints.lifecycle import Action
from plaint.complaints.services.transitions import complaint_transition
from plaint.core import clock
from plaint.deadlines.explanations import RULE_TITLES
from plaint.testing import builders
from plaint.testing.actors import AGENT, CUSTOMER_A, Cast

PRAGUE = ZoneInfo("Europe/Prague")
MONDAY = datetime(2026, 3, 2, 10, tzinfo=PRAGUE)


def test_staff_read_every_clock_and_the_customer_the_laws_with_their_explanations(cast: Cast):
    # given customer A's complaint at a Czech internet provider
    reference = cast.complaint_a.reference
    # when staff and the customer read it, the customer in Czech
    staff = cast.client(AGENT).get(f"{ROOT}/complaints/{reference}").json()
    mine = cast.client(CUSTOMER_A).get(f"{ROOT}/complaints/{reference}",
                                       headers={"Accept-Language": "cs"}).json()
    # then staff see the law's clock and the ISO 10002 acknowledgement, running, with a due time
    by_rule = {c["rule"]: c for c in staff["clocks"]}
    assert set(by_rule) == {"CZ.telecom.handle", "ISO10002.acknowledge"}
    law = by_rule["CZ.telecom.handle"]
    assert (law["state"], law["kind"], law["party"]) == ("running", "statutory", "provider")
    assert law["source"] == {"law": "Act 127/2005 Sb. (Electronic Communications)", "article": "§ 129",
                             "confidence": "V"}
    assert law["title"] in law["explanation"]
    assert "§ 129" in law["explanation"]
    assert law["due_at"] is not None
    assert law["untimely"] is False
    # and the ISO 10002 baseline explains itself too (a rule file's, not the organisation's)
    with translation.override("en"):
        assert by_rule["ISO10002.acknowledge"]["title"] == str(RULE_TITLES["ISO10002.acknowledge"])
    # and the customer sees the law's clock only, explained in Czech
    assert [c["rule"] for c in mine["clocks"]] == ["CZ.telecom.handle"]
    with translation.override("cs"):
        czech_title = str(RULE_TITLES["CZ.telecom.handle"])
    assert czech_title != law["title"]
    assert mine["clocks"][0]["title"] == czech_title
    assert mine["clocks"][0]["explanation"].startswith(czech_title)


def _file(cast: Cast, subject: str, at: datetime):  # type: ignore[no-untyped-def]
    with clock.frozen_at(at):
        return builders.complaint(cast.customers[CUSTOMER_A], subject=subject)


def _subjects(client, **params: object) -> list[str]:  # type: ignore[no-untyped-def]
    """Every page of the list, followed through its cursors."""
    subjects, cursor = [], None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        page = client.get(f"{ROOT}/complaints", query)
        assert page.status_code == 200, page.content[:300]
        body = page.json()
        subjects += [c["subject"] for c in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            return subjects


@pytest.fixture
def week(cast: Cast) -> list[str]:
    """Complaints received Monday to Thursday (each to be acknowledged by 17:00 the next
    business day) and two withdrawn ones with no deadline left."""
    for n, day in enumerate(["Mon", "Tue", "Wed", "Thu"]):
        _file(cast, day, MONDAY + timedelta(days=n))
    for name in ("Gone 1", "Gone 2"):
        gone = _file(cast, name, MONDAY)
        with clock.frozen_at(MONDAY):
            complaint_transition(actor=SYSTEM_ACTOR, complaint=gone, action=Action.WITHDRAW, reason="Sorted")
    return ["Mon", "Tue", "Wed", "Thu"]


THURSDAY_11 = MONDAY + timedelta(days=3, hours=1)


def test_the_list_is_filtered_by_overdue_and_due_within(cast: Cast, week: list[str]):
    client = cast.client(AGENT)
    with clock.frozen_at(THURSDAY_11):
        # Monday's and Tuesday's acknowledgements are late; Wednesday's is due at 17:00 today
        assert set(_subjects(client, overdue=True)) == {"Mon", "Tue"}
        assert set(_subjects(client, due_within_hours=6)) == {"Wed"}
        assert set(_subjects(client, due_within_hours=31)) == {"Wed", "Thu"}
        assert {"Mon", "Tue"}.isdisjoint(_subjects(client, overdue=False))
        # and once the sweep has acted on them, they stay overdue (their answer is still owed)
        clocks_sweep(now=THURSDAY_11)
        assert set(_subjects(client, overdue=True)) == {"Mon", "Tue"}


def test_the_list_sorted_by_deadline_pages_through_every_complaint_once(cast: Cast, week: list[str]):
    client = cast.client(AGENT)
    with clock.frozen_at(THURSDAY_11):
        everything = _subjects(client, limit=200)
        by_due = _subjects(client, sort="due", limit=2)
    # every complaint once, the nearest deadline first, those with none last (oldest first)
    assert sorted(by_due) == sorted(everything)
    assert by_due[:4] == week
    assert by_due[-2:] == ["Gone 1", "Gone 2"]


def test_a_bad_deadline_cursor_is_refused_with_the_field(cast: Cast):
    not_a_date = "ZHVlOm5vdC1hLWRhdGU6MQ"  # "due:not-a-date:1"
    response = cast.client(AGENT).get(f"{ROOT}/complaints", {"sort": "due", "cursor": not_a_date})
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"cursor"}


def test_the_list_by_deadline_takes_a_constant_number_of_queries(cast: Cast, week: list[str],
                                                                django_assert_max_num_queries):
    client = cast.client(AGENT)
    with clock.frozen_at(THURSDAY_11), django_assert_max_num_queries(5):
        assert client.get(f"{ROOT}/complaints", {"sort": "due", "overdue": True}).status_code == 200
