"""Evidence over HTTP: multipart upload, checks on the content, and download of the same bytes."""

from __future__ import annotations

import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from plaint.api.tests.api_requests import NOT_FOUND, ROOT, content
from plaint.complaints.models import Evidence
from plaint.testing.actors import AGENT, CUSTOMER_A, CUSTOMER_B, PDF, Cast
from plaint.testing.database import all_rows

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00"
    b"\x00IEND\xaeB`\x82"
)
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def upload_url(cast: Cast) -> str:
    return f"{ROOT}/complaints/{cast.complaint_a.reference}/evidence"


def upload(cast: Cast, who: str | Client, data: bytes, name: str = "bill.pdf", **fields: object):
    client = cast.client(who) if isinstance(who, str) else who
    form = {"file": SimpleUploadedFile(name, data, "application/pdf"), **fields}
    return client.post(upload_url(cast), form)


def stored_files(settings) -> set[str]:
    root = settings.MEDIA_ROOT
    return {str(p) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def test_an_upload_returns_the_sha256_of_its_bytes_and_downloads_as_the_same_bytes(cast):
    # given a PDF uploaded by customer A with a description
    response = upload(cast, CUSTOMER_A, PDF, name="October bill.pdf", description="The bill")
    # then the answer describes it, with the SHA-256 of exactly those bytes
    assert response.status_code == 201, response.json()
    evidence = response.json()
    assert evidence["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert evidence["size"] == len(PDF)
    assert evidence["content_type"] == "application/pdf"
    assert evidence["name"] == "October_bill.pdf"
    assert evidence["description"] == "The bill"
    assert evidence["visibility"] == "customer"
    # when it is downloaded by the customer and by an agent
    for who in (CUSTOMER_A, AGENT):
        download = cast.client(who).get(f"{upload_url(cast)}/{evidence['id']}")
        # then the bytes are the same, offered as an attachment that no browser sniffs
        assert download.status_code == 200
        assert content(download) == PDF
        assert download["Content-Type"] == "application/pdf"
        assert download["Content-Disposition"] == 'attachment; filename="October_bill.pdf"'
        assert download["X-Content-Type-Options"] == "nosniff"


def test_the_type_is_taken_from_the_content_not_the_name(cast):
    # given a PNG picture sent with a PDF's name and declared type
    response = upload(cast, AGENT, PNG, name="scan.pdf")
    # then it is stored as the picture it is
    assert response.status_code == 201, response.json()
    assert response.json()["content_type"] == "image/png"
    assert response.json()["sha256"] == hashlib.sha256(PNG).hexdigest()


def test_a_type_not_allowed_is_refused_on_its_content(cast, settings):
    # given an HTML page with a script, named and declared as a PDF
    customer = cast.client(CUSTOMER_A)
    before, files = all_rows(), stored_files(settings)
    # when it is uploaded
    response = upload(cast, customer, HTML, name="invoice.pdf")
    # then it is refused, naming the file, and nothing is kept
    assert response.status_code == 422
    assert response.json()["code"] == "evidence_type_not_allowed"
    assert set(response.json()["fields"]) == {"file"}
    assert all_rows() == before
    assert stored_files(settings) == files


def test_a_file_over_the_limit_is_refused(cast, settings):
    # given a limit of 1 KB
    settings.PLAINT_EVIDENCE_MAX_BYTES = 1024
    customer = cast.client(CUSTOMER_A)
    before, files = all_rows(), stored_files(settings)
    # when a text of 1 KB and one byte is uploaded
    too_large = upload(cast, customer, b"a" * 1025, name="notes.txt")
    # then it is refused, naming the file, and nothing is kept
    assert too_large.status_code == 422
    assert too_large.json()["code"] == "evidence_too_large"
    assert set(too_large.json()["fields"]) == {"file"}
    assert all_rows() == before
    assert stored_files(settings) == files
    # and a text of exactly 1 KB is taken
    at_limit = upload(cast, customer, b"a" * 1024, name="notes.txt")
    assert at_limit.status_code == 201
    assert at_limit.json()["size"] == 1024
    assert Evidence.objects.count() == len(before["complaints.Evidence"]) + 1
    assert len(stored_files(settings)) == len(files) + 1


def test_an_empty_file_is_refused(cast):
    response = upload(cast, CUSTOMER_A, b"", name="empty.pdf")
    assert response.status_code == 422
    assert response.json()["code"] == "evidence_empty"
    assert set(response.json()["fields"]) == {"file"}


def test_an_upload_without_a_file_names_the_file_field(cast):
    customer = cast.client(CUSTOMER_A)
    before = all_rows()
    response = customer.post(upload_url(cast), {"description": "Forgot it"})
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert set(response.json()["fields"]) == {"file"}
    assert all_rows() == before


def test_a_file_name_with_a_path_is_kept_without_it(cast):
    response = upload(cast, CUSTOMER_A, PDF, name="../../etc/passwd.pdf")
    assert response.status_code == 201, response.json()
    assert response.json()["name"] == "passwd.pdf"


def test_staff_may_upload_internal_evidence_and_a_customer_may_not(cast):
    # when an agent and customer A both upload with internal=true
    by_agent = upload(cast, AGENT, PDF, internal="true")
    by_customer = upload(cast, CUSTOMER_A, PDF, internal="true")
    # then the agent's is internal and hidden from the customer; the customer's is visible
    assert by_agent.json()["visibility"] == "internal"
    assert by_customer.json()["visibility"] == "customer"
    hidden = cast.client(CUSTOMER_A).get(f"{upload_url(cast)}/{by_agent.json()['id']}")
    assert hidden.status_code == 404
    assert hidden.json() == NOT_FOUND


def test_evidence_is_found_only_through_its_own_complaint(cast):
    # given customer B's evidence on complaint B
    b_url = f"{ROOT}/complaints/{cast.complaint_b.reference}/evidence"
    form = {"file": SimpleUploadedFile("b.pdf", PDF, "application/pdf")}
    evidence_id = cast.client(CUSTOMER_B).post(b_url, form).json()["id"]
    # when an agent and customer A ask for it through complaint A
    through_a = f"{upload_url(cast)}/{evidence_id}"
    responses = [cast.client(who).get(through_a) for who in (AGENT, CUSTOMER_A)]
    # then neither finds it there
    assert [r.status_code for r in responses] == [404, 404]
    assert cast.client(AGENT).get(f"{b_url}/{evidence_id}").status_code == 200
