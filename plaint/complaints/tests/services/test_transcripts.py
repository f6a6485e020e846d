"""Chat transcripts: what makes one valid (pure), and what attaching one writes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from plaint.complaints.models import ChatLine, ChatParticipant, Event
from plaint.complaints.services.transcripts import (
    LineSpec,
    ParticipantSpec,
    TranscriptSpec,
    chat_transcript_attach,
    transcript_errors,
)
from plaint.complaints.tests.helpers import refused
from plaint.core.exceptions import PermissionDenied
from plaint.testing.actors import AGENT, CUSTOMER_A, Cast
from plaint.testing.database import row_counts

NOW = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)
START = NOW - timedelta(hours=1)
PEOPLE = [ParticipantSpec(role="customer", name="Jan"), ParticipantSpec(role="agent", name="Eva"),
          ParticipantSpec(role="agent", name="Eva")]


def chat(*lines: LineSpec, **changes) -> TranscriptSpec:  # type: ignore[no-untyped-def]
    fields = {"started_at": START, "ended_at": START + timedelta(minutes=5),
              "participants": PEOPLE,
              "lines": list(lines) or [LineSpec(at=START, participant=0, text="Hello")]}
    return TranscriptSpec(**{**fields, **changes})


def test_a_chat_from_its_start_to_its_end_is_valid():
    end = START + timedelta(minutes=5)
    assert transcript_errors(chat(LineSpec(at=START, participant="Jan", text="Hi"),
                                  LineSpec(at=end, participant=1, text="Bye")), NOW) == {}


def test_a_name_two_participants_share_names_nobody():
    errors = transcript_errors(chat(LineSpec(at=START, participant="Eva", text="Hi")), NOW)
    assert set(errors) == {"messages.0.participant"}


def test_a_negative_index_names_nobody():
    errors = transcript_errors(chat(LineSpec(at=START, participant=-1, text="Hi")), NOW)
    assert set(errors) == {"messages.0.participant"}


def test_a_chat_longer_than_a_day_is_refused():
    errors = transcript_errors(chat(ended_at=START + timedelta(hours=25), started_at=START
                                    - timedelta(hours=25)), NOW)
    assert set(errors) == {"ended_at"}


def test_a_chat_without_participants_is_refused():
    errors = transcript_errors(chat(participants=[]), NOW)
    assert "participants" in errors
    assert "messages.0.participant" in errors


def test_attaching_a_chat_writes_its_participants_and_lines_and_one_event(cast: Cast):
    now = datetime.now(UTC)
    spec = chat(LineSpec(at=now - timedelta(minutes=3), participant=0, text="Charged twice"),
                LineSpec(at=now - timedelta(minutes=2), participant=1, text="Refunding"),
                started_at=now - timedelta(minutes=4), ended_at=now - timedelta(minutes=1))
    events = Event.objects.count()
    interaction = chat_transcript_attach(actor=cast.actor(AGENT), complaint=cast.complaint_a,
                                         spec=spec)
    transcript = interaction.transcript
    assert (interaction.duration_seconds, interaction.staff_name, interaction.staff_member_id) == (
        180, "Eva", None)
    assert [p.name for p in ChatParticipant.objects.filter(transcript=transcript)] == [
        "Jan", "Eva", "Eva"]
    assert [(line.participant.name, line.text) for line in
            ChatLine.objects.filter(transcript=transcript).select_related("participant")] == [
        ("Jan", "Charged twice"), ("Eva", "Refunding")]
    assert Event.objects.count() == events + 1


def test_a_customer_may_not_attach_a_transcript(cast: Cast):
    now = datetime.now(UTC)
    spec = chat(LineSpec(at=now - timedelta(minutes=3), participant=0, text="Hi"),
                started_at=now - timedelta(minutes=4), ended_at=now - timedelta(minutes=1))
    before = row_counts()
    with refused(PermissionDenied, "not_permitted"):
        chat_transcript_attach(actor=cast.actor(CUSTOMER_A), complaint=cast.complaint_a, spec=spec)
    assert row_counts() == before
