"""What was said: interactions with their promises, messages and internal notes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from plaint.channels.models import OutgoingMessage
from plaint.complaints.actors import SYSTEM_ACTOR
from plaint.complaints.choices import EventKind, MessageKind, Visibility
from plaint.complaints.models import Interaction, Message, Promise
from plaint.complaints.services.records import (
    InteractionSpec,
    PromiseSpec,
    interaction_log,
    message_add,
)
from plaint.complaints.tests.helpers import (
    FREE_TEXT,
    NOW,
    actor_of,
    assert_no_free_text,
    assert_recorded_by,
    last_event_id,
    load,
    only_new_event,
    refused,
)
from plaint.core import clock, references
from plaint.core.exceptions import PermissionDenied, ValidationFailed
from plaint.testing.actors import AGENT, CUSTOMER_A, TOKEN

STARTED = NOW - timedelta(hours=2)


def _spec(**fields) -> InteractionSpec:
    return InteractionSpec(**{"channel": "phone", "direction": "inbound", "started_at": STARTED,
                              "duration_seconds": 420, "notes": FREE_TEXT, **fields})


def _log(cast, spec, who=AGENT, actor=None):
    with clock.frozen_at(NOW):
        return interaction_log(actor=actor or cast.actor(who), complaint=load(cast.complaint_a.pk),
                               spec=spec)


def _last_outgoing() -> int:
    return OutgoingMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


# interaction_log


def test_staff_log_a_call_with_their_name_position_and_location_as_they_are_now(cast):
    # given
    member = cast.memberships[AGENT]
    after = last_event_id()
    # when the agent logs a call, typing somebody else's details
    interaction = _log(cast, _spec(staff_name="Someone", staff_position="CEO",
                                   references_quoted=["INV-1"]))
    # then the record names the agent as they are in their membership
    stored = Interaction.objects.get(pk=interaction.pk)
    assert (stored.staff_member, stored.staff_name, stored.staff_position, stored.staff_location) == (
        member, member.user.full_name, member.position, member.location
    )
    assert (stored.channel, stored.direction, stored.started_at, stored.duration_seconds) == (
        "phone", "inbound", STARTED, 420
    )
    assert (stored.notes, stored.references_quoted, stored.created_at) == (FREE_TEXT, ["INV-1"], NOW)
    assert (stored.recorded_by_kind, stored.recorded_by) == ("staff", member.user)
    # and one event records it without the notes
    event = only_new_event(after)
    assert event.kind == EventKind.INTERACTION_LOGGED
    assert event.data == {"interaction": interaction.pk, "channel": "phone", "promises": 0}
    assert_recorded_by(event, cast.actor(AGENT))
    assert_no_free_text(event, member.user.full_name)
    # and the details stay as they were when the member later changes job
    member.position = "Team leader"
    member.save(update_fields=["position"])
    assert Interaction.objects.get(pk=interaction.pk).staff_position == stored.staff_position


def test_a_customer_logs_their_own_call_with_what_the_agent_said_their_name_was(cast):
    interaction = _log(cast, _spec(staff_name="Petra", staff_position="Billing",
                                   staff_location="Brno", visibility=Visibility.INTERNAL),
                       who=CUSTOMER_A)
    assert (interaction.staff_member, interaction.staff_name, interaction.staff_position,
            interaction.staff_location) == (None, "Petra", "Billing", "Brno")
    # a customer's record is always visible to them
    assert interaction.visibility == Visibility.CUSTOMER
    assert interaction.recorded_by_kind == "customer"


def test_an_integration_logs_a_call_with_the_details_it_sends(cast):
    interaction = _log(cast, _spec(staff_name="Agent 7"), actor=actor_of(cast, TOKEN))
    assert (interaction.staff_member, interaction.staff_name, interaction.recorded_by) == (
        None, "Agent 7", None
    )
    assert interaction.recorded_by_kind == "integration"


def test_promises_made_in_a_call_are_recorded_with_it(cast):
    after = last_event_id()
    interaction = _log(cast, _spec(promises=[
        PromiseSpec(kind="callback", due_at=NOW + timedelta(hours=4), description="Call back"),
        PromiseSpec(kind="action", due_at=NOW + timedelta(days=5), description="Refund"),
    ]))
    promises = Promise.objects.filter(interaction=interaction).order_by("due_at")
    assert [(p.kind, p.complaint_id, p.state) for p in promises] == [
        ("callback", cast.complaint_a.pk, "open"), ("action", cast.complaint_a.pk, "open"),
    ]
    assert only_new_event(after).data["promises"] == 2


def test_staff_may_log_a_call_as_internal(cast):
    after = last_event_id()
    interaction = _log(cast, _spec(visibility=Visibility.INTERNAL))
    assert interaction.visibility == Visibility.INTERNAL
    assert only_new_event(after).visibility == Visibility.INTERNAL


@pytest.mark.parametrize(("change", "field"), [
    ({"channel": "pigeon"}, "channel"),
    ({"direction": "sideways"}, "direction"),
    ({"started_at": NOW + timedelta(minutes=1)}, "started_at"),
    ({"duration_seconds": -1}, "duration_seconds"),
    ({"duration_seconds": 24 * 3600 + 1}, "duration_seconds"),
    ({"visibility": "public"}, "visibility"),
    ({"promises": [PromiseSpec(kind="wish", due_at=NOW + timedelta(days=1))]}, "promises.0.kind"),
    ({"promises": [PromiseSpec(kind="callback", due_at=STARTED)]}, "promises.0.due_at"),
])
def test_an_invalid_interaction_is_refused_naming_the_field(cast, change, field):
    with refused(ValidationFailed, "validation_error") as refusal:
        _log(cast, _spec(**change))
    assert field in refusal.value.fields


def test_a_call_of_exactly_a_day_that_started_just_now_is_accepted(cast):
    interaction = _log(cast, _spec(started_at=NOW, duration_seconds=24 * 3600))
    assert interaction.duration_seconds == 24 * 3600


# message_add


def test_a_customers_message_is_visible_to_them_and_tells_the_staff_not_them(cast):
    # given
    after, sent_before = last_event_id(), _last_outgoing()
    # when
    with clock.frozen_at(NOW):
        message = message_add(actor=cast.actor(CUSTOMER_A), complaint=load(cast.complaint_a.pk),
                              body=FREE_TEXT, channel="email")
    # then
    stored = Message.objects.get(pk=message.pk)
    assert (stored.kind, stored.visibility, stored.channel, stored.body) == (
        MessageKind.MESSAGE, Visibility.CUSTOMER, "email", FREE_TEXT
    )
    assert (stored.author_kind, stored.author, stored.created_at) == (
        "customer", cast.users[CUSTOMER_A], NOW
    )
    event = only_new_event(after)
    assert (event.kind, event.visibility, event.data) == (
        EventKind.MESSAGE_ADDED, Visibility.CUSTOMER, {"message": message.pk}
    )
    assert_recorded_by(event, cast.actor(CUSTOMER_A))
    # and the customer gets no mail about their own message; the staff who handle it are told
    new = OutgoingMessage.objects.filter(pk__gt=sent_before or 0)
    assert new.exists()
    assert set(new.values_list("kind", flat=True)) == {"staff_customer_replied"}
    assert cast.complaint_a.customer.email not in set(new.values_list("to_address", flat=True))


def test_a_staff_message_is_also_sent_to_the_customer(cast):
    sent_before = _last_outgoing()
    message_add(actor=cast.actor(AGENT), complaint=load(cast.complaint_a.pk),
                body="We have refunded the second charge.")
    sent = OutgoingMessage.objects.get(pk__gt=sent_before)
    assert (sent.kind, sent.to_address, sent.thread_reference) == (
        "message", cast.customers[CUSTOMER_A].email, cast.complaint_a.reference
    )
    assert references.display(cast.complaint_a.reference) in sent.subject
    assert "We have refunded the second charge." in sent.body


def test_an_internal_note_is_internal_and_sends_no_mail(cast):
    after, sent_before = last_event_id(), _last_outgoing()
    note = message_add(actor=cast.actor(AGENT), complaint=load(cast.complaint_a.pk),
                       body=FREE_TEXT, internal=True)
    assert (note.kind, note.visibility) == (MessageKind.NOTE, Visibility.INTERNAL)
    event = only_new_event(after)
    assert (event.kind, event.visibility) == (EventKind.NOTE_ADDED, Visibility.INTERNAL)
    assert _last_outgoing() == sent_before


def test_a_customer_cannot_write_an_internal_note(cast):
    with refused(PermissionDenied, "not_permitted"):
        message_add(actor=cast.actor(CUSTOMER_A), complaint=load(cast.complaint_a.pk),
                    body="Secret", internal=True)


@pytest.mark.parametrize(("body", "channel", "field"), [
    ("  \n", "web", "body"),
    ("Hello", "telepathy", "channel"),
])
def test_an_empty_message_or_an_unknown_channel_is_refused(cast, body, channel, field):
    with refused(ValidationFailed, "validation_error") as refusal:
        message_add(actor=cast.actor(AGENT), complaint=load(cast.complaint_a.pk), body=body,
                    channel=channel)
    assert list(refusal.value.fields) == [field]


def test_a_message_from_the_system_is_recorded_as_the_systems(cast):
    after = last_event_id()
    message = message_add(actor=SYSTEM_ACTOR, complaint=load(cast.complaint_a.pk),
                          body="Reply received by e-mail", channel="email")
    assert (message.author_kind, message.author) == ("system", None)
    assert_recorded_by(only_new_event(after), SYSTEM_ACTOR)
