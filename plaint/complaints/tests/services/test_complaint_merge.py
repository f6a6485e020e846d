"""Merging two complaints of one customer: the source closes, both histories are kept."""

from __future__ import annotations

import pytest

from plaint.complaints.choices import EventKind
from plaint.complaints.lifecycle import Action, State
from plaint.complaints.models import Event
from plaint.complaints.selectors import complaint_timeline
from plaint.complaints.services.merge import complaint_merge
from plaint.complaints.services.records import message_add
from plaint.complaints.tests.helpers import (
    NOW,
    actor_of,
    assert_recorded_by,
    last_event_id,
    load,
    only_new_event,
    refused,
)
from plaint.core import clock
from plaint.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from plaint.testing import builders
from plaint.testing.actors import AGENT, CUSTOMER_A, CUSTOMER_B, OTHER_ORG_AGENT

REASON = "The customer wrote twice about the same bill"


def _complaint(cast, state=State.INVESTIGATING, customer=CUSTOMER_A):
    return builders.reach(builders.complaint(cast.customers[customer]), state)


def _merge(cast, source, target, reason=REASON, actor=None):
    return complaint_merge(actor=actor or cast.actor(AGENT), source=load(source.pk),
                           target=load(target.pk), reason=reason)


def test_merging_closes_the_source_into_the_target_with_one_event(cast):
    # given two open complaints of one customer
    source, target = _complaint(cast), _complaint(cast)
    after = last_event_id()
    # when
    with clock.frozen_at(NOW):
        returned = _merge(cast, source, target)
    # then the source is closed and points to the target, which stays open
    stored_source, stored_target = load(source.pk), load(target.pk)
    assert returned == stored_target
    assert (stored_source.state, stored_source.closed_at, stored_source.merged_into_id) == (
        State.CLOSED, NOW, target.pk
    )
    assert (stored_target.state, stored_target.merged_into_id) == (State.INVESTIGATING, None)
    assert stored_target.updated_at == NOW
    # and one event, on the source, names the target
    event = only_new_event(after)
    assert (event.kind, event.complaint_id, event.related_complaint_id) == (
        EventKind.MERGED, source.pk, target.pk
    )
    assert event.reason.text == REASON
    assert event.data == {"from": "investigating", "to": "closed", "into": target.pk}
    assert_recorded_by(event, cast.actor(AGENT))


def test_the_targets_timeline_includes_the_sources_history_and_the_merge_once(cast):
    # given two complaints with histories of their own
    source, target = _complaint(cast), _complaint(cast)
    message_add(actor=cast.actor(CUSTOMER_A), complaint=load(source.pk), body="More details")
    source_events = set(Event.objects.filter(complaint=source).values_list("pk", flat=True))
    target_events = set(Event.objects.filter(complaint=target).values_list("pk", flat=True))
    # when
    _merge(cast, source, target)
    # then the target's timeline holds both histories and the merge, each once
    merged = Event.objects.get(kind=EventKind.MERGED)
    timeline = [e.pk for e in complaint_timeline(complaint=load(target.pk),
                                                 actor=cast.actor(AGENT))]
    assert sorted(timeline) == sorted(source_events | target_events | {merged.pk})
    assert len(timeline) == len(set(timeline))
    # and the source's own timeline is unchanged but for the merge
    source_timeline = complaint_timeline(complaint=load(source.pk), actor=cast.actor(AGENT))
    assert {e.pk for e in source_timeline} == source_events | {merged.pk}


def test_the_customer_sees_the_merged_history_on_the_target(cast):
    source, target = _complaint(cast), _complaint(cast)
    _merge(cast, source, target)
    timeline = complaint_timeline(complaint=load(target.pk), actor=cast.actor(CUSTOMER_A))
    assert {e.complaint_id for e in timeline} == {source.pk, target.pk}
    assert EventKind.MERGED in [e.kind for e in timeline]


def test_merging_moves_and_deletes_nothing(cast):
    source, target = _complaint(cast), _complaint(cast)
    message = message_add(actor=cast.actor(CUSTOMER_A), complaint=load(source.pk), body="Hi")
    demands = list(source.demands.values_list("pk", flat=True))
    _merge(cast, source, target)
    message.refresh_from_db()
    assert message.complaint_id == source.pk
    assert list(load(source.pk).demands.values_list("pk", flat=True)) == demands


def test_merging_a_complaint_that_absorbed_another_keeps_every_history_on_the_target(cast):
    # given A merged into B, then B merged into C
    first, second, third = _complaint(cast), _complaint(cast), _complaint(cast)
    _merge(cast, first, second)
    _merge(cast, second, third)
    histories = set(Event.objects.filter(complaint__in=[first, second, third])
                    .values_list("pk", flat=True))
    # when
    timeline = complaint_timeline(complaint=load(third.pk), actor=cast.actor(AGENT))
    # then C's timeline holds the whole history of all three, each event once
    assert sorted(e.pk for e in timeline) == sorted(histories)
    assert [e.kind for e in timeline].count(EventKind.MERGED) == 2


def test_merging_needs_a_reason(cast):
    source, target = _complaint(cast), _complaint(cast)
    with refused(ValidationFailed, "reason_required") as refusal:
        _merge(cast, source, target, reason=" ")
    assert list(refusal.value.fields) == ["reason"]


def test_a_complaint_cannot_be_merged_into_itself(cast):
    complaint = _complaint(cast)
    with refused(ValidationFailed, "invalid_merge") as refusal:
        _merge(cast, complaint, complaint)
    assert list(refusal.value.fields) == ["into_reference"]


def test_complaints_of_different_customers_cannot_be_merged(cast):
    source, target = _complaint(cast), _complaint(cast, customer=CUSTOMER_B)
    with refused(ValidationFailed, "invalid_merge"):
        _merge(cast, source, target)


@pytest.mark.parametrize("state", [State.CLOSED, State.WITHDRAWN, State.EXTERNALLY_RESOLVED])
def test_a_complaint_cannot_be_merged_into_one_no_longer_open(cast, state):
    source, target = _complaint(cast), _complaint(cast, state)
    with refused(ValidationFailed, "invalid_merge"):
        _merge(cast, source, target)


def test_a_complaint_cannot_be_merged_into_one_that_was_merged_itself(cast):
    source, merged, target = _complaint(cast), _complaint(cast), _complaint(cast)
    _merge(cast, merged, target)
    with refused(ValidationFailed, "invalid_merge"):
        _merge(cast, source, merged)


def test_a_complaint_merged_already_cannot_be_merged_again(cast):
    source, target, other = _complaint(cast), _complaint(cast), _complaint(cast)
    _merge(cast, source, target)
    with refused(Conflict, "complaint_merged"):
        _merge(cast, source, other)


@pytest.mark.parametrize("state", [State.DECIDED, State.FINAL_RESPONSE_ISSUED, State.CLOSED])
def test_a_complaint_past_the_investigation_cannot_be_merged_away(cast, state):
    source, target = _complaint(cast, state), _complaint(cast)
    with refused(Conflict, "transition_not_allowed"):
        _merge(cast, source, target)


def test_a_complaint_cannot_be_merged_into_another_organisations(cast):
    # given a complaint of organisation 1 and one of organisation 2
    source = _complaint(cast)
    other = cast.complaint_other_org
    # when / then, whoever tries
    for actor in (cast.actor(AGENT), actor_of(cast, OTHER_ORG_AGENT)):
        with refused(PermissionDenied, "not_permitted"):
            _merge(cast, source, other, actor=actor)


def test_a_merged_complaint_cannot_be_reopened(cast):
    # given a merged complaint (closed by the merge)
    source, target = _complaint(cast), _complaint(cast)
    _merge(cast, source, target)
    # when / then reopening it is refused: its history now lives on the target
    with refused(Conflict, "complaint_merged"):
        builders.move(load(source.pk), Action.REOPEN, actor=cast.actor(CUSTOMER_A))
