"""Upload attacks through the pages (issue 6): the complaint form and the customer portal's
"add information" form refuse a script disguised as a PDF, an archive bomb and an oversized file
with an error on the field naming the file (cleaned), and write nothing; a hostile name is
cleaned; a polyglot is kept as what its content is and downloads from the portal as an inert
attachment (docs/security.md "Uploads"). The API's side is plaint/api/tests/test_evidence_attacks.py."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from plaint.complaints.models import Complaint, Evidence
from plaint.core.downloads import SANDBOX_POLICY
from plaint.parties.choices import Sector
from plaint.testing import attacks, builders
from plaint.testing.actors import CUSTOMER_A, PDF
from plaint.testing.database import all_rows
from plaint.web.tests.test_complaint_form import VALID

pytestmark = pytest.mark.django_db

REFUSED = [
    (attacks.HTML_AS_PDF, "invoice.pdf", "This type of file is not accepted."),
    (attacks.zip_bomb(), "invoice.pdf", "This type of file is not accepted."),
    (attacks.SVG_WITH_SCRIPT, "photo.png", "This type of file is not accepted."),
    (PDF + b"%" + b"x" * (2 * 1024 * 1024) + b"\n", "big.pdf", "The file is larger than 1 MB."),
]
IDS = ["html-as-pdf", "zip-bomb", "svg-script", "oversized"]


@pytest.fixture
def provider():
    return builders.organisation(name="Síť Praha", slug="sit-praha", country="CZ", sector=Sector.TELECOM)


def _portal(cast, suffix: str = "") -> str:
    return f"/my/complaints/{cast.complaint_a.reference}/{suffix}"


@pytest.mark.parametrize(("data", "name", "message"), REFUSED, ids=IDS)
def test_the_complaint_form_refuses_a_hostile_file_and_files_nothing(
    client, provider, settings, tmp_path, data, name, message
):
    # given a limit of 1 MB
    settings.MEDIA_ROOT = tmp_path
    settings.PLAINT_EVIDENCE_MAX_BYTES = 1024 * 1024
    before = all_rows()
    # when the complaint is filed with the file, declared as a PDF
    response = client.post(f"/providers/{provider.slug}/complain/", {
        **VALID, "evidence": [SimpleUploadedFile(name, data, "application/pdf")],
    }, HTTP_ACCEPT_LANGUAGE="en")
    # then the form comes back with the error on the file field, naming the file, and nothing is kept
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error:" in html
    assert f"{name}: {message}" in html
    assert all_rows() == before
    assert not any(tmp_path.rglob("*.*"))


@pytest.mark.parametrize(("data", "name", "message"), REFUSED, ids=IDS)
def test_the_portal_refuses_a_hostile_file_and_adds_nothing(cast, settings, tmp_path, data, name, message):
    settings.MEDIA_ROOT = tmp_path
    settings.PLAINT_EVIDENCE_MAX_BYTES = 1024 * 1024
    client = cast.client(CUSTOMER_A)
    before = all_rows()
    # when customer A adds information with the file
    response = client.post(_portal(cast, "information/"), {
        "info-body": "See the attached.", "info-files": [SimpleUploadedFile(name, data, "application/pdf")],
    }, HTTP_ACCEPT_LANGUAGE="en")
    # then the page shows the error on the files, and nothing is added
    assert response.status_code == 200
    assert f"{name}: {message}" in response.content.decode()
    assert all_rows() == before


def test_a_refused_files_hostile_name_is_shown_cleaned(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = cast.client(CUSTOMER_A)
    # when an HTML page is sent under a name that is markup, with a direction override
    name = '<img src=x onerror="alert(1)">\u202efdp.html'
    response = client.post(_portal(cast, "information/"), {
        "info-body": "See the attached.", "info-files": [SimpleUploadedFile(name, attacks.HTML_AS_PDF)],
    }, HTTP_ACCEPT_LANGUAGE="en")
    # then the error names the file cleaned: no markup, no override, nothing to run
    html = response.content.decode()
    assert "img_srcx_onerroralert1fdp.html: This type of file is not accepted." in html
    assert "<img src=x" not in html
    assert "\u202e" not in html


def test_the_complaint_form_keeps_a_file_with_a_traversal_name_inside_its_folder(
    client, provider, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    # when a real PDF is filed under a path-traversal name
    response = client.post(f"/providers/{provider.slug}/complain/", {
        **VALID, "evidence": [SimpleUploadedFile(attacks.TRAVERSAL_NAME, PDF, "application/pdf")],
    })
    # then the complaint has it under the bare name, stored inside MEDIA_ROOT under a name of ours
    assert response.status_code == 302
    evidence = Evidence.objects.get(complaint=Complaint.objects.get(organisation=provider))
    assert evidence.original_name == "evil.pdf"
    assert evidence.file.name.startswith("evidence/")
    assert ".." not in evidence.file.name
    assert [p.name for p in tmp_path.rglob("*.pdf")] == [evidence.file.name.rsplit("/", 1)[-1]]


@pytest.mark.parametrize(("data", "name", "content_type", "offered_as"), [
    (attacks.GIF_JS_POLYGLOT, "pwn.js", "image/gif", "pwn.js.gif"),
    (attacks.PDF_HTML_POLYGLOT, "page.html", "application/pdf", "page.html.pdf"),
], ids=["gif-js", "pdf-html"])
def test_a_polyglot_added_in_the_portal_downloads_only_as_an_inert_attachment_of_its_type(
    cast, settings, tmp_path, data, name, content_type, offered_as
):
    settings.MEDIA_ROOT = tmp_path
    client = cast.client(CUSTOMER_A)
    # given a file that is two things at once, added to the complaint by its customer
    response = client.post(_portal(cast, "information/"), {
        "info-body": "See the attached.", "info-files": [SimpleUploadedFile(name, data, "text/html")],
    })
    assert response.status_code == 302
    evidence = Evidence.objects.get(complaint=cast.complaint_a, original_name=offered_as)
    assert evidence.content_type == content_type
    # when it is downloaded from the portal
    download = client.get(_portal(cast, f"evidence/{evidence.pk}/"))
    # then it is the same bytes, as a download of the sniffed type that nothing sniffs or runs
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == data
    assert download["Content-Type"] == content_type
    assert download["Content-Disposition"] == f'attachment; filename="{offered_as}"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Security-Policy"] == SANDBOX_POLICY
