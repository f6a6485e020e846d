"""The decision: needs recorded demands, an outcome and reasoning; one event; a letter."""

from __future__ import annotations

from decimal import Decimal

import pytest

from plaint.channels.models import OutgoingMessage
from plaint.complaints.choices import EventKind
from plaint.complaints.lifecycle import Action, State
from plaint.complaints.models import Decision
from plaint.complaints.services.decisions import DecisionSpec, complaint_decide
from plaint.complaints.services.demands import DemandSpec, complaint_demands_record
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
from plaint.testing.actors import AGENT, CUSTOMER_A, MANAGER

REASONING = f"{FREE_TEXT}: the meter was read twice"


def _complaint(cast, state=State.INVESTIGATING, demands=True, level=1):
    complaint = builders.complaint(cast.customers[CUSTOMER_A], demands=demands)
    return builders.reach(complaint, state, level=level)


def _decide(cast, complaint, who=AGENT, **spec):
    fields = {"outcome": "upheld", "reasoning": REASONING, **spec}
    return complaint_decide(actor=cast.actor(who), complaint=load(complaint.pk),
                            spec=DecisionSpec(**fields))


@pytest.mark.parametrize("state", [State.ACKNOWLEDGED, State.INVESTIGATING,
                                   State.AWAITING_CUSTOMER, State.REOPENED])
def test_a_decision_is_recorded_with_its_remedy_and_reasoning_and_decides_the_complaint(
    cast, state
):
    # given
    complaint = _complaint(cast, state)
    after = last_event_id()
    # when
    with clock.frozen_at(NOW):
        decision = _decide(cast, complaint, outcome="partly_upheld", remedy_kind="credit",
                           remedy_amount=Decimal("150.00"), remedy_currency="CZK",
                           remedy_detail=FREE_TEXT)
    # then
    stored = Decision.objects.get(pk=decision.pk)
    assert (stored.outcome, stored.remedy_kind, stored.remedy_amount, stored.remedy_currency) == (
        "partly_upheld", "credit", Decimal("150.00"), "CZK"
    )
    assert (stored.reasoning, stored.decided_at, stored.decided_by) == (
        REASONING, NOW, cast.users[AGENT]
    )
    assert stored.customer_response == Decision.CustomerResponse.PENDING
    assert load(complaint.pk).state == State.DECIDED
    event = only_new_event(after)
    assert event.kind == EventKind.DECIDED
    assert_recorded_by(event, cast.actor(AGENT))
    assert event.data == {"from": state.value, "to": "decided", "decision": decision.pk,
                          "outcome": "partly_upheld", "remedy": "credit"}
    assert_no_free_text(event, REASONING)


def test_the_customer_gets_the_decision_by_mail(cast):
    complaint = _complaint(cast)
    before = OutgoingMessage.objects.order_by("-pk").values_list("pk", flat=True).first()
    _decide(cast, complaint)
    sent = OutgoingMessage.objects.get(pk__gt=before)
    assert (sent.kind, sent.to_address, sent.thread_reference) == (
        "decided", cast.customers[CUSTOMER_A].email, complaint.reference
    )
    assert references.display(complaint.reference) in sent.subject
    assert REASONING in sent.body


def test_a_decision_without_recorded_demands_is_refused(cast):
    complaint = _complaint(cast, demands=False)
    with refused(ValidationFailed, "demands_unspecified") as refusal:
        _decide(cast, complaint)
    assert list(refusal.value.fields) == ["demands"]


def test_a_decision_is_allowed_once_the_demands_are_recorded(cast):
    # given a complaint taken by phone without demands
    complaint = _complaint(cast, demands=False)
    # when the demands are recorded
    complaint_demands_record(actor=cast.actor(AGENT), complaint=load(complaint.pk),
                             demands=[DemandSpec(kind="explanation")])
    # then a decision can be made
    _decide(cast, complaint)
    assert load(complaint.pk).state == State.DECIDED


@pytest.mark.parametrize(("spec", "code", "field"), [
    ({"outcome": ""}, "outcome_required", "outcome"),
    ({"reasoning": "   "}, "reasoning_required", "reasoning"),
    ({"outcome": "maybe"}, "validation_error", "outcome"),
    ({"remedy_kind": "gift"}, "validation_error", "remedy_kind"),
    ({"remedy_amount": Decimal("0")}, "validation_error", "remedy_amount"),
    ({"remedy_amount": Decimal("5"), "remedy_currency": "Kč"}, "validation_error",
     "remedy_currency"),
    ({"remedy_amount": Decimal("5")}, "validation_error", "remedy_currency"),
    ({"remedy_currency": "CZK"}, "validation_error", "remedy_amount"),
])
def test_a_decision_needs_an_outcome_reasoning_and_a_valid_remedy(cast, spec, code, field):
    complaint = _complaint(cast)
    with refused(ValidationFailed, code) as refusal:
        _decide(cast, complaint, **spec)
    assert field in refusal.value.fields


@pytest.mark.parametrize("state", [State.RECEIVED, State.DECIDED, State.CLOSED])
def test_a_decision_is_refused_where_the_lifecycle_has_none(cast, state):
    complaint = _complaint(cast, state)
    with refused(Conflict, "transition_not_allowed"):
        _decide(cast, complaint, who=MANAGER)


def test_a_rejected_decision_can_be_followed_by_a_new_one(cast):
    # given a decision the customer rejected
    complaint = _complaint(cast, State.DECIDED)
    builders.move(complaint, Action.REJECT_DECISION, actor=cast.actor(CUSTOMER_A))
    # when a manager decides again at the formal level
    second = _decide(cast, complaint, who=MANAGER, outcome="upheld")
    # then the complaint has both decisions and is decided
    assert list(complaint.decisions.order_by("decided_at", "pk").values_list(
        "customer_response", flat=True
    )) == ["rejected", "pending"]
    assert load(complaint.pk).state == State.DECIDED
    assert second.complaint_id == complaint.pk
