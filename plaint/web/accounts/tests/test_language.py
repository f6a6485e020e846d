"""The language: a signed-in person's profile beats the cookie and the browser; the switcher in
the header saves their choice into the profile; visitors keep the cookie, then the browser (both
tiers)."""

from __future__ import annotations

import pytest
from django.conf import settings

from plaint.testing import builders

pytestmark = pytest.mark.django_db


def _language(response) -> str:
    html = response.content.decode()
    assert f'<html lang="{response.headers["Content-Language"]}">' in html
    return response.headers["Content-Language"]


def test_a_visitor_gets_the_browser_s_language_then_the_cookie_s(client):
    assert _language(client.get("/", HTTP_ACCEPT_LANGUAGE="pl")) == "pl"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ro"
    assert _language(client.get("/", HTTP_ACCEPT_LANGUAGE="pl")) == "ro"


def test_the_profile_s_language_beats_the_browser_and_the_cookie(client):
    person = builders.user(preferred_language="pt-br")
    client.force_login(person)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ro"
    assert _language(client.get("/", HTTP_ACCEPT_LANGUAGE="cs")) == "pt-br"


def test_an_unknown_profile_language_leaves_django_s_choice(client):
    person = builders.user(preferred_language="xx")
    client.force_login(person)
    assert _language(client.get("/", HTTP_ACCEPT_LANGUAGE="cs")) == "cs"


def test_the_switcher_saves_a_signed_in_person_s_choice_into_the_profile(client):
    person = builders.user(preferred_language="en")
    client.force_login(person)
    response = client.post("/i18n/setlang/", {"language": "pl", "next": "/rights/"})
    assert (response.status_code, response["Location"]) == (302, "/rights/")
    person.refresh_from_db()
    assert person.preferred_language == "pl"
    assert _language(client.get("/rights/", HTTP_ACCEPT_LANGUAGE="en")) == "pl"


def test_the_switcher_still_works_for_visitors_and_ignores_unknown_languages(client):
    person = builders.user(preferred_language="en")
    response = client.post("/i18n/setlang/", {"language": "cs", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cs"
    assert _language(client.get("/")) == "cs"
    # a signed-in person choosing a language Plaint does not have changes nothing
    client.force_login(person)
    client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    person.refresh_from_db()
    assert person.preferred_language == "en"


def test_the_switcher_does_not_follow_a_next_to_another_host(client):
    response = client.post("/i18n/setlang/", {"language": "cs", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert "evil" not in response["Location"]


def test_the_api_keeps_the_language_its_client_asks_for(client):
    # given a signed-in person whose profile is in Polish
    client.force_login(builders.user(preferred_language="pl"))
    # when a program calls the API in their session asking for Czech, then Czech it is
    response = client.get("/api/v1/openapi.json", HTTP_ACCEPT_LANGUAGE="cs")
    assert response.headers["Content-Language"] == "cs"
    # while the pages follow the profile
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="cs").headers["Content-Language"] == "pl"
