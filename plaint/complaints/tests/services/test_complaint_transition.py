"""The generic transition service: the lifecycle's guards, the state it writes, one event."""

from __future__ import annotations

from datetime import timedelta

import pytest

from plaint.channels.models import OutgoingMessage
from plaint.complaints.choices import EventKind
from plaint.complaints.lifecycle import TRANSITIONS, Action, Level, State
from plaint.complaints.models import Decision
from plaint.complaints.services.transitions import GENERIC_ACTIONS, complaint_transition
from plaint.complaints.tests.helpers import (
    NOW,
    assert_recorded_by,
    last_event_id,
    load,
    only_new_event,
    refused,
)
from plaint.core import clock, references
from plaint.core.exceptions import Conflict, ValidationFailed
from plaint.testing import builders
from plaint.testing.actors import CUSTOMER_A, MANAGER

#: For each generic action, a state it leaves.
FROM = {
    Action.ACKNOWLEDGE: State.RECEIVED,
    Action.START_INVESTIGATION: State.ACKNOWLEDGED,
    Action.REQUEST_INFORMATION: State.ACKNOWLEDGED,
    Action.RESUME: State.AWAITING_CUSTOMER,
    Action.ACCEPT_DECISION: State.DECIDED,
    Action.REJECT_DECISION: State.DECIDED,
    Action.CLOSE: State.DECIDED,
    Action.REOPEN: State.CLOSED,
    Action.WITHDRAW: State.INVESTIGATING,
}


def _complaint(cast, state=State.RECEIVED, level=1, **draft):
    with clock.frozen_at(NOW):
        return builders.reach(builders.complaint(cast.customers[CUSTOMER_A], **draft), state,
                              level=level)


def _transition(cast, complaint, action, reason="", who=MANAGER):
    return complaint_transition(actor=cast.actor(who), complaint=load(complaint.pk),
                                action=action, reason=reason)


def test_every_generic_action_has_a_case_here():
    assert set(FROM) == GENERIC_ACTIONS


@pytest.mark.parametrize("action", sorted(GENERIC_ACTIONS))
def test_a_transition_writes_the_target_state_and_one_event_with_the_actor_time_and_reason(
    cast, action
):
    # given a complaint in a state the action leaves
    complaint = _complaint(cast, FROM[action])
    after = last_event_id()
    later = NOW + timedelta(hours=3)
    # when
    with clock.frozen_at(later):
        moved = _transition(cast, complaint, action, reason="Said on the phone")
    # then the state is the table's (rejecting a decision leads on as its own test shows)
    stored = load(complaint.pk)
    assert stored.state == moved.state == TRANSITIONS[FROM[action]][action]
    assert (stored.state_changed_at, stored.updated_at) == (later, later)
    event = only_new_event(after)
    assert event.kind == (
        EventKind.DECISION_REJECTED if action is Action.REJECT_DECISION else EventKind.TRANSITIONED
    )
    assert event.complaint_id == complaint.pk
    assert_recorded_by(event, cast.actor(MANAGER))
    assert event.occurred_at == later
    assert event.reason.text == "Said on the phone"
    assert {k: event.data[k] for k in ("from", "to", "action")} == {
        "from": FROM[action].value, "to": stored.state, "action": action.value,
    }


def test_a_transition_without_a_reason_records_no_reason(cast):
    complaint = _complaint(cast)
    after = last_event_id()
    _transition(cast, complaint, Action.ACKNOWLEDGE)
    assert only_new_event(after).reason is None


def test_closing_records_when_and_reopening_clears_it(cast):
    # given a decided complaint
    complaint = _complaint(cast, State.DECIDED)
    # when it is closed, then
    with clock.frozen_at(NOW + timedelta(days=1)):
        _transition(cast, complaint, Action.CLOSE)
    assert load(complaint.pk).closed_at == NOW + timedelta(days=1)
    # when it is reopened, then
    with clock.frozen_at(NOW + timedelta(days=2)):
        _transition(cast, complaint, Action.REOPEN, reason="The charge came back")
    stored = load(complaint.pk)
    assert (stored.state, stored.closed_at) == (State.REOPENED, None)


def test_closing_without_decision_is_refused(cast):
    complaint = _complaint(cast, State.INVESTIGATING)
    with refused(Conflict, "transition_not_allowed"):
        _transition(cast, complaint, Action.CLOSE)


@pytest.mark.parametrize(("state", "action"), [
    (State.RECEIVED, Action.START_INVESTIGATION),
    (State.INVESTIGATING, Action.ACKNOWLEDGE),
    (State.INVESTIGATING, Action.RESUME),
    (State.CLOSED, Action.WITHDRAW),
    (State.WITHDRAWN, Action.REOPEN),
    (State.FINAL_RESPONSE_ISSUED, Action.ACCEPT_DECISION),
])
def test_an_action_the_state_does_not_allow_changes_nothing(cast, state, action):
    complaint = _complaint(cast, state)
    with refused(Conflict, "transition_not_allowed"):
        _transition(cast, complaint, action, reason="because")


@pytest.mark.parametrize("action", [Action.WITHDRAW, Action.REJECT_DECISION, Action.REOPEN])
def test_an_action_that_needs_a_reason_is_refused_without_one(cast, action):
    complaint = _complaint(cast, FROM[action])
    with refused(ValidationFailed, "reason_required") as refusal:
        _transition(cast, complaint, action, reason="  ")
    assert list(refusal.value.fields) == ["reason"]


@pytest.mark.parametrize("action", [Action.DECIDE, Action.ISSUE_FINAL_RESPONSE, Action.MERGE,
                                    Action.REFER_EXTERNALLY, Action.RECORD_EXTERNAL_OUTCOME])
def test_an_action_with_data_of_its_own_is_refused_here(cast, action):
    complaint = _complaint(cast, State.INVESTIGATING)
    with refused(ValidationFailed, "validation_error") as refusal:
        _transition(cast, complaint, action, reason="because")
    assert list(refusal.value.fields) == ["action"]


def test_accepting_a_decision_closes_the_complaint_and_marks_the_decision_accepted(cast):
    # given
    complaint = _complaint(cast, State.DECIDED)
    decision = Decision.objects.get(complaint=complaint)
    after = last_event_id()
    # when the customer accepts
    with clock.frozen_at(NOW):
        _transition(cast, complaint, Action.ACCEPT_DECISION, who=CUSTOMER_A)
    # then
    stored = load(complaint.pk)
    assert (stored.state, stored.closed_at) == (State.CLOSED, NOW)
    decision.refresh_from_db()
    assert decision.customer_response == Decision.CustomerResponse.ACCEPTED
    assert only_new_event(after).data["decision"] == decision.pk


@pytest.mark.parametrize("level", [1, 2])
def test_rejecting_a_decision_below_the_formal_level_makes_it_a_formal_complaint(cast, level):
    # given a decided complaint
    complaint = _complaint(cast, State.DECIDED, level=level)
    decision = Decision.objects.get(complaint=complaint)
    after = last_event_id()
    # when the customer rejects the decision
    _transition(cast, complaint, Action.REJECT_DECISION, reason="Not enough", who=CUSTOMER_A)
    # then it is investigated again, as a formal complaint
    stored = load(complaint.pk)
    assert (stored.state, stored.level, stored.final_response_due) == (
        State.INVESTIGATING, Level.FORMAL, False
    )
    decision.refresh_from_db()
    assert decision.customer_response == Decision.CustomerResponse.REJECTED
    event = only_new_event(after)
    assert event.kind == EventKind.DECISION_REJECTED
    assert (event.data["level_from"], event.data["level_to"]) == (level, 3)
    assert event.reason.text == "Not enough"


@pytest.mark.parametrize("level", [3, 4])
def test_rejecting_a_decision_at_the_formal_level_makes_the_final_response_due(cast, level):
    # given a decided formal complaint
    complaint = _complaint(cast, State.DECIDED, level=level)
    # when the customer rejects the decision
    _transition(cast, complaint, Action.REJECT_DECISION, reason="Still wrong", who=CUSTOMER_A)
    # then it stays decided, at its level, with the final response due
    stored = load(complaint.pk)
    assert (stored.state, stored.level, stored.final_response_due) == (
        State.DECIDED, level, True
    )
    # and the next transition clears it
    _transition(cast, complaint, Action.CLOSE)
    assert not load(complaint.pk).final_response_due


def test_reopening_within_the_organisations_period_is_allowed(cast):
    # given an organisation that allows reopening within 5 days, and a complaint closed
    cast.org1.reopen_period_days = 5
    cast.org1.save(update_fields=["reopen_period_days"])
    complaint = _complaint(cast, State.CLOSED)
    closed_at = load(complaint.pk).closed_at
    # when it is reopened on the last moment of the period
    with clock.frozen_at(closed_at + timedelta(days=5)):
        _transition(cast, complaint, Action.REOPEN, reason="It happened again", who=CUSTOMER_A)
    # then
    assert load(complaint.pk).state == State.REOPENED


def test_reopening_after_the_organisations_period_is_refused(cast):
    # given an organisation that allows reopening within 5 days, and a complaint closed
    cast.org1.reopen_period_days = 5
    cast.org1.save(update_fields=["reopen_period_days"])
    complaint = _complaint(cast, State.CLOSED)
    closed_at = load(complaint.pk).closed_at
    # when it is reopened just after the period, then
    with clock.frozen_at(closed_at + timedelta(days=5, seconds=1)), refused(
        Conflict, "reopen_period_over"
    ):
        _transition(cast, complaint, Action.REOPEN, reason="It happened again", who=CUSTOMER_A)


def test_a_merged_complaint_refuses_every_transition(cast):
    from plaint.complaints.services.merge import complaint_merge

    # given a complaint merged into another
    source = _complaint(cast, State.INVESTIGATING)
    target = _complaint(cast, State.INVESTIGATING)
    complaint_merge(actor=cast.actor(MANAGER), source=load(source.pk), target=load(target.pk),
                    reason="Same bill")
    # when / then
    for action in GENERIC_ACTIONS:
        with refused(Conflict, "complaint_merged"):
            _transition(cast, source, action, reason="because")


def test_staff_transitions_tell_the_customer_by_mail_with_the_question_asked(cast):
    # given
    complaint = _complaint(cast, State.ACKNOWLEDGED)
    before = OutgoingMessage.objects.order_by("-pk").values_list("pk", flat=True).first()
    # when staff ask the customer for information
    _transition(cast, complaint, Action.REQUEST_INFORMATION, reason="Which invoice number?")
    # then the customer is told, with the question
    message = OutgoingMessage.objects.get(pk__gt=before)
    assert (message.kind, message.thread_reference) == ("state_changed", complaint.reference)
    assert message.to_address == cast.customers[CUSTOMER_A].email
    assert references.display(complaint.reference) in message.subject
    assert "Which invoice number?" in message.body


def test_the_customers_own_transitions_send_them_no_mail(cast):
    complaint = _complaint(cast, State.AWAITING_CUSTOMER)
    before = OutgoingMessage.objects.count()
    _transition(cast, complaint, Action.RESUME, who=CUSTOMER_A)
    _transition(cast, complaint, Action.WITHDRAW, reason="Sorted out", who=CUSTOMER_A)
    assert OutgoingMessage.objects.count() == before
