"""Recording what the customer asks for: validated, replaced whole, until a decision."""

from __future__ import annotations

from decimal import Decimal

import pytest

from plaint.complaints.choices import EventKind
from plaint.complaints.lifecycle import State
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
from plaint.core import clock
from plaint.core.exceptions import Conflict, ValidationFailed
from plaint.testing import builders
from plaint.testing.actors import AGENT, CUSTOMER_A

REFUND = DemandSpec(kind="refund", amount=Decimal("25.00"), currency="CZK", detail=FREE_TEXT)


def _complaint(cast, state=State.INVESTIGATING, demands=False):
    return builders.reach(builders.complaint(cast.customers[CUSTOMER_A], demands=demands), state)


def _record(cast, complaint, demands, who=AGENT):
    return complaint_demands_record(actor=cast.actor(who), complaint=load(complaint.pk),
                                    demands=demands)


def test_demands_are_recorded_with_one_event_listing_their_kinds_only(cast):
    # given a complaint taken by phone with its demands unspecified
    complaint = _complaint(cast)
    after = last_event_id()
    # when
    with clock.frozen_at(NOW):
        _record(cast, complaint, [REFUND, DemandSpec(kind="apology", detail=FREE_TEXT)])
    # then
    stored = load(complaint.pk)
    assert (stored.demands_recorded, stored.updated_at) == (True, NOW)
    assert sorted(stored.demands.values_list("kind", "amount", "currency", "detail")) == [
        ("apology", None, "", FREE_TEXT), ("refund", Decimal("25.00"), "CZK", FREE_TEXT),
    ]
    event = only_new_event(after)
    assert (event.kind, event.data) == (EventKind.DEMANDS_RECORDED,
                                        {"kinds": ["refund", "apology"]})
    assert_recorded_by(event, cast.actor(AGENT))
    assert_no_free_text(event)


def test_recording_demands_again_replaces_them(cast):
    complaint = _complaint(cast, demands=True)
    _record(cast, complaint, [DemandSpec(kind="repair")], who=CUSTOMER_A)
    assert list(load(complaint.pk).demands.values_list("kind", flat=True)) == ["repair"]


def test_no_demands_at_all_is_refused(cast):
    complaint = _complaint(cast)
    with refused(ValidationFailed, "invalid_demand") as refusal:
        _record(cast, complaint, [])
    assert list(refusal.value.fields) == ["demands"]


@pytest.mark.parametrize(("demand", "field"), [
    (DemandSpec(kind="wish"), "demands.1.kind"),
    (DemandSpec(kind="refund"), "demands.1.amount"),
    (DemandSpec(kind="compensation", amount=Decimal("0"), currency="CZK"), "demands.1.amount"),
    (DemandSpec(kind="refund", amount=Decimal("5"), currency="czk"), "demands.1.currency"),
    (DemandSpec(kind="refund", amount=Decimal("5")), "demands.1.currency"),
    (DemandSpec(kind="apology", currency="CZK"), "demands.1.amount"),
])
def test_an_invalid_demand_is_refused_naming_it_and_the_old_demands_stay(cast, demand, field):
    # given recorded demands
    complaint = _complaint(cast, demands=True)
    # when / then
    with refused(ValidationFailed, "invalid_demand") as refusal:
        _record(cast, complaint, [DemandSpec(kind="apology"), demand])
    assert field in refusal.value.fields


@pytest.mark.parametrize("state", [State.DECIDED, State.CLOSED, State.WITHDRAWN])
def test_demands_can_no_longer_change_once_decided_or_ended(cast, state):
    complaint = _complaint(cast, state, demands=True)
    with refused(Conflict, "invalid_demand"):
        _record(cast, complaint, [DemandSpec(kind="apology")])


@pytest.mark.parametrize("state", [State.RECEIVED, State.ACKNOWLEDGED, State.AWAITING_CUSTOMER,
                                   State.REOPENED])
def test_demands_may_be_recorded_in_every_state_before_a_decision(cast, state):
    complaint = _complaint(cast, state, demands=True)
    _record(cast, complaint, [DemandSpec(kind="explanation")])
    assert load(complaint.pk).demands_recorded
