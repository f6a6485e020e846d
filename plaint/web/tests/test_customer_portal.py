"""The customer portal's pages (both database tiers): "My complaints", following a complaint
without an account, the complaint's page, its evidence downloads and the evidence on the
complaint form. What a customer reads never includes anything internal."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from plaint.clocks.selectors import clock_views, visible_clock_rows
from plaint.complaints.models import Complaint, Evidence
from plaint.complaints.services.evidence import evidence_add
from plaint.complaints.services.records import message_add
from plaint.core import references
from plaint.parties.choices import Sector
from plaint.testing import builders
from plaint.testing.actors import CUSTOMER_A, CUSTOMER_B, INTERNAL_MARK, PDF
from plaint.testing.database import row_counts
from plaint.web.customer.access import FOLLOWED_SESSION_KEY
from plaint.web.customer.selectors import my_complaint_rows
from plaint.web.tests.test_complaint_form import VALID
from plaint.web.tests.test_public_pages import _assert_csp_clean

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def _page(cast, suffix: str = "") -> str:
    return f"/my/complaints/{cast.complaint_a.reference}/{suffix}"


def test_my_complaints_lists_every_complaint_of_the_person_across_organisations_newest_first(
    cast, django_assert_num_queries, django_assert_max_num_queries
):
    # given customer A with a second customer record at the other organisation, with a complaint
    user = cast.users[CUSTOMER_A]
    elsewhere = builders.customer(cast.org2, with_user=False, email="a-elsewhere@example.test")
    elsewhere.user = user
    elsewhere.save(update_fields=["user"])
    newer = builders.complaint(elsewhere, subject="Roaming bill")
    # when the list is read
    with django_assert_num_queries(1):
        rows = my_complaint_rows(user)
    # then both complaints are there, newest first, and nobody else's
    assert [r.complaint.pk for r in rows] == [newer.pk, cast.complaint_a.pk]
    client = cast.client(CUSTOMER_A)
    with django_assert_max_num_queries(3):  # the session, the user, the list
        response = client.get("/my/")
    html = response.content.decode()
    _assert_csp_clean(html)
    assert "Roaming bill" in html
    assert cast.complaint_a.subject in html
    assert cast.complaint_b.subject not in html
    assert references.display(newer.reference) in html
    assert "Received" in html
    assert "Frontline" in html


def test_my_complaints_says_the_next_deadline_in_words(cast):
    # given customer A's complaint, with its clocks running
    complaint = Complaint.objects.get(pk=cast.complaint_a.pk)
    # when the list is read
    html = cast.client(CUSTOMER_A).get("/my/").content.decode()
    # then the next deadline is written out, or that none is running
    if complaint.next_due_at:
        assert "Due by" in html
    else:
        assert "No deadline is running." in html


def test_the_follow_and_feedback_pages_run_under_a_strict_content_security_policy(cast, client):
    for path in ("/my/follow/", f"/my/feedback/{cast.org1.slug}/"):
        response = client.get(path)
        assert response.status_code == 200
        _assert_csp_clean(response.content.decode())


def test_my_complaints_sends_a_visitor_to_sign_in(client):
    response = client.get("/my/")
    assert response.status_code == 302
    assert "/account/sign-in/" in response["Location"]


def test_following_with_the_reference_and_the_address_grants_the_session_that_complaint(cast):
    # given a visitor without an account who knows the reference and the e-mail address
    client = Client()
    typed = references.display(cast.complaint_a.reference).lower()
    # when they follow the complaint
    response = client.post("/my/follow/", {"reference": typed,
                                           "contact": cast.complaint_a.customer.email.upper()})
    # then the session is granted it and they land on its page
    assert response.status_code == 302
    assert response["Location"] == _page(cast)
    assert client.session[FOLLOWED_SESSION_KEY] == [cast.complaint_a.pk]
    page = client.get(_page(cast))
    assert page.status_code == 200
    assert cast.complaint_a.subject in page.content.decode()
    # and not any other complaint
    assert client.get(f"/my/complaints/{cast.complaint_b.reference}/").status_code == 404


def test_following_by_phone_accepts_any_punctuation(cast):
    # given a customer who filed with a phone number
    cast.complaint_a.customer.phone = "+420 601 234 567"
    cast.complaint_a.customer.save(update_fields=["phone"])
    client = Client()
    # when they follow it typing the number differently
    response = client.post("/my/follow/", {"reference": cast.complaint_a.reference,
                                           "contact": "+420601-234-567"})
    # then it is theirs
    assert response.status_code == 302
    assert client.get(_page(cast)).status_code == 200


@pytest.mark.parametrize("wrong", ["address", "reference", "both"])
def test_following_with_a_wrong_part_shows_one_generic_error_and_grants_nothing(cast, wrong):
    # given a visitor with one part wrong
    reference = cast.complaint_a.reference if wrong == "address" else cast.complaint_b.reference
    contact = cast.complaint_a.customer.email if wrong == "reference" else "someone@example.test"
    client = Client()
    # when they try to follow
    response = client.post("/my/follow/", {"reference": reference, "contact": contact})
    # then the same error is shown whatever was wrong, and nothing is granted
    assert response.status_code == 200
    html = response.content.decode()
    assert "We could not find a complaint with this reference number and this e-mail address " \
           "or phone number." in html
    assert "<title>Error:" in html
    assert not client.session.get(FOLLOWED_SESSION_KEY)
    assert client.get(_page(cast)).status_code == 404


def test_a_badly_typed_reference_gets_the_same_generic_error(cast):
    response = Client().post("/my/follow/", {"reference": "ZZZZ-ZZZZ-Z", "contact": "x@example.test"})
    assert "We could not find a complaint" in response.content.decode()


def test_the_complaint_page_shows_status_demands_clocks_and_the_visible_timeline_only(
    cast, django_assert_max_num_queries
):
    # given customer A and their complaint with internal items beside visible ones, and more
    # messages and files of theirs (the page's queries do not grow with them)
    for n in range(3):
        message_add(actor=cast.actor(CUSTOMER_A), complaint=cast.complaint_a, body=f"More {n}")
        evidence_add(actor=cast.actor(CUSTOMER_A), complaint=cast.complaint_a,
                     stream=io.BytesIO(PDF), name=f"more-{n}.pdf")
    client = cast.client(CUSTOMER_A)
    client.get(_page(cast))  # warm the session
    # when they read its page
    with django_assert_max_num_queries(18):  # a fixed number, whatever the number of records
        response = client.get(_page(cast))
    # then status, level, provider, demands in money, the visible message and call are shown
    assert response.status_code == 200
    html = response.content.decode()
    _assert_csp_clean(html)
    assert references.display(cast.complaint_a.reference) in html
    assert "Received" in html
    assert "Frontline" in html
    assert cast.org1.name in html
    assert "Refund of an amount" in html
    assert "CZK" in html
    assert "We are looking into it." in html
    assert "Customer called about the invoice." in html
    # and every law's clock in plain words, as the clocks explain themselves
    complaint = Complaint.objects.get(pk=cast.complaint_a.pk)
    for view in clock_views(visible_clock_rows(complaint, customer=True), organisation=cast.org1):
        assert view.title in html
    # and nothing internal
    assert INTERNAL_MARK not in html


def test_the_complaint_page_is_404_to_another_customer_to_staff_and_to_a_visitor(cast):
    assert cast.client(CUSTOMER_B).get(_page(cast)).status_code == 404
    assert cast.client("agent").get(_page(cast)).status_code == 404
    assert Client().get(_page(cast)).status_code == 404
    assert cast.client(CUSTOMER_A).get("/my/complaints/not-a-reference/").status_code == 404


def test_the_customer_downloads_a_visible_file_but_never_an_internal_one(cast):
    # given a customer-visible file and an internal one on complaint A
    visible = evidence_add(actor=cast.actor(CUSTOMER_A), complaint=cast.complaint_a,
                           stream=io.BytesIO(PDF), name="invoice.pdf")
    internal = Evidence.objects.get(complaint=cast.complaint_a, visibility="internal")
    client = cast.client(CUSTOMER_A)
    # when the customer reads the page and downloads
    html = client.get(_page(cast)).content.decode()
    assert f"/evidence/{visible.pk}/" in html
    assert f"/evidence/{internal.pk}/" not in html
    response = client.get(_page(cast, f"evidence/{visible.pk}/"))
    # then the visible file comes as an attachment; the internal one does not exist for them
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get(_page(cast, f"evidence/{internal.pk}/")).status_code == 404
    assert cast.client(CUSTOMER_B).get(_page(cast, f"evidence/{visible.pk}/")).status_code == 404


@pytest.fixture
def provider():
    return builders.organisation(name="Síť Praha", slug="sit-praha", country="CZ", sector=Sector.TELECOM)


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_filing_with_evidence_files_stores_them_and_the_filing_session_follows_the_complaint(
    client, provider, settings, tmp_path
):
    # given the complaint form with two files
    settings.MEDIA_ROOT = tmp_path
    data = {**VALID, "evidence": [_upload("invoice.pdf", PDF), _upload("note.txt", b"Charged twice.\n")]}
    # when it is sent
    response = client.post(f"/providers/{provider.slug}/complain/", data)
    # then the complaint carries both files, visible to the customer, added by the customer
    assert response.status_code == 302
    complaint = Complaint.objects.get(organisation=provider)
    files = list(complaint.evidence.order_by("id"))
    assert [(f.original_name, f.content_type, f.visibility, f.added_by_kind) for f in files] == [
        ("invoice.pdf", "application/pdf", "customer", "customer"),
        ("note.txt", "text/plain", "customer", "customer"),
    ]
    # and the confirmation links to the complaint's page, which this session may read at once
    confirmation = client.get(response["Location"]).content.decode()
    assert f"/my/complaints/{complaint.reference}/" in confirmation
    assert client.get(f"/my/complaints/{complaint.reference}/").status_code == 200


def test_filing_with_a_refused_file_shows_the_error_on_the_field_and_writes_nothing(
    client, provider, settings, tmp_path
):
    # given the complaint form with a program among the files
    settings.MEDIA_ROOT = tmp_path
    before = row_counts()
    data = {**VALID, "evidence": [_upload("invoice.pdf", PDF), _upload("invoice.exe", EXE)]}
    # when it is sent
    response = client.post(f"/providers/{provider.slug}/complain/", data)
    # then the form comes back with the error on the files, and nothing was written
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_evidence-error"' in html
    assert "invoice.exe: This type of file is not accepted." in html
    assert row_counts() == before
    assert not any(tmp_path.rglob("*.pdf"))
