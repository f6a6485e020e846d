"""Schemas of letters, chat transcripts and staff notification preferences, and the
presenters of a letter and a transcript inside a complaint's interactions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import ObjectDoesNotExist
from ninja import Schema
from pydantic import AwareDatetime, Field, StringConstraints

from plaint.complaints.choices import ChatRole, PromiseKind

Short = Annotated[str, StringConstraints(max_length=200)]
Position = Annotated[str, StringConstraints(max_length=120)]
Summary = Annotated[str, StringConstraints(max_length=20000)]
Language = Literal["", "en", "cs", "pl", "ro", "pt-br"]

# ---- inputs ------------------------------------------------------------------------------


class LetterIn(Schema):
    """A letter joining a complaint (multipart form fields beside ``file``)."""

    received_at: Annotated[str, StringConstraints(min_length=10, max_length=40)] = Field(
        description="YYYY-MM-DD (the start of that day in the organisation's time zone), "
                    "or an ISO 8601 date and time with its UTC offset")
    summary: Summary = Field(default="", description="what the letter says, in short")
    internal: bool = False


class LetterIntakeIn(LetterIn):
    """A complaint taken in from a letter (multipart form fields beside ``file``)."""

    organisation_id: int
    subject: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    description: Annotated[str, StringConstraints(min_length=1, max_length=20000)]
    customer_full_name: Short = ""
    customer_email: Annotated[str, StringConstraints(max_length=254)] = ""
    customer_phone: Annotated[str, StringConstraints(max_length=40)] = ""
    customer_postal_address: Annotated[str, StringConstraints(max_length=1000)] = ""
    customer_preferred_language: Language = ""
    account_number: Annotated[str, StringConstraints(max_length=64)] = ""
    demands: Annotated[str, StringConstraints(max_length=50000)] = Field(
        default="", description='the demands as a JSON list, as in the JSON intake; '
                                'empty: not stated in the letter')
    language: Language = ""
    category: Annotated[str, StringConstraints(max_length=64)] = ""
    product: Annotated[str, StringConstraints(max_length=120)] = ""
    priority: Literal["low", "normal", "high", "urgent"] = "normal"
    level: Literal[1, 3] = 1


class ParticipantIn(Schema):
    role: Literal[tuple(ChatRole.values)]  # type: ignore[valid-type]
    name: Short = ""
    position: Position = ""


class ChatLineIn(Schema):
    at: AwareDatetime
    participant: int | Short = Field(
        description="the participant's index in ``participants`` (from 0), or their name")
    text: Annotated[str, StringConstraints(min_length=1, max_length=10000)]


class TranscriptPromiseIn(Schema):
    kind: Literal[tuple(PromiseKind.values)]  # type: ignore[valid-type]
    due_at: AwareDatetime
    description: Summary = ""


class ChatTranscriptIn(Schema):
    started_at: AwareDatetime
    ended_at: AwareDatetime
    participants: list[ParticipantIn] = Field(min_length=1, max_length=20)
    messages: list[ChatLineIn] = Field(min_length=1, max_length=2000)
    notes: Summary = ""
    references_quoted: list[Annotated[str, StringConstraints(max_length=64)]] = Field(
        default_factory=list, max_length=20
    )
    promises: list[TranscriptPromiseIn] = Field(default_factory=list, max_length=10)
    internal: bool = False


class NotificationPreferencesIn(Schema):
    """The notifications to change; those left out keep their value."""

    assigned: bool | None = None
    customer_replied: bool | None = None
    clock_at_risk: bool | None = None
    clock_breached: bool | None = None


# ---- outputs -----------------------------------------------------------------------------


class LetterScanOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str


class LetterOut(Schema):
    id: int
    received_at: datetime
    opened_complaint: bool
    scan: LetterScanOut


class ParticipantOut(Schema):
    role: str
    name: str
    position: str


class ChatLineOut(Schema):
    at: datetime
    participant: int = Field(description="the participant's index in ``participants``")
    text: str


class TranscriptOut(Schema):
    id: int
    started_at: datetime
    ended_at: datetime
    participants: list[ParticipantOut]
    lines: list[ChatLineOut]


class NotificationPreferencesOut(Schema):
    assigned: bool = Field(description="a complaint is assigned to me by someone else")
    customer_replied: bool = Field(description="a customer wrote again about a complaint I handle")
    clock_at_risk: bool = Field(description="a deadline of a complaint I handle is close")
    clock_breached: bool = Field(description="a deadline was missed (managers)")


# ---- presenters --------------------------------------------------------------------------


def _related(obj: object, name: str) -> Any:
    """A reverse one-to-one the selector joined, or None where there is none."""
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


def present_letter(interaction: object) -> dict[str, object] | None:
    letter = _related(interaction, "letter")
    if letter is None:
        return None
    scan = letter.scan
    return {
        "id": letter.pk, "received_at": letter.received_at,
        "opened_complaint": letter.opened_complaint,
        "scan": {"id": scan.pk, "name": scan.original_name, "content_type": scan.content_type,
                 "size": scan.size, "sha256": scan.sha256},
    }


def present_transcript(interaction: object) -> dict[str, object] | None:
    transcript = _related(interaction, "transcript")
    if transcript is None:
        return None
    participants = list(transcript.participants.all())
    index = {p.pk: p.position_in_chat for p in participants}
    return {
        "id": transcript.pk, "started_at": transcript.started_at, "ended_at": transcript.ended_at,
        "participants": [{"role": p.role, "name": p.name, "position": p.staff_position}
                         for p in participants],
        "lines": [{"at": line.at, "participant": index[line.participant_id], "text": line.text}
                  for line in transcript.lines.all()],
    }
