"""The account page (both tiers): the person's details and language, and for staff their e-mail
notifications."""

from __future__ import annotations

import pytest
from django.conf import settings

from plaint.parties.choices import Role
from plaint.parties.selectors import notification_preferences_of
from plaint.testing import builders
from plaint.testing.auth import force_login
from plaint.web.tests.test_public_pages import _assert_csp_clean

pytestmark = pytest.mark.django_db


def test_a_visitor_is_sent_to_sign_in_and_back(client):
    response = client.get("/account/")
    assert (response.status_code, response["Location"]) == (302, "/account/sign-in/?next=/account/")


def test_a_customer_sees_their_address_and_details_and_no_notification_settings(
    client, django_assert_max_num_queries
):
    person = builders.customer(builders.organisation()).user
    force_login(client, person)
    with django_assert_max_num_queries(4):
        response = client.get("/account/")
    html = response.content.decode()
    assert response.status_code == 200
    _assert_csp_clean(html)
    assert person.email in html
    assert response.context["form"]["full_name"].value() == person.full_name
    assert "notifications" not in response.context
    assert 'action="/account/notifications/"' not in html


def test_changing_the_language_switches_the_page_at_once(client):
    person = builders.user(full_name="Jan", preferred_language="en")
    force_login(client, person)
    response = client.post("/account/", {"full_name": "Jan Novák", "preferred_language": "cs"})
    assert (response.status_code, response["Location"]) == (302, "/account/")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cs"
    person.refresh_from_db()
    assert (person.full_name, person.preferred_language) == ("Jan Novák", "cs")
    page = client.get("/account/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.headers["Content-Language"] == "cs"
    assert '<html lang="cs">' in page.content.decode()


def test_an_empty_name_or_an_unknown_language_is_refused_and_nothing_changes(client):
    person = builders.user(full_name="Jan", preferred_language="en")
    force_login(client, person)
    response = client.post("/account/", {"full_name": "  ", "preferred_language": "xx"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"full_name", "preferred_language"}
    person.refresh_from_db()
    assert (person.full_name, person.preferred_language) == ("Jan", "en")


def test_staff_switch_their_e_mail_notifications(client):
    # given an agent, who gets every notification
    agent = builders.staff(builders.organisation(), Role.AGENT).user
    force_login(client, agent)
    page = client.get("/account/")
    html = page.content.decode()
    assert 'action="/account/notifications/"' in html
    assert '<label for="id_notify_assigned">' in html
    assert html.count("checked") >= 4
    # when they leave two boxes ticked
    response = client.post("/account/notifications/", {"assigned": "on", "clock_breached": "on"})
    # then the others are off
    assert (response.status_code, response["Location"]) == (302, "/account/")
    assert notification_preferences_of(agent) == {
        "assigned": True, "customer_replied": False, "clock_at_risk": False, "clock_breached": True}


def test_a_customer_has_no_notification_settings_to_change(client):
    person = builders.customer(builders.organisation()).user
    force_login(client, person)
    assert client.post("/account/notifications/", {"assigned": "on"}).status_code == 403
    assert client.get("/account/notifications/").status_code == 405
