"""Storing what comes in by e-mail, before anything else happens to it.

``incoming_message_store`` is the one door: the pipe (``plaint ingest-email``) and the IMAP
poller both go through it. It reads only the headers it needs to find the mailbox and to
recognise a second delivery of the same message, stores the raw bytes, and commits. What the
message means (a new complaint, a reply, a bounce…) is worked out afterwards by whoever
registered in ``incoming_observers`` (the complaints app), so that a message that breaks the
parser, or a bug in processing, can never lose it.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import getaddresses
from functools import partial

from django.db import IntegrityError, transaction

from plaint.channels.models import IncomingMessage, Mailbox
from plaint.core import clock

logger = logging.getLogger(__name__)

#: Called with an ``IncomingMessage`` id after the transaction that stored it commits.
incoming_observers: list[Callable[[int], None]] = []

# Headers that name the address a message was delivered to, most specific first.
RECIPIENT_HEADERS = ("Delivered-To", "X-Original-To", "Envelope-To", "To", "Cc")


def _headers(raw: bytes):  # type: ignore[no-untyped-def]
    """The message's headers, leniently: a broken header never stops the storing."""
    try:
        return BytesHeaderParser(policy=compat32).parsebytes(raw, headersonly=True)
    except Exception:  # noqa: BLE001 - anything at all: the raw bytes are kept regardless
        logger.warning("headers of an incoming message could not be read", exc_info=True)
        return None


def _text(value: object, limit: int) -> str:
    return str(value or "").replace("\r", " ").replace("\n", " ").strip()[:limit]


def _mailbox_for(recipient: str, headers) -> Mailbox | None:  # type: ignore[no-untyped-def]
    candidates = [recipient.strip().lower()] if recipient else []
    if headers is not None:
        for name in RECIPIENT_HEADERS:
            try:
                values = [str(v) for v in headers.get_all(name, [])]
            except Exception:  # noqa: BLE001, S112 - a header that cannot be read names no mailbox
                continue
            candidates += [address.strip().lower() for _, address in getaddresses(values) if address]
    candidates = [c for c in dict.fromkeys(candidates) if c]
    if not candidates:
        return None
    found = {m.address: m for m in Mailbox.objects.filter(address__in=candidates, is_active=True)}
    return next((found[c] for c in candidates if c in found), None)


# Headers that servers and mail stores add on the way: they differ between two deliveries of one
# message, so they are left out when telling deliveries apart (and so is every X- header).
TRANSIT_HEADERS = frozenset({
    "received", "delivered-to", "return-path", "envelope-to", "authentication-results",
    "received-spf", "arc-seal", "arc-message-signature", "arc-authentication-results", "status",
    "content-length", "lines",
})


def _dedup_key(raw: bytes, headers, message_id: str, sha256: str) -> str:  # type: ignore[no-untyped-def]
    """What makes two deliveries one message: its Message-ID, the headers its sender wrote and its
    body. A Message-ID reused for another message (broken clients and spammers do that) does not
    hide the other message. Without a Message-ID or readable headers: the whole message."""
    if not message_id or headers is None:
        return f"sha256:{sha256}"
    digest = hashlib.sha256()
    for name, value in headers.items():
        lowered = name.lower()
        if lowered not in TRANSIT_HEADERS and not lowered.startswith("x-"):
            digest.update(f"{lowered}:{_text(value, 4000)}".encode("utf-8", "replace") + b"\0")
    _, separator, body = raw.replace(b"\r\n", b"\n").partition(b"\n\n")
    digest.update(body if separator else raw)
    return f"{message_id[:200]} {digest.hexdigest()[:24]}"


def incoming_message_store(
    *, raw: bytes, source: str, recipient: str = ""
) -> tuple[IncomingMessage, bool]:
    """Store a message as it arrived; return it and whether it is new.

    ``recipient``: the address the mail server delivered it to, when it says (a pipe's
    ``$ORIGINAL_RECIPIENT``); otherwise the delivery headers are read. A message for no
    mailbox of ours is stored all the same, and held for a person.
    """
    headers = _headers(raw)
    mailbox = _mailbox_for(recipient, headers)
    sha256 = hashlib.sha256(raw).hexdigest()
    message_id = _text(headers.get("Message-ID") if headers is not None else "", 255)
    address = mailbox.address if mailbox is not None else recipient.strip().lower()[:254]
    dedup_key = _dedup_key(raw, headers, message_id, sha256)
    with transaction.atomic():
        existing = IncomingMessage.objects.filter(recipient=address, dedup_key=dedup_key).first()
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                message = IncomingMessage.objects.create(
                    mailbox=mailbox,
                    organisation_id=mailbox.organisation_id if mailbox is not None else None,
                    source=source,
                    recipient=address,
                    raw=raw,
                    raw_sha256=sha256,
                    dedup_key=dedup_key,
                    message_id=message_id,
                    from_address=_text(headers.get("From") if headers is not None else "", 254),
                    subject=_text(headers.get("Subject") if headers is not None else "", 300),
                    received_at=clock.now(),
                )
        except IntegrityError:  # the same message, stored a moment ago by another delivery
            return IncomingMessage.objects.get(recipient=address, dedup_key=dedup_key), False
        transaction.on_commit(partial(_announce, message.pk))
    return message, True


def _announce(message_id: int) -> None:
    for observer in incoming_observers:
        observer(message_id)
