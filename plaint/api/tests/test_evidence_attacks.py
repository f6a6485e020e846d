"""Upload attacks through the API (issue 6): a script disguised as a PDF, archives and
compression bombs, path-traversal and deceptive names, an oversized file, polyglots. Each is
refused with a clear error and nothing kept, or stored as what its content is and only ever
handed out as a download of that type (docs/security.md "Uploads")."""

from __future__ import annotations

from pathlib import Path

import pytest

from plaint.api.tests.api_requests import content
from plaint.api.tests.test_evidence import stored_files, upload, upload_url
from plaint.complaints.models import Evidence
from plaint.core.downloads import SANDBOX_POLICY
from plaint.testing import attacks
from plaint.testing.actors import AGENT, CUSTOMER_A, PDF
from plaint.testing.database import all_rows

pytestmark = pytest.mark.django_db


def _assert_download_is_inert(cast, evidence: dict, *, content_type: str, name: str, data: bytes) -> None:
    """The file comes back byte for byte, as a download of the sniffed type that nothing runs."""
    for who in (CUSTOMER_A, AGENT):
        response = cast.client(who).get(f"{upload_url(cast)}/{evidence['id']}")
        assert response.status_code == 200
        assert content(response) == data
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"] == f'attachment; filename="{name}"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == SANDBOX_POLICY
        assert "text/html" not in response["Content-Type"]


@pytest.mark.parametrize(("data", "name"), [
    (attacks.HTML_AS_PDF, "invoice.pdf"),
    (attacks.BARE_SCRIPT, "statement.pdf"),
    (attacks.SVG_WITH_SCRIPT, "photo.png"),
    (attacks.zip_bomb(), "invoice.pdf"),
    (attacks.gzip_bomb(), "invoice.pdf"),
], ids=["html-as-pdf", "bare-script", "svg-script", "zip-bomb", "gzip-bomb"])
def test_a_script_or_an_archive_disguised_as_a_pdf_or_a_picture_is_refused(cast, settings, data, name):
    # given what is in the database and on disk
    customer = cast.client(CUSTOMER_A)
    before, files = all_rows(), stored_files(settings)
    # when the file is sent with an innocent name and declared as a PDF
    response = upload(cast, customer, data, name=name)
    # then it is refused on its content, on the file field, and nothing is kept
    assert response.status_code == 422
    assert response.json()["code"] == "evidence_type_not_allowed"
    assert response.json()["fields"]["file"] == [response.json()["message"]]
    assert "not accepted" in response.json()["message"]
    assert all_rows() == before
    assert stored_files(settings) == files


def test_an_oversized_file_is_refused_and_only_the_limit_is_ever_written(cast, settings):
    # given a limit of 1 MB, and uploads kept in memory only up to 1 kB (the rest goes to disk)
    settings.PLAINT_EVIDENCE_MAX_BYTES = 1024 * 1024
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    customer = cast.client(CUSTOMER_A)
    before, files = all_rows(), stored_files(settings)
    # when a PDF of 3 MB is sent
    response = upload(cast, customer, PDF + b"%" + b"x" * (3 * 1024 * 1024) + b"\n")
    # then it is refused as too large, saying the limit, and nothing is kept
    assert response.status_code == 422
    assert response.json()["code"] == "evidence_too_large"
    assert response.json()["message"] == "The file is larger than 1 MB."
    assert all_rows() == before
    assert stored_files(settings) == files


@pytest.mark.parametrize(("name", "expected"), [
    (attacks.TRAVERSAL_NAME, "evil.pdf"),
    (attacks.WINDOWS_TRAVERSAL_NAME, "hosts.pdf"),
    (attacks.RTL_OVERRIDE_NAME, "invoicefdp.exe.pdf"),
    (attacks.HEADER_BREAKING_NAME, "evil.html.pdf"),  # the multipart parser keeps the last filename
    ("x" * 500 + ".pdf", "x" * 116 + ".pdf"),
], ids=["traversal", "windows-traversal", "rtl-override", "header-breaking", "very-long"])
def test_a_hostile_file_name_is_cleaned_and_the_file_stays_in_its_folder(cast, settings, name, expected):
    # when a real PDF is sent under the name
    response = upload(cast, CUSTOMER_A, PDF, name=name)
    # then it is kept under the cleaned name, stored under a name of our own inside MEDIA_ROOT
    assert response.status_code == 201, response.json()
    assert response.json()["name"] == expected
    stored = Evidence.objects.get(pk=response.json()["id"])
    assert Path(stored.file.path).resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert ".." not in stored.file.name
    assert stored.file.name.startswith("evidence/")
    assert stored.file.name.endswith(".pdf")
    # and it downloads under that name in one clean header
    _assert_download_is_inert(cast, response.json(), content_type="application/pdf", name=expected, data=PDF)


@pytest.mark.parametrize(("data", "name", "content_type", "offered_as"), [
    (attacks.GIF_JS_POLYGLOT, "pwn.js", "image/gif", "pwn.js.gif"),
    (attacks.PDF_HTML_POLYGLOT, "page.html", "application/pdf", "page.html.pdf"),
    (b"alert(document.cookie);\nfetch('/x');\n", "invoice.pdf", "text/plain", "invoice.pdf.txt"),
], ids=["gif-js", "pdf-html", "plain-javascript"])
def test_a_polyglot_is_kept_as_what_its_content_is_and_only_downloaded_as_that(
    cast, data, name, content_type, offered_as
):
    # when a file that is two things at once is sent
    response = upload(cast, CUSTOMER_A, data, name=name)
    # then it is kept as the type its content starts as, its name ending as that type
    assert response.status_code == 201, response.json()
    assert (response.json()["content_type"], response.json()["name"]) == (content_type, offered_as)
    # and it only ever leaves as a download of that type that no browser sniffs or runs
    _assert_download_is_inert(cast, response.json(), content_type=content_type, name=offered_as, data=data)
