"""Properties: no input makes parse_message raise, and split_reply never loses a line."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plaint.channels.mail import MessageKind, ParsedMessage, parse_message, split_reply
from plaint.channels.tests.mail.builders import mail
from plaint.channels.tests.mail.corpus import EMAILS, emails_folder

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CORPUS = sorted(str(path.relative_to(EMAILS)) for path in EMAILS.glob("*/*.eml")) if EMAILS.is_dir() else []
HAND_MADE = [
    mail("Dobrý den,\nzboží nedorazilo.\n\nDne 3. 12. 2026 Plaint napsal(a):\n> text\n",
         charset="iso-8859-2"),
    mail("", html="<p>Ahoj <b>světe</b></p><blockquote>citace</blockquote>"),
]


def _assert_well_formed(parsed: ParsedMessage) -> None:
    assert isinstance(parsed, ParsedMessage)
    assert isinstance(parsed.kind, MessageKind)
    for value in (parsed.text, parsed.new_text, parsed.quoted_text, parsed.signature, parsed.subject,
                  parsed.message_id, parsed.from_address):
        assert isinstance(value, str)
    if parsed.date is not None:
        assert parsed.date.tzinfo is not None
    for attachment in parsed.attachments:
        assert "/" not in attachment.filename
        assert 0 < len(attachment.filename) <= 150
        assert isinstance(attachment.data, bytes)


@SETTINGS
@given(st.binary(max_size=4000))
def test_arbitrary_bytes_never_raise(data):
    _assert_well_formed(parse_message(data))


@SETTINGS
@given(st.text(alphabet=st.sampled_from("ab:\r\n -=?<>@;\"/\\\t\x00é\u202e"), max_size=600).map(
    lambda text: ("Content-Type: multipart/mixed; boundary=b\r\n" + text).encode("utf-8")))
def test_header_like_noise_never_raises(data):
    _assert_well_formed(parse_message(data))


@st.composite
def _mutations(draw, sources: list[bytes]) -> bytes:
    """A message with bytes cut, flipped, inserted or its lines shuffled around."""
    data = bytearray(draw(st.sampled_from(sources)))
    for _ in range(draw(st.integers(1, 8))):
        if not data:
            break
        position = draw(st.integers(0, len(data) - 1))
        operation = draw(st.sampled_from(["cut", "flip", "insert", "truncate", "duplicate"]))
        if operation == "cut":
            del data[position:position + draw(st.integers(1, 200))]
        elif operation == "flip":
            data[position] = draw(st.integers(0, 255))
        elif operation == "insert":
            data[position:position] = draw(st.sampled_from(
                [b"\r\n", b"--", b"=?utf-8?B?", b"?=", b"\x00", b"\r\n\r\n", b"boundary=\"",
                 b"Content-Type: ", b"message/rfc822\r\n", b"multipart/report;", b"charset=\"x-bad\"",
                 b"\xff\xfe"]))
        elif operation == "truncate":
            del data[position:]
        else:
            data[position:position] = data[position:position + draw(st.integers(1, 300))]
    return bytes(data)


def _corpus_sources() -> list[bytes]:
    folder = emails_folder()
    return [(folder / name).read_bytes() for name in CORPUS]


@SETTINGS
@given(st.data())
def test_mutated_corpus_messages_never_raise(data):
    # given a real message of the corpus, damaged
    sources = _corpus_sources()
    damaged = data.draw(_mutations(sources))
    # when / then
    _assert_well_formed(parse_message(damaged))


@SETTINGS
@given(_mutations(HAND_MADE))
def test_mutated_hand_made_messages_never_raise(damaged):
    _assert_well_formed(parse_message(damaged))


_LINES = st.sampled_from([
    "", "Dobrý den,", "> citace", ">", "-- ", "Sent from my iPhone", "S pozdravem", "Jana",
    "On Mon, X wrote:", "Dne 3. 12. napsal(a):", "-----Original Message-----", "From: a@b.c", "Sent: Monday",
    "To: x", "Subject: y", "________________________________", "zboží nedorazilo.", "Díky",
    "W dniu 3.12.2026, X <x@y.z>", "napisał:",
])
_ONE_LINE = st.text(max_size=40).filter(lambda text: text.splitlines() in ([text], []) and "\r" not in text)


@SETTINGS
@given(st.lists(_LINES | _ONE_LINE, max_size=30))
def test_split_reply_keeps_every_line_somewhere(lines):
    # given any text
    text = "\n".join(lines)
    # when
    new_text, quoted, signature = split_reply(text)
    # then every non-blank line is in one of the three parts, and new text is empty only if the text was
    parts = (new_text, quoted, signature)
    kept = [line.strip() for part in parts for line in part.splitlines() if line.strip()]
    original = [line.strip() for line in text.splitlines() if line.strip()]
    assert sorted(kept) == sorted(original)
    assert bool(new_text.strip()) == bool(original)


def test_the_corpus_is_listed_for_mutation():
    emails_folder()
    assert len(CORPUS) >= 70
    assert Path(EMAILS / CORPUS[0]).is_file()
