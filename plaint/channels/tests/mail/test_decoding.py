"""Charsets, encoded words, Message-IDs, dates and file names as real senders produce them."""

from __future__ import annotations

from datetime import UTC

import pytest

from plaint.channels.mail.decoding import (
    MAX_FILENAME_LENGTH,
    decode_bytes,
    decode_header_value,
    message_ids,
    parse_date,
    safe_filename,
)

CZECH = "Příliš žluťoučký kůň úpěl ďábelské ódy"
POLISH = "Zażółć gęślą jaźń"


@pytest.mark.parametrize(("text", "charset"), [
    (CZECH, "iso-8859-2"), (CZECH, "windows-1250"), (POLISH, "ISO-8859-2"), (POLISH, "Windows-1250"),
    ("Быстрее, пожалуйста", "windows-1251"), ("投诉处理", "GB2312"),
    ("Reclamação não resolvida", "iso-8859-1"),
    ("Răspuns întârziat", "utf-8"),
])
def test_a_body_in_its_declared_charset_is_decoded_without_problems(text, charset):
    # given text encoded as declared
    problems: list[str] = []
    # when
    decoded = decode_bytes(text.encode(charset), charset, problems)
    # then
    assert decoded == text
    assert problems == []


def test_an_unknown_charset_falls_back_to_utf8_and_is_recorded():
    problems: list[str] = []
    decoded = decode_bytes(CZECH.encode("utf-8"), "x-made-up", problems)
    assert decoded == CZECH
    assert any("unknown charset" in problem for problem in problems)


def test_a_wrongly_declared_charset_is_read_as_utf8_when_it_is_utf8():
    problems: list[str] = []
    decoded = decode_bytes(POLISH.encode("utf-8"), "us-ascii", problems)
    assert decoded == POLISH
    assert problems == ["body declared 'us-ascii' but was UTF-8"]


def test_broken_utf8_keeps_the_readable_text_and_marks_the_bad_byte():
    problems: list[str] = []
    data = CZECH.encode("utf-8") + b"\xff" + b" konec"
    decoded = decode_bytes(data, "utf-8", problems)
    assert decoded == CZECH + "\ufffd konec"
    assert problems


def test_undeclared_8bit_text_is_read_as_cp1252():
    problems: list[str] = []
    assert decode_bytes("café – “quoted”".encode("cp1252"), None, problems) == "café – “quoted”"
    assert problems


@pytest.mark.parametrize(("header", "expected"), [
    ("=?ISO-8859-2?Q?Reklamace_=E8.=20123_-_=B9patn=E9_zbo=BE=ED?=", "Reklamace č. 123 - špatné zboží"),
    ("=?iso-8859-2?B?UmVrbGFtYWNlIOjtc2xvIDEyMw==?=", "Reklamace číslo 123"),
    ("=?windows-1250?Q?Reklamacja_zam=F3wienia_=9Fle_dostarczonego?=",
     "Reklamacja zamówienia źle dostarczonego"),
    ("=?windows-1250?B?UmVrbGFtYWNqYSAtIJ9sZQ==?=", "Reklamacja - źle"),
    ("Re: =?utf-8?q?R=C4=83spuns?= =?utf-8?q?_=C3=AEnt=C3=A2rziat?=", "Re: Răspuns întârziat"),
    # a character split across two encoded words comes out whole
    ("=?utf-8?B?xZk=?= =?utf-8?B?w61q?=", "říj"),
    ("=?GB2312?B?zbbL37SmwO0=?=", "投诉处理"),
    ("=?x-unknown?Q?plain?=", "plain"),
])
def test_encoded_word_headers_are_decoded_in_any_charset(header, expected):
    problems: list[str] = []
    assert decode_header_value(header, problems) == expected


@pytest.mark.parametrize("header", [
    "=?utf-8?B?!!!broken?=", "=?utf-8?Q?=ZZ=?=", "=?", "=?utf-8?B?xZ", "?=" * 50,
])
def test_a_broken_encoded_word_gives_text_not_an_exception(header):
    problems: list[str] = []
    assert isinstance(decode_header_value(header, problems), str)


def test_raw_8bit_utf8_in_a_header_is_read_as_utf8():
    problems: list[str] = []
    surrogate_escaped = "Stížnost".encode().decode("ascii", errors="surrogateescape")
    assert decode_header_value(surrogate_escaped, problems) == "Stížnost"


@pytest.mark.parametrize(("value", "expected"), [
    ("<a@b.c>", ["<a@b.c>"]),
    ("  <a@b.c>\r\n <d@e.f> <a@b.c>", ["<a@b.c>", "<d@e.f>"]),
    ("bare@example.test", ["<bare@example.test>"]),
    ("<a@b.c> (comment)", ["<a@b.c>"]),
    ("", []),
    ("garbage without an id", []),
])
def test_message_ids_are_normalised_with_angle_brackets(value, expected):
    assert message_ids(value) == expected


def test_a_date_becomes_an_aware_datetime_and_nonsense_becomes_none():
    problems: list[str] = []
    moment = parse_date("Thu, 03 Dec 2026 10:15:00 +0100", problems)
    assert moment is not None
    assert moment.utcoffset().total_seconds() == 3600
    zoneless = parse_date("Thu, 03 Dec 2026 10:15:00 -0000", problems)
    assert zoneless is not None
    assert zoneless.tzinfo == UTC
    assert parse_date("yesterday, about noon", problems) is None
    assert "unreadable Date header" in problems


@pytest.mark.parametrize(("name", "expected"), [
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\jana\\Desktop\\faktura.pdf", "faktura.pdf"),
    ("fak\x00tu\x07ra\r\n.pdf", "faktura.pdf"),
    ("invoice\u202efdp.exe", "invoicefdp.exe"),
    ("..", "attachment.pdf"),
    ("", "attachment.pdf"),
    ("a<b>c:d|e?.txt", "a_b_c_d_e_.txt"),
    ("  spaced   name .docx ", "spaced name .docx"),
])
def test_file_names_are_made_safe(name, expected):
    assert safe_filename(name, "application/pdf") == expected


def test_a_very_long_file_name_is_shortened_keeping_its_extension():
    name = "ž" * 1000 + ".pdf"
    safe = safe_filename(name)
    assert len(safe) <= MAX_FILENAME_LENGTH
    assert safe.endswith(".pdf")


@pytest.mark.parametrize(("raw_bytes", "expected"), [
    ("Stížnost na doručení".encode() + b"\xf1", "Stížnost na doručení\ufffd"),  # UTF-8 with a damaged byte
    ("Lütkebohle".encode("latin-1"), "Lütkebohle"),  # a legacy 8-bit header
    ("Żółć".encode("cp1250"), "¯ó³æ"),  # unknowable without a label: read as cp1252, never an exception
])
def test_raw_8bit_headers_are_read_as_utf8_when_mostly_utf8_else_cp1252(raw_bytes, expected):
    problems: list[str] = []
    value = raw_bytes.decode("ascii", errors="surrogateescape")
    assert decode_header_value(value, problems) == expected
    assert problems
