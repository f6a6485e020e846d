"""The outbox: a message is queued in the caller's transaction and sent after it commits."""

from __future__ import annotations

import re
import socket
from datetime import UTC, datetime

import pytest
from django.db import transaction

from plaint.channels.models import OutgoingMessage, OutgoingState
from plaint.channels.services import MAIL_DOMAIN, outgoing_message_queue, outgoing_message_send
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


def test_a_mail_server_that_cannot_be_reached_leaves_the_message_failed_with_the_error(
    db, settings, mailoutbox
):
    # given a mail server that refuses connections
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _closed_port()
    settings.EMAIL_TIMEOUT = 2
    queued = _queue()
    # when
    failed = outgoing_message_send(message_id=queued.pk)
    # then
    stored = OutgoingMessage.objects.get(pk=queued.pk)
    assert (failed.state, stored.state, stored.attempts, stored.sent_at) == (
        OutgoingState.FAILED, OutgoingState.FAILED, 1, None
    )
    assert stored.last_error
    # and when the server is back, a retry sends it
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    retried = outgoing_message_send(message_id=queued.pk)
    assert (retried.state, retried.attempts) == (OutgoingState.SENT, 2)
    assert len(mailoutbox) == 1
