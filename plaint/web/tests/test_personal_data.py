"""A person downloads everything Plaint holds about them (the right of access): their account,
their customer records and complaints with what they may see, and their files; nothing internal
and nothing of anyone else. Both database tiers."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from plaint.complaints.lifecycle import State
from plaint.complaints.services.evidence import evidence_add
from plaint.feedback.services import handling_rate
from plaint.testing import builders
from plaint.testing.actors import AGENT, CUSTOMER_A, INTERNAL_MARK, PDF

pytestmark = pytest.mark.django_db


def _download(client) -> tuple[dict, zipfile.ZipFile]:  # noqa: ANN001 -- a test client
    response = client.post("/my/data/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == "attachment; filename=\"plaint-my-data.zip\""
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return json.loads(archive.read("plaint-data.json")), archive


def test_a_customer_downloads_their_complaints_and_files_and_nothing_internal(
    cast, django_assert_max_num_queries
):
    # given customer A's complaint with a file they added, beside the internal items of the cast
    evidence_add(actor=cast.actor(CUSTOMER_A), complaint=cast.complaint_a, stream=io.BytesIO(PDF),
                 name="invoice.pdf")
    client = cast.client(CUSTOMER_A)
    # when they download their data, in a fixed number of queries
    with django_assert_max_num_queries(25):
        data, archive = _download(client)
    # then it holds their account, their customer record, their complaint and their file
    customer = cast.customers[CUSTOMER_A]
    assert data["account"]["email"] == cast.users[CUSTOMER_A].email
    assert [c["email"] for c in data["as_a_customer_of"]] == [customer.email]
    assert [c["reference"] for c in data["complaints"]] == [cast.complaint_a.reference]
    complaint = data["complaints"][0]
    assert "We are looking into it." in [m["text"] for m in complaint["messages"]]
    assert "Customer called about the invoice." in [c["notes"] for c in complaint["contacts"]]
    [file] = [f for f in complaint["files"] if f["name"] == "invoice.pdf"]
    assert archive.read(file["in_this_download"]) == PDF
    # and nothing internal, nor anything of customer B
    everything = archive.read("plaint-data.json").decode() + " ".join(archive.namelist())
    assert INTERNAL_MARK not in everything
    assert cast.complaint_b.reference not in everything
    assert cast.customers["customer_b"].email not in everything


def test_staff_download_their_account_and_no_customers_data(cast):
    data, archive = _download(cast.client(AGENT))
    assert data["account"]["email"] == cast.users[AGENT].email
    assert (data["as_a_customer_of"], data["complaints"]) == ([], [])
    assert archive.namelist() == ["plaint-data.json"]


def test_the_page_explains_and_a_visitor_is_sent_to_sign_in(cast, client):
    assert client.get("/my/data/").status_code == 302
    page = cast.client(CUSTOMER_A).get("/my/data/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "internal notes are not in it" in page
    assert 'method="post" action="/my/data/"' in page


def test_the_download_holds_the_customers_rating_of_the_handling(cast):
    # given customer A's complaint, closed and rated by them with a comment
    builders.reach(cast.complaint_a, State.CLOSED)
    handling_rate(actor=cast.actor(CUSTOMER_A), complaint=cast.complaint_a, resolved=False, satisfaction=2,
                  effort=4, comment="Three calls to get an answer.")
    # when they download their data
    data, _archive = _download(cast.client(CUSTOMER_A))
    # then the rating is in their complaint, in their words
    [complaint] = data["complaints"]
    rating = complaint["handling_rating"]
    assert (rating["resolved"], rating["satisfaction"], rating["effort"], rating["comment"]) == (
        False, 2, 4, "Three calls to get an answer.")
