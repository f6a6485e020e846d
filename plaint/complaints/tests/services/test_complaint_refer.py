"""Referral to an external body after the final response, and the body's outcome."""

from __future__ import annotations

import pytest

from plaint.complaints.choices import EventKind
from plaint.complaints.lifecycle import Action, State
from plaint.complaints.models import ExternalReferral
from plaint.complaints.services.decisions import (
    complaint_external_outcome_record,
    complaint_refer,
)
from plaint.complaints.tests.helpers import (
    FREE_TEXT,
    NOW,
    assert_no_free_text,
    assert_recorded_by,
    last_event_id,
    load,
    only_new_event,
    refused,
)
from plaint.core import clock
from plaint.core.exceptions import Conflict, ValidationFailed
from plaint.testing import builders
from plaint.testing.actors import CUSTOMER_A, MANAGER


def _complaint(cast, state):
    return builders.reach(builders.complaint(cast.customers[CUSTOMER_A]), state)


def test_the_customer_records_a_referral_after_the_final_response(cast):
    # given
    complaint = _complaint(cast, State.FINAL_RESPONSE_ISSUED)
    customer = cast.actor(CUSTOMER_A)
    after = last_event_id()
    # when
    with clock.frozen_at(NOW):
        referral = complaint_refer(actor=customer, complaint=load(complaint.pk),
                                   body="ČTÚ", body_reference="ADR-2026-77")
    # then
    stored = ExternalReferral.objects.get(pk=referral.pk)
    assert (stored.body, stored.body_reference, stored.referred_at, stored.outcome) == (
        "ČTÚ", "ADR-2026-77", NOW, ""
    )
    assert load(complaint.pk).state == State.REFERRED_EXTERNALLY
    event = only_new_event(after)
    assert event.kind == EventKind.REFERRED
    assert event.data == {"from": "final_response_issued", "to": "referred_externally",
                          "referral": referral.pk}
    assert_recorded_by(event, customer)
    assert_no_free_text(event, "ČTÚ", "ADR-2026-77")


def test_a_referral_needs_the_name_of_the_body(cast):
    complaint = _complaint(cast, State.FINAL_RESPONSE_ISSUED)
    with refused(ValidationFailed, "validation_error") as refusal:
        complaint_refer(actor=cast.actor(MANAGER), complaint=load(complaint.pk), body=" ")
    assert list(refusal.value.fields) == ["body"]


@pytest.mark.parametrize("state", [State.INVESTIGATING, State.DECIDED, State.CLOSED])
def test_a_referral_before_the_final_response_is_refused(cast, state):
    complaint = _complaint(cast, state)
    with refused(Conflict, "transition_not_allowed"):
        complaint_refer(actor=cast.actor(MANAGER), complaint=load(complaint.pk), body="ČTÚ")


def test_the_external_outcome_is_recorded_on_the_latest_referral_and_resolves_the_complaint(
    cast,
):
    # given a referred complaint
    complaint = _complaint(cast, State.REFERRED_EXTERNALLY)
    referral = ExternalReferral.objects.get(complaint=complaint)
    after = last_event_id()
    # when
    with clock.frozen_at(NOW):
        complaint_external_outcome_record(actor=cast.actor(MANAGER), complaint=load(complaint.pk),
                                          outcome_text=FREE_TEXT)
    # then
    referral.refresh_from_db()
    assert (referral.outcome, referral.resolved_at) == (FREE_TEXT, NOW)
    assert load(complaint.pk).state == State.EXTERNALLY_RESOLVED
    event = only_new_event(after)
    assert event.kind == EventKind.EXTERNAL_OUTCOME
    assert event.data == {"from": "referred_externally", "to": "externally_resolved",
                          "referral": referral.pk}
    assert_no_free_text(event)


def test_an_external_outcome_needs_a_description(cast):
    complaint = _complaint(cast, State.REFERRED_EXTERNALLY)
    with refused(ValidationFailed, "validation_error") as refusal:
        complaint_external_outcome_record(actor=cast.actor(MANAGER), complaint=load(complaint.pk),
                                          outcome_text="")
    assert list(refusal.value.fields) == ["outcome"]


def test_an_external_outcome_without_a_referral_is_refused(cast):
    complaint = _complaint(cast, State.FINAL_RESPONSE_ISSUED)
    with refused(Conflict, "transition_not_allowed"):
        complaint_external_outcome_record(actor=cast.actor(MANAGER), complaint=load(complaint.pk),
                                          outcome_text="Upheld")


def test_a_resolved_complaint_can_be_closed(cast):
    complaint = _complaint(cast, State.EXTERNALLY_RESOLVED)
    builders.move(complaint, Action.CLOSE, actor=cast.actor(MANAGER))
    assert load(complaint.pk).state == State.CLOSED
