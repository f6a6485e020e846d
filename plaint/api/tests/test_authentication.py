"""Who is calling, as a real client sends it: with CSRF checks on, as a browser has them.

Django's test client skips CSRF checks unless asked; these tests ask, so that an
anonymous caller or a bad token gets the 401 of the permission suite and a
signed-in browser must send its CSRF token.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from plaint.api.tests.api_requests import NOT_AUTHENTICATED, ROOT, send
from plaint.api.tests.permission_cases import CASE_IDS, CASES, received
from plaint.complaints.models import Message
from plaint.core import clock
from plaint.parties.models import ApiToken
from plaint.parties.services import api_token_create
from plaint.testing.actors import CUSTOMER_A, Cast
from plaint.testing.auth import force_login
from plaint.testing.database import all_rows

WRITES = [(c, i) for c, i in zip(CASES, CASE_IDS, strict=True) if c.method != "GET"]


def browser(cast: Cast, who: str | None = None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if who is not None:
        force_login(client, cast.users[who])
    return client


def bearer(secret: str) -> Client:
    return Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {secret}"})


@pytest.mark.parametrize("case_", [c for c, _ in WRITES], ids=[i for _, i in WRITES])
def test_an_anonymous_write_is_not_authenticated_rather_than_refused_for_csrf(cast, case_):
    # given a client that checks CSRF as a browser or an integration would, signed in as nobody
    context = case_.given(cast)
    client = browser(cast)
    before = all_rows()
    # when it writes
    response = send(client, case_, context)
    # then it is told to authenticate, and nothing changes
    assert response.status_code == 401, response.content[:300]
    assert response.json() == NOT_AUTHENTICATED
    assert all_rows() == before


def _revoked(token: ApiToken) -> None:
    token.revoked_at = clock.now()
    token.save(update_fields=["revoked_at"])


def _expired(token: ApiToken) -> None:
    token.expires_at = clock.now() - timedelta(minutes=1)
    token.save(update_fields=["expires_at"])


@pytest.mark.parametrize(("spoil", "code", "message"), [
    (_revoked, "token_revoked", "This API token has been revoked."),
    (_expired, "token_expired", "This API token has expired."),
], ids=["revoked", "expired"])
def test_a_revoked_or_expired_token_is_refused_with_a_code_that_says_why(cast, spoil, code, message):
    # given a token of organisation 1 that worked, then was revoked or expired
    token, secret = api_token_create(organisation=cast.org1, name="Old CRM")
    client = bearer(secret)
    url = f"{ROOT}/complaints/{cast.complaint_a.reference}"
    assert client.get(url).status_code == 200
    spoil(token)
    before = all_rows()
    # when it reads and writes
    read = client.get(url)
    write = client.post(f"{url}/messages", {"body": "Hello"}, content_type="application/json")
    # then both are refused as not authenticated, saying why, and nothing changes
    assert (read.status_code, write.status_code) == (401, 401)
    assert read.json() == write.json() == {"code": code, "message": message, "fields": {}}
    assert all_rows() == before


@pytest.mark.parametrize("header", ["Bearer not-a-token", "Bearer ", "Token abc", "Bearer " + "x" * 300])
def test_a_malformed_or_unknown_token_is_not_authenticated(cast, header):
    client = Client(enforce_csrf_checks=True, headers={"Authorization": header})
    url = f"{ROOT}/complaints/{cast.complaint_a.reference}/messages"
    response = client.post(url, {"body": "Hello"}, content_type="application/json")
    assert response.status_code == 401
    assert response.json() == NOT_AUTHENTICATED


def test_a_token_needs_no_csrf_token(cast):
    _token, secret = api_token_create(organisation=cast.org1, name="CRM 2")
    url = f"{ROOT}/complaints/{cast.complaint_a.reference}/messages"
    response = bearer(secret).post(url, {"body": "Hello"}, content_type="application/json")
    assert response.status_code == 201


def test_a_signed_in_browser_must_send_its_csrf_token(cast):
    # given customer A signed in, in a browser that has loaded the API docs (and so its CSRF cookie)
    client = browser(cast, CUSTOMER_A)
    assert client.get(f"{ROOT}/docs").status_code == 200
    csrf = client.cookies["csrftoken"].value
    url = f"{ROOT}/complaints/{received(cast)['reference']}/messages"
    before = all_rows()
    # when it posts a message without the token
    refused = client.post(url, {"body": "Hello"}, content_type="application/json")
    # then it is refused and nothing changes
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    assert all_rows() == before
    # and with the token it is taken
    taken = client.post(url, {"body": "Hello"}, content_type="application/json",
                        headers={"X-CSRFToken": csrf})
    assert taken.status_code == 201
    assert Message.objects.filter(complaint=cast.complaint_a, body="Hello").count() == 1
