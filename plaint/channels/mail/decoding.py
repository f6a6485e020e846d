"""Turning the bytes and header fields of real-world mail into text, without ever failing.

Inbound mail comes from every client ever written: charsets that do not exist,
labels that lie (``us-ascii`` bodies in UTF-8), 8-bit bytes in headers, encoded
words split mid-character, dates in free form. Every function here returns its
best reading and, instead of raising, appends a note to ``problems`` so the
message can still reach a person and the defect can still be diagnosed.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import mimetypes
import posixpath
import quopri
import re
import unicodedata
from datetime import UTC, datetime
from email.utils import getaddresses, parsedate_to_datetime

MAX_FILENAME_LENGTH = 150
MAX_HEADER_LENGTH = 200_000

# Labels mail clients send that Python does not know, or knows as something smaller.
_CHARSET_ALIASES = {
    "gb2312": "gb18030",  # GB2312 mail is routinely GBK/GB18030 in practice; GB18030 is a superset
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "iso-8859-8-i": "iso-8859-8",
    "x-mac-roman": "mac_roman",
    "macintosh": "mac_roman",
    "iso-8859-1": "cp1252",  # what senders labelled latin-1 is nearly always cp1252 (as WHATWG reads it)
    "latin1": "cp1252",
    "us-ascii": "ascii",
    "ansi_x3.4-1968": "ascii",
    "unicode-1-1-utf-7": "utf-7",
    "utf8": "utf-8",
    "x-unknown": "",
    "unknown-8bit": "",
    "unknown": "",
    "x-user-defined": "",
    "default": "",
}


def add_problem(problems: list[str], note: str) -> None:
    """Record a problem once (the same defect in many parts is one note)."""
    if note not in problems and len(problems) < 100:
        problems.append(note)


def codec_for(charset: str | None) -> str:
    """The Python codec for a declared charset label, or "" when there is none usable."""
    if not charset:
        return ""
    label = charset.strip().strip("\"'").lower().split("*", 1)[0]
    label = _CHARSET_ALIASES.get(label, label)
    if not label:
        return ""
    try:
        return codecs.lookup(label).name
    except (LookupError, ValueError):
        return ""


def decode_bytes(data: bytes, charset: str | None, problems: list[str], where: str = "body") -> str:
    """Decode ``data`` declared as ``charset``: declared, then UTF-8, then cp1252 with replacement.

    Undeclared text is tried as UTF-8 first (most modern mail) and read as cp1252
    otherwise, which never fails and keeps Western European text readable.
    """
    codec = codec_for(charset)
    if charset and not codec:
        add_problem(problems, f"unknown charset {charset.strip()[:40]!r} in {where}")
    if codec:
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            if codec == "cp1252" and codec_for(charset) == "cp1252" and "1252" not in charset:
                return data.decode("latin-1")  # declared ISO-8859-1: the five bytes cp1252 lacks are C1
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if codec:
            add_problem(problems, f"{where} declared {charset.strip()[:40]!r} but was UTF-8")
        return text
    if codec and codec != "ascii":
        text = data.decode(codec, errors="replace")
        if text.count("\ufffd") <= max(1, len(text) // 100):
            add_problem(problems, f"undecodable bytes in {where} replaced ({codec})")
            return text
    if charset or any(byte >= 0x80 for byte in data):
        add_problem(problems, f"{where} read as cp1252 with replacement")
    return data.decode("cp1252", errors="replace")


def header_bytes_to_text(value: str, problems: list[str]) -> str:
    """Undo the parser's surrogate escapes: raw 8-bit header bytes are UTF-8 or else cp1252."""
    if not any("\udc80" <= ch <= "\udcff" for ch in value):
        return value
    raw = value.encode("utf-8", errors="surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = raw.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    readable = sum(1 for ch in text if ch >= "\x80") - broken
    if readable > 0 and readable >= 2 * broken:  # UTF-8 with a byte or two damaged
        add_problem(problems, "8-bit header mostly UTF-8: undecodable bytes replaced")
        return text
    add_problem(problems, "8-bit header read as cp1252")
    return raw.decode("cp1252", errors="replace")


_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([QqBb])\?([^?\s]*)\?=")
_BETWEEN_WORDS = re.compile(r"(\?=)[ \t\r\n]+(=\?)")


def _decode_word(charset: str, encoding: str, payload: str, problems: list[str]) -> bytes:
    if encoding in "Bb":
        cleaned = re.sub(r"[^A-Za-z0-9+/]", "", payload)
        cleaned += "=" * (-len(cleaned) % 4)
        try:
            return base64.b64decode(cleaned)
        except (binascii.Error, ValueError):
            add_problem(problems, "broken base64 encoded word in header")
            return payload.encode("ascii", errors="replace")
    return quopri.decodestring(payload.replace("_", " ").encode("ascii", errors="replace"), header=False)


def decode_header_value(value: str | None, problems: list[str]) -> str:
    """A header field as readable text: RFC 2047 words in any charset, raw 8-bit tolerated.

    Adjacent encoded words in the same charset are joined before decoding, so a
    multi-byte character split across two words comes out whole.
    """
    if not value:
        return ""
    text = str(value)
    if len(text) > MAX_HEADER_LENGTH:
        add_problem(problems, f"header longer than {MAX_HEADER_LENGTH} characters: truncated")
        text = re.sub(r"=\?[^\s]*$", "", text[:MAX_HEADER_LENGTH])  # no half encoded word at the end
    text = header_bytes_to_text(text, problems)
    text = re.sub(r"\r?\n[ \t]*", " ", text)
    if "=?" not in text:
        return text.strip()
    text = _BETWEEN_WORDS.sub(r"\1\2", text)
    pieces: list[str] = []
    pending: bytes = b""
    pending_charset = ""
    position = 0

    def flush() -> None:
        nonlocal pending, pending_charset
        if pending:
            pieces.append(decode_bytes(pending, pending_charset, problems, "header"))
        pending, pending_charset = b"", ""

    for match in _ENCODED_WORD.finditer(text):
        if match.start() > position:
            flush()
            pieces.append(text[position:match.start()])
        charset = match.group(1).split("*", 1)[0]
        if pending and charset.lower() != pending_charset.lower():
            flush()
        pending_charset = charset
        pending += _decode_word(charset, match.group(2), match.group(3), problems)
        position = match.end()
    flush()
    pieces.append(text[position:])
    return "".join(pieces).strip()


_MESSAGE_ID = re.compile(r"<([^<>\s\x00-\x1f\x7f]{1,500})>")
_BARE_MESSAGE_ID = re.compile(r"[^<>\s,;\"()\x00-\x1f]{1,250}@[^<>\s,;\"()\x00-\x1f]{1,250}")


def message_ids(value: str | None) -> list[str]:
    """The Message-IDs in an In-Reply-To / References / Message-ID field, with angle brackets.

    A bare ``local@domain`` without brackets (some old clients) is accepted too.
    Order is kept, duplicates dropped.
    """
    if not value:
        return []
    found = [f"<{token}>" for token in _MESSAGE_ID.findall(value)]
    if not found:
        found = [f"<{token}>" for token in _BARE_MESSAGE_ID.findall(value)]
    unique: list[str] = []
    for message_id in found:
        if message_id not in unique:
            unique.append(message_id)
    return unique


def addresses(values: list[str], problems: list[str] | None = None) -> list[tuple[str, str]]:
    """(name, address) pairs from address fields; an address is lower-cased.

    Fields are split into addresses *before* encoded words are decoded: a decoded
    display name may contain commas, colons or angle brackets that would otherwise
    be read as address syntax.
    """
    problems = [] if problems is None else problems
    pairs: list[tuple[str, str]] = []
    unfolded = [re.sub(r"\r?\n[ \t]*", " ", value) for value in values]
    try:
        parsed = getaddresses(unfolded)
    except Exception:  # noqa: BLE001 - getaddresses has raised on hostile input in past Pythons
        parsed = []
    for name, address in parsed:
        address = address.strip().strip("<>").strip().lower()
        unusable = any(ch.isspace() or ch < " " or ch == "\x7f" for ch in address)
        if address and len(address) <= 320 and not unusable:
            pairs.append((decode_header_value(name, problems) if "=?" in name else name.strip(), address))
    return pairs


def parse_date(value: str | None, problems: list[str]) -> datetime | None:
    """An aware datetime from a Date field (zoneless dates are read as UTC), or None."""
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        add_problem(problems, "unreadable Date header")
        return None
    if moment is None:
        add_problem(problems, "unreadable Date header")
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


_UNSAFE_FILENAME = re.compile(r'[<>:"|?*\\/]')


def safe_filename(name: str | None, content_type: str = "", fallback: str = "attachment") -> str:
    """A name fit to show and to store under: no folders, no control characters, bounded length.

    The last path component is kept (``../../etc/passwd`` becomes ``passwd``);
    control and invisible format characters (such as the right-to-left override
    used to disguise ``exe`` files) are removed; the extension survives shortening.
    """
    text = unicodedata.normalize("NFC", name or "")
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn"))
    text = text.replace("\\", "/").rstrip("/")
    text = posixpath.basename(text)
    text = _UNSAFE_FILENAME.sub("_", text)
    text = " ".join(text.split()).strip(" .")
    if not text:
        extension = mimetypes.guess_extension(content_type or "") or ""
        if content_type == "message/rfc822":
            extension = ".eml"
        text = fallback + extension
    if len(text) > MAX_FILENAME_LENGTH:
        stem, dot, extension = text.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            text = stem[: MAX_FILENAME_LENGTH - len(extension) - 1].rstrip(" .") + "." + extension
        else:
            text = text[:MAX_FILENAME_LENGTH].rstrip(" .")
    return text
