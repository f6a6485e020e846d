"""What a parsed inbound e-mail is, as plain values.

The parser hands these to the storage and complaint sides; they carry no ORM
objects and no ``email.message.Message``, so they can be built in tests, pickled
into a task, and compared field by field.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime


class MessageKind(enum.StrEnum):
    """What an inbound message is, decided once so no caller re-guesses.

    The order of precedence (strongest first) is UNPARSEABLE > BOUNCE > REPORT >
    AUTO_REPLY > SPAM > NORMAL: see ``classify.py`` and docs/channels-email-parsing.md.
    """

    NORMAL = "normal"
    AUTO_REPLY = "auto_reply"
    BOUNCE = "bounce"
    REPORT = "report"
    SPAM = "spam"
    UNPARSEABLE = "unparseable"


@dataclass(frozen=True)
class Attachment:
    """A file that came with the message (inline images included).

    ``filename`` is safe to show and to use as the last part of a path: no
    directories, no control characters, at most ``MAX_FILENAME_LENGTH``
    characters. ``content_type`` is what the sender declared; do not trust it.
    """

    filename: str
    content_type: str
    data: bytes
    inline: bool = False
    content_id: str = ""


@dataclass(frozen=True)
class BounceInfo:
    """What a bounce tells about a message we sent.

    ``original_message_ids`` are the Message-IDs the bounce answers (angle
    brackets kept), best first: the returned message's own Message-ID, then the
    bounce's In-Reply-To and References. ``permanent`` is True for a 5.x.x
    failure, False for a temporary (4.x.x, "delayed") one, None when unknown.
    """

    original_message_ids: list[str] = field(default_factory=list)
    failed_recipients: list[str] = field(default_factory=list)
    permanent: bool | None = None
    status: str = ""
    diagnostic: str = ""


@dataclass
class ParsedMessage:
    """Everything Plaint needs from one raw inbound e-mail.

    ``text`` is the whole readable body; ``new_text`` is what the sender wrote
    this time (quotes and signature removed, see ``quotes.split_reply``), with
    ``quoted_text`` and ``signature`` keeping what was cut so nothing is lost.
    ``to_addresses`` joins To, Cc, Delivered-To, X-Original-To and Envelope-To
    (lower case, without duplicates) so a caller can tell which mailbox received it.
    ``problems`` lists what was wrong with the message and how it was worked
    around; it is for diagnosis, not for people outside the team.
    """

    kind: MessageKind = MessageKind.NORMAL
    message_id: str = ""
    in_reply_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    from_address: str = ""
    from_name: str = ""
    to_addresses: list[str] = field(default_factory=list)
    reply_to: str = ""
    subject: str = ""
    date: datetime | None = None
    text: str = ""
    new_text: str = ""
    quoted_text: str = ""
    signature: str = ""
    was_html: bool = False
    attachments: list[Attachment] = field(default_factory=list)
    bounce: BounceInfo | None = None
    problems: list[str] = field(default_factory=list)
    language_hint: str = ""
    kind_reasons: list[str] = field(default_factory=list)

    @property
    def is_automatic(self) -> bool:
        """A machine wrote it (bounce, report, auto-reply): never answer it, never open a complaint."""
        return self.kind in (MessageKind.BOUNCE, MessageKind.REPORT, MessageKind.AUTO_REPLY)

    @property
    def thread_message_ids(self) -> list[str]:
        """In-Reply-To then References, without duplicates: the messages this one answers."""
        seen: list[str] = []
        for message_id in [*self.in_reply_to, *reversed(self.references)]:
            if message_id not in seen:
                seen.append(message_id)
        return seen
