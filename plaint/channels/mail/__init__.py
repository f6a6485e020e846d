"""Reading inbound e-mail: pure parsing, no database.

The storage of incoming messages, the IMAP poller and ``plaint ingest-email``
build on this API; keeping it free of the ORM lets it be tested on every real
and hostile message we can find without a database, and lets a poller parse
before it decides what to store.

- ``parse_message(raw) -> ParsedMessage``: never raises; see ``types.py``.
- ``split_reply(text) -> (new_text, quoted_text, signature)``: see ``quotes.py``.
- ``references_in(text) -> list[str]``: valid complaint references, normalised.
- ``MessageKind``: NORMAL, AUTO_REPLY, BOUNCE, REPORT, SPAM, UNPARSEABLE (``classify.py``).

docs/channels-email-parsing.md says what is classified how, and why.
"""

from plaint.channels.mail.html import html_to_text
from plaint.channels.mail.parse import parse_message
from plaint.channels.mail.quotes import split_reply
from plaint.channels.mail.reference_numbers import references_in
from plaint.channels.mail.types import Attachment, BounceInfo, MessageKind, ParsedMessage

__all__ = [
    "Attachment",
    "BounceInfo",
    "MessageKind",
    "ParsedMessage",
    "html_to_text",
    "parse_message",
    "references_in",
    "split_reply",
]
