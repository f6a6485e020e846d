"""Walking the MIME tree of a message: which parts are the body, which are files, which are reports.

Kept apart from header decoding and classification because it is where hostile
structure lives: parts nested thousands deep, multiparts without a boundary,
``message/rfc822`` parts that are really base64, report parts at the top level.
The walk is bounded (depth and number of parts) and reads every header with the
compat32 view, which never parses a header into objects and so never raises.
"""

from __future__ import annotations

import base64
import binascii
import quopri
import re
from dataclasses import dataclass, field
from email.message import Message
from email.parser import BytesParser, HeaderParser
from email.policy import compat32

from plaint.channels.mail.decoding import (
    add_problem,
    decode_bytes,
    decode_header_value,
    header_bytes_to_text,
    safe_filename,
)
from plaint.channels.mail.html import html_to_text
from plaint.channels.mail.types import Attachment

MAX_DEPTH = 30
MAX_PARTS = 1000

# Report parts: they are machine-readable status, not a customer's words.
DELIVERY_STATUS = {"message/delivery-status", "message/global-delivery-status"}
HEADER_PARTS = {"text/rfc822-headers", "message/rfc822-headers", "message/global-headers"}
FEEDBACK = {"message/feedback-report"}
DISPOSITION = {"message/disposition-notification", "message/global-disposition-notification"}
EMBEDDED = {"message/rfc822", "message/global"}


@dataclass
class Structure:
    """What the walk found in one message."""

    bodies: list[tuple[str, str]] = field(default_factory=list)  # ("plain" | "html", text)
    attachments: list[Attachment] = field(default_factory=list)
    embedded_headers: list[Message] = field(default_factory=list)  # returned/quoted messages' headers
    delivery_status: list[str] = field(default_factory=list)
    feedback_reports: list[str] = field(default_factory=list)
    dispositions: list[str] = field(default_factory=list)
    report_type: str = ""
    parts_seen: int = 0


def content_type(part: Message) -> str:
    try:
        value = part.get_content_type()
    except Exception:  # noqa: BLE001 - a header we cannot read is a plain-text part (RFC 2045 default)
        return "text/plain"
    return value if isinstance(value, str) else "text/plain"


def param(part: Message, name: str, header: str = "content-type") -> str:
    try:
        value = part.get_param(name, header=header)
    except Exception:  # noqa: BLE001
        return ""
    if isinstance(value, tuple):  # RFC 2231 value: (charset, language, text)
        try:
            from email.utils import collapse_rfc2231_value

            value = collapse_rfc2231_value(value)
        except Exception:  # noqa: BLE001
            value = value[2] if len(value) > 2 else ""
    return str(value) if value else ""


def _disposition(part: Message) -> str:
    try:
        value = part.get_content_disposition()
    except Exception:  # noqa: BLE001
        return ""
    return value or ""


def _filename(part: Message, problems: list[str]) -> str:
    try:
        name = part.get_filename() or param(part, "name")
    except Exception:  # noqa: BLE001
        name = param(part, "name")
    if name and "=?" in name:
        name = decode_header_value(name, problems)
    elif name:
        name = header_bytes_to_text(name, problems)
    return name or ""


def payload_bytes(part: Message, problems: list[str]) -> bytes:
    """The decoded content of a leaf part (transfer encoding undone)."""
    try:
        data = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001
        add_problem(problems, "undecodable transfer encoding")
        data = None
    if data is None:
        raw = part.get_payload()
        if isinstance(raw, str):
            return raw.encode("utf-8", errors="surrogateescape")
        return b""
    return data if isinstance(data, bytes) else bytes(str(data), "utf-8", errors="replace")


_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)


def _text_of(part: Message, problems: list[str], where: str) -> str:
    data = payload_bytes(part, problems)
    charset = param(part, "charset")
    if not charset and content_type(part) == "text/html":
        match = _META_CHARSET.search(data[:4096])  # HTML that names its charset only inside itself
        charset = match.group(1).decode("ascii") if match else ""
    return decode_bytes(data, charset or None, problems, where)


def _transfer_encoding(part: Message) -> str:
    return str(part.get("content-transfer-encoding", "") or "").strip().lower()


def _undo_transfer_encoding(encoded: bytes, encoding: str) -> bytes:
    try:
        return base64.b64decode(encoded) if encoding == "base64" else quopri.decodestring(encoded)
    except (ValueError, binascii.Error):
        return encoded


def _report_text(part: Message, problems: list[str], where: str) -> str:
    """The text of a machine-readable report part (fields), whatever the parser made of it.

    The parser reads ``message/*`` parts as header blocks; when a sender base64-encoded
    one anyway (RFC 2046 forbids it, some do), the encoded text is decoded first.
    """
    encoding = _transfer_encoding(part)
    payload = part.get_payload()
    if encoding in ("base64", "quoted-printable") and isinstance(payload, list) and payload:
        add_problem(problems, f"{where} with {encoding} transfer encoding")
        data = _undo_transfer_encoding(_message_bytes(payload[0]).strip(), encoding)
        return decode_bytes(data, None, problems, where)
    return _header_blocks_text(part) or _text_of(part, problems, where)


def _header_blocks_text(part: Message) -> str:
    """The text of a part the parser split into header blocks (message/delivery-status)."""
    payload = part.get_payload()
    if isinstance(payload, list):
        blocks = []
        for block in payload:
            if isinstance(block, Message):
                blocks.append("\n".join(f"{name}: {header_bytes_to_text(str(value), [])}"
                                        for name, value in block.raw_items()))
        return "\n\n".join(blocks)
    if isinstance(payload, str):
        return payload
    return ""


def _message_bytes(message: Message) -> bytes:
    for policy in (None, compat32):
        try:
            return message.as_bytes() if policy is None else message.as_bytes(policy=policy)
        except Exception:  # noqa: BLE001, S112 - try the next way to serialise
            continue
    return b""


def walk(message: Message, problems: list[str]) -> Structure:
    """Sort every part of ``message`` into body text, attachments and report parts."""
    found = Structure()
    if content_type(message) == "multipart/report":
        found.report_type = param(message, "report-type").lower()
    _walk(message, found, problems, depth=0)
    return found


def _walk(part: Message, found: Structure, problems: list[str], depth: int) -> None:
    found.parts_seen += 1
    for defect in getattr(part, "defects", ()):
        add_problem(problems, f"defect: {type(defect).__name__}")
    if found.parts_seen > MAX_PARTS:
        add_problem(problems, f"more than {MAX_PARTS} parts: the rest ignored")
        return
    if depth > MAX_DEPTH:
        add_problem(problems, f"parts nested deeper than {MAX_DEPTH}: ignored")
        return
    ctype = content_type(part)
    maintype = ctype.split("/", 1)[0]

    if ctype in HEADER_PARTS:
        text = _report_text(part, problems, "returned headers")
        found.embedded_headers.append(HeaderParser(policy=compat32).parsestr(text, headersonly=True))
        _attach(part, found, problems, ctype, "returned-headers.txt", text)
        return
    if ctype in FEEDBACK:
        text = _report_text(part, problems, "feedback report")
        found.feedback_reports.append(text)
        _attach(part, found, problems, ctype, "feedback-report.txt", text)
        return
    if ctype in DISPOSITION:
        text = _report_text(part, problems, "disposition notification")
        found.dispositions.append(text)
        _attach(part, found, problems, ctype, "disposition-notification.txt", text)
        return
    if ctype in DELIVERY_STATUS:
        text = _report_text(part, problems, "delivery status")
        found.delivery_status.append(text)
        _attach(part, found, problems, ctype, "delivery-status.txt", text)
        return
    if ctype == "message/external-body":  # a pointer to content elsewhere: kept, never fetched
        _attach(part, found, problems, ctype, "external-body.txt")
        return
    if ctype in EMBEDDED:
        _embedded(part, found, problems, ctype)
        return
    if part.is_multipart():
        children = [child for child in part.get_payload() if isinstance(child, Message)]
        if ctype == "multipart/alternative" and children:
            _alternative(children, found, problems, depth)
        else:
            for child in children:
                _walk(child, found, problems, depth + 1)
        return
    if maintype == "multipart":
        rescued = _rescue_boundary(part, ctype)
        if rescued is not None:
            add_problem(problems, f"{ctype} without a usable boundary: boundary guessed from the body")
            _walk(rescued, found, problems, depth + 1)
            return
        add_problem(problems, f"{ctype} without a usable boundary: read as text")
        text = _text_of(part, problems, "body")
        found.bodies.append(("plain", text))
        return
    disposition = _disposition(part)
    filename = _filename(part, problems)
    if ctype in ("text/plain", "text/html") and disposition != "attachment" and not filename:
        text = _text_of(part, problems, "body")
        if ctype == "text/html":
            found.bodies.append(("html", html_to_text(text)))
        else:
            found.bodies.append(("plain", text))
        return
    _attach(part, found, problems, ctype, filename or "")


_GUESSED_BOUNDARY = re.compile(
    r"^--([^\s]{1,70})[ \t]*\r?\n(?:[A-Za-z-]+:.*\r?\n){0,10}?Content-Type:", re.MULTILINE | re.IGNORECASE)


def _rescue_boundary(part: Message, ctype: str) -> Message | None:
    """A multipart whose boundary is missing or wrong, re-read with the first delimiter its body uses."""
    if isinstance(part.get_payload(), list):
        return None
    data = payload_bytes(part, [])
    payload = data.decode("latin-1")
    match = _GUESSED_BOUNDARY.search(payload)
    if match is None or match.group(1) == param(part, "boundary"):
        return None
    boundary = match.group(1)
    if boundary.endswith("--"):
        boundary = boundary[:-2]
    header = f'Content-Type: {ctype}; boundary="{boundary}"\n\n'
    try:
        rescued = BytesParser(policy=compat32).parsebytes(header.encode("latin-1") + data)
    except Exception:  # noqa: BLE001
        return None
    return rescued if rescued.is_multipart() else None


def _alternative(children: list[Message], found: Structure, problems: list[str], depth: int) -> None:
    """Of equivalent versions keep one body: plain text if it says anything, else the richest other."""
    versions: list[Structure] = []
    for child in children:
        version = Structure(parts_seen=found.parts_seen)
        _walk(child, version, problems, depth + 1)
        found.parts_seen = version.parts_seen
        versions.append(version)
        found.attachments.extend(version.attachments)
        found.embedded_headers.extend(version.embedded_headers)
        found.delivery_status.extend(version.delivery_status)
        found.feedback_reports.extend(version.feedback_reports)
        found.dispositions.extend(version.dispositions)

    def says_something(version: Structure, kind: str) -> bool:
        return any(k == kind and text.strip() for k, text in version.bodies)

    chosen = next((v for v in versions if says_something(v, "plain")), None)
    if chosen is None:
        chosen = next((v for v in reversed(versions) if says_something(v, "html")), None)
    if chosen is None:
        chosen = next((v for v in versions if v.bodies), None)
    if chosen is not None:
        found.bodies.extend(chosen.bodies)


def _embedded(part: Message, found: Structure, problems: list[str], ctype: str) -> None:
    """A message inside the message: a bounce's returned mail, a forward, an ARF sample."""
    payload = part.get_payload()
    inner: Message | None = None
    encoding = _transfer_encoding(part)
    if encoding in ("base64", "quoted-printable") and isinstance(payload, list) and payload:
        # not allowed by RFC 2046, but sent: the parser read the encoded text as a message
        add_problem(problems, f"message/rfc822 part with {encoding} transfer encoding")
        data = _undo_transfer_encoding(_message_bytes(payload[0]).strip(), encoding)
        inner = BytesParser(policy=compat32).parsebytes(data, headersonly=True)
    elif isinstance(payload, list) and payload and isinstance(payload[0], Message):
        inner = payload[0]
        data = _message_bytes(inner)
    else:
        data = payload_bytes(part, problems)
        try:
            inner = BytesParser(policy=compat32).parsebytes(data, headersonly=True)
        except Exception:  # noqa: BLE001
            inner = None
    if inner is not None:
        found.embedded_headers.append(inner)
    subject = decode_header_value(inner.get("subject", "") if inner is not None else "", problems)
    name = _filename(part, problems) or (subject[:100] + ".eml" if subject else "")
    found.attachments.append(Attachment(
        filename=safe_filename(name, ctype, fallback="message"),
        content_type=ctype,
        data=data,
    ))


def _attach(part: Message, found: Structure, problems: list[str], ctype: str, filename: str,
            text: str | None = None) -> None:
    content_id = str(part.get("content-id", "") or "").strip()[:200]
    if text is None and part.is_multipart():
        text = _header_blocks_text(part)
    data = text.encode("utf-8", errors="replace") if text is not None else payload_bytes(part, problems)
    found.attachments.append(Attachment(
        filename=safe_filename(filename, ctype),
        content_type=ctype,
        data=data,
        inline=_disposition(part) == "inline" or (bool(content_id) and _disposition(part) != "attachment"),
        content_id=content_id,
    ))
