"""Rate limits of the API's intake: per token, per client address for a signed-in browser,
answered 429 ``rate_limited`` with Retry-After before anything is written; a token the operator
exempted is never counted."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from plaint.api.tests.api_requests import ROOT
from plaint.api.tests.permission_cases import a_complaint_by_letter, new_complaint
from plaint.complaints.models import Complaint
from plaint.core import clock
from plaint.parties.services import api_token_create
from plaint.testing.actors import AGENT, CUSTOMER_A, CUSTOMER_B, Cast
from plaint.testing.database import all_rows

START = datetime(2026, 12, 1, 10, 0, 10, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.PLAINT_RATE_LIMITS = {**settings.PLAINT_RATE_LIMITS,
                                   "api_intake_token": (2, 60), "api_intake_address": (2, 60)}
    clock.set_now(START)
    yield
    clock.set_now(None)


def file(client: Client, cast: Cast) -> object:
    return client.post(f"{ROOT}/complaints", json.dumps(new_complaint({"organisation_id": cast.org1.pk})),
                       content_type="application/json")


def bearer(secret: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {secret}"})


def test_a_token_over_its_limit_gets_429_with_retry_after_and_nothing_is_written(cast):
    # given a token that took in two complaints this minute
    _token, secret = api_token_create(organisation=cast.org1, name="CRM")
    client = bearer(secret)
    assert [file(client, cast).status_code for _ in range(2)] == [201, 201]
    before = all_rows()
    # when it sends a third
    response = file(client, cast)
    # then it is refused until the minute ends, in the one error shape, and nothing is written
    assert response.status_code == 429
    assert response["Retry-After"] == "50"
    assert response.json()["code"] == "rate_limited"
    assert set(response.json()) == {"code", "message", "fields"}
    assert all_rows() == before
    # and in the next minute it may send again
    clock.advance(timedelta(seconds=50))
    assert file(client, cast).status_code == 201


def test_the_counter_of_a_token_is_shared_by_every_client_that_holds_it(cast):
    # given one token used by two clients (two web processes would read the same store)
    _token, secret = api_token_create(organisation=cast.org1, name="CRM")
    first, second = bearer(secret), bearer(secret)
    # when each sends complaints in turn
    statuses = [file(first, cast).status_code, file(second, cast).status_code,
                file(first, cast).status_code, file(second, cast).status_code]
    # then together they have the one token's limit
    assert statuses == [201, 201, 429, 429]


def test_each_token_has_its_own_limit_and_reads_are_not_counted(cast):
    _one, one = api_token_create(organisation=cast.org1, name="CRM")
    _two, two = api_token_create(organisation=cast.org1, name="Shop")
    for _ in range(5):
        assert bearer(one).get(f"{ROOT}/complaints").status_code == 200
    assert [file(bearer(one), cast).status_code for _ in range(3)] == [201, 201, 429]
    assert file(bearer(two), cast).status_code == 201


def test_a_token_the_operator_exempted_is_never_limited(cast):
    _token, secret = api_token_create(organisation=cast.org1, name="Benchmark", rate_limit_exempt=True)
    client = bearer(secret)
    assert {file(client, cast).status_code for _ in range(5)} == {201}


def test_signed_in_browsers_are_counted_per_address_across_clients(cast):
    # given customer A and customer B signed in from the same address (two test clients)
    customer_a, customer_b = cast.client(CUSTOMER_A), cast.client(CUSTOMER_B)
    # when they file in turn
    statuses = [file(customer_a, cast).status_code, file(customer_b, cast).status_code,
                file(customer_a, cast).status_code]
    # then the address's limit is shared, and the refusal writes nothing
    assert statuses == [201, 201, 429]
    assert Complaint.objects.filter(subject="No internet").count() == 2
    # and staff from another address are counted apart
    other = cast.client(AGENT)
    other.defaults["REMOTE_ADDR"] = "198.51.100.20"
    assert file(other, cast).status_code == 201


def test_letters_are_counted_with_complaints(cast):
    _token, secret = api_token_create(organisation=cast.org1, name="Scanner")
    client = bearer(secret)
    assert [file(client, cast).status_code for _ in range(2)] == [201, 201]
    response = client.post(f"{ROOT}/letters", a_complaint_by_letter({"organisation_id": cast.org1.pk}))
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
