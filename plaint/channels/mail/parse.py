"""``parse_message``: one raw inbound e-mail in, one ``ParsedMessage`` out, never an exception.

Intake must not stop because one sender's mail client is broken: a message
that cannot be read still becomes a row a person can look at. So every step is
guarded; what goes wrong is written to ``problems``, and only a message with no
recognisable header at all is UNPARSEABLE.

The message is read with the ``compat32`` policy and its headers decoded here
rather than by ``policy.default``'s header objects: those parse each header on
access and can raise on hostile values, while we want one decoding path that
tolerates every charset and records what it repaired.
"""

from __future__ import annotations

import re
from email.message import Message
from email.parser import BytesParser
from email.policy import compat32

from plaint.channels.mail import classify as classification
from plaint.channels.mail.decoding import (
    add_problem,
    addresses,
    decode_bytes,
    decode_header_value,
    header_bytes_to_text,
    message_ids,
    parse_date,
)
from plaint.channels.mail.quotes import split_reply
from plaint.channels.mail.structure import Structure, payload_bytes, walk
from plaint.channels.mail.types import MessageKind, ParsedMessage

MAX_RAW_BYTES = 50 * 1024 * 1024
# Seeing any of these, the input is a message (perhaps a broken one), not noise.
_KNOWN_HEADERS = {"from", "to", "cc", "subject", "date", "message-id", "content-type", "received",
                  "return-path", "sender", "mime-version", "in-reply-to", "references", "delivered-to",
                  "reply-to", "x-original-to", "envelope-to"}
_RECIPIENT_HEADERS = ("to", "cc", "delivered-to", "x-original-to", "envelope-to")


def parse_message(raw: bytes) -> ParsedMessage:
    """Parse one raw RFC 5322 message. Never raises; see ``ParsedMessage`` for the fields."""
    try:
        return _parse(raw)
    except Exception as error:  # noqa: BLE001 - the contract is: never raise, whatever arrives
        result = ParsedMessage(kind=MessageKind.UNPARSEABLE)
        add_problem(result.problems, f"parser failed: {type(error).__name__}")
        try:
            result.text = decode_bytes(bytes(raw or b"")[:1_000_000], None, result.problems, "raw message")
            result.new_text = result.text
        except Exception:  # noqa: BLE001, S110 - nothing more can be said about this input
            pass
        return result


def _parse(raw: bytes) -> ParsedMessage:
    result = ParsedMessage()
    problems = result.problems
    if not isinstance(raw, bytes | bytearray | memoryview):
        raw = str(raw).encode("utf-8", errors="replace")
    raw = bytes(raw)
    if len(raw) > MAX_RAW_BYTES:
        add_problem(problems, f"message larger than {MAX_RAW_BYTES} bytes: truncated")
        raw = raw[:MAX_RAW_BYTES]
    if not raw.strip():
        result.kind = MessageKind.UNPARSEABLE
        add_problem(problems, "empty message")
        return result
    data = raw
    too_deep = False
    try:
        message = BytesParser(policy=compat32).parsebytes(data)
    except RecursionError:  # the standard parser recurses once per nested part
        too_deep = True
        add_problem(problems, "MIME structure nested too deeply to read: body kept as raw text")
        message = BytesParser(policy=compat32).parsebytes(data, headersonly=True)
    headers = _headers(message, problems)
    if not _KNOWN_HEADERS & set(headers):
        result.kind = MessageKind.UNPARSEABLE
        add_problem(problems, "no message headers found")
        result.text = _normalise_text(decode_bytes(raw[:1_000_000], None, problems, "raw message"))
        result.new_text = result.text
        return result

    _read_headers(result, headers, problems)
    if too_deep:
        body = decode_bytes(payload_bytes(message, problems), None, problems)
        structure = Structure(bodies=[("plain", body)])
    else:
        structure = walk(message, problems)
    plain = [text for kind, text in structure.bodies if kind == "plain" and text.strip()]
    html = [text for kind, text in structure.bodies if kind == "html" and text.strip()]
    result.was_html = bool(html) and not plain
    result.text = _normalise_text("\n\n".join(text for _, text in structure.bodies if text.strip()))
    result.attachments = structure.attachments

    failed: tuple[list[str], list[str]] = ([], [])
    if _may_be_bounce(headers, result):
        failed = classification.flufl_failures(message)
    result.kind, result.kind_reasons = classification.classify(
        headers=headers, subject=result.subject, from_address=result.from_address,
        from_name=result.from_name, structure=structure, failed_recipients=failed[0] + failed[1],
    )
    if result.kind in (MessageKind.BOUNCE, MessageKind.REPORT):
        result.bounce = classification.bounce_info(headers, result.subject, structure, result.text, *failed)

    if result.kind in (MessageKind.BOUNCE, MessageKind.REPORT):
        result.new_text = result.text  # a machine's text has no quotes or signature to take apart
    else:
        result.new_text, result.quoted_text, result.signature = split_reply(result.text)
    result.language_hint = language_hint(headers, result.new_text or result.subject)
    return result


def _headers(message: Message, problems: list[str]) -> dict[str, list[str]]:
    """Header fields by lower-case name, raw (undecoded) but with 8-bit bytes read as text."""
    headers: dict[str, list[str]] = {}
    for name, value in list(message.raw_items())[:1000]:
        if not isinstance(name, str):
            continue
        key = header_bytes_to_text(name, problems).strip().lower()
        text = value if isinstance(value, str) else str(value)
        headers.setdefault(key, []).append(header_bytes_to_text(text, problems))
    return headers


def _read_headers(result: ParsedMessage, headers: dict[str, list[str]], problems: list[str]) -> None:
    def first(name: str) -> str:
        values = headers.get(name)
        return values[0] if values else ""

    ids = message_ids(first("message-id"))
    result.message_id = ids[0] if ids else ""
    result.in_reply_to = message_ids(" ".join(headers.get("in-reply-to", [])))
    result.references = message_ids(" ".join(headers.get("references", [])))
    result.subject = _one_line(decode_header_value(first("subject"), problems))
    result.date = parse_date(first("date"), problems)

    senders = addresses(headers.get("from", []), problems) or addresses(headers.get("sender", []), problems)
    if senders:
        result.from_name, result.from_address = _one_line(senders[0][0]), senders[0][1]
    elif headers.get("from"):
        add_problem(problems, "unreadable From header")
    reply_to = addresses(headers.get("reply-to", []), problems)
    result.reply_to = reply_to[0][1] if reply_to else ""
    recipients: list[str] = []
    for name in _RECIPIENT_HEADERS:
        for _, address in addresses(headers.get(name, []), problems):
            if address not in recipients:
                recipients.append(address)
    result.to_addresses = recipients


def _may_be_bounce(headers: dict[str, list[str]], result: ParsedMessage) -> bool:
    """Cheap signs that make it worth running the bounce detectors."""
    local = result.from_address.split("@", 1)[0]
    return bool(
        classification.DAEMON_LOCAL_PARTS.match(local)
        or classification.DAEMON_NAMES.match(result.from_name.strip())
        or "x-failed-recipients" in headers
        or (headers.get("return-path") or [""])[0].replace(" ", "") == "<>"
        or classification.FAILURE_SUBJECTS.search(result.subject)
    )


def _one_line(text: str) -> str:
    """A header value fit to show on one line: no control characters, no bidirectional overrides."""
    text = re.sub(r"[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069\ufeff\u200b]", " ", text)
    return " ".join(text.split())


def _normalise_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    # control characters, and the bidirectional overrides that make text display other than it reads
    text = re.sub(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069\ufeff\u200b]", "", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{4,}", "\n\n\n", text).strip("\n")


_LANGUAGE_MARKS = {
    "cs": re.compile(r"[ěščřůĚŠČŘŮ]|\b(?:dobrý den|děkuji|prosím|reklamace|objednávk)", re.IGNORECASE),
    "pl": re.compile(r"[ąęłńśźżĄĘŁŃŚŹŻ]|\b(?:dzień dobry|proszę|dziękuję|zamówieni)", re.IGNORECASE),
    "ro": re.compile(r"[ăîșțşţĂÎȘȚŞŢ]|\b(?:bună ziua|vă rog|mulțumesc|comanda)\b", re.IGNORECASE),
    "pt": re.compile(r"[ãõÃÕ]|\b(?:olá|obrigad[oa]|não|encomenda|você)\b", re.IGNORECASE),
    "de": re.compile(r"[äöüßÄÖÜ]|\b(?:bitte|danke|bestellung|sehr geehrte)\b", re.IGNORECASE),
}


def language_hint(headers: dict[str, list[str]], text: str) -> str:
    """A guess at the language (cs, pl, ro, pt, de, en) from Content-Language or the letters used; or ""."""
    declared = (headers.get("content-language") or [""])[0].strip().lower()[:2]
    if declared.isalpha() and len(declared) == 2:
        return declared
    sample = text[:3000]
    scores = {language: len(pattern.findall(sample)) for language, pattern in _LANGUAGE_MARKS.items()}
    language, score = max(scores.items(), key=lambda item: item[1])
    if score >= 2:
        return language
    if re.search(r"\b(?:the|and|please|thank you|order)\b", sample, re.IGNORECASE):
        return "en"
    return ""
