"""An upload is written to disk only up to the evidence size limit (plaint/core/uploads.py)."""

from __future__ import annotations

import os

from plaint.core.uploads import BoundedTemporaryFileUploadHandler

CHUNK = 64 * 1024


def _receive(handler: BoundedTemporaryFileUploadHandler, size: int):  # type: ignore[no-untyped-def]
    handler.new_file("file", "huge.pdf", "application/pdf", size)
    sent = 0
    while sent < size:
        piece = min(CHUNK, size - sent)
        handler.receive_data_chunk(b"x" * piece, sent)
        sent += piece
    return handler.file_complete(sent)


def test_a_file_over_the_limit_is_kept_only_to_one_byte_past_it(settings):
    # given a limit of 100 kB
    settings.PLAINT_EVIDENCE_MAX_BYTES = 100 * 1024
    # when 5 MB arrive
    uploaded = _receive(BoundedTemporaryFileUploadHandler(), 5 * 1024 * 1024)
    # then the temporary file holds the limit and one byte, enough for the check to refuse it
    try:
        assert uploaded.size == 100 * 1024 + 1
        assert os.path.getsize(uploaded.temporary_file_path()) == 100 * 1024 + 1
    finally:
        uploaded.close()


def test_a_file_within_the_limit_is_kept_whole(settings):
    settings.PLAINT_EVIDENCE_MAX_BYTES = 1024 * 1024
    uploaded = _receive(BoundedTemporaryFileUploadHandler(), 300 * 1024)
    try:
        assert uploaded.size == 300 * 1024
        assert uploaded.read() == b"x" * 300 * 1024
    finally:
        uploaded.close()
