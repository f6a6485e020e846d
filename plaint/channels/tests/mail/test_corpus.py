"""Every real message of the shared corpus (flanker, mail-parser, talon fixtures) through parse_message.

The corpus is third-party mail nobody on the team wrote: bounces from Gmail,
Office 365 and Postfix, ARF reports, a read receipt, broken MIME, many charsets.
INDEX.csv says what each file is; the expectations below follow from it.
"""

from __future__ import annotations

import collections
import email
import os
import re
from email.policy import compat32
from pathlib import Path

import pytest

from plaint.channels.mail import MessageKind, html_to_text, parse_message, split_reply
from plaint.channels.tests.mail.corpus import EMAILS, corpus_index, emails_folder, features

ROWS = corpus_index() or [{"file": "(absent)", "features": ""}]
IDS = [row["file"] for row in ROWS]


def _embedded_message_ids(raw: bytes) -> set[str]:
    """Message-IDs of messages a bounce or report carries, found independently of our parser."""
    found: set[str] = set()
    message = email.message_from_bytes(raw, policy=compat32)
    for part in message.walk():
        if part.get_content_type() in ("message/rfc822", "message/global") and part.is_multipart():
            inner = part.get_payload(0)
            if inner.get("message-id"):
                found.update(re.findall(r"<[^<>\s]+>", str(inner["message-id"])))
        if part.get_content_type() in ("text/rfc822-headers", "message/rfc822-headers"):
            text = part.as_string()
            found.update(re.findall(r"(?im)^Message-ID:\s*(<[^<>\s]+>)", text))
    # and messages pasted into a bounce's text ("----- Original message -----", qmail's copy)
    body = re.split(rb"\r?\n\r?\n", raw, maxsplit=1)[-1]
    found.update(m.decode() for m in re.findall(rb"(?im)^\s*(?:Original-)?Message-ID:\s*(<[^<>\s]+>)", body))
    return found


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_a_corpus_message_is_parsed_and_machine_mail_is_never_normal(row):
    # given a real message and what the index says it is
    folder = emails_folder()
    raw = (folder / row["file"]).read_bytes()
    marks = features(row)
    # when
    parsed = parse_message(raw)
    # then it is read, and bounces and reports are recognised as such
    assert isinstance(parsed.kind, MessageKind)
    if "DSN/bounce" in marks:
        assert parsed.kind == MessageKind.BOUNCE, parsed.kind_reasons
        assert parsed.bounce is not None
        assert parsed.bounce.failed_recipients or "Delivery failed" in parsed.text
    if marks & {"ARF-complaint", "MDN"}:
        assert parsed.kind == MessageKind.REPORT, parsed.kind_reasons
    if "DSN/bounce" in marks or marks & {"ARF-complaint", "MDN"}:
        # the message the bounce or report is about is found
        assert _embedded_message_ids(raw) <= set(parsed.bounce.original_message_ids)
    if parsed.kind != MessageKind.UNPARSEABLE and "malformed" not in marks:
        assert parsed.subject == parsed.subject.strip()
        assert "=?" not in parsed.subject or "encoded-word-headers" not in marks
    if "html-only" in marks:
        assert parsed.was_html
        assert "<html" not in parsed.text.lower()
        assert "<script" not in parsed.text.lower()
    if "attachment" in marks:
        assert parsed.attachments
        for attachment in parsed.attachments:
            assert "/" not in attachment.filename
            assert "\\" not in attachment.filename


def test_the_corpus_classification_is_reported_and_counts_every_bounce(tmp_path):
    # given the whole corpus
    folder = emails_folder()
    # when every message is parsed
    kinds: collections.Counter[str] = collections.Counter()
    lines = []
    for row in ROWS:
        parsed = parse_message((folder / row["file"]).read_bytes())
        kinds[parsed.kind.value] += 1
        lines.append(f"{row['file']:<48} {parsed.kind.value:<12} {'; '.join(parsed.kind_reasons)[:80]}")
    summary = "\n".join([*lines, "", ", ".join(f"{k}: {n}" for k, n in sorted(kinds.items()))])
    report_dir = Path(os.environ.get("PLAINT_VAR_DIR") or tmp_path) / "test-reports"
    report_dir.mkdir(parents=True, exist_ok=True)
    (report_dir / "mail-corpus-classification.txt").write_text(summary + "\n", encoding="utf-8")
    print("\n" + summary)  # noqa: T201 - the one-line-per-file classification, visible with -s
    # then nothing the index calls a bounce slipped through as a person's mail
    bounces = [row["file"] for row in ROWS if "DSN/bounce" in features(row)]
    assert len(bounces) >= 10
    assert kinds["bounce"] >= len(bounces)
    assert kinds["report"] >= 3
    assert kinds["normal"] > 0


STANDARD_REPLIES = sorted(p.name for p in (EMAILS / "talon").glob("standard_replies_*.eml")) or ["(absent)"]
HTML_REPLIES = sorted(p.name for p in (EMAILS / "talon").glob("html_replies_*.html")) or ["(absent)"]


@pytest.mark.parametrize("path", STANDARD_REPLIES)
def test_talon_standard_replies_keep_only_the_new_words(path):
    # given one of talon's standard replies, each answering "Hi"/"Hello" with "Hello" on top of a quote
    folder = emails_folder()
    # when
    parsed = parse_message((folder / "talon" / path).read_bytes())
    # then what the fixture's test expects (talon's default reply text "Hello") is all that is new
    assert parsed.kind == MessageKind.NORMAL
    assert parsed.new_text == "Hello"
    assert parsed.quoted_text
    assert "Hello" in parsed.text
    assert parsed.text != parsed.new_text


def test_talon_share_block_reply_loses_the_quoted_header_block():
    # given talon's reply quoting a booking e-mail under "--- On Wed, … wrote:" without ">"
    folder = emails_folder()
    # when
    parsed = parse_message((folder / "talon" / "reply-quotations-share-block.eml").read_bytes())
    # then (as talon's own test asserts) the reply is kept and the quoted "From:" block is not in it
    assert parsed.new_text.startswith("Hi Katharine.")
    assert "From" not in parsed.new_text
    assert "New Booking Inquiry" in parsed.quoted_text


@pytest.mark.parametrize("path", HTML_REPLIES)
def test_talon_html_replies_give_the_reply_and_its_closing(path):
    # given an HTML reply fragment from a mail client (talon expects "Hi. I am fine. Thanks, Alex")
    folder = emails_folder()
    html = (folder / "talon" / path).read_text(encoding="utf-8", errors="replace")
    # when
    new_text, quoted, signature = split_reply(html_to_text(html))
    # then
    assert re.sub(r"\s", "", new_text + signature) == "Hi.Iamfine.Thanks,Alex"
    assert "How are you" in quoted
