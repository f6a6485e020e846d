"""Reading mailboxes over IMAP: fetch, store, and only then mark done.

A message is marked done on the server (the keyword ``PlaintStored``, or ``\\Seen`` where the
server allows no keywords) only after ``incoming_message_store`` has committed it. If the server
goes away in the middle, what was stored stays stored, what was not is fetched again next time,
and a message stored but not yet marked is recognised by its Message-ID and not stored twice.
``BODY.PEEK[]`` fetches without setting ``\\Seen``, so that people reading the same mailbox in a
mail client are not confused.
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
import ssl
from dataclasses import dataclass, field

from plaint.channels.models import Mailbox
from plaint.channels.models.incoming import ImapSecurity
from plaint.channels.services.inbound import incoming_message_store
from plaint.core import clock

logger = logging.getLogger(__name__)

DONE_KEYWORD = "PlaintStored"
TIMEOUT = 30  # seconds, for connecting and for each command
BATCH = 50  # messages fetched per poll of a mailbox (the next poll takes the rest)


@dataclass
class PollReport:
    mailbox: str
    fetched: int = 0
    stored: int = 0  # new messages (the others were already stored)
    error: str = ""
    left: int = 0  # found but not fetched in this poll
    uids: list[bytes] = field(default_factory=list, repr=False)


def _connect(mailbox: Mailbox) -> imaplib.IMAP4:
    if mailbox.imap_security == ImapSecurity.SSL:
        return imaplib.IMAP4_SSL(
            mailbox.imap_host, mailbox.imap_port, ssl_context=ssl.create_default_context(), timeout=TIMEOUT
        )
    connection = imaplib.IMAP4(mailbox.imap_host, mailbox.imap_port, timeout=TIMEOUT)
    if mailbox.imap_security == ImapSecurity.STARTTLS:
        connection.starttls(ssl_context=ssl.create_default_context())
    return connection


def _ok(response: tuple[str, list]) -> list:  # type: ignore[type-arg]
    status, data = response
    if status != "OK":
        raise imaplib.IMAP4.error(f"{status} {data!r}")
    return data


def _done_flags(connection: imaplib.IMAP4) -> str:
    """Our keyword where the folder accepts new keywords, else ``\\Seen``."""
    permanent = connection.untagged_responses.get("OK", [])
    accepts_keywords = any(b"PERMANENTFLAGS" in line and b"\\*" in line for line in permanent)
    return f"({DONE_KEYWORD} \\Seen)" if accepts_keywords else "(\\Seen)"




def _fetch(connection: imaplib.IMAP4, uid: bytes) -> bytes | None:
    data = _ok(connection.uid("FETCH", uid, "(BODY.PEEK[])"))
    for part in data:
        if isinstance(part, tuple) and len(part) == 2:
            return bytes(part[1])
    return None


def mailbox_poll(mailbox: Mailbox, *, batch: int = BATCH) -> PollReport:
    """Fetch the mailbox's new messages and store them; never raises for the server's faults."""
    report = PollReport(mailbox=mailbox.address)
    connection: imaplib.IMAP4 | None = None
    try:
        connection = _connect(mailbox)
        _ok(connection.login(mailbox.imap_username, mailbox.imap_password))
        _ok(connection.select(_quoted(mailbox.imap_folder)))
        flags = _done_flags(connection)
        criteria = f"NOT KEYWORD {DONE_KEYWORD}" if DONE_KEYWORD in flags else "UNSEEN"
        found = _ok(connection.uid("SEARCH", None, criteria))
        uids = found[0].split() if found and found[0] else []
        report.left = max(0, len(uids) - batch)
        for uid in uids[:batch]:
            raw = _fetch(connection, uid)
            if raw is None:
                continue
            report.fetched += 1
            _, created = incoming_message_store(raw=raw, source="imap", recipient=mailbox.address)
            report.stored += int(created)
            _ok(connection.uid("STORE", uid, "+FLAGS.SILENT", flags))
            report.uids.append(uid)
    except (TimeoutError, OSError, imaplib.IMAP4.error, EOFError) as exc:
        report.error = f"{type(exc).__name__}: {exc}"[:2000]
        logger.warning("polling %s failed: %s", mailbox.address, report.error)
    finally:
        if connection is not None:
            with contextlib.suppress(Exception):  # the connection may already be gone
                connection.logout()
    mailbox.last_polled_at = clock.now()
    mailbox.last_error = report.error
    mailbox.save(update_fields=["last_polled_at", "last_error"])
    return report


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def mailboxes_poll() -> list[PollReport]:
    """Poll every active mailbox that has an IMAP server."""
    mailboxes = Mailbox.objects.filter(is_active=True).exclude(imap_host="").order_by("pk")
    return [mailbox_poll(mailbox) for mailbox in mailboxes]
