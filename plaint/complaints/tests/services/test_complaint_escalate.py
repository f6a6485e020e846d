"""Escalation one level up with a reason, and the customer's request for a supervisor."""

from __future__ import annotations

import pytest

from plaint.complaints.actors import SYSTEM_ACTOR
from plaint.complaints.choices import EventKind
from plaint.complaints.lifecycle import State
from plaint.complaints.services.escalation import complaint_escalate, complaint_request_supervisor
from plaint.complaints.services.merge import complaint_merge
from plaint.complaints.tests.helpers import (
    NOW,
    assert_no_free_text,
    assert_recorded_by,
    last_event_id,
    load,
    only_new_event,
    refused,
)
from plaint.core import clock
from plaint.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from plaint.testing import builders
from plaint.testing.actors import AGENT, COMPLAINTS_OFFICER, CUSTOMER_A, MANAGER, TEAM_LEADER

WORDS = "Your agent hung up on me twice. I want a supervisor."


def _complaint(cast, state=State.INVESTIGATING, level=1):
    return builders.reach(builders.complaint(cast.customers[CUSTOMER_A]), state, level=level)


@pytest.mark.parametrize(("who", "level"), [(AGENT, 1), (TEAM_LEADER, 2),
                                            (COMPLAINTS_OFFICER, 3), (MANAGER, 3)])
def test_escalation_moves_one_level_up_with_the_reason_in_one_event(cast, who, level):
    # given
    complaint = _complaint(cast, level=level)
    after = last_event_id()
    # when
    with clock.frozen_at(NOW):
        escalated = complaint_escalate(actor=cast.actor(who), complaint=load(complaint.pk),
                                       reason="Needs a refund above my limit")
    # then
    stored = load(complaint.pk)
    assert stored.level == escalated.level == level + 1
    assert (stored.state, stored.updated_at) == (State.INVESTIGATING, NOW)
    event = only_new_event(after)
    assert event.kind == EventKind.ESCALATED
    assert event.data == {"level_from": level, "level_to": level + 1}
    assert event.reason.text == "Needs a refund above my limit"
    assert event.occurred_at == NOW
    assert_recorded_by(event, cast.actor(who))


def test_escalation_without_a_reason_is_refused(cast):
    complaint = _complaint(cast)
    with refused(ValidationFailed, "reason_required") as refusal:
        complaint_escalate(actor=cast.actor(AGENT), complaint=load(complaint.pk), reason=" \n")
    assert list(refusal.value.fields) == ["reason"]


def test_escalation_stops_at_senior_management(cast):
    complaint = _complaint(cast, level=4)
    with refused(Conflict, "level_maximum"):
        complaint_escalate(actor=SYSTEM_ACTOR, complaint=load(complaint.pk), reason="More")


@pytest.mark.parametrize("state", [State.CLOSED, State.WITHDRAWN, State.EXTERNALLY_RESOLVED])
def test_a_complaint_no_longer_open_cannot_be_escalated(cast, state):
    complaint = _complaint(cast, state)
    with refused(Conflict, "transition_not_allowed"):
        complaint_escalate(actor=cast.actor(AGENT), complaint=load(complaint.pk), reason="Why")


@pytest.mark.parametrize("state", [State.RECEIVED, State.DECIDED, State.FINAL_RESPONSE_ISSUED,
                                   State.REFERRED_EXTERNALLY, State.REOPENED])
def test_an_open_complaint_can_be_escalated_in_any_state(cast, state):
    complaint = _complaint(cast, state)
    complaint_escalate(actor=cast.actor(AGENT), complaint=load(complaint.pk), reason="Why not")
    assert load(complaint.pk).level == 2


def test_a_merged_complaint_cannot_be_escalated(cast):
    source, target = _complaint(cast), _complaint(cast)
    complaint_merge(actor=cast.actor(AGENT), source=load(source.pk), target=load(target.pk),
                    reason="Same matter")
    with refused(Conflict, "transition_not_allowed"):
        complaint_escalate(actor=SYSTEM_ACTOR, complaint=load(source.pk), reason="Why")


def test_the_customers_supervisor_request_moves_the_frontline_to_a_supervisor_in_their_words(
    cast,
):
    # given a frontline complaint
    complaint = _complaint(cast)
    customer = cast.actor(CUSTOMER_A)
    after = last_event_id()
    # when the customer asks for a supervisor
    with clock.frozen_at(NOW):
        complaint_request_supervisor(actor=customer, complaint=load(complaint.pk), words=WORDS)
    # then a supervisor handles it, and the customer's words are the reason
    assert load(complaint.pk).level == 2
    event = only_new_event(after)
    assert event.kind == EventKind.SUPERVISOR_REQUESTED
    assert event.reason.text == WORDS
    assert event.data == {"level_from": 1, "level_to": 2}
    assert event.occurred_at == NOW
    assert_recorded_by(event, customer)
    assert_no_free_text(event, WORDS)


@pytest.mark.parametrize("level", [2, 3, 4])
def test_a_supervisor_request_is_refused_once_above_the_frontline(cast, level):
    complaint = _complaint(cast, level=level)
    with refused(Conflict, "supervisor_only_from_frontline"):
        complaint_request_supervisor(actor=cast.actor(CUSTOMER_A), complaint=load(complaint.pk),
                                     words=WORDS)


def test_a_supervisor_request_needs_the_customers_words(cast):
    complaint = _complaint(cast)
    with refused(ValidationFailed, "reason_required"):
        complaint_request_supervisor(actor=cast.actor(CUSTOMER_A), complaint=load(complaint.pk),
                                     words="")


@pytest.mark.parametrize("who", [AGENT, MANAGER])
def test_staff_cannot_request_a_supervisor_for_the_customer(cast, who):
    complaint = _complaint(cast)
    with refused(PermissionDenied, "not_permitted"):
        complaint_request_supervisor(actor=cast.actor(who), complaint=load(complaint.pk),
                                     words=WORDS)


def test_the_customer_cannot_escalate_beyond_asking_for_a_supervisor(cast):
    complaint = _complaint(cast, level=2)
    with refused(PermissionDenied, "not_permitted"):
        complaint_escalate(actor=cast.actor(CUSTOMER_A), complaint=load(complaint.pk),
                           reason="Higher!")
