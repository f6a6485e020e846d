"""The outbox: a message is queued in the caller's transaction and sent after it commits."""

from __future__ import annotations

import re
import socket
from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction

from plaint.channels.models import OutgoingMessage, OutgoingState
from plaint.channels.services import (
    MAIL_DOMAIN,
    outbox_buffered,
    outbox_sweep,
    outgoing_message_mark_undelivered,
    outgoing_message_queue,
    outgoing_message_send,
)
from plaint.core import clock
from plaint.testing import builders

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
MESSAGE_ID = re.compile(rf"^<[A-Za-z0-9]{{24}}@{re.escape(MAIL_DOMAIN)}>$")


def _queue(organisation=None, **fields):
    return outgoing_message_queue(**{
        "organisation_id": organisation.pk if organisation else None, "kind": "received",
        "to_address": "jana@example.test", "language": "cs", "subject": "Stížnost 7K3M-Q9XD-4",
        "body": "Dobrý den,\n", "thread_reference": "7K3MQ9XD4", **fields,
    })


def _closed_port() -> int:
    """A loopback port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_queued_message_is_sent_only_after_commit_with_its_message_id(
    db, mailoutbox, django_capture_on_commit_callbacks, settings
):
    # given a message queued in a transaction
    organisation = builders.organisation()
    with clock.frozen_at(NOW), django_capture_on_commit_callbacks(execute=True) as callbacks:
        queued = _queue(organisation)
        # then nothing is sent before the commit
        assert mailoutbox == []
        assert OutgoingMessage.objects.get(pk=queued.pk).state == OutgoingState.QUEUED
    # when it commits, then it is sent once, as queued, and logged as sent
    assert len(callbacks) == 1
    sent = OutgoingMessage.objects.get(pk=queued.pk)
    assert (sent.state, sent.sent_at, sent.attempts, sent.queued_at) == (
        OutgoingState.SENT, NOW, 1, NOW
    )
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert (mail.subject, mail.body, mail.to, mail.from_email) == (
        "Stížnost 7K3M-Q9XD-4", "Dobrý den,\n", ["jana@example.test"], settings.DEFAULT_FROM_EMAIL
    )
    assert MESSAGE_ID.match(sent.message_id)
    assert mail.message()["Message-ID"] == sent.message_id


def test_a_message_queued_in_a_rolled_back_transaction_is_never_sent(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    def queue_then_fail() -> None:
        _queue()
        raise RuntimeError("the change failed")

    # given a message queued with a change, when the change is rolled back
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(
        RuntimeError
    ), transaction.atomic():
        queue_then_fail()
    # then there is neither a row nor a mail
    assert callbacks == []
    assert not OutgoingMessage.objects.exists()
    assert mailoutbox == []


def test_every_message_gets_its_own_message_id(db):
    ids = {_queue().message_id for _ in range(20)}
    assert len(ids) == 20
    assert all(MESSAGE_ID.match(i) for i in ids)


def test_a_message_already_sent_is_not_sent_again(db, mailoutbox):
    # given a message sent once
    queued = _queue()
    outgoing_message_send(message_id=queued.pk)
    # when it is sent again (a task run twice)
    again = outgoing_message_send(message_id=queued.pk)
    # then
    assert len(mailoutbox) == 1
    assert (again.state, again.attempts) == (OutgoingState.SENT, 1)


def _unreachable_mail_server(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _closed_port()
    settings.EMAIL_TIMEOUT = 2


def test_a_mail_server_that_cannot_be_reached_leaves_the_message_queued_for_a_later_retry(
    db, settings, mailoutbox
):
    # given a mail server that refuses connections
    _unreachable_mail_server(settings)
    settings.PLAINT_OUTBOX_RETRY_DELAYS = [60, 300]
    with clock.frozen_at(NOW):
        queued = _queue()
        # when the first attempt fails
        outgoing_message_send(message_id=queued.pk)
    # then the message waits for its retry with the error logged
    stored = OutgoingMessage.objects.get(pk=queued.pk)
    assert (stored.state, stored.attempts, stored.sent_at, stored.claimed_until) == (
        OutgoingState.QUEUED, 1, None, None
    )
    assert stored.next_attempt_at == NOW + timedelta(seconds=60)
    assert "ConnectionRefusedError" in stored.last_error
    # and a sweep before the retry is due does not try again
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox_sweep(now=NOW + timedelta(seconds=59)) == 0
    assert mailoutbox == []
    # when the retry is due and the server is back, the sweep sends it
    with clock.frozen_at(NOW + timedelta(seconds=61)):
        assert outbox_sweep() == 1
    sent = OutgoingMessage.objects.get(pk=queued.pk)
    assert (sent.state, sent.attempts, sent.sent_at, sent.next_attempt_at) == (
        OutgoingState.SENT, 2, NOW + timedelta(seconds=61), None
    )
    assert len(mailoutbox) == 1


def test_a_message_is_given_up_after_its_last_retry(db, settings, mailoutbox):
    # given a mail server that stays away and two retries allowed
    _unreachable_mail_server(settings)
    settings.PLAINT_OUTBOX_RETRY_DELAYS = [60, 300]
    with clock.frozen_at(NOW):
        queued = _queue()
    # when every attempt fails, each at its due time
    moments = [NOW, NOW + timedelta(seconds=60), NOW + timedelta(seconds=360)]
    for moment in moments:
        with clock.frozen_at(moment):
            assert outbox_sweep() == 1
    # then the message is failed, with no further attempt due
    failed = OutgoingMessage.objects.get(pk=queued.pk)
    assert (failed.state, failed.attempts, failed.next_attempt_at) == (OutgoingState.FAILED, 3, None)
    with clock.frozen_at(NOW + timedelta(days=2)):
        assert outbox_sweep() == 0


def test_a_message_claimed_by_another_sender_is_not_sent_twice(db, mailoutbox):
    # given a message another worker has just claimed
    with clock.frozen_at(NOW):
        queued = _queue()
    OutgoingMessage.objects.filter(pk=queued.pk).update(claimed_until=NOW + timedelta(minutes=5))
    # when this worker tries to send it within the lease
    with clock.frozen_at(NOW + timedelta(minutes=1)):
        outgoing_message_send(message_id=queued.pk)
        assert outbox_sweep() == 0
    # then nothing is sent; after the lease (the other worker crashed) the sweep sends it
    assert mailoutbox == []
    with clock.frozen_at(NOW + timedelta(minutes=6)):
        assert outbox_sweep() == 1
    assert len(mailoutbox) == 1


def test_the_messages_of_one_transaction_are_sent_by_one_task(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    # when three messages are queued in one transaction
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        queued = [_queue(to_address=f"person{i}@example.test") for i in range(3)]
    # then one callback sends all three
    assert len(callbacks) == 1
    assert sorted(m.to[0] for m in mailoutbox) == [m.to_address for m in queued]
    assert set(OutgoingMessage.objects.values_list("state", flat=True)) == {OutgoingState.SENT}


def test_a_message_whose_task_was_lost_is_sent_by_the_sweep(db, mailoutbox):
    # given a committed message whose sending task never ran (a crash after commit)
    with clock.frozen_at(NOW), transaction.atomic():
        queued = _queue()
        transaction.get_connection().run_on_commit.clear()
    assert mailoutbox == []
    # when the outbox sweep runs
    with clock.frozen_at(NOW + timedelta(seconds=30)):
        assert outbox_sweep() == 1
    # then it is sent once
    assert OutgoingMessage.objects.get(pk=queued.pk).state == OutgoingState.SENT
    assert len(mailoutbox) == 1


def test_an_answer_is_threaded_under_the_customers_mail_and_marked_as_automatic(db, mailoutbox):
    # given an acknowledgement answering the customer's mail, and a message a person wrote
    acknowledgement = _queue(in_reply_to="<original@mail.example.test>")
    written = _queue(kind="message")
    # when both are sent
    for message in (acknowledgement, written):
        outgoing_message_send(message_id=message.pk)
    # then the acknowledgement names the mail it answers and says a program wrote it
    first, second = (m.message() for m in mailoutbox)
    assert first["In-Reply-To"] == "<original@mail.example.test>"
    assert first["References"] == "<original@mail.example.test>"
    assert first["Auto-Submitted"] == "auto-generated"
    assert second["Auto-Submitted"] is None
    assert second["In-Reply-To"] is None


def test_a_bounce_marks_a_sent_message_undelivered(db, mailoutbox):
    # given a sent message
    queued = _queue()
    outgoing_message_send(message_id=queued.pk)
    # when a bounce for it is recorded
    with clock.frozen_at(NOW):
        outgoing_message_mark_undelivered(
            message=OutgoingMessage.objects.get(pk=queued.pk), diagnosis="550 5.1.1 no such user"
        )
    # then
    stored = OutgoingMessage.objects.get(pk=queued.pk)
    assert (stored.state, stored.undelivered_at, stored.last_error) == (
        OutgoingState.UNDELIVERED, NOW, "550 5.1.1 no such user"
    )


def _queue_then_fail() -> None:
    with transaction.atomic(), outbox_buffered():
        _queue(to_address="three@example.test")
        raise RuntimeError("the complaint's actions failed")


def test_buffered_messages_are_written_together_and_not_at_all_after_a_failure(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    # given messages queued in a buffered block (the sweep's, for one complaint)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        with outbox_buffered():
            first = _queue(to_address="one@example.test")
            _queue(to_address="two@example.test")
            # then nothing is written before the block ends
            assert first.pk is None
            assert not OutgoingMessage.objects.exists()
        # and both are written when it ends
        assert OutgoingMessage.objects.count() == 2
        # when a second block fails
        with pytest.raises(RuntimeError):
            _queue_then_fail()
    # then its message was never written, and the others were sent after commit
    assert sorted(OutgoingMessage.objects.values_list("to_address", flat=True)) == [
        "one@example.test", "two@example.test"
    ]
    assert sorted(m.to[0] for m in mailoutbox) == ["one@example.test", "two@example.test"]
