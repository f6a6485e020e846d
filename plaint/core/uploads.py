"""Uploads are written to disk only up to the evidence size limit.

Django writes every uploaded file to a temporary file before a view sees it, whatever its size,
so a 10 GB upload would fill the disk before ``evidence_inspect`` refused it. This handler keeps
at most PLAINT_EVIDENCE_MAX_BYTES + 1 bytes of each file and drops the rest as it arrives: the
file a view gets is then just over the limit, and ``evidence_inspect`` refuses it with the
usual message ("larger than … MB"). The request body as a whole should also be bounded by the
reverse proxy (docs/security.md).
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler


class BoundedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Django's temporary-file handler that stops writing a file one byte past the limit."""

    def new_file(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().new_file(*args, **kwargs)
        self.written = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        room = settings.PLAINT_EVIDENCE_MAX_BYTES + 1 - self.written
        if room > 0:
            kept = raw_data[:room]
            self.file.write(kept)
            self.written += len(kept)

    def file_complete(self, file_size: int):  # type: ignore[no-untyped-def]
        return super().file_complete(self.written)
