"""Each thing a customer may do on their complaint's page, through Django's test client (both
database tiers): the happy path writes through the service and redirects with a message; a
refusal shows the errors on the page and writes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from plaint.complaints.choices import EventKind
from plaint.complaints.lifecycle import Action
from plaint.complaints.models import CancellationRequest, Complaint, Decision, Event, Message
from plaint.core import clock, references
from plaint.feedback.models import FeedbackCard, HandlingRating
from plaint.feedback.selectors import feedback_card_counts
from plaint.testing import builders
from plaint.testing.actors import CUSTOMER_A, CUSTOMER_B, PDF
from plaint.testing.database import all_rows
from plaint.web.tests.test_customer_portal import EXE

pytestmark = pytest.mark.django_db


def _url(cast, suffix: str = "") -> str:
    return f"/my/complaints/{cast.complaint_a.reference}/{suffix}"


def _fresh(cast) -> Complaint:
    return Complaint.objects.get(pk=cast.complaint_a.pk)


def _decided(cast) -> Decision:
    builders.move(cast.complaint_a, Action.ACKNOWLEDGE)
    return builders.decide(cast.complaint_a, outcome="partly_upheld", remedy_kind="credit",
                           reasoning="The second charge was an error; the first was right.")


def _assert_refused(response, *texts: str) -> None:
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error:" in html
    for text in texts:
        assert text in html, text


def test_adding_information_with_files_joins_the_complaint(cast, settings, tmp_path):
    # given customer A on their complaint's page
    settings.MEDIA_ROOT = tmp_path
    client = cast.client(CUSTOMER_A)
    # when they add a text and two files
    response = client.post(_url(cast, "information/"), {
        "info-body": "The bank statement shows both charges.",
        "info-files": [SimpleUploadedFile("statement.pdf", PDF), SimpleUploadedFile("n.txt", b"note\n")],
    })
    # then the message and the files are on the complaint, as the customer's, and they are told
    assert response.status_code == 302
    assert response["Location"] == _url(cast)
    message = cast.complaint_a.messages.latest("id")
    assert (message.body, message.author_kind, message.visibility) == (
        "The bank statement shows both charges.", "customer", "customer")
    files = cast.complaint_a.evidence.filter(added_by_kind="customer")
    names = set(files.values_list("original_name", flat=True))
    assert names == {"statement.pdf", "n.txt"}
    html = client.get(_url(cast)).content.decode()
    assert "Your information was added to the complaint." in html
    assert "statement.pdf" in html


def test_answering_a_request_for_information_hands_the_complaint_back_to_the_provider(cast):
    # given customer A's complaint, on which the provider asked a question
    builders.move(cast.complaint_a, Action.ACKNOWLEDGE)
    builders.move(cast.complaint_a, Action.REQUEST_INFORMATION)
    client = cast.client(CUSTOMER_A)
    # when they answer on its page
    response = client.post(_url(cast, "information/"), {"info-body": "Invoice 2026-10-0042."},
                           HTTP_ACCEPT_LANGUAGE="en")
    # then the answer is there, the complaint is the provider's again, and they are told so
    assert response.status_code == 302
    assert _fresh(cast).state == "investigating"
    assert Message.objects.filter(complaint=cast.complaint_a, body="Invoice 2026-10-0042.").exists()
    resumed = Event.objects.filter(complaint=cast.complaint_a, kind=EventKind.TRANSITIONED).latest("id")
    assert resumed.data["action"] == "resume"
    page = client.get(_url(cast), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "the complaint is back with the provider" in page


def test_adding_information_with_a_refused_file_writes_nothing(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = cast.client(CUSTOMER_A)
    before = all_rows()
    response = client.post(_url(cast, "information/"), {
        "info-body": "See the attached.", "info-files": [SimpleUploadedFile("x.exe", EXE)],
    })
    _assert_refused(response, 'id="id_info-files-error"', "x.exe: This type of file is not accepted.")
    assert all_rows() == before


def test_adding_information_needs_a_text(cast):
    client = cast.client(CUSTOMER_A)
    before = all_rows()
    response = client.post(_url(cast, "information/"), {"info-body": "  "})
    _assert_refused(response, 'id="id_info-body-error"')
    assert all_rows() == before


def test_recording_a_call_keeps_every_detail_and_the_promise(cast):
    # given a call the customer had yesterday at 14:30 Prague time
    yesterday = (clock.now() - timedelta(days=1)).date()
    # when they record it
    response = cast.client(CUSTOMER_A).post(_url(cast, "calls/"), {
        "call-channel": "phone", "call-direction": "inbound", "call-day": yesterday.isoformat(),
        "call-start": "14:30", "call-minutes": "12", "call-agent_name": "Petr Novák",
        "call-agent_position": "Customer service agent", "call-reference_quoted": "CS-4471",
        "call-notes": "He said the refund is on its way.", "call-promised": "A refund of the charge",
        "call-promised_by": (yesterday + timedelta(days=7)).isoformat(),
    })
    # then the interaction carries it all, in the provider's time zone, with the promise
    assert response.status_code == 302
    call = cast.complaint_a.interactions.latest("id")
    assert (call.channel, call.direction, call.duration_seconds, call.staff_name, call.staff_position,
            call.references_quoted, call.recorded_by_kind, call.visibility) == (
        "phone", "inbound", 720, "Petr Novák", "Customer service agent", ["CS-4471"], "customer", "customer")
    local = call.started_at.astimezone(__import__("zoneinfo").ZoneInfo(cast.org1.time_zone))
    assert (local.date(), local.hour, local.minute) == (yesterday, 14, 30)
    promise = call.promises.get()
    assert promise.description == "A refund of the charge"
    html = cast.client(CUSTOMER_A).get(_url(cast)).content.decode()
    assert "Petr Novák" in html
    assert "CS-4471" in html
    assert "12 minutes" in html


def test_recording_a_call_in_the_future_is_refused_on_the_date(cast):
    client = cast.client(CUSTOMER_A)
    tomorrow = (clock.now() + timedelta(days=2)).date()
    before = all_rows()
    response = client.post(_url(cast, "calls/"), {
        "call-channel": "phone", "call-direction": "inbound", "call-day": tomorrow.isoformat(),
        "call-start": "10:00",
    })
    _assert_refused(response, 'id="id_call-day-error"', "The start time is in the future.")
    assert all_rows() == before


def test_asking_for_a_supervisor_moves_the_complaint_to_level_2_once(cast):
    client = cast.client(CUSTOMER_A)
    # when the customer asks for a supervisor
    response = client.post(_url(cast, "supervisor/"), {"supervisor-words": "Nobody calls me back."})
    # then a supervisor handles it, with the customer's words as the reason
    assert response.status_code == 302
    assert _fresh(cast).level == 2
    event = Event.objects.filter(complaint=cast.complaint_a, kind=EventKind.SUPERVISOR_REQUESTED).get()
    assert event.reason.text == "Nobody calls me back."
    # and the form is no longer offered; asking again is refused and writes nothing
    assert 'action="' + _url(cast, "supervisor/") not in client.get(_url(cast)).content.decode()
    before = all_rows()
    again = client.post(_url(cast, "supervisor/"), {"supervisor-words": "Again."})
    _assert_refused(again, "A supervisor is already handling this complaint.")
    assert all_rows() == before


def test_requesting_a_cancellation_shows_the_protocol_number_at_once(cast):
    client = cast.client(CUSTOMER_A)
    response = client.post(_url(cast, "cancellation/"), {"cancel-service": "Internet 100 Mbit",
                                                         "cancel-account_number": "A-1"})
    assert response.status_code == 302
    cancellation = CancellationRequest.objects.get(customer=cast.complaint_a.customer)
    assert cancellation.service == "Internet 100 Mbit"
    html = client.get(_url(cast)).content.decode()
    assert "Your cancellation is confirmed and effective now." in html
    assert references.display(cancellation.protocol_number) in html
    # and the page keeps listing it after the message is gone
    html = client.get(_url(cast)).content.decode()
    assert "Your cancellation is confirmed" not in html
    assert "Internet 100 Mbit: cancelled on" in html
    assert references.display(cancellation.protocol_number) in html


def test_a_cancellation_needs_the_service(cast):
    client = cast.client(CUSTOMER_A)
    before = all_rows()
    response = client.post(_url(cast, "cancellation/"), {"cancel-service": ""})
    _assert_refused(response, 'id="id_cancel-service-error"')
    assert all_rows() == before


def test_the_customer_accepts_a_decision_then_rates_the_handling(cast):
    # given a decision on customer A's complaint
    decision = _decided(cast)
    client = cast.client(CUSTOMER_A)
    html = client.get(_url(cast)).content.decode()
    assert "The second charge was an error; the first was right." in html
    assert "Credit on the account" in html
    assert 'id="decision-heading"' in html
    assert 'id="rating-heading"' not in html
    # when they accept it
    response = client.post(_url(cast, "decision/"), {"decision-answer": "accept"})
    # then the complaint is closed with their answer recorded
    assert response.status_code == 302
    assert _fresh(cast).state == "closed"
    decision.refresh_from_db()
    assert decision.customer_response == "accepted"
    # and they may rate the handling, once
    assert 'id="rating-heading"' in client.get(_url(cast)).content.decode()
    rated = client.post(_url(cast, "rating/"), {"rating-resolved": "yes", "rating-satisfaction": "4",
                                                "rating-effort": "2", "rating-comment": "Quick."})
    assert rated.status_code == 302
    rating = HandlingRating.objects.get(complaint=cast.complaint_a)
    assert (rating.resolved, rating.satisfaction, rating.effort, rating.comment) == (True, 4, 2, "Quick.")
    event = Event.objects.get(complaint=cast.complaint_a, kind=EventKind.HANDLING_RATED)
    assert event.data == {"rating": rating.pk, "resolved": True, "satisfaction": 4, "effort": 2}
    html = client.get(_url(cast)).content.decode()
    assert "you rated the handling of this complaint" in html
    assert 'id="rating-heading"' not in html
    before = all_rows()
    again = client.post(_url(cast, "rating/"), {"rating-resolved": "no", "rating-satisfaction": "1",
                                                "rating-effort": "5"})
    _assert_refused(again, "You have already rated the handling of this complaint.")
    assert all_rows() == before


def test_rejecting_a_decision_needs_a_reason_and_makes_it_a_formal_complaint(cast):
    _decided(cast)
    client = cast.client(CUSTOMER_A)
    before = all_rows()
    refused = client.post(_url(cast, "decision/"), {"decision-answer": "reject"})
    _assert_refused(refused, 'id="id_decision-reason-error"')
    assert all_rows() == before
    response = client.post(_url(cast, "decision/"), {"decision-answer": "reject",
                                                     "decision-reason": "I was charged twice."})
    assert response.status_code == 302
    complaint = _fresh(cast)
    assert (complaint.state, complaint.level) == ("investigating", 3)
    assert "I was charged twice." in client.get(_url(cast)).content.decode()


def test_answering_a_decision_that_does_not_exist_is_refused(cast):
    client = cast.client(CUSTOMER_A)
    before = all_rows()
    response = client.post(_url(cast, "decision/"), {"decision-answer": "accept"})
    _assert_refused(response, "This action is not possible while the complaint is in this state.")
    assert all_rows() == before


def test_rating_an_open_complaint_is_refused(cast):
    client = cast.client(CUSTOMER_A)
    before = all_rows()
    response = client.post(_url(cast, "rating/"), {
        "rating-resolved": "no", "rating-satisfaction": "2", "rating-effort": "4"})
    _assert_refused(response, "The handling can be rated once the complaint is closed.")
    assert all_rows() == before


def test_another_customer_cannot_act_on_the_complaint(cast):
    client = cast.client(CUSTOMER_B)
    before = all_rows()
    response = client.post(_url(cast, "information/"), {"info-body": "Hello"})
    assert response.status_code == 404
    assert all_rows() == before


def test_a_follow_session_without_an_account_acts_as_the_complaints_customer(cast):
    # given a visitor who followed complaint A by its reference and address
    client = Client()
    client.post("/my/follow/", {"reference": cast.complaint_a.reference,
                                "contact": cast.complaint_a.customer.email})
    # when they add information
    response = client.post(_url(cast, "information/"), {"info-body": "Sent from my phone."})
    # then it joins the complaint as the customer's
    assert response.status_code == 302
    message = Message.objects.get(complaint=cast.complaint_a, body="Sent from my phone.")
    assert (message.author_kind, message.visibility) == ("customer", "customer")
    event = Event.objects.filter(complaint=cast.complaint_a, kind=EventKind.MESSAGE_ADDED).latest("id")
    assert (event.actor_kind, event.actor_role) == ("customer", "customer")


def test_a_feedback_card_is_kept_and_counted_apart_from_complaints(cast, client):
    complaints = Complaint.objects.count()
    response = client.post(f"/my/feedback/{cast.org1.slug}/", {"kind": "compliment",
                                                                "text": "Petr was very helpful."})
    assert response.status_code == 302
    card = FeedbackCard.objects.get()
    assert (card.organisation, card.kind, card.text, card.language) == (
        cast.org1, "compliment", "Petr was very helpful.", "en")
    assert feedback_card_counts(cast.org1) == {"compliment": 1, "suggestion": 0}
    assert Complaint.objects.count() == complaints
    assert "Your message was passed on to" in client.get(response["Location"]).content.decode()


def test_an_empty_feedback_card_is_refused_and_an_unmanaged_provider_has_none(cast, client):
    before = all_rows()
    response = client.post(f"/my/feedback/{cast.org1.slug}/", {"kind": "suggestion", "text": ""})
    _assert_refused(response, 'id="id_text-error"')
    assert all_rows() == before
    assert client.get("/my/feedback/no-such-provider/").status_code == 404
