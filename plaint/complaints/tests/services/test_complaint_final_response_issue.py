"""The final response: only after a decision or at the formal level; names the external body."""

from __future__ import annotations

from datetime import date

import pytest

from plaint.channels.models import OutgoingMessage
from plaint.complaints.choices import EventKind
from plaint.complaints.lifecycle import Action, State
from plaint.complaints.models import FinalResponse
from plaint.complaints.services.decisions import complaint_final_response_issue
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
from plaint.core import clock, references
from plaint.core.exceptions import Conflict, ValidationFailed
from plaint.testing import builders
from plaint.testing.actors import COMPLAINTS_OFFICER, CUSTOMER_A, MANAGER

TEXT = f"{FREE_TEXT}: we stand by our decision."


def _complaint(cast, state, level=1):
    return builders.reach(builders.complaint(cast.customers[CUSTOMER_A]), state, level=level)


def _issue(cast, complaint, who=COMPLAINTS_OFFICER, text=TEXT, **more):
    return complaint_final_response_issue(actor=cast.actor(who), complaint=load(complaint.pk),
                                          text=text, **more)


def test_a_final_response_after_a_decision_is_issued_with_the_external_body_and_time_limit(cast):
    # given a decided complaint
    complaint = _complaint(cast, State.DECIDED)
    after = last_event_id()
    # when
    with clock.frozen_at(NOW):
        response = _issue(cast, complaint, external_body="ČTÚ",
                          referral_deadline=date(2027, 5, 23))
    # then
    stored = FinalResponse.objects.get(pk=response.pk)
    assert (stored.text, stored.external_body, stored.referral_deadline) == (
        TEXT, "ČTÚ", date(2027, 5, 23)
    )
    assert (stored.issued_at, stored.issued_by) == (NOW, cast.users[COMPLAINTS_OFFICER])
    assert load(complaint.pk).state == State.FINAL_RESPONSE_ISSUED
    event = only_new_event(after)
    assert event.kind == EventKind.FINAL_RESPONSE_ISSUED
    assert event.data == {"from": "decided", "to": "final_response_issued",
                          "final_response": response.pk}
    assert_recorded_by(event, cast.actor(COMPLAINTS_OFFICER))
    assert_no_free_text(event, "ČTÚ")


def test_the_customer_gets_the_final_response_by_mail_with_where_to_go_next(cast):
    complaint = _complaint(cast, State.DECIDED)
    before = OutgoingMessage.objects.order_by("-pk").values_list("pk", flat=True).first()
    _issue(cast, complaint, external_body="The Energy Ombudsman",
           referral_deadline=date(2027, 5, 23))
    sent = OutgoingMessage.objects.get(pk__gt=before)
    assert (sent.kind, sent.thread_reference) == ("final_response", complaint.reference)
    assert references.display(complaint.reference) in sent.subject
    # the deadline is written as a date in the customer's language (English here)
    for part in (TEXT, "The Energy Ombudsman", "May 23, 2027"):
        assert part in sent.body


@pytest.mark.parametrize("state", [State.ACKNOWLEDGED, State.INVESTIGATING,
                                   State.AWAITING_CUSTOMER])
def test_a_final_response_before_a_decision_below_the_formal_level_is_refused(cast, state):
    complaint = _complaint(cast, state, level=2)
    with refused(Conflict, "final_response_too_early"):
        _issue(cast, complaint)


def test_a_final_response_on_a_fresh_frontline_complaint_is_refused(cast):
    complaint = _complaint(cast, State.RECEIVED)
    with refused(Conflict, "final_response_too_early"):
        _issue(cast, complaint)


@pytest.mark.parametrize("state", [State.RECEIVED, State.INVESTIGATING, State.REOPENED])
def test_a_formal_complaint_may_get_a_final_response_without_a_decision(cast, state):
    complaint = _complaint(cast, state, level=3)
    _issue(cast, complaint)
    assert load(complaint.pk).state == State.FINAL_RESPONSE_ISSUED


def test_a_final_response_clears_a_final_response_due(cast):
    # given a formal complaint whose decision the customer rejected
    complaint = _complaint(cast, State.DECIDED, level=3)
    builders.move(complaint, Action.REJECT_DECISION, actor=cast.actor(CUSTOMER_A))
    assert load(complaint.pk).final_response_due
    # when
    _issue(cast, complaint, who=MANAGER)
    # then
    stored = load(complaint.pk)
    assert (stored.state, stored.final_response_due) == (State.FINAL_RESPONSE_ISSUED, False)


def test_an_empty_final_response_is_refused(cast):
    complaint = _complaint(cast, State.DECIDED)
    with refused(ValidationFailed, "validation_error") as refusal:
        _issue(cast, complaint, text="  ")
    assert list(refusal.value.fields) == ["text"]


@pytest.mark.parametrize("state", [State.FINAL_RESPONSE_ISSUED, State.CLOSED, State.WITHDRAWN])
def test_a_second_final_response_or_one_after_the_end_is_refused(cast, state):
    complaint = _complaint(cast, state, level=3)
    with refused(Conflict, "transition_not_allowed"):
        _issue(cast, complaint)
