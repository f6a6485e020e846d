"""Deliveries end to end: events of a real intake reach a real HTTPS receiver on 127.0.0.1, signed,
retried with backoff, logged; what must not be sent is not."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction

from plaint.complaints.actors import SYSTEM_ACTOR
from plaint.complaints.lifecycle import Action
from plaint.complaints.services.cancellations import cancellation_request
from plaint.core import clock
from plaint.testing import builders
from plaint.webhooks.models import DeliveryState, WebhookAttempt, WebhookDelivery
from plaint.webhooks.sending import delivery_attempt, post, webhooks_sweep
from plaint.webhooks.services import (
    webhook_delivery_redeliver,
    webhook_endpoint_create,
    webhook_endpoint_rotate_secret,
)
from plaint.webhooks.tests.documented import documented_verifier
from plaint.webhooks.tests.receiver import RunningReceiver

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def endpoint_for(organisation, receiver, *types: str, path: str = "/hooks/plaint"):
    endpoint, secret = webhook_endpoint_create(
        actor=SYSTEM_ACTOR, organisation=organisation, url=receiver.url + path,
        event_types=list(types) or ["complaint.received"])
    return endpoint, secret


def file_complaint(organisation, django_capture_on_commit_callbacks, **fields):
    """A complaint filed through the intake service, its transaction 'committed' (the callbacks
    queued with on_commit run, and with them the first delivery attempts)."""
    with django_capture_on_commit_callbacks(execute=True):
        return builders.complaint(builders.customer(organisation), **fields)


def test_a_received_complaint_arrives_signed_and_the_documented_snippet_verifies_it(
    db, receiver, django_capture_on_commit_callbacks
):
    # given an organisation with an endpoint for received complaints
    organisation = builders.organisation()
    endpoint, secret = endpoint_for(organisation, receiver, "complaint.received")
    # when a complaint is filed
    with clock.frozen_at(T0):
        complaint = file_complaint(organisation, django_capture_on_commit_callbacks)
    # then one delivery arrived, with the documented headers and body
    [request] = receiver.requests
    delivery = WebhookDelivery.objects.get()
    assert request.path == "/hooks/plaint"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Plaint-Delivery"] == str(delivery.delivery_id)
    assert request.headers["Plaint-Event"] == "complaint.received"
    payload = json.loads(request.body)
    assert payload["type"] == "complaint.received"
    assert payload["complaint"] == complaint.reference
    assert payload["organisation_id"] == organisation.pk
    assert payload["occurred_at"] == T0.isoformat()
    assert payload["event_id"] == delivery.event_id
    # and it holds no personal data of the customer
    customer = complaint.customer
    for personal in (customer.full_name, customer.email, complaint.subject):
        assert personal not in request.body.decode()
    # and the receiver's documented check accepts its signature, but not a changed body
    verify = documented_verifier()
    signature = request.headers["Plaint-Signature"]
    assert signature.startswith(f"t={int(T0.timestamp())},v1=")
    assert verify(secret, request.body, signature, now=T0.timestamp() + 5)
    assert not verify(secret, request.body.replace(b"received", b"closed"), signature,
                      now=T0.timestamp() + 5)
    assert not verify(secret, request.body, signature, now=T0.timestamp() + 3600)
    # and the delivery is logged as delivered, after one attempt
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)
    assert delivery.delivered_at == T0
    assert delivery.next_attempt_at is None
    assert list(WebhookAttempt.objects.values_list("number", "status_code", "outcome")) == [
        (1, 200, "delivered")]


def test_a_failing_receiver_is_retried_with_backoff_and_every_attempt_is_logged(
    db, receiver, settings, django_capture_on_commit_callbacks
):
    # given a receiver that fails twice, then accepts
    settings.PLAINT_WEBHOOKS_RETRY_DELAYS = [60, 300, 1800]
    organisation = builders.organisation()
    endpoint_for(organisation, receiver)
    receiver.answer(500, 503)
    # when a complaint is filed at T0
    with clock.frozen_at(T0):
        file_complaint(organisation, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    # then the first attempt failed and the next is due a minute later
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("failed", 1, 500)
    assert delivery.next_attempt_at == T0 + timedelta(seconds=60)
    # and a sweep before then does nothing
    assert webhooks_sweep(now=T0 + timedelta(seconds=59)).attempted == 0
    # when the sweep runs at 1 minute: the second attempt fails, the next is 5 minutes later
    assert webhooks_sweep(now=T0 + timedelta(seconds=60)).failed == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("failed", 2, 503)
    assert delivery.next_attempt_at == T0 + timedelta(seconds=60 + 300)
    # when the sweep runs then, it is delivered
    assert webhooks_sweep(now=T0 + timedelta(seconds=360)).delivered == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.next_attempt_at) == ("delivered", 3, None)
    # and every attempt is logged, and carried the same delivery id, signed at its own time
    assert list(delivery.attempt_log.order_by("number").values_list("number", "status_code", "outcome",
                                                                    "attempted_at")) == [
        (1, 500, "failed", T0),
        (2, 503, "failed", T0 + timedelta(seconds=60)),
        (3, 200, "delivered", T0 + timedelta(seconds=360)),
    ]
    assert {r.headers["Plaint-Delivery"] for r in receiver.requests} == {str(delivery.delivery_id)}
    assert len({r.headers["Plaint-Signature"] for r in receiver.requests}) == 3
    assert len({r.body for r in receiver.requests}) == 1


def test_a_delivery_is_given_up_after_the_last_retry(db, receiver, settings,
                                                    django_capture_on_commit_callbacks):
    # given two retries allowed, and a receiver that always fails
    settings.PLAINT_WEBHOOKS_RETRY_DELAYS = [60, 300]
    organisation = builders.organisation()
    endpoint_for(organisation, receiver)
    receiver.answer(*[500] * 10)
    # when the complaint is filed and the sweep runs long after
    with clock.frozen_at(T0):
        file_complaint(organisation, django_capture_on_commit_callbacks)
    webhooks_sweep(now=T0 + timedelta(minutes=1))
    report = webhooks_sweep(now=T0 + timedelta(minutes=6))
    # then the third attempt was the last
    delivery = WebhookDelivery.objects.get()
    assert report.given_up == 1
    assert (delivery.state, delivery.attempts, delivery.next_attempt_at) == ("given_up", 3, None)
    assert webhooks_sweep(now=T0 + timedelta(days=30)).attempted == 0
    assert len(receiver.requests) == 3
    # when an admin sends it again, it arrives, with the same delivery id
    with django_capture_on_commit_callbacks(execute=True), clock.frozen_at(T0 + timedelta(days=1)):
        webhook_delivery_redeliver(actor=SYSTEM_ACTOR, delivery=delivery)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.GIVEN_UP  # the receiver still answers 500
    receiver.statuses.clear()
    with django_capture_on_commit_callbacks(execute=True), clock.frozen_at(T0 + timedelta(days=2)):
        webhook_delivery_redeliver(actor=SYSTEM_ACTOR, delivery=delivery)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("delivered", 5)
    assert receiver.requests[-1].headers["Plaint-Delivery"] == str(delivery.delivery_id)


def file_then_fail(customer) -> None:
    with transaction.atomic():
        builders.complaint(customer)
        raise RuntimeError("the caller fails after the intake")


def test_a_rolled_back_change_sends_nothing(db, receiver, django_capture_on_commit_callbacks):
    # given an endpoint for received complaints
    organisation = builders.organisation()
    endpoint_for(organisation, receiver)
    customer = builders.customer(organisation)
    # when a complaint is filed in a transaction that is then rolled back
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        file_then_fail(customer)
    # then no delivery exists, none was queued, and the receiver got nothing
    assert WebhookDelivery.objects.count() == 0
    assert callbacks == []
    assert receiver.requests == []


def test_a_committed_complaint_is_sent_by_the_real_commit(transactional_db, receiver):
    # given an endpoint, outside any test transaction
    organisation = builders.organisation()
    endpoint_for(organisation, receiver)
    # when a complaint is filed and its transaction commits
    complaint = builders.complaint(builders.customer(organisation))
    # then the delivery went out at commit (the tests' task backend runs tasks at once)
    assert [json.loads(r.body)["complaint"] for r in receiver.requests] == [complaint.reference]
    assert WebhookDelivery.objects.get().state == DeliveryState.DELIVERED


def test_another_organisations_endpoint_receives_nothing(db, receiver, django_capture_on_commit_callbacks):
    # given endpoints of two organisations, both for received complaints
    ours, theirs = builders.organisation(), builders.organisation()
    endpoint_for(ours, receiver, path="/ours")
    endpoint_for(theirs, receiver, path="/theirs")
    # when a complaint is filed with the first
    file_complaint(ours, django_capture_on_commit_callbacks)
    # then only the first organisation's endpoint got it
    assert [r.path for r in receiver.requests] == ["/ours"]


def test_event_types_not_subscribed_to_are_not_sent(db, receiver, django_capture_on_commit_callbacks):
    # given an endpoint for closed complaints only
    organisation = builders.organisation()
    endpoint_for(organisation, receiver, "complaint.closed", "complaint.acknowledged")
    # when a complaint is filed and acknowledged
    complaint = file_complaint(organisation, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        builders.move(complaint, Action.ACKNOWLEDGE)
    # then only the acknowledgement was sent
    assert [r.headers["Plaint-Event"] for r in receiver.requests] == ["complaint.acknowledged"]
    assert WebhookDelivery.objects.count() == 1


def test_an_inactive_endpoint_receives_nothing(db, receiver, django_capture_on_commit_callbacks):
    organisation = builders.organisation()
    endpoint, _ = endpoint_for(organisation, receiver)
    type(endpoint).objects.filter(pk=endpoint.pk).update(is_active=False)
    file_complaint(organisation, django_capture_on_commit_callbacks)
    assert receiver.requests == []
    assert WebhookDelivery.objects.count() == 0


def test_a_cancellation_request_is_sent(db, receiver, django_capture_on_commit_callbacks):
    # given an endpoint for cancellations (events without a complaint)
    organisation = builders.organisation()
    endpoint_for(organisation, receiver, "cancellation.requested")
    customer = builders.customer(organisation)
    # when a customer asks to cancel
    with django_capture_on_commit_callbacks(execute=True):
        request = cancellation_request(actor=SYSTEM_ACTOR, customer=customer, service_name="Fibre 300")
    # then the endpoint hears of it by protocol number, without the service's name
    [received] = receiver.requests
    payload = json.loads(received.body)
    assert (payload["type"], payload["cancellation"], payload["complaint"]) == (
        "cancellation.requested", request.protocol_number, None)
    assert b"Fibre" not in received.body


def test_a_delivery_left_queued_by_a_crash_is_sent_by_the_sweep(db, receiver):
    # given a complaint whose delivery was queued but whose task never ran (no commit callback:
    # the process died between the commit and the queueing of the task)
    organisation = builders.organisation()
    endpoint_for(organisation, receiver)
    with clock.frozen_at(T0):
        builders.complaint(builders.customer(organisation))
    assert WebhookDelivery.objects.get().state == DeliveryState.QUEUED
    assert receiver.requests == []
    # when the sweep runs
    report = webhooks_sweep(now=T0 + timedelta(seconds=30))
    # then it was delivered
    assert report.delivered == 1
    assert WebhookDelivery.objects.get().state == DeliveryState.DELIVERED
    assert len(receiver.requests) == 1


def test_an_attempt_that_died_midway_is_retried_when_its_lease_ends(db, receiver, settings):
    # given a delivery claimed by an attempt at T0 that never reported back
    settings.PLAINT_WEBHOOKS_TIMEOUT = 5
    organisation = builders.organisation()
    endpoint_for(organisation, receiver)
    with clock.frozen_at(T0):
        builders.complaint(builders.customer(organisation))
    delivery = WebhookDelivery.objects.get()
    from plaint.webhooks.sending import _claim, lease

    assert _claim(str(delivery.delivery_id), T0) is not None
    # when the sweep runs during the lease, and a second attempt is asked for
    assert webhooks_sweep(now=T0 + timedelta(seconds=10)).attempted == 0
    assert delivery_attempt(delivery_id=str(delivery.delivery_id), now=T0 + timedelta(seconds=10)) is None
    # then nothing was sent; after the lease the sweep sends it, as the second attempt
    assert receiver.requests == []
    assert webhooks_sweep(now=T0 + lease()).delivered == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("delivered", 2)


def test_a_delivered_delivery_is_not_sent_twice(db, receiver, django_capture_on_commit_callbacks):
    organisation = builders.organisation()
    endpoint_for(organisation, receiver)
    file_complaint(organisation, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    tomorrow = clock.now() + timedelta(days=1)
    assert delivery_attempt(delivery_id=str(delivery.delivery_id), now=tomorrow) is None
    assert webhooks_sweep(now=tomorrow).attempted == 0
    assert len(receiver.requests) == 1


# ---- SSRF and TLS at delivery time


def test_a_private_address_is_refused_at_delivery_time_too(db, receiver, settings,
                                                          django_capture_on_commit_callbacks):
    # given an endpoint on 127.0.0.1 registered while private addresses were allowed
    organisation = builders.organisation()
    endpoint_for(organisation, receiver)
    # when private addresses are no longer allowed and a complaint is filed
    settings.PLAINT_WEBHOOKS_ALLOW_PRIVATE = False
    file_complaint(organisation, django_capture_on_commit_callbacks)
    # then nothing reached the receiver, and the refusal is logged as a failed attempt
    assert receiver.requests == []
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.last_status_code) == ("failed", None)
    assert "public address" in delivery.last_error


def test_a_receiver_whose_certificate_is_not_trusted_is_not_delivered_to(
    db, receiver, settings, django_capture_on_commit_callbacks
):
    # given the sender trusts the system's CAs only, not the test CA
    organisation = builders.organisation()
    endpoint_for(organisation, receiver)
    settings.PLAINT_WEBHOOKS_CA_BUNDLE = None
    # when a complaint is filed
    file_complaint(organisation, django_capture_on_commit_callbacks)
    # then the TLS handshake failed: nothing was received, the error is logged
    assert receiver.requests == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == DeliveryState.FAILED
    assert "CERTIFICATE_VERIFY_FAILED" in delivery.last_error


def test_the_sender_connects_to_the_checked_address_and_verifies_the_urls_host_name(settings, tmp_path):
    # given a receiver on 127.0.0.1 whose certificate names hooks.plaint.test only, and a resolver
    # that answers 127.0.0.1 for that name (no DNS is asked)
    running = RunningReceiver(tmp_path, "hooks.plaint.test")
    settings.PLAINT_WEBHOOKS_ALLOW_PRIVATE = True
    settings.PLAINT_WEBHOOKS_CA_BUNDLE = str(running.receiver.ca_file)
    receiver = running.start()
    port = receiver.url.rsplit(":", 1)[1]
    try:
        # when Plaint posts to the name, and to the bare address
        by_name = post(f"https://hooks.plaint.test:{port}/in", b"{}", {"Content-Type": "application/json"},
                       resolve=lambda host, _port: ["127.0.0.1"] if host == "hooks.plaint.test" else [])
        by_address = post(f"https://127.0.0.1:{port}/in", b"{}", {})
    finally:
        running.stop()
    # then the name reached the receiver at the checked address, with the name in the Host header
    assert by_name.status_code == 200
    assert receiver.requests[0].headers["Host"] == f"hooks.plaint.test:{port}"
    # and the bare address failed the certificate check, as the certificate does not name it
    assert by_address.status_code is None
    assert "CERTIFICATE_VERIFY_FAILED" in by_address.error
    assert len(receiver.requests) == 1


def test_after_a_rotation_both_secrets_verify_until_the_overlap_ends(db, receiver, settings,
                                                                    django_capture_on_commit_callbacks):
    # given an endpoint whose secret is rotated at T0, with a day of overlap
    settings.PLAINT_WEBHOOKS_SECRET_OVERLAP = 24 * 3600
    organisation = builders.organisation()
    endpoint, old = endpoint_for(organisation, receiver)
    with clock.frozen_at(T0):
        new = webhook_endpoint_rotate_secret(actor=SYSTEM_ACTOR, endpoint=endpoint)
    verify = documented_verifier()
    # when a complaint is filed an hour later, and another two days later
    for moment in (T0 + timedelta(hours=1), T0 + timedelta(days=2)):
        with clock.frozen_at(moment):
            file_complaint(organisation, django_capture_on_commit_callbacks)
    within, after = receiver.requests
    # then within the overlap the delivery verifies with either secret, after it with the new only
    for secret, request, moment, valid in (
        (new, within, T0 + timedelta(hours=1), True), (old, within, T0 + timedelta(hours=1), True),
        (new, after, T0 + timedelta(days=2), True), (old, after, T0 + timedelta(days=2), False),
    ):
        assert verify(secret, request.body, request.headers["Plaint-Signature"],
                      now=moment.timestamp()) is valid


def test_without_an_overlap_a_rotated_secret_no_longer_verifies(db, receiver, settings,
                                                               django_capture_on_commit_callbacks):
    settings.PLAINT_WEBHOOKS_SECRET_OVERLAP = 0
    organisation = builders.organisation()
    endpoint, old = endpoint_for(organisation, receiver)
    new = webhook_endpoint_rotate_secret(actor=SYSTEM_ACTOR, endpoint=endpoint)
    file_complaint(organisation, django_capture_on_commit_callbacks)
    [request] = receiver.requests
    signature, now = request.headers["Plaint-Signature"], clock.now().timestamp()
    assert documented_verifier()(new, request.body, signature, now=now)
    assert not documented_verifier()(old, request.body, signature, now=now)
