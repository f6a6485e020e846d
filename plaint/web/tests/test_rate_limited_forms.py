"""Rate limits of the public forms (both database tiers): past the limit, a POST of the complaint
form or the follow form gets a 429 page in the visitor's language with Retry-After, and nothing
is saved; the counter is the client address's, shared by every client from that address."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client

from plaint.core import clock
from plaint.testing.database import all_rows
from plaint.web.customer.access import FOLLOWED_SESSION_KEY
from plaint.web.tests.test_complaint_form import VALID, provider  # noqa: F401 - a fixture

START = datetime(2026, 12, 1, 10, 0, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.PLAINT_RATE_LIMITS = {**settings.PLAINT_RATE_LIMITS,
                                   "complaint_form": (2, 600), "follow_form": (2, 600)}
    clock.set_now(START)
    yield
    clock.set_now(None)


@pytest.mark.django_db
def test_the_complaint_form_past_its_limit_answers_429_in_czech_and_saves_nothing(provider):  # noqa: F811
    # given two visitors from one address who filed two complaints within ten minutes
    first, second = Client(), Client(headers={"Accept-Language": "cs"})
    url = f"/providers/{provider.slug}/complain/"
    assert first.post(url, VALID).status_code == 302
    assert second.post(url, {**VALID, "email": "petr@example.test"}).status_code == 302
    before = all_rows()
    # when the second (a Czech browser) sends a third
    response = second.post(url, {**VALID, "email": "eva@example.test"})
    # then it gets the 429 page in Czech, told when to retry, and nothing is saved
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    html = response.content.decode()
    assert '<html lang="cs"' in html
    assert 'href="/providers/' in html
    assert all_rows() == before
    # and the form itself still shows
    assert second.get(url).status_code == 200


@pytest.mark.django_db
def test_another_address_is_counted_apart(provider):  # noqa: F811
    url = f"/providers/{provider.slug}/complain/"
    here, there = Client(), Client(REMOTE_ADDR="198.51.100.30")
    assert [here.post(url, VALID).status_code for _ in range(3)] == [302, 302, 429]
    assert there.post(url, {**VALID, "email": "x@example.test"}).status_code == 302


def test_following_past_the_limit_answers_429_and_grants_nothing(cast):
    # given a visitor who guessed twice
    client = Client()
    for contact in ("a@example.test", "b@example.test"):
        assert client.post("/my/follow/", {"reference": cast.complaint_a.reference,
                                           "contact": contact}).status_code == 200
    # when they try again, this time with the right address
    response = client.post("/my/follow/", {"reference": cast.complaint_a.reference,
                                           "contact": cast.complaint_a.customer.email})
    # then they are told to wait, and the session is granted nothing
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 600
    assert FOLLOWED_SESSION_KEY not in client.session
