"""Letters and chat transcripts through the API: what they create, and what they refuse."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from plaint.api.tests.api_requests import ROOT
from plaint.complaints.models import ChatLine, Complaint, Event, Evidence, Letter
from plaint.core import clock
from plaint.parties.choices import Role, Sector
from plaint.testing import builders
from plaint.testing.actors import AGENT, CUSTOMER_A, INTERNAL_MARK, PDF, TOKEN, Cast
from plaint.testing.database import row_counts

PRAGUE = ZoneInfo("Europe/Prague")
#: Thursday 12 March 2026, 10:00 in Prague: the letter below arrived on Monday the 9th.
NOW = datetime(2026, 3, 12, 10, 0, tzinfo=PRAGUE)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


def end_of(day: date) -> datetime:
    return datetime.combine(day, time.max, tzinfo=PRAGUE)


def scan(content: bytes = PDF, name: str = "letter.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "application/pdf")


def letter_intake(organisation_id: int, **changes: Any) -> dict[str, Any]:
    form = {
        "organisation_id": organisation_id, "received_at": "2026-03-09", "file": scan(),
        "subject": "Kettle broke after a week", "description": "Asks for a repair.",
        "customer_full_name": "Jana Dvořáková", "customer_postal_address": "Dlouhá 1, Praha",
        "summary": "Handwritten, two pages.",
    }
    return {k: v for k, v in {**form, **changes}.items() if v is not ...}


@pytest.fixture
def retailer(db: None) -> tuple[Any, Client]:
    """A Czech retailer (the consumer law's 30-day clock) and a signed-in agent of it."""
    org = builders.organisation(country="CZ", sector=Sector.RETAIL, time_zone="Europe/Prague")
    agent = builders.staff(org, Role.AGENT)
    client = Client()
    client.force_login(agent.user)
    return org, client


# ---- a letter opens a complaint


def test_a_letter_received_three_days_ago_starts_the_complaints_clocks_at_its_receipt(retailer):
    # given a Czech retailer's agent with a letter that arrived on Monday, typed in on Thursday
    org, client = retailer
    with clock.frozen_at(NOW):
        # when they upload it as a new complaint
        response = client.post(f"{ROOT}/letters", letter_intake(org.pk))
    # then the complaint was received on Monday, by letter, with its demands unspecified
    assert response.status_code == 201, response.content[:500]
    body = response.json()
    complaint = Complaint.objects.get(reference=body["reference"])
    monday = datetime(2026, 3, 9, tzinfo=PRAGUE)
    assert complaint.received_at == monday
    assert (complaint.channel, complaint.demands_recorded) == ("letter", False)
    assert complaint.customer.postal_address == "Dlouhá 1, Praha"
    assert complaint.customer.preferred_channel == "letter"
    # and the consumer law's 30 days run from Monday: to Wednesday 8 April, not from Thursday
    [handle] = [c for c in body["clocks"] if c["key"] == "CZ.consumer.handle"]
    assert datetime.fromisoformat(handle["due_at"]).astimezone(PRAGUE).date() == date(2026, 4, 8)
    assert complaint.clocks.get(key="CZ.consumer.handle").due_at == end_of(date(2026, 4, 8))
    assert datetime.fromisoformat(handle["started_at"]) == monday
    # and the scan is evidence, linked to the letter and its interaction
    letter = Letter.objects.get(complaint=complaint)
    assert (letter.opened_complaint, letter.received_at, letter.scan.complaint_id) == (
        True, monday, complaint.pk)
    [interaction] = body["interactions"]
    assert (interaction["channel"], interaction["direction"]) == ("letter", "inbound")
    assert datetime.fromisoformat(interaction["started_at"]) == monday
    assert interaction["notes"] == "Handwritten, two pages."
    assert interaction["letter"]["scan"]["id"] == letter.scan_id
    assert interaction["letter"]["scan"]["sha256"] == letter.scan.sha256
    assert [e["id"] for e in body["evidence"]] == [letter.scan_id]
    # and two events: the complaint received (dated Monday), then the letter
    events = list(Event.objects.filter(complaint=complaint).order_by("pk"))
    assert [e.kind for e in events] == ["received", "interaction_logged"]
    assert events[0].data["received_at"] == monday.astimezone(UTC).isoformat()
    assert events[1].data["letter"] == letter.pk


def test_a_letter_dated_and_timed_keeps_its_time_and_may_state_demands(retailer):
    org, client = retailer
    with clock.frozen_at(NOW):
        response = client.post(f"{ROOT}/letters", letter_intake(
            org.pk, received_at="2026-03-10T08:30:00+01:00",
            demands='[{"kind": "repair"}]'))
    assert response.status_code == 201, response.content[:500]
    body = response.json()
    assert datetime.fromisoformat(body["received_at"]) == datetime(2026, 3, 10, 8, 30, tzinfo=PRAGUE)
    assert body["demands_recorded"] is True
    assert [d["kind"] for d in body["demands"]] == ["repair"]


def test_the_same_letter_sent_twice_with_one_key_is_one_complaint(retailer):
    # given a letter upload with an Idempotency-Key
    org, client = retailer
    headers = {"Idempotency-Key": "scan-batch-7-page-1"}
    with clock.frozen_at(NOW):
        first = client.post(f"{ROOT}/letters", letter_intake(org.pk), headers=headers)
        before = row_counts()
        # when it is retried, and then the key is reused with another scan
        again = client.post(f"{ROOT}/letters", letter_intake(org.pk), headers=headers)
        other = client.post(f"{ROOT}/letters", letter_intake(org.pk, file=scan(PNG, "p.png")),
                            headers=headers)
    # then the retry returns the first complaint, the other scan is refused, nothing is added
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 409)
    assert again.json()["reference"] == first.json()["reference"]
    assert other.json()["code"] == "idempotency_key_reused"
    assert row_counts() == before


BAD_LETTERS = [
    ("a date in the future", {"received_at": "2026-03-13"}, "validation_error", "received_at"),
    ("a time in the future", {"received_at": "2026-03-12T11:00:00+01:00"}, "validation_error",
     "received_at"),
    ("a date over a year ago", {"received_at": "2025-03-01"}, "validation_error", "received_at"),
    ("a time without its offset", {"received_at": "2026-03-10T08:30:00"}, "validation_error",
     "received_at"),
    ("not a date", {"received_at": "last Monday"}, "validation_error", "received_at"),
    ("a text file", {"file": SimpleUploadedFile("letter.pdf", b"Dear Sirs, ...", "application/pdf")},
     "evidence_type_not_allowed", "file"),
    ("a program", {"file": SimpleUploadedFile("letter.pdf", b"MZ\x90\x00" + b"\x00" * 200)},
     "evidence_type_not_allowed", "file"),
    ("an empty file", {"file": SimpleUploadedFile("letter.pdf", b"")}, "evidence_empty", "file"),
    ("no file", {"file": ...}, "validation_error", "file"),
    ("nobody named", {"customer_full_name": "", "customer_postal_address": ""},
     "customer_required", "customer"),
    ("demands that are not JSON", {"demands": "refund"}, "validation_error", "demands"),
    ("an unknown demand", {"demands": '[{"kind": "bribe"}]'}, "validation_error", "demands.0.kind"),
]


@pytest.mark.parametrize(("name", "changes", "code", "field"), BAD_LETTERS,
                         ids=[b[0].replace(" ", "-") for b in BAD_LETTERS])
def test_a_bad_letter_is_refused_with_the_field_named_and_nothing_kept(retailer, name, changes,
                                                                     code, field):
    # given a retailer's agent on Thursday
    org, client = retailer
    before = row_counts()
    # when they upload a bad letter as a new complaint
    with clock.frozen_at(NOW):
        response = client.post(f"{ROOT}/letters", letter_intake(org.pk, **changes))
    # then it is refused with a 4xx naming the field, and nothing was kept
    assert 400 <= response.status_code < 500, response.content[:300]
    error = response.json()
    assert set(error) == {"code", "message", "fields"}
    assert (error["code"], field in error["fields"]) == (code, True), error
    assert row_counts() == before


def test_a_customer_cannot_file_through_the_letter_intake(cast: Cast):
    before = row_counts()
    response = cast.client(CUSTOMER_A).post(f"{ROOT}/letters", letter_intake(
        cast.org1.pk, received_at=clock.now().date().isoformat()))
    assert response.status_code == 403
    assert response.json()["code"] == "not_permitted"
    assert row_counts() == before


# ---- a letter joins a complaint


def test_a_letter_joins_an_open_complaint_dated_by_its_receipt(cast: Cast):
    # given customer A's complaint, handled by the agent
    complaint = cast.complaint_a
    received_on = (clock.now() - timedelta(days=2)).date()
    # when the token's integration uploads a letter of theirs received two days ago
    response = cast.client(TOKEN).post(f"{ROOT}/complaints/{complaint.reference}/letters", {
        "file": scan(), "received_at": received_on.isoformat(), "summary": "Wants a refund."})
    # then it is an inbound letter on the complaint, dated then, with its scan
    assert response.status_code == 201, response.content[:500]
    letter = Letter.objects.get(complaint=complaint)
    local = ZoneInfo(cast.org1.time_zone)
    assert letter.received_at == datetime.combine(received_on, time(0), tzinfo=local)
    assert letter.opened_complaint is False
    [shown] = [i for i in response.json()["interactions"] if i["letter"]]
    assert (shown["channel"], shown["direction"], shown["notes"]) == ("letter", "inbound",
                                                                      "Wants a refund.")
    assert shown["letter"]["scan"]["name"] == "letter.pdf"
    # and one event records it, with no text in it
    event = Event.objects.filter(complaint=complaint).latest("pk")
    assert (event.kind, event.data["letter"], event.data["evidence"]) == (
        "interaction_logged", letter.pk, letter.scan_id)
    assert "Wants a refund." not in str(event.data)
    # and the customer sees it, as they wrote it
    seen = cast.client(CUSTOMER_A).get(f"{ROOT}/complaints/{complaint.reference}").json()
    assert letter.scan_id in [e["id"] for e in seen["evidence"]]


def test_an_internal_letter_is_hidden_from_the_customer(cast: Cast):
    complaint = cast.complaint_a
    response = cast.client(AGENT).post(f"{ROOT}/complaints/{complaint.reference}/letters", {
        "file": scan(name=f"{INTERNAL_MARK}.pdf"), "received_at": clock.now().date().isoformat(),
        "internal": "true", "summary": INTERNAL_MARK})
    assert response.status_code == 201, response.content[:300]
    seen = cast.client(CUSTOMER_A).get(f"{ROOT}/complaints/{complaint.reference}")
    assert INTERNAL_MARK.encode() not in seen.content


@pytest.mark.parametrize(("form", "field"), [
    ({"received_at": "2099-01-01"}, "received_at"),
    ({"file": SimpleUploadedFile("a.pdf", b"just text")}, "file"),
])
def test_a_bad_letter_for_a_complaint_changes_nothing(cast: Cast, form, field):
    before = row_counts()
    body = {"file": scan(), "received_at": clock.now().date().isoformat(), **form}
    response = cast.client(AGENT).post(
        f"{ROOT}/complaints/{cast.complaint_a.reference}/letters", body)
    assert response.status_code == 422
    assert field in response.json()["fields"]
    assert row_counts() == before
    assert Evidence.objects.filter(complaint=cast.complaint_a, letter__isnull=False).count() == 0


# ---- chat transcripts


def transcript(**changes: Any) -> dict[str, Any]:
    start = clock.now() - timedelta(hours=2)
    body = {
        "started_at": start.isoformat(), "ended_at": (start + timedelta(minutes=12)).isoformat(),
        "participants": [
            {"role": "bot", "name": "Rychlobot"},
            {"role": "customer", "name": "Jan Novák"},
            {"role": "agent", "name": "Eva Malá", "position": "Chat support"},
        ],
        "messages": [
            {"at": (start + timedelta(seconds=5)).isoformat(), "participant": 0,
             "text": "Hello, how can I help?"},
            {"at": (start + timedelta(minutes=1)).isoformat(), "participant": "Jan Novák",
             "text": "I was charged twice."},
            {"at": (start + timedelta(minutes=11)).isoformat(), "participant": 2,
             "text": "I will call you tomorrow."},
        ],
        "promises": [{"kind": "callback", "due_at": (start + timedelta(days=1)).isoformat()}],
    }
    return {**body, **changes}


def post_transcript(client: Client, reference: str, body: dict[str, Any]):  # type: ignore[no-untyped-def]
    return client.post(f"{ROOT}/complaints/{reference}/chat-transcripts", body,
                       content_type="application/json")


def test_a_chat_transcript_becomes_an_interaction_with_its_lines(cast: Cast):
    # given customer A's complaint
    complaint = cast.complaint_a
    body = transcript()
    # when the integration attaches a chat of twelve minutes
    response = post_transcript(cast.client(TOKEN), complaint.reference, body)
    # then it is an inbound chat of 720 seconds, with the agent who chatted, and its promise
    assert response.status_code == 201, response.content[:500]
    [chat] = [i for i in response.json()["interactions"] if i["channel"] == "chat"]
    assert (chat["direction"], chat["duration_seconds"]) == ("inbound", 720)
    assert (chat["staff_name"], chat["staff_position"]) == ("Eva Malá", "Chat support")
    assert [p["kind"] for p in chat["promises"]] == ["callback"]
    # and its transcript: the participants, and each line with who wrote it
    shown = chat["transcript"]
    assert [p["role"] for p in shown["participants"]] == ["bot", "customer", "agent"]
    assert [(line["participant"], line["text"]) for line in shown["lines"]] == [
        (0, "Hello, how can I help?"), (1, "I was charged twice."), (2, "I will call you tomorrow.")]
    assert ChatLine.objects.filter(transcript_id=shown["id"]).count() == 3
    # and one event counts the lines without holding them
    event = Event.objects.filter(complaint=complaint).latest("pk")
    assert (event.kind, event.data["lines"], event.data["participants"]) == (
        "interaction_logged", 3, 3)
    assert "charged twice" not in str(event.data)
    # and the customer reads it too
    seen = cast.client(CUSTOMER_A).get(f"{ROOT}/complaints/{complaint.reference}").json()
    assert [i["transcript"]["id"] for i in seen["interactions"] if i["transcript"]] == [shown["id"]]


def test_an_internal_chat_transcript_is_hidden_from_the_customer(cast: Cast):
    body = transcript(internal=True, messages=[
        {"at": (clock.now() - timedelta(hours=2) + timedelta(minutes=1)).isoformat(),
         "participant": 2, "text": INTERNAL_MARK}])
    response = post_transcript(cast.client(AGENT), cast.complaint_a.reference, body)
    assert response.status_code == 201, response.content[:300]
    seen = cast.client(CUSTOMER_A).get(f"{ROOT}/complaints/{cast.complaint_a.reference}")
    assert INTERNAL_MARK.encode() not in seen.content


def _later(minutes: int) -> str:
    return (clock.now() - timedelta(hours=2) + timedelta(minutes=minutes)).isoformat()


BAD_TRANSCRIPTS = [
    # name, the changes (a function: times are taken when the test runs), the field named
    ("ends before it starts", lambda: {"ended_at": _later(-5)}, "ended_at"),
    ("ends in the future", lambda: {"ended_at": (clock.now() + timedelta(hours=1)).isoformat()},
     "ended_at"),
    ("a line before the start",
     lambda: {"messages": [{"at": _later(-1), "participant": 0, "text": "Hi"}]}, "messages.0.at"),
    ("a line after the end",
     lambda: {"messages": [{"at": _later(13), "participant": 0, "text": "Hi"}]}, "messages.0.at"),
    ("a participant who is not there",
     lambda: {"messages": [{"at": _later(1), "participant": 3, "text": "Hi"}]},
     "messages.0.participant"),
    ("a name nobody has",
     lambda: {"messages": [{"at": _later(1), "participant": "Petr", "text": "Hi"}]},
     "messages.0.participant"),
    ("an unknown role", lambda: {"participants": [{"role": "lawyer"}]}, "participants.0.role"),
    ("no lines", lambda: {"messages": []}, "messages"),
    ("an empty line", lambda: {"messages": [{"at": _later(1), "participant": 0, "text": ""}]},
     "messages.0.text"),
    ("a promise due before the chat",
     lambda: {"promises": [{"kind": "callback", "due_at": _later(-60)}]}, "promises.0.due_at"),
    ("a time without its offset", lambda: {"started_at": "2026-03-01T10:00:00"}, "started_at"),
    ("too many lines",
     lambda: {"messages": [{"at": _later(1), "participant": 0, "text": "x"}] * 2001}, "messages"),
]


@pytest.mark.parametrize(("name", "changes", "field"), BAD_TRANSCRIPTS,
                         ids=[b[0].replace(" ", "-") for b in BAD_TRANSCRIPTS])
def test_a_bad_transcript_is_refused_with_the_field_named_and_nothing_kept(cast: Cast, name,
                                                                         changes, field):
    before = row_counts()
    response = post_transcript(cast.client(TOKEN), cast.complaint_a.reference, transcript(**changes()))
    assert response.status_code == 422, response.content[:300]
    error = response.json()
    assert error["code"] == "validation_error"
    assert field in error["fields"], error
    assert row_counts() == before
