"""Cancellation: confirmed at once with a protocol number, effective now, executed later."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from plaint.channels.models import OutgoingMessage
from plaint.complaints.actors import SYSTEM_ACTOR
from plaint.complaints.choices import CancellationState, EventKind
from plaint.complaints.models import CancellationRequest, Event
from plaint.complaints.services.cancellations import cancellation_execute, cancellation_request
from plaint.complaints.tests.helpers import (
    NOW,
    actor_of,
    assert_recorded_by,
    last_event_id,
    only_new_event,
    refused,
)
from plaint.core import clock, references
from plaint.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from plaint.testing import builders
from plaint.testing.actors import AGENT, CUSTOMER_A, OTHER_ORG_AGENT, TOKEN


def _request(cast, who=CUSTOMER_A, customer=None, **fields):
    return cancellation_request(actor=actor_of(cast, who),
                                customer=customer or cast.customers[CUSTOMER_A],
                                **{"service_name": "Home internet 300", **fields})


def _execute(cast, cancellation, who=AGENT, actor=None):
    return cancellation_execute(actor=actor or actor_of(cast, who),
                                cancellation=CancellationRequest.objects.get(pk=cancellation.pk))


def test_a_cancellation_is_confirmed_at_once_with_a_protocol_number_and_effective_now(cast):
    # given
    after = last_event_id()
    # when
    with clock.frozen_at(NOW):
        cancellation = _request(cast, account_number="ACC-77", channel="phone")
    # then
    stored = CancellationRequest.objects.get(pk=cancellation.pk)
    assert references.normalise(stored.protocol_number) == stored.protocol_number
    assert (stored.requested_at, stored.effective_at) == (NOW, NOW)
    assert (stored.state, stored.executed_at, stored.executed_by) == (
        CancellationState.OPEN, None, None
    )
    assert (stored.organisation, stored.customer, stored.service, stored.account_number,
            stored.channel) == (cast.org1, cast.customers[CUSTOMER_A], "Home internet 300",
                                "ACC-77", "phone")
    event = only_new_event(after)
    assert (event.kind, event.cancellation_id, event.complaint_id, event.organisation_id) == (
        EventKind.CANCELLATION_REQUESTED, stored.pk, None, cast.org1.pk
    )
    assert event.data == {"channel": "phone"}
    assert event.occurred_at == NOW
    assert_recorded_by(event, cast.actor(CUSTOMER_A))


def test_a_cancellation_is_confirmed_whatever_the_balance_of_the_account(cast):
    # given the customer disputes an unpaid bill on the account
    builders.complaint(cast.customers[CUSTOMER_A], account_number="ACC-77",
                       amount_in_dispute=Decimal("1250.00"), currency="CZK")
    # when
    with clock.frozen_at(NOW):
        cancellation = _request(cast, account_number="ACC-77")
    # then it is confirmed and effective at once all the same
    assert (cancellation.state, cancellation.effective_at) == (CancellationState.OPEN, NOW)


def test_the_customer_gets_the_protocol_number_by_mail(cast):
    before = OutgoingMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    cancellation = _request(cast)
    sent = OutgoingMessage.objects.get(pk__gt=before)
    assert (sent.kind, sent.to_address, sent.thread_reference) == (
        "cancellation_confirmed", cast.customers[CUSTOMER_A].email, cancellation.protocol_number
    )
    protocol = references.display(cancellation.protocol_number)
    assert protocol in sent.subject
    assert protocol in sent.body
    assert "Home internet 300" in sent.body


def test_a_customer_without_an_e_mail_address_gets_a_cancellation_but_no_mail(cast):
    customer = builders.customer(cast.org1, with_user=False, email="")
    before = OutgoingMessage.objects.count()
    cancellation = _request(cast, who=AGENT, customer=customer)
    assert cancellation.pk is not None
    assert OutgoingMessage.objects.count() == before


@pytest.mark.parametrize(("fields", "field"), [
    ({"service_name": "  "}, "service"),
    ({"channel": "carrier-pigeon"}, "channel"),
])
def test_a_cancellation_needs_the_service_and_a_known_channel(cast, fields, field):
    with refused(ValidationFailed, "validation_error") as refusal:
        _request(cast, **fields)
    assert list(refusal.value.fields) == [field]


def test_staff_of_another_organisation_cannot_cancel_a_service_for_its_customer(cast):
    with refused(PermissionDenied, "not_permitted"):
        _request(cast, who=OTHER_ORG_AGENT)


def test_the_provider_executes_the_cancellation_later_and_it_stays_effective_from_the_request(
    cast,
):
    # given a cancellation requested on Monday
    with clock.frozen_at(NOW):
        cancellation = _request(cast)
    after = last_event_id()
    # when it is executed two days later
    with clock.frozen_at(NOW + timedelta(days=2)):
        _execute(cast, cancellation)
    # then
    stored = CancellationRequest.objects.get(pk=cancellation.pk)
    assert (stored.state, stored.executed_at, stored.executed_by) == (
        CancellationState.EXECUTED, NOW + timedelta(days=2), cast.users[AGENT]
    )
    assert (stored.requested_at, stored.effective_at) == (NOW, NOW)
    event = only_new_event(after)
    assert (event.kind, event.cancellation_id, event.occurred_at) == (
        EventKind.CANCELLATION_EXECUTED, stored.pk, NOW + timedelta(days=2)
    )
    assert_recorded_by(event, cast.actor(AGENT))


def test_a_second_execution_is_refused(cast):
    cancellation = _request(cast)
    _execute(cast, cancellation)
    with refused(Conflict, "cancellation_already_executed"):
        _execute(cast, cancellation)
    assert Event.objects.filter(cancellation=cancellation,
                                kind=EventKind.CANCELLATION_EXECUTED).count() == 1


@pytest.mark.parametrize("who", [CUSTOMER_A, OTHER_ORG_AGENT])
def test_only_the_organisation_executes_a_cancellation(cast, who):
    cancellation = _request(cast)
    with refused(PermissionDenied, "not_permitted"):
        _execute(cast, cancellation, who=who)


def test_an_integration_or_the_system_may_execute_a_cancellation(cast):
    first, second = _request(cast), _request(cast)
    assert _execute(cast, first, who=TOKEN).executed_by is None
    assert _execute(cast, second, actor=SYSTEM_ACTOR).state == CancellationState.EXECUTED


def test_the_confirmation_shows_the_moment_in_the_providers_time_zone_and_the_customers_language(
    cast,
):
    # given a Czech provider (Europe/Prague) and a customer who reads Czech
    customer = cast.customers[CUSTOMER_A]
    customer.preferred_language = "cs"
    customer.save(update_fields=["preferred_language"])
    # when the customer cancels at 12:00 UTC on 21 November 2026 (13:00 in Prague)
    moment = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
    with clock.frozen_at(moment):
        cancellation_request(actor=cast.actor(CUSTOMER_A), customer=customer,
                             service_name="Internet 500")
    # then the confirmation gives the local time in Czech format, not a UTC timestamp
    body = OutgoingMessage.objects.get(kind="cancellation_confirmed").body
    assert "21. listopadu 2026 13:00" in body
    assert "12:00" not in body
    assert "+00:00" not in body
