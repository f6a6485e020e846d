"""Sign-in refused after too many failures, per account and per client address, with one message
that never tells whether the account exists; password-reset requests limited per address (both
tiers: the counters live in the database cache)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from plaint.testing import builders
from plaint.web.accounts import throttle

pytestmark = pytest.mark.django_db

PASSWORD = "pw-not-secret"  # the builders' password
MESSAGE = "Too many attempts. Try again in 15 minutes."


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.PLAINT_SIGNIN_FAILURES_PER_ACCOUNT = 3
    settings.PLAINT_SIGNIN_FAILURES_PER_ADDRESS = 10
    settings.PLAINT_SIGNIN_LOCKOUT_MINUTES = 15
    settings.PLAINT_PASSWORD_RESETS_PER_ADDRESS = 2


@pytest.fixture
def person():
    return builders.user(email="jana@example.test")


def _refusal_text(response) -> str:
    return re.search(r'<section class="error-summary" aria-labelledby="refused-heading".*?</section>',
                     response.content.decode(), re.S).group(0)


def _fail(client: Client, email: str, times: int):
    response = None
    for _ in range(times):
        response = client.post("/account/sign-in/", {"username": email, "password": "wrong"})
    return response


def test_the_third_wrong_password_refuses_the_account_with_429_and_retry_after(client, person):
    # given two wrong passwords, answered as usual
    assert _fail(client, person.email, 2).status_code == 200
    # when a third comes
    response = _fail(client, person.email, 1)
    # then the account is refused for the lockout: 429, Retry-After, one clear message
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    assert MESSAGE in response.content.decode()
    # and even the right password is refused meanwhile, without signing in
    again = client.post("/account/sign-in/", {"username": person.email, "password": PASSWORD})
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_refusal_reads_the_same_whether_or_not_the_account_exists(person):
    # when an existing account and an unknown address are each tried too often (from two addresses)
    known = _fail(Client(REMOTE_ADDR="192.0.2.1"), person.email, 3)
    unknown = _fail(Client(REMOTE_ADDR="192.0.2.2"), "nobody@example.test", 3)
    # then both answers are the same
    assert known.status_code == unknown.status_code == 429
    assert known["Retry-After"] == unknown["Retry-After"]
    assert _refusal_text(known) == _refusal_text(unknown)
    assert "<title>Error: Sign in" in known.content.decode()


def test_the_account_count_is_per_account_in_any_case_and_from_any_address(person):
    # given two failures from one address and one more, in capitals, from another
    _fail(Client(REMOTE_ADDR="192.0.2.1"), person.email, 2)
    response = _fail(Client(REMOTE_ADDR="192.0.2.9"), person.email.upper(), 1)
    # then the account is refused
    assert response.status_code == 429


def test_too_many_failures_from_one_address_refuse_it_for_every_account(settings, person):
    # given an address that failed for many accounts
    settings.PLAINT_SIGNIN_FAILURES_PER_ADDRESS = 4
    attacker = Client(REMOTE_ADDR="198.51.100.7")
    for n in range(4):
        attacker.post("/account/sign-in/", {"username": f"guess{n}@example.test", "password": "x"})
    # when it then tries an account it never tried
    refused = attacker.post("/account/sign-in/", {"username": person.email, "password": PASSWORD})
    # then it is refused, while the person signs in from their own address
    assert refused.status_code == 429
    mine = Client(REMOTE_ADDR="203.0.113.5")
    assert mine.post("/account/sign-in/", {"username": person.email, "password": PASSWORD}).status_code == 302


def test_a_good_sign_in_starts_the_account_count_again(client, person):
    # given two failures and then the right password
    _fail(client, person.email, 2)
    signed_in = client.post("/account/sign-in/", {"username": person.email, "password": PASSWORD})
    assert signed_in.status_code == 302
    client.post("/account/sign-out/")
    # when two more failures come
    response = _fail(client, person.email, 2)
    # then the account is not refused (the count started again)
    assert response.status_code == 200


def test_an_empty_form_counts_for_nothing(client, person):
    for _ in range(5):
        assert client.post("/account/sign-in/", {}).status_code == 200


def test_the_refusal_ends_after_the_lockout(client, person, monkeypatch):
    # given a refused account
    _fail(client, person.email, 3)
    # when the lockout has passed
    later = throttle.time.time() + 15 * 60 + 1
    monkeypatch.setattr(throttle.time, "time", lambda: later)
    # then the right password signs in
    signed_in = client.post("/account/sign-in/", {"username": person.email, "password": PASSWORD})
    assert signed_in.status_code == 302


def test_password_reset_requests_are_limited_per_address(client, person):
    # given two requests from one address (each sends the mail)
    for _ in range(2):
        assert client.post("/account/password/reset/", {"email": person.email}).status_code == 302
    assert len(mail.outbox) == 2
    # when a third comes
    response = client.post("/account/password/reset/", {"email": person.email})
    # then it is refused with the message, and no mail goes
    assert response.status_code == 429
    assert "Too many attempts. Try again in 60 minutes." in response.content.decode()
    assert response["Retry-After"]
    assert len(mail.outbox) == 2
    # and another address may still ask
    assert Client(REMOTE_ADDR="192.0.2.44").post("/account/password/reset/",
                                                 {"email": person.email}).status_code == 302
