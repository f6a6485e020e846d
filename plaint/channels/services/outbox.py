"""The outbox: every e-mail Plaint sends is a row first, written with the change it reports.

Why a row and not a direct send: the message must go out if and only if the change commits, and
must survive a crash between the two. So a service queues the row in its own transaction; after
commit one task per transaction (not one per message: a sweep that writes thousands of messages
queues one task per batch) sends what that transaction queued. Whatever is still queued later, a
send that failed and waits for its retry, or a row whose task was lost in a crash, is picked up by
the outbox sweep, a task that re-schedules itself like the clock sweep.

Delivery is at least once. A message is *claimed* for ``CLAIM_LEASE`` before it is sent, so two
workers do not send it at the same time; no lock is held while talking to the mail server (on
SQLite a lock would stop every other writer for that long). A crash after the server accepted a
message and before it was marked sent sends it again when the lease has passed: receivers
deduplicate by Message-ID, which stays the same.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils.crypto import get_random_string

from plaint.channels.models import OutgoingMessage, OutgoingState
from plaint.core import clock

MAIL_DOMAIN = "plaint.localhost"
# How long a claimed message is left alone by other senders (longer than any SMTP timeout).
CLAIM_LEASE = timedelta(minutes=5)
# Waits before the 2nd, 3rd… attempt; after the last one the message is given up (FAILED).
DEFAULT_RETRY_DELAYS = (60, 300, 1800, 7200, 21600)
SWEEP_BATCH = 100

logger = logging.getLogger(__name__)


def retry_delays() -> tuple[int, ...]:
    return tuple(getattr(settings, "PLAINT_OUTBOX_RETRY_DELAYS", DEFAULT_RETRY_DELAYS))


def new_message_id() -> str:
    return f"<{get_random_string(24)}@{MAIL_DOMAIN}>"


def outgoing_message_queue(
    *,
    organisation_id: int | None,
    kind: str,
    to_address: str,
    language: str,
    subject: str,
    body: str,
    thread_reference: str = "",
    in_reply_to: str = "",
) -> OutgoingMessage:
    """Queue a message in the caller's transaction; it is sent after commit.

    ``in_reply_to``: the Message-ID of the customer's message this answers, so that their mail
    client threads the answer under it (and their reply comes back with both ids).
    """
    now = clock.now()
    message = OutgoingMessage(
        organisation_id=organisation_id,
        kind=kind,
        thread_reference=thread_reference,
        to_address=to_address,
        language=language,
        subject=subject,
        body=body,
        message_id=new_message_id(),
        in_reply_to=in_reply_to,
        queued_at=now,
        next_attempt_at=now,
    )
    buffered = _buffer.get()
    if buffered is not None:
        buffered.append(message)
        return message
    message.save(force_insert=True)
    _send_after_commit(message.pk)
    return message


_buffer: ContextVar[list[OutgoingMessage] | None] = ContextVar("outbox_buffer", default=None)


@contextmanager
def outbox_buffered() -> Iterator[None]:
    """Within the block, queued messages are written together when it ends (one INSERT), and
    not at all if it ends with an exception. Inside it, ``outgoing_message_queue`` returns the
    message unsaved. For the clock sweep, whose expiry actions write several messages per
    complaint."""
    rows: list[OutgoingMessage] = []
    token = _buffer.set(rows)
    try:
        yield
    finally:
        _buffer.reset(token)
    if rows:
        OutgoingMessage.objects.bulk_create(rows)
        for row in rows:
            if row.pk is not None:  # else the outbox sweep sends it
                _send_after_commit(row.pk)


_batch: ContextVar[list[int] | None] = ContextVar("outbox_batch", default=None)


@contextmanager
def outbox_batched() -> Iterator[None]:
    """Within the block, queued messages are sent by one task after the block's transaction
    commits (the clock sweep, whose batch writes hundreds of messages in savepoints). Ids of
    messages whose savepoint was rolled back are skipped by the sender."""
    pending: list[int] = []
    token = _batch.set(pending)
    try:
        yield
    finally:
        _batch.reset(token)
    if pending:
        transaction.on_commit(partial(_enqueue_sending, pending))


def _send_after_commit(message_id: int) -> None:
    """Have the messages queued in this transaction sent by one task after it commits.

    The ids are collected in a list that one on-commit callback of the current savepoint holds;
    a rolled-back savepoint or transaction drops its callback with its rows, and the next
    message starts a new list.
    """
    batch = _batch.get()
    if batch is not None:
        batch.append(message_id)
        return
    connection = transaction.get_connection()
    savepoints = set(connection.savepoint_ids)
    pending: list[int] | None = getattr(connection, "plaint_outbox_pending", None)
    registered = pending is not None and any(
        getattr(callback, "func", None) is _enqueue_sending and callback.args[0] is pending
        and ids == savepoints
        for ids, callback, _ in connection.run_on_commit
    )
    if not registered or pending is None:
        pending = []
        connection.plaint_outbox_pending = pending  # type: ignore[attr-defined]
        transaction.on_commit(partial(_enqueue_sending, pending))
    pending.append(message_id)


def _enqueue_sending(message_ids: list[int]) -> None:
    from plaint.channels.tasks import outgoing_messages_send

    outgoing_messages_send.enqueue(message_ids=list(message_ids))
    message_ids.clear()


def _claim(message_id: int, now: datetime) -> bool:
    """Take the message for sending unless it is sent, given up, or another sender holds it."""
    return bool(
        OutgoingMessage.objects.filter(pk=message_id, state=OutgoingState.QUEUED)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + CLAIM_LEASE)
    )


def _email(message: OutgoingMessage) -> EmailMessage:
    headers = {"Message-ID": message.message_id}
    if message.in_reply_to:
        headers["In-Reply-To"] = message.in_reply_to
        headers["References"] = message.in_reply_to
    if message.kind != "message":  # only "message" is written by a person
        # RFC 3834: mail written by a program, so that well-behaved auto-responders stay quiet.
        headers["Auto-Submitted"] = "auto-generated"
    return EmailMessage(
        # One line, whatever the caller queued: a line break in a header would be refused by
        # Django (BadHeaderError) and the message never sent; headers are built only here.
        subject=" ".join(message.subject.split()),
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_address],
        headers=headers,
    )


def outgoing_message_send(*, message_id: int) -> OutgoingMessage | None:
    """Send one queued message through Django's mail backend and log the attempt.

    A message that cannot be claimed (sent already, given up, or being sent) is left alone.
    A failed attempt waits for the next delay of ``PLAINT_OUTBOX_RETRY_DELAYS``; after the last
    one the message is FAILED. ``sent_at`` is the dispatch time, which some rules count as the
    answer's time.
    """
    now = clock.now()
    if not _claim(message_id, now):
        return OutgoingMessage.objects.filter(pk=message_id).first()
    message = OutgoingMessage.objects.get(pk=message_id)
    message.attempts += 1
    try:
        _email(message).send(fail_silently=False)
    except OSError as exc:  # smtplib's errors are OSErrors too
        delays = retry_delays()
        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if message.attempts > len(delays):
            message.state, message.next_attempt_at = OutgoingState.FAILED, None
            logger.warning("gave up sending message %s: %s", message.pk, message.last_error)
        else:
            message.next_attempt_at = clock.now() + timedelta(seconds=delays[message.attempts - 1])
        message.claimed_until = None
        message.save(update_fields=["state", "last_error", "attempts", "next_attempt_at", "claimed_until"])
        return message
    message.state, message.sent_at = OutgoingState.SENT, clock.now()
    message.next_attempt_at = message.claimed_until = None
    message.save(update_fields=["state", "sent_at", "attempts", "next_attempt_at", "claimed_until"])
    return message


def outgoing_messages_send(*, message_ids: Iterable[int]) -> None:
    """Send each of the messages (a transaction's, or a sweep's batch)."""
    for message_id in message_ids:
        outgoing_message_send(message_id=message_id)


def outbox_sweep(*, now: datetime | None = None, batch: int = SWEEP_BATCH) -> int:
    """Send every queued message whose attempt is due; how many attempts were made."""
    now = now or clock.now()
    attempted = 0
    tried: set[int] = set()
    while True:
        due = list(
            OutgoingMessage.objects.filter(state=OutgoingState.QUEUED, next_attempt_at__lte=now)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .exclude(pk__in=tried)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not due:
            return attempted
        for message_id in due:
            tried.add(message_id)
            outgoing_message_send(message_id=message_id)
            attempted += 1


def outgoing_message_mark_undelivered(*, message: OutgoingMessage, diagnosis: str) -> OutgoingMessage:
    """A bounce says the message did not reach its recipient: record it on the message."""
    message.state = OutgoingState.UNDELIVERED
    message.undelivered_at = clock.now()
    message.last_error = diagnosis[:2000]
    message.next_attempt_at = message.claimed_until = None
    message.save(update_fields=["state", "undelivered_at", "last_error", "next_attempt_at", "claimed_until"])
    return message
