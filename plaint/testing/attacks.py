"""Hostile uploads the tests send through every way in (API, complaint form, customer portal):
built here, in memory, so that no test data holds anything that looks like malware."""

from __future__ import annotations

import gzip
import io
import zipfile

from plaint.testing.actors import PDF

# An HTML page with a script, as an attacker would name and declare a PDF.
HTML_AS_PDF = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
# The same without the <html> frame: libmagic still finds the markup.
BARE_SCRIPT = b"Your invoice:\n<script>fetch('/api/v1/complaints').then(r => r.text())</script>\n"
# A picture that is a script: SVG may carry JavaScript and is not an accepted type.
SVG_WITH_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
# A valid GIF header that is also valid JavaScript (the classic GIF/JS polyglot).
GIF_JS_POLYGLOT = b"GIF89a/*\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00*/=alert(document.cookie);//;"
# A file that opens as a PDF and holds an HTML page with a script.
PDF_HTML_POLYGLOT = PDF + b"<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n"


def zip_bomb(unpacked: int = 50 * 1024 * 1024) -> bytes:
    """A small zip archive (about 50 kB) that unpacks to ``unpacked`` bytes of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("invoice.pdf", b"\0" * unpacked)
    return buffer.getvalue()


def gzip_bomb(unpacked: int = 20 * 1024 * 1024) -> bytes:
    return gzip.compress(b"\0" * unpacked, compresslevel=9)


# Names that try to escape the folder, hide their ending or break a header.
TRAVERSAL_NAME = "../../../../etc/cron.d/evil.pdf"
WINDOWS_TRAVERSAL_NAME = "..\\..\\Windows\\System32\\drivers\\etc\\hosts.pdf"
RTL_OVERRIDE_NAME = "invoice\u202efdp.exe"  # shows as "invoiceexe.pdf"
HEADER_BREAKING_NAME = 'bill"; filename="evil.html'
