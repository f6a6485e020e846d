"""Intake: the reference, the record, the first event, the acknowledgement, idempotent retries."""

from __future__ import annotations

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection

from plaint.channels.models import OutgoingMessage
from plaint.complaints.actors import customer_actor
from plaint.complaints.choices import EventKind
from plaint.complaints.models import Complaint, Demand, Event, IdempotencyRecord
from plaint.complaints.services.demands import DemandSpec
from plaint.complaints.services.intake import ComplaintDraft, Idempotency, complaint_create
from plaint.complaints.tests.helpers import (
    FREE_TEXT,
    NOW,
    assert_no_free_text,
    assert_recorded_by,
    database_snapshot,
    refused,
)
from plaint.core import clock, references
from plaint.core.exceptions import Conflict, ValidationFailed
from plaint.parties.actors import Principal
from plaint.testing import builders
from plaint.testing.actors import AGENT, CUSTOMER_A

REFUND = DemandSpec(kind="refund", amount=Decimal("25.00"), currency="CZK", detail=FREE_TEXT)


def _draft(**fields) -> ComplaintDraft:
    return ComplaintDraft(**{
        "channel": "phone", "subject": f"{FREE_TEXT} subject", "description": FREE_TEXT,
        **fields,
    })


def _create(cast, draft=None, idempotency=None, name=AGENT, customer=None):
    return complaint_create(actor=cast.actor(name), organisation=cast.org1,
                            customer=customer or cast.customers[CUSTOMER_A],
                            draft=draft or _draft(), idempotency=idempotency)


def _key(key="retry-1", scope="token:1", body=None) -> Idempotency:
    return Idempotency(scope=scope, key=key,
                       request_sha256=Idempotency.digest(body or {"subject": "No internet"}))


def test_a_complaint_is_taken_in_received_at_the_frontline_with_a_valid_reference(cast):
    # when
    with clock.frozen_at(NOW):
        complaint, created = _create(cast)
    # then
    assert created
    assert references.normalise(complaint.reference) == complaint.reference
    assert (complaint.state, complaint.level, complaint.channel) == ("received", 1, "phone")
    assert (complaint.received_at, complaint.created_at, complaint.state_changed_at) == (
        NOW, NOW, NOW
    )
    assert complaint.closed_at is None
    assert complaint.subject == f"{FREE_TEXT} subject"


def test_intake_writes_one_event_naming_the_filer_and_no_personal_values(cast):
    # given
    customer = cast.customers[CUSTOMER_A]
    # when
    with clock.frozen_at(NOW):
        complaint, _ = _create(cast, _draft(demands=[REFUND]))
    # then
    event = Event.objects.get(complaint=complaint)
    assert event.kind == EventKind.RECEIVED
    assert event.occurred_at == NOW
    assert event.reason is None
    assert_recorded_by(event, cast.actor(AGENT))
    assert event.data == {"channel": "phone", "level": 1, "demands_recorded": True,
                          "received_at": NOW.isoformat()}
    assert_no_free_text(event, customer.email, customer.full_name)


def test_demands_given_at_intake_are_recorded(cast):
    complaint, _ = _create(cast, _draft(demands=[REFUND, DemandSpec(kind="apology")]))
    assert complaint.demands_recorded
    assert sorted(complaint.demands.values_list("kind", "amount", "currency")) == [
        ("apology", None, ""), ("refund", Decimal("25.00"), "CZK"),
    ]


@pytest.mark.parametrize("demands", [None, []])
def test_a_complaint_without_demands_is_taken_with_its_demands_unspecified(cast, demands):
    complaint, _ = _create(cast, _draft(demands=demands))
    assert not complaint.demands_recorded
    assert not Demand.objects.filter(complaint=complaint).exists()


def test_a_complaint_may_start_as_a_formal_complaint(cast):
    complaint, _ = _create(cast, _draft(level=3))
    assert complaint.level == 3


@pytest.mark.parametrize(("draft_language", "customer_language", "expected"), [
    ("pl", "cs", "pl"),
    ("", "cs", "cs"),
    ("", "", "cs"),  # the organisation's default language
])
def test_the_complaints_language_is_the_drafts_else_the_customers_else_the_organisations(
    cast, draft_language, customer_language, expected
):
    customer = builders.customer(cast.org1, preferred_language=customer_language)
    complaint, _ = _create(cast, _draft(language=draft_language), customer=customer)
    assert complaint.language == expected


def test_the_customer_is_acknowledged_by_mail_with_the_reference(cast):
    # when
    complaint, _ = _create(cast)
    # then
    sent = OutgoingMessage.objects.get(thread_reference=complaint.reference)
    assert (sent.kind, sent.to_address) == ("received", cast.customers[CUSTOMER_A].email)
    assert references.display(complaint.reference) in sent.subject
    assert references.display(complaint.reference) in sent.body


def test_a_customer_files_their_own_complaint(cast):
    actor = customer_actor(Principal(user=cast.users[CUSTOMER_A]), cast.org1.pk)
    complaint, _ = complaint_create(actor=actor, organisation=cast.org1,
                                    customer=cast.customers[CUSTOMER_A], draft=_draft())
    assert_recorded_by(Event.objects.get(complaint=complaint), actor)


@pytest.mark.parametrize(("change", "field"), [
    ({"channel": "fax"}, "channel"),
    ({"subject": "   "}, "subject"),
    ({"description": ""}, "description"),
    ({"level": 2}, "level"),
    ({"level": 4}, "level"),
    ({"amount_in_dispute": Decimal("10.00")}, "currency"),
    ({"currency": "CZK"}, "currency"),
    ({"amount_in_dispute": Decimal("10.00"), "currency": "czk"}, "currency"),
    ({"amount_in_dispute": Decimal("-1.00"), "currency": "CZK"}, "amount_in_dispute"),
    ({"priority": "whenever"}, "priority"),
])
def test_an_invalid_draft_is_refused_naming_the_field(cast, change, field):
    with refused(ValidationFailed, "validation_error") as refusal:
        _create(cast, _draft(**change))
    assert field in refusal.value.fields


def test_an_invalid_demand_is_refused_naming_the_demand(cast):
    with refused(ValidationFailed, "invalid_demand") as refusal:
        _create(cast, _draft(demands=[DemandSpec(kind="apology"), DemandSpec(kind="refund")]))
    assert set(refusal.value.fields) == {"demands.1.amount"}


def test_an_amount_in_dispute_is_kept_with_its_currency(cast):
    complaint, _ = _create(cast, _draft(amount_in_dispute=Decimal("99.90"), currency="EUR"))
    complaint.refresh_from_db()
    assert (complaint.amount_in_dispute, complaint.currency) == (Decimal("99.90"), "EUR")


# idempotency


def test_the_same_key_and_request_return_the_first_complaint_without_a_second_row(cast):
    # given a complaint taken with a key
    first, created = _create(cast, idempotency=_key())
    assert created
    before = database_snapshot()
    # when the same request is retried with the same key
    again, created_again = _create(cast, idempotency=_key())
    # then the first complaint is returned and nothing new is written or sent
    assert again == first
    assert not created_again
    assert database_snapshot() == before


def test_the_same_key_with_a_different_request_is_refused(cast):
    # given
    _create(cast, idempotency=_key())
    # when / then
    with refused(Conflict, "idempotency_key_reused"):
        _create(cast, idempotency=_key(body={"subject": "Something else"}))


def test_the_same_key_in_different_scopes_does_not_collide(cast):
    first, _ = _create(cast, idempotency=_key(scope="token:1"))
    second, created = _create(cast, idempotency=_key(scope="user:7"))
    assert created
    assert first != second
    assert IdempotencyRecord.objects.filter(key="retry-1").count() == 2


def test_an_invalid_retry_is_refused_before_the_key_is_looked_up(cast):
    _create(cast, idempotency=_key())
    with refused(ValidationFailed, "validation_error"):
        _create(cast, _draft(subject=""), idempotency=_key())


def test_the_digest_of_a_request_ignores_key_order_and_tells_bodies_apart():
    assert Idempotency.digest({"a": 1, "b": [1, 2]}) == Idempotency.digest({"b": [1, 2], "a": 1})
    assert Idempotency.digest({"a": 1}) != Idempotency.digest({"a": 2})
    assert Idempotency.digest({"amount": Decimal("1.10")}) == Idempotency.digest(
        {"amount": "1.10"}
    )


@pytest.mark.django_db(transaction=True)
def test_two_racing_requests_with_one_key_create_one_complaint(cast):
    # given a first request that has written its complaint but not yet committed
    key = _key(key="race")
    winner_written, loser_looked = threading.Event(), threading.Event()
    results: dict[str, object] = {}

    def first() -> None:
        from django.db import transaction

        try:
            with transaction.atomic():
                results["first"] = _create(cast, idempotency=key)
                winner_written.set()
                loser_looked.wait(5)
                time.sleep(0.3)  # let the second request reach its insert and wait on ours
        finally:
            connection.close()

    def second() -> None:
        try:
            winner_written.wait(5)
            # the second request finds no record yet (the first has not committed) ...
            results["found"] = IdempotencyRecord.objects.filter(key="race").exists()
            loser_looked.set()
            results["second"] = _create(cast, idempotency=key)
        except Exception as exc:  # noqa: BLE001 - reported below
            results["error"] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    # then the loser returns the winner's complaint, and there is one complaint
    assert "error" not in results, results.get("error")
    assert results["found"] is False
    winner, created = results["first"]
    loser, loser_created = results["second"]
    assert (created, loser_created) == (True, False)
    assert loser == winner
    assert Complaint.objects.filter(pk__gt=cast.complaint_other_org.pk).count() == 1
