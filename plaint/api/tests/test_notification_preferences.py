"""A staff member reads and changes which notifications they get by e-mail."""

from __future__ import annotations

from plaint.api.tests.api_requests import ROOT
from plaint.parties.models import NotificationPreferences
from plaint.testing.actors import AGENT, CUSTOMER_A, MANAGER, TOKEN, Cast
from plaint.testing.database import row_counts

URL = f"{ROOT}/me/notification-preferences"
ALL_ON = {"assigned": True, "customer_replied": True, "clock_at_risk": True, "clock_breached": True}


def test_every_notification_is_on_until_switched_off(cast: Cast):
    before = row_counts()
    response = cast.client(AGENT).get(URL)
    assert (response.status_code, response.json()) == (200, ALL_ON)
    assert row_counts() == before


def test_a_change_keeps_what_it_does_not_name_and_is_the_members_own(cast: Cast):
    # given an agent who switches assignments off, then replies off
    agent = cast.client(AGENT)
    first = agent.put(URL, {"assigned": False}, content_type="application/json")
    second = agent.put(URL, {"customer_replied": False}, content_type="application/json")
    # then both are off, the rest on, and the manager's are untouched
    expected = {**ALL_ON, "assigned": False, "customer_replied": False}
    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json() == expected
    assert agent.get(URL).json() == expected
    assert cast.client(MANAGER).get(URL).json() == ALL_ON
    assert NotificationPreferences.objects.get(user=cast.users[AGENT]).assigned is False
    # and switching one back on works
    assert agent.put(URL, {"assigned": True}, content_type="application/json").json()["assigned"]


def test_customers_and_integrations_have_no_preferences(cast: Cast):
    for who in (CUSTOMER_A, TOKEN):
        response = cast.client(who).put(URL, {"assigned": False}, content_type="application/json")
        assert response.status_code == 403
        assert response.json()["code"] == "not_permitted"
    assert not NotificationPreferences.objects.exists()


def test_a_preference_that_is_not_a_boolean_is_refused(cast: Cast):
    response = cast.client(AGENT).put(URL, {"assigned": "maybe"}, content_type="application/json")
    assert response.status_code == 422
    assert "assigned" in response.json()["fields"]
