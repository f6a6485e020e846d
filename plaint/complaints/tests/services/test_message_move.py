"""Moving a misfiled message to the complaint it belongs to: one event on both timelines."""

from __future__ import annotations

from plaint.complaints.choices import EventKind, Visibility
from plaint.complaints.models import Message
from plaint.complaints.selectors import complaint_detail, complaint_timeline
from plaint.complaints.services.records import message_add, message_move
from plaint.complaints.tests.helpers import (
    NOW,
    assert_recorded_by,
    last_event_id,
    load,
    only_new_event,
    refused,
)
from plaint.core import clock
from plaint.core.exceptions import PermissionDenied, ValidationFailed
from plaint.testing.actors import CUSTOMER_A, CUSTOMER_B, MANAGER, TEAM_LEADER


def _message(cast, complaint=None, internal=False):
    return message_add(actor=cast.actor(TEAM_LEADER), complaint=complaint or cast.complaint_a,
                       body="Letter about the router", internal=internal)


def _move(cast, message, to, reason="Filed under the wrong customer", who=TEAM_LEADER):
    return message_move(actor=cast.actor(who),
                        message=Message.objects.select_related("complaint").get(pk=message.pk),
                        to_complaint=load(to.pk), reason=reason)


def test_a_moved_message_belongs_to_the_target_and_remembers_where_it_was(cast):
    # given a message filed on complaint A that belongs to complaint B
    message = _message(cast)
    after = last_event_id()
    # when
    with clock.frozen_at(NOW):
        _move(cast, message, cast.complaint_b)
    # then
    message.refresh_from_db()
    assert (message.complaint_id, message.moved_from_id) == (
        cast.complaint_b.pk, cast.complaint_a.pk
    )
    assert load(cast.complaint_b.pk).updated_at == NOW
    # and one event, on the source, names the target
    event = only_new_event(after)
    assert (event.kind, event.complaint_id, event.related_complaint_id) == (
        EventKind.MESSAGE_MOVED, cast.complaint_a.pk, cast.complaint_b.pk
    )
    assert event.data == {"message": message.pk, "from": cast.complaint_a.pk,
                          "to": cast.complaint_b.pk}
    assert event.reason.text == "Filed under the wrong customer"
    assert (event.occurred_at, event.visibility) == (NOW, Visibility.CUSTOMER)
    assert_recorded_by(event, cast.actor(TEAM_LEADER))


def test_the_move_shows_on_both_timelines_and_the_message_on_the_targets_detail(cast):
    # given
    message = _message(cast)
    after = last_event_id()
    # when
    _move(cast, message, cast.complaint_b)
    # then
    moved = only_new_event(after)
    staff = cast.actor(MANAGER)
    for complaint in (cast.complaint_a, cast.complaint_b):
        timeline = complaint_timeline(complaint=load(complaint.pk), actor=staff)
        assert [e.pk for e in timeline].count(moved.pk) == 1
    assert message in complaint_detail(complaint=load(cast.complaint_b.pk),
                                       actor=staff).messages.all()
    assert message not in complaint_detail(complaint=load(cast.complaint_a.pk),
                                           actor=staff).messages.all()


def test_the_target_customer_sees_the_move_of_a_visible_message(cast):
    message = _message(cast)
    after = last_event_id()
    _move(cast, message, cast.complaint_b)
    moved = only_new_event(after)
    timeline = complaint_timeline(complaint=load(cast.complaint_b.pk),
                                  actor=cast.actor(CUSTOMER_B))
    assert moved.pk in [e.pk for e in timeline]


def test_moving_an_internal_note_is_an_internal_event(cast):
    # given
    note = _message(cast, internal=True)
    after = last_event_id()
    # when
    _move(cast, note, cast.complaint_b)
    # then neither customer sees it
    moved = only_new_event(after)
    assert moved.visibility == Visibility.INTERNAL
    for complaint, customer in ((cast.complaint_a, CUSTOMER_A), (cast.complaint_b, CUSTOMER_B)):
        timeline = complaint_timeline(complaint=load(complaint.pk), actor=cast.actor(customer))
        assert moved.pk not in [e.pk for e in timeline]


def test_a_message_cannot_be_moved_to_the_complaint_it_is_on(cast):
    message = _message(cast)
    with refused(ValidationFailed, "validation_error") as refusal:
        _move(cast, message, cast.complaint_a)
    assert list(refusal.value.fields) == ["to_reference"]


def test_a_message_cannot_be_moved_to_another_organisations_complaint(cast):
    message = _message(cast)
    with refused(PermissionDenied, "not_permitted"):
        _move(cast, message, cast.complaint_other_org, who=MANAGER)


def test_a_customer_cannot_move_a_message(cast):
    message = message_add(actor=cast.actor(CUSTOMER_A), complaint=cast.complaint_a, body="Hi")
    with refused(PermissionDenied, "not_permitted"):
        _move(cast, message, cast.complaint_b, who=CUSTOMER_A)


def test_a_message_moves_without_a_reason_too(cast):
    message = _message(cast)
    after = last_event_id()
    _move(cast, message, cast.complaint_b, reason="")
    assert only_new_event(after).reason is None
