"""Webhook endpoints through the API: the secret shown once, refusals in the one error shape that
change nothing, and a delivery log whose queries do not grow with its length."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from plaint.api.tests.api_requests import ROOT
from plaint.complaints.actors import SYSTEM_ACTOR
from plaint.parties.choices import Role
from plaint.parties.services import api_token_create
from plaint.testing import builders
from plaint.testing.actors import CUSTOMER_A, ORG_ADMIN, Cast
from plaint.testing.database import all_rows
from plaint.webhooks.event_types import PUBLIC_TYPES
from plaint.webhooks.models import WebhookEndpoint
from plaint.webhooks.sending import webhooks_sweep
from plaint.webhooks.services import webhook_endpoint_create

URL = "https://127.0.0.1:9/crm"


@pytest.fixture
def loopback_allowed(settings):
    settings.PLAINT_WEBHOOKS_ALLOW_PRIVATE = True


def webhooks_url(cast: Cast) -> str:
    return f"{ROOT}/organisations/{cast.org1.pk}/webhooks"


def test_the_secret_is_shown_at_registration_and_rotation_only(cast, loopback_allowed):
    client = cast.client(ORG_ADMIN)
    # when an admin registers an endpoint
    created = client.post(webhooks_url(cast), {"url": URL, "event_types": ["complaint.received"]},
                          content_type="application/json")
    # then the answer holds its secret
    assert created.status_code == 201, created.content
    body = created.json()
    secret = body["secret"]
    assert secret.startswith("whsec_")
    assert body["event_types"] == ["complaint.received"]
    # and neither the list nor the endpoint shows it again
    one = f"{webhooks_url(cast)}/{body['id']}"
    for read in (client.get(webhooks_url(cast)), client.get(one)):
        assert read.status_code == 200
        assert secret not in read.content.decode()
        assert "secret\"" not in read.content.decode()
    # when it is rotated, the new secret is shown, once
    rotated = client.post(f"{one}/secret")
    assert rotated.status_code == 200
    assert rotated.json()["secret"] not in (secret, None)
    assert rotated.json()["secret"] not in client.get(one).content.decode()


def test_an_api_token_with_the_admin_role_manages_webhooks(cast, loopback_allowed):
    _token, key = api_token_create(organisation=cast.org1, name="Provisioning", role=Role.ORG_ADMIN)
    client = Client(headers={"Authorization": f"Bearer {key}"})
    response = client.post(webhooks_url(cast), {"url": URL, "event_types": ["clock.breached"]},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    assert WebhookEndpoint.objects.get().created_by_token_id == _token.pk


@pytest.mark.parametrize(("url", "code"), [
    ("https://127.0.0.1/crm", "webhook_url_private"),
    ("https://10.20.30.40/crm", "webhook_url_private"),
    ("https://169.254.169.254/latest/meta-data/iam", "webhook_url_private"),
    ("https://[::1]:8443/crm", "webhook_url_private"),
    ("https://localhost/crm", "webhook_url_private"),
    ("http://93.184.215.14/crm", "webhook_url_not_https"),
])
def test_a_url_production_must_not_call_is_refused_with_its_code_and_nothing_changes(
    cast, settings, url, code
):
    # given the production setting
    settings.PLAINT_WEBHOOKS_ALLOW_PRIVATE = False
    client = cast.client(ORG_ADMIN)
    before = all_rows()
    # when an admin registers the URL
    body = {"url": url, "event_types": ["complaint.received"]}
    response = client.post(webhooks_url(cast), body, content_type="application/json")
    # then it is a 422 naming the URL, and nothing was written
    assert response.status_code == 422
    assert response.json()["code"] == code
    assert list(response.json()["fields"]) == ["url"]
    assert all_rows() == before


def test_an_unknown_event_type_or_a_bad_patch_is_refused_and_nothing_changes(cast, loopback_allowed):
    client = cast.client(ORG_ADMIN)
    before = all_rows()
    unknown = client.post(webhooks_url(cast), {"url": URL, "event_types": ["complaint.eaten"]},
                          content_type="application/json")
    assert unknown.status_code == 422
    assert unknown.json()["code"] == "webhook_unknown_event_type"
    assert all_rows() == before
    endpoint, _ = webhook_endpoint_create(actor=SYSTEM_ACTOR, organisation=cast.org1, url=URL,
                                          event_types=["complaint.received"])
    before = all_rows()
    patch = client.patch(f"{webhooks_url(cast)}/{endpoint.pk}", {"event_types": [], "is_active": False},
                         content_type="application/json")
    assert patch.status_code == 422
    assert patch.json()["code"] == "webhook_event_types_required"
    assert all_rows() == before


def test_the_event_types_are_listed(cast):
    response = cast.client(CUSTOMER_A).get(f"{ROOT}/webhook-event-types")
    assert response.json() == list(PUBLIC_TYPES)


def deliveries(cast: Cast, count: int) -> str:
    """An endpoint with ``count`` deliveries, each attempted once (a closed port on loopback
    refuses them); its delivery-log URL."""
    endpoint, _ = webhook_endpoint_create(actor=SYSTEM_ACTOR, organisation=cast.org1,
                                          url="https://127.0.0.1:9/closed",
                                          event_types=["complaint.received"])
    for n in range(count):
        builders.complaint(cast.customers[CUSTOMER_A], subject=f"Complaint {n}")
    webhooks_sweep()
    return f"{webhooks_url(cast)}/{endpoint.pk}/deliveries"


def test_the_delivery_log_shows_every_attempt_in_a_constant_number_of_queries(cast, loopback_allowed):
    client = cast.client(ORG_ADMIN)
    counts = {}
    for size in (2, 12):
        url = deliveries(cast, size)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        items = response.json()["items"]
        assert len(items) == size
        assert all(item["state"] == "failed" and len(item["attempt_log"]) == 1 for item in items)
        assert items[0]["attempt_log"][0]["error"].startswith("ConnectionRefusedError")
        counts[size] = len(captured)
    assert counts[2] == counts[12] <= 8
