"""Idempotent intake over HTTP: a retried request with its ``Idempotency-Key`` files nothing twice."""

from __future__ import annotations

from typing import Any

from django.test import Client

from plaint.api.tests.api_requests import ROOT
from plaint.complaints.models import Complaint, IdempotencyRecord
from plaint.parties.choices import Role
from plaint.parties.services import api_token_create
from plaint.testing.actors import AGENT, CUSTOMER_A, TOKEN, Cast
from plaint.testing.database import all_rows


def complaint_body(cast: Cast, **changes: Any) -> dict[str, Any]:
    # A customer known by name only: nothing finds them again, so a retry that kept its
    # work would leave a second customer record behind.
    return {"organisation_id": cast.org1.pk, "channel": "phone", "subject": "No internet",
            "description": "Down since Monday.", "customer": {"full_name": "Jan Novák"},
            **changes}


def file(client: Client, body: dict[str, Any], key: str | None = "order-4711"):
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(f"{ROOT}/complaints", body, content_type="application/json", headers=headers)


def test_a_retry_with_the_same_key_and_body_returns_the_first_complaint_and_keeps_nothing(cast):
    # given a complaint filed by the integration with an Idempotency-Key
    integration = cast.client(TOKEN)
    first = file(integration, complaint_body(cast))
    assert first.status_code == 201
    before = all_rows()
    # when the same request is sent again
    again = file(integration, complaint_body(cast))
    # then it answers 200 with the same complaint, and nothing was written
    assert again.status_code == 200
    assert again.json() == first.json()
    assert all_rows() == before
    assert Complaint.objects.filter(reference=first.json()["reference"]).count() == 1


def test_the_same_key_with_another_body_is_refused(cast):
    # given a complaint filed with a key
    integration = cast.client(TOKEN)
    assert file(integration, complaint_body(cast)).status_code == 201
    before = all_rows()
    # when the key comes again with a different subject
    response = file(integration, complaint_body(cast, subject="No internet again"))
    # then it is refused as a reused key, and nothing was written
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert set(response.json()) == {"code", "message", "fields"}
    assert all_rows() == before


def test_a_key_belongs_to_the_principal_that_sent_it(cast):
    # given a complaint filed by the integration's token with a key
    _token, secret = api_token_create(organisation=cast.org1, name="Second CRM", role=Role.AGENT)
    other_token = Client(headers={"Authorization": f"Bearer {secret}"})
    first = file(cast.client(TOKEN), complaint_body(cast))
    # when another token of the same organisation, an agent and a customer send the same key
    by_other_token = file(other_token, complaint_body(cast))
    by_agent = file(cast.client(AGENT), complaint_body(cast, subject="Another matter"))
    by_customer = file(cast.client(CUSTOMER_A), complaint_body(cast))
    # then each files a complaint of its own
    responses = [first, by_other_token, by_agent, by_customer]
    assert [r.status_code for r in responses] == [201, 201, 201, 201]
    assert len({r.json()["reference"] for r in responses}) == 4
    assert IdempotencyRecord.objects.filter(key="order-4711").count() == 4


def test_a_customer_retrying_gets_their_first_complaint(cast):
    # given customer A filing in the portal with a key
    customer = cast.client(CUSTOMER_A)
    first = file(customer, complaint_body(cast), key="portal-form-1")
    # when the browser sends the form again
    again = file(customer, complaint_body(cast), key="portal-form-1")
    # then the same complaint comes back
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["reference"] == first.json()["reference"]


def test_without_a_key_every_request_files_a_complaint(cast):
    # given no Idempotency-Key
    integration = cast.client(TOKEN)
    count = Complaint.objects.count()
    # when the same request is sent twice
    responses = [file(integration, complaint_body(cast), key=None) for _ in range(2)]
    # then there are two complaints
    assert [r.status_code for r in responses] == [201, 201]
    assert Complaint.objects.count() == count + 2
