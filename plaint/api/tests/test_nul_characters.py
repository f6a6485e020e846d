"""A NUL character (U+0000) in any input is refused with 422 ``validation_error`` naming the field,
and nothing is written. PostgreSQL cannot store it: the schemathesis run found it as a 500
(``plaint/api/text_guard.py``). Both tiers: the answer does not depend on the database."""

from __future__ import annotations

import pytest

from plaint.api.tests.api_requests import ROOT
from plaint.api.text_guard import nul_fields
from plaint.testing.actors import CUSTOMER_A, TOKEN, Cast
from plaint.testing.database import all_rows


def complaint_body(cast: Cast, **changes: object) -> dict[str, object]:
    return {"organisation_id": cast.org1.pk, "channel": "phone", "subject": "No internet",
            "description": "Down since Monday.", "customer": {"full_name": "Jan Novák"}, **changes}


def assert_refused(response, fields: list[str]) -> None:
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "validation_error"
    assert sorted(body["fields"]) == sorted(fields)


def test_a_nul_anywhere_in_a_json_body_is_refused_naming_each_field_and_nothing_is_written(cast):
    # given the integration and the database as it is
    before = all_rows()
    # when it files a complaint with NUL in a nested field and in an item of a list
    response = cast.client(TOKEN).post(f"{ROOT}/complaints", complaint_body(
        cast, customer={"full_name": "Jan\x00Novák"},
        demands=[{"kind": "refund", "amount": "10.00", "currency": "CZK", "description": "\x00"}],
    ), content_type="application/json")
    # then it is refused, naming both fields, and nothing changed
    assert_refused(response, ["customer.full_name", "demands.0.description"])
    assert all_rows() == before


def test_a_nul_in_a_query_parameter_is_refused_naming_the_parameter(cast):
    response = cast.client(TOKEN).get(f"{ROOT}/complaints", {"q": "net\x00", "state": ["received"]})
    assert_refused(response, ["q"])


def test_a_nul_in_a_path_parameter_is_refused_rather_than_looked_up(cast):
    response = cast.client(TOKEN).get(f"{ROOT}/complaints/AB%00CD/timeline")
    assert_refused(response, ["reference"])


def test_a_nul_in_the_idempotency_key_is_refused(cast):
    response = cast.client(TOKEN).post(f"{ROOT}/complaints", complaint_body(cast),
                                       content_type="application/json",
                                       headers={"Idempotency-Key": "order\x004711"})
    assert_refused(response, ["Idempotency-Key"])


def test_a_nul_in_an_uploaded_file_name_never_reaches_the_database(cast):
    # given a customer's own complaint
    client = cast.client(CUSTOMER_A)
    upload = client.post(  # the file name is in the multipart body, where NUL may travel
        f"{ROOT}/complaints/{cast.complaint_a.reference}/evidence",
        data=b'--b\r\nContent-Disposition: form-data; name="file"; filename="bill\x00.pdf"\r\n'
             b"Content-Type: application/pdf\r\n\r\n%PDF-1.4\n%%EOF\n\r\n--b--\r\n",
        content_type="multipart/form-data; boundary=b")
    # then the file is taken under the name without it (Django's multipart parser drops it)
    assert upload.status_code == 201, upload.content
    assert upload.json()["name"] == "bill.pdf"


@pytest.mark.parametrize("value", ["plain", "ünïcode ✓", "", "\\u0000 as text"])
def test_text_without_nul_passes_the_guard(rf, value):
    request = rf.post("/api/v1/x", {"a": [value, {"b": value}]}, content_type="application/json")
    assert nul_fields(request, {"reference": value}) == []


def test_a_body_too_large_to_read_is_answered_in_the_api_shape(cast, settings):
    # given a limit on the size of a body read into memory
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    # when the integration sends a larger one
    response = cast.client(TOKEN).post(f"{ROOT}/complaints", complaint_body(cast, description="x" * 500),
                                       content_type="application/json")
    # then the answer is the API's 400, not Django's HTML page
    assert response.status_code == 400
    assert response.json()["code"] == "request_too_large"
