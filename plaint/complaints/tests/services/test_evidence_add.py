"""Evidence: type checked on content, size limited, hashed, stored under a name of our own."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest

from plaint.complaints.choices import EventKind, Visibility
from plaint.complaints.models import Evidence
from plaint.complaints.services.evidence import download_name, evidence_add, sanitise_name
from plaint.complaints.tests.helpers import (
    NOW,
    assert_recorded_by,
    last_event_id,
    load,
    only_new_event,
    refused,
)
from plaint.core import clock
from plaint.core.exceptions import ValidationFailed
from plaint.testing.actors import AGENT, CUSTOMER_A, PDF

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def _add(cast, content, name="bill.pdf", who=CUSTOMER_A, complaint=None, **more):
    return evidence_add(actor=cast.actor(who), complaint=load((complaint or cast.complaint_b).pk),
                        stream=io.BytesIO(content), name=name, **more)


def _stored_files(settings) -> list[Path]:
    return sorted(p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())


def test_a_file_is_stored_with_its_sha256_size_and_type_and_one_event(cast, settings):
    # given
    content = PDF + b"%" + b"x" * 3000 + b"\n"
    after = last_event_id()
    # when
    with clock.frozen_at(NOW):
        evidence = _add(cast, content, description="The October bill")
    # then the hash and size are those of the content
    stored = Evidence.objects.get(pk=evidence.pk)
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert (stored.size, stored.content_type) == (len(content), "application/pdf")
    assert (stored.original_name, stored.description, stored.created_at) == (
        "bill.pdf", "The October bill", NOW
    )
    # and the file on disk is the content, under a name of our own
    with stored.file.open("rb") as handle:
        assert handle.read() == content
    assert Path(stored.file.name).name != "bill.pdf"
    assert Path(stored.file.path).resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert stored.file.name.startswith("evidence/")
    # and one event records it without the file's name
    event = only_new_event(after)
    assert event.kind == EventKind.EVIDENCE_ADDED
    assert event.data == {"evidence": evidence.pk, "sha256": stored.sha256,
                          "size": len(content), "type": "application/pdf"}
    assert_recorded_by(event, cast.actor(CUSTOMER_A))
    assert load(cast.complaint_b.pk).updated_at == NOW


def test_a_large_file_is_hashed_whole(cast, settings):
    # a file larger than the part read to detect its type and than one read chunk
    content = PDF + b"%" + bytes(range(256)) * 5000
    evidence = _add(cast, content)
    assert (evidence.size, evidence.sha256) == (len(content), hashlib.sha256(content).hexdigest())


def test_a_real_pdf_named_exe_is_accepted_as_a_pdf_and_named_as_one(cast):
    evidence = _add(cast, PDF, name="invoice.exe")
    assert evidence.content_type == "application/pdf"
    # the name keeps what the sender called it and gets the ending of what it is
    assert evidence.original_name == "invoice.exe.pdf"
    assert evidence.file.name.endswith(".pdf")


@pytest.mark.parametrize(("content", "name"), [
    (b"#!/bin/sh\nrm -rf ~\n", "statement.pdf"),
    (b"<script>alert(document.cookie)</script>", "photo.png"),
    (b"<?php system($_GET['c']); ?>", "bill.txt"),
    (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "contract.pdf"),
])
def test_a_file_whose_content_is_not_an_allowed_type_is_refused_whatever_its_name(
    cast, content, name
):
    with refused(ValidationFailed, "evidence_type_not_allowed") as refusal:
        _add(cast, content, name=name)
    assert list(refusal.value.fields) == ["file"]
    assert not Evidence.objects.filter(complaint=cast.complaint_b).exists()


def test_a_refused_file_is_not_written_to_disk(cast, settings):
    before = _stored_files(settings)
    with refused(ValidationFailed, "evidence_type_not_allowed"):
        _add(cast, b"#!/bin/sh\necho hi\n", name="x.pdf")
    assert _stored_files(settings) == before


@pytest.mark.parametrize(("content", "expected"), [
    (PNG, "image/png"),
    (b"Meter reading 12345 on 1 October.\n", "text/plain"),
])
def test_pictures_and_texts_are_accepted(cast, content, expected):
    assert _add(cast, content, name="anything").content_type == expected


def test_an_empty_file_is_refused(cast):
    with refused(ValidationFailed, "evidence_empty") as refusal:
        _add(cast, b"")
    assert list(refusal.value.fields) == ["file"]


def test_a_file_over_the_size_limit_is_refused_and_one_at_the_limit_accepted(cast, settings):
    # given a limit of 1 kB
    settings.PLAINT_EVIDENCE_MAX_BYTES = 1024
    at_limit = PDF + b"%" + b"x" * (1024 - len(PDF) - 2) + b"\n"
    assert len(at_limit) == 1024
    # when / then
    assert _add(cast, at_limit).size == 1024
    with refused(ValidationFailed, "evidence_too_large") as refusal:
        _add(cast, at_limit + b"x")
    assert list(refusal.value.fields) == ["file"]


def test_a_file_far_over_the_limit_is_refused_without_reading_it_all(cast, settings):
    # given a limit of 1 MB and a stream of 8 MB that counts what is read of it
    settings.PLAINT_EVIDENCE_MAX_BYTES = 1024 * 1024

    class Counting(io.BytesIO):
        read_bytes = 0

        def read(self, size=-1):
            chunk = super().read(size)
            Counting.read_bytes += len(chunk)
            return chunk

    stream = Counting(PDF + b"\0" * (8 * 1024 * 1024))
    # when
    with refused(ValidationFailed, "evidence_too_large"):
        evidence_add(actor=cast.actor(AGENT), complaint=load(cast.complaint_b.pk), stream=stream,
                     name="huge.pdf")
    # then reading stopped soon after the limit
    assert Counting.read_bytes <= 3 * 1024 * 1024


@pytest.mark.parametrize(("name", "expected"), [
    ("../../etc/passwd", "passwd"),
    ("..\\..\\Windows\\System32\\evil.pdf", "evil.pdf"),
    ("/var/www/html/shell.php", "shell.php"),
    ("..", "file"),
    ("", "file"),
    ("folder/", "file"),
    ("my bill (October).pdf", "my_bill_October.pdf"),
    ("bill\x00.pdf\r\n", "bill.pdf"),
    ("a" * 300 + ".pdf", "a" * 116 + ".pdf"),
    ("a" * 300, "a" * 120),
    ("invoice\u202egpj.exe", "invoicegpj.exe"),
    ("bill\u200b\u2066.pdf", "bill.pdf"),
    (".htaccess", "htaccess"),
    ("nul\x7f\x1b[31m.pdf", "nul31m.pdf"),
])
def test_a_file_name_is_cleaned_of_paths_and_control_characters(name, expected):
    assert sanitise_name(name) == expected


def test_a_path_in_the_name_of_an_uploaded_file_is_dropped(cast):
    evidence = _add(cast, PDF, name="../../../etc/cron.d/evil.pdf")
    assert evidence.original_name == "evil.pdf"
    assert ".." not in evidence.file.name


def test_staff_may_keep_evidence_internal(cast):
    after = last_event_id()
    evidence = _add(cast, PDF, who=AGENT, internal=True)
    assert evidence.visibility == Visibility.INTERNAL
    event = only_new_event(after)
    assert event.visibility == Visibility.INTERNAL
    assert_recorded_by(event, cast.actor(AGENT))


def test_a_customers_evidence_is_always_visible_to_them(cast):
    evidence = _add(cast, PDF, internal=True)
    assert evidence.visibility == Visibility.CUSTOMER


def test_a_long_description_is_cut_to_fit(cast):
    evidence = _add(cast, PDF, description="d" * 400)
    assert evidence.description == "d" * 300


@pytest.mark.parametrize(("name", "content_type", "expected"), [
    ("bill.pdf", "application/pdf", "bill.pdf"),
    ("BILL.PDF", "application/pdf", "BILL.PDF"),
    ("photo.jpeg", "image/jpeg", "photo.jpeg"),
    ("invoice.html", "text/plain", "invoice.html.txt"),
    ("notes", "text/plain", "notes.txt"),
    ("a" * 300 + ".html", "text/plain", "a" * 115 + ".txt"),
])
def test_a_download_name_ends_as_the_type_found_in_the_content(name, content_type, expected):
    assert download_name(name, content_type) == expected
    assert len(download_name(name, content_type)) <= 120
