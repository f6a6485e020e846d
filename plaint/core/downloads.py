"""Files sent to a browser: always as a download, never shown or run in Plaint's pages.

Evidence and raw e-mails come from outside and may be hostile (an HTML page named ``.pdf``, a
GIF that is also a script). Every download goes out the same way:

- ``Content-Disposition: attachment`` with the file name cleaned and encoded by Django (RFC 6266),
  so the browser saves the file instead of showing it;
- the type found in the content (never the one the sender declared) and
  ``X-Content-Type-Options: nosniff``, so the browser does not guess another;
- ``Content-Security-Policy: default-src 'none'; frame-ancestors 'none'; sandbox``: even a
  browser that showed it would run nothing and load nothing in Plaint's origin;
- ``Cache-Control: private, no-store``: personal data stays out of shared caches.
"""

from __future__ import annotations

from typing import IO

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

SANDBOX_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox"


def _harden(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_POLICY
    response["Cache-Control"] = "private, no-store"
    return response


def file_download(stream: IO[bytes], *, filename: str, content_type: str) -> FileResponse:
    """A stored file (streamed) as an attachment."""
    response = FileResponse(stream, as_attachment=True, filename=filename, content_type=content_type)
    _harden(response, filename)
    return response


def bytes_download(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """Bytes held in the database (a raw e-mail) as an attachment."""
    return _harden(HttpResponse(content, content_type=content_type), filename)
