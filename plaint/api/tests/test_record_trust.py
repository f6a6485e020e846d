"""Issue 6, the record: an evidence file changed on disk is not sent; staff reads are logged."""

from __future__ import annotations

import logging
from pathlib import Path

from django.urls import reverse

from plaint.api.tests.api_requests import ROOT
from plaint.api.tests.test_evidence import upload, upload_url
from plaint.complaints.models import ComplaintRead, Event, Evidence
from plaint.testing.actors import AGENT, CUSTOMER_A, PDF, TOKEN


def _altered(cast) -> Evidence:
    """A file uploaded by customer A, then changed on disk behind the application's back."""
    response = upload(cast, CUSTOMER_A, PDF, name="bill.pdf")
    assert response.status_code == 201, response.json()
    evidence = Evidence.objects.get(pk=response.json()["id"])
    Path(evidence.file.path).write_bytes(PDF.replace(b"1.4", b"1.7"))
    return evidence


def test_an_evidence_file_changed_on_disk_is_refused_on_download_and_logged(cast, caplog):
    # given
    evidence = _altered(cast)
    # when it is downloaded through the API
    with caplog.at_level(logging.ERROR, logger="plaint.complaints.services.evidence"):
        response = cast.client(AGENT).get(f"{upload_url(cast)}/{evidence.pk}")
    # then it is refused, and the refusal is logged with both hashes
    assert response.status_code == 409
    assert response.json()["code"] == "evidence_altered"
    assert evidence.sha256 in caplog.text


def test_an_evidence_file_changed_on_disk_is_refused_on_the_customers_page(cast):
    # given
    evidence = _altered(cast)
    # when the customer downloads it from their complaint page
    url = reverse("web:my-evidence", args=[cast.complaint_a.reference, evidence.pk])
    response = cast.client(CUSTOMER_A).get(url)
    # then
    assert response.status_code == 409
    assert not response.has_header("Content-Disposition")


def test_an_unchanged_file_still_downloads(cast):
    response = upload(cast, CUSTOMER_A, PDF, name="bill.pdf")
    download = cast.client(CUSTOMER_A).get(f"{upload_url(cast)}/{response.json()['id']}")
    assert download.status_code == 200


def test_staff_and_integrations_reading_a_complaint_are_logged_outside_its_events(cast):
    # given
    url = f"{ROOT}/complaints/{cast.complaint_a.reference}"
    events = Event.objects.count()
    # when an agent and the API token read it, and its customer too
    for who in (AGENT, TOKEN, CUSTOMER_A):
        assert cast.client(who).get(url).status_code == 200
    # then two reads are logged, with who and how, and no event is written
    reads = list(ComplaintRead.objects.filter(complaint=cast.complaint_a).order_by("id")
                 .values_list("user_id", "token_id", "actor_kind", "channel"))
    assert reads[0] == (cast.users[AGENT].pk, None, "staff", "api")
    assert reads[1][0] is None
    assert reads[1][1] is not None
    assert reads[1][2:] == ("integration", "api")
    assert len(reads) == 2
    assert Event.objects.count() == events


def test_an_agent_opening_the_console_page_is_logged(cast):
    # when
    url = reverse("web:console-complaint", kwargs={"org": cast.org1.slug,
                                                    "reference": cast.complaint_a.reference})
    assert cast.client(AGENT).get(url).status_code == 200
    # then
    read = ComplaintRead.objects.get(complaint=cast.complaint_a)
    assert (read.user_id, read.channel) == (cast.users[AGENT].pk, "console")


def test_staff_downloading_a_file_is_logged_as_a_read_of_its_complaint(cast):
    # given a file of customer A's complaint
    evidence = Evidence.objects.get(pk=upload(cast, CUSTOMER_A, PDF, name="bill.pdf").json()["id"])
    console_url = reverse("web:console-complaint-evidence", args=[cast.org1.slug, cast.complaint_a.reference,
                                                                   evidence.pk])
    # when an agent downloads it in the console and the integration through the API
    console = cast.client(AGENT).get(console_url)
    api = cast.client(TOKEN).get(f"{upload_url(cast)}/{evidence.pk}")
    # then both get the file as an attachment, and both reads are logged
    assert console.status_code == api.status_code == 200
    assert b"".join(console.streaming_content) == PDF
    assert console["Content-Disposition"].startswith("attachment")
    reads = list(ComplaintRead.objects.filter(complaint=cast.complaint_a).order_by("id")
                 .values_list("actor_kind", "channel"))
    assert reads == [("staff", "console"), ("integration", "api")]


def test_an_evidence_file_changed_on_disk_is_refused_in_the_console(cast):
    # given
    evidence = _altered(cast)
    # when an agent downloads it from the complaint's console page
    url = reverse("web:console-complaint-evidence", args=[cast.org1.slug, cast.complaint_a.reference,
                                                           evidence.pk])
    response = cast.client(AGENT).get(url)
    # then it is refused, nothing is sent, and no read is logged (nothing was read)
    assert response.status_code == 409
    assert not response.has_header("Content-Disposition")
    assert not ComplaintRead.objects.filter(complaint=cast.complaint_a).exists()
