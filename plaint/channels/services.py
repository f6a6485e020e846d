"""Writes of the channels domain: queueing and sending outgoing messages."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils.crypto import get_random_string

from plaint.channels.models import OutgoingMessage, OutgoingState
from plaint.core import clock

MAIL_DOMAIN = "plaint.localhost"


def outgoing_message_queue(
    *,
    organisation_id: int | None,
    kind: str,
    to_address: str,
    language: str,
    subject: str,
    body: str,
    thread_reference: str = "",
) -> OutgoingMessage:
    """Queue a message in the caller's transaction; it is sent after commit."""
    message = OutgoingMessage.objects.create(
        organisation_id=organisation_id,
        kind=kind,
        thread_reference=thread_reference,
        to_address=to_address,
        language=language,
        subject=subject,
        body=body,
        message_id=f"<{get_random_string(24)}@{MAIL_DOMAIN}>",
        queued_at=clock.now(),
    )
    from plaint.channels.tasks import outgoing_message_send

    transaction.on_commit(partial(outgoing_message_send.enqueue, message_id=message.pk))
    return message


def outgoing_message_send(*, message_id: int) -> OutgoingMessage:
    """Send one queued message through Django's mail backend and log the result.

    At-least-once: a message already marked sent is not sent again, but a crash
    between sending and marking sends it twice (receivers deduplicate by
    Message-ID). No lock is held while talking to the mail server, because on
    SQLite a lock would stop every other writer for that long.
    """
    message = OutgoingMessage.objects.get(pk=message_id)
    if message.state == OutgoingState.SENT:
        return message
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_address],
        headers={"Message-ID": message.message_id},
    )
    message.attempts += 1
    try:
        email.send(fail_silently=False)
    except OSError as exc:
        message.state = OutgoingState.FAILED
        message.last_error = str(exc)[:2000]
        message.save(update_fields=["state", "last_error", "attempts"])
        return message
    message.state = OutgoingState.SENT
    message.sent_at = clock.now()
    message.save(update_fields=["state", "sent_at", "attempts"])
    return message
