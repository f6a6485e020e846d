"""Sessions: cookies HTTP-only and SameSite, secure in production, a new key at sign-in, the
old key useless after sign-out, and ended after idleness (both tiers)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from plaint.settings.tests.test_production import _load, sample_environment
from plaint.testing import builders
from plaint.web.accounts import middleware

pytestmark = pytest.mark.django_db

PASSWORD = "pw-not-secret"  # the builders' password


@pytest.fixture
def person():
    return builders.user(email="jana@example.test")


def test_the_session_cookie_is_http_only_and_same_site_lax(client, person):
    response = client.post("/account/sign-in/", {"username": person.email, "password": PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    csrf = client.get("/account/sign-in/").cookies.get(settings.CSRF_COOKIE_NAME)
    if csrf is not None:
        assert csrf["httponly"] is True


def test_production_cookies_are_secure(monkeypatch, tmp_path):
    # given the production settings read with the environment an operator sets
    production = _load(monkeypatch, sample_environment(tmp_path))
    # then every cookie of a session is secure, HTTP-only and SameSite
    assert production.SESSION_COOKIE_SECURE is True
    assert production.CSRF_COOKIE_SECURE is True
    assert production.SESSION_COOKIE_HTTPONLY is True
    assert production.SESSION_COOKIE_SAMESITE == "Lax"
    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_signing_in_gives_a_new_session_key(client, person):
    # given a visitor's session (the language cookie, a message, anything that saved it)
    client.get("/account/sign-in/")
    session = client.session
    session["visited"] = True
    session.save()
    before = session.session_key
    # when they sign in
    client.post("/account/sign-in/", {"username": person.email, "password": PASSWORD})
    # then the session has a new key (a key planted before cannot be used after)
    assert client.session.session_key != before
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before


def test_the_old_session_key_does_not_work_after_signing_out(client, person):
    # given a signed-in session and a copy of its cookie
    client.post("/account/sign-in/", {"username": person.email, "password": PASSWORD})
    stolen = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get("/account/").status_code == 200
    # when the person signs out
    client.post("/account/sign-out/")
    # then the copied cookie opens nothing
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = stolen
    assert thief.get("/account/").status_code == 302


def test_an_idle_session_is_ended(client, person, settings, monkeypatch):
    # given a signed-in person
    settings.PLAINT_SESSION_IDLE_MINUTES = 30
    client.post("/account/sign-in/", {"username": person.email, "password": PASSWORD})
    assert client.get("/account/").status_code == 200
    # when 31 minutes pass without a request
    later = middleware.time.time() + 31 * 60
    monkeypatch.setattr(middleware.time, "time", lambda: later)
    # then the next page asks them to sign in
    response = client.get("/account/")
    assert response.status_code == 302
    assert response.url.startswith("/account/sign-in/")


def test_a_busy_session_stays(client, person, settings, monkeypatch):
    settings.PLAINT_SESSION_IDLE_MINUTES = 30
    client.post("/account/sign-in/", {"username": person.email, "password": PASSWORD})
    start = middleware.time.time()
    for minutes in (20, 40, 60):  # a request every 20 minutes
        monkeypatch.setattr(middleware.time, "time", lambda m=minutes: start + m * 60)
        assert client.get("/account/").status_code == 200
