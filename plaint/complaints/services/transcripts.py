"""Chat transcripts: an integration attaches a chat, with who took part and what they wrote.

The chat becomes an inbound interaction of channel ``chat`` (its start, its duration, the
agent who chatted and their position); its lines are stored beside it in ordinary tables.
The event names the interaction and counts the lines; it never holds what was written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext

from plaint.complaints.actors import Actor
from plaint.complaints.choices import Channel, ChatRole, Direction, EventKind, Visibility
from plaint.complaints.models import (
    ChatLine,
    ChatParticipant,
    ChatTranscript,
    Complaint,
    Interaction,
)
from plaint.complaints.policy import Operation
from plaint.complaints.services.common import authorise, event_record, service, touch
from plaint.complaints.services.records import (
    MAX_DURATION_SECONDS,
    InteractionSpec,
    PromiseSpec,
    interaction_build,
)
from plaint.core import clock
from plaint.core.exceptions import ValidationFailed

MAX_PARTICIPANTS = 20
MAX_LINES = 2000
MAX_LINE_CHARACTERS = 10_000
MAX_TOTAL_CHARACTERS = 500_000


@dataclass(frozen=True)
class ParticipantSpec:
    role: str
    name: str = ""
    position: str = ""


@dataclass(frozen=True)
class LineSpec:
    """A line, and who wrote it: the participant's index in the list, or their name."""

    at: datetime
    participant: int | str
    text: str


@dataclass(frozen=True)
class TranscriptSpec:
    started_at: datetime
    ended_at: datetime
    participants: list[ParticipantSpec]
    lines: list[LineSpec]
    notes: str = ""
    references_quoted: list[str] = field(default_factory=list)
    promises: list[PromiseSpec] = field(default_factory=list)
    internal: bool = False


def _participant_index(spec: TranscriptSpec, reference: int | str) -> int | None:
    """The index of the participant a line names, or None if it names nobody (or two)."""
    if isinstance(reference, int):
        return reference if 0 <= reference < len(spec.participants) else None
    matches = [i for i, p in enumerate(spec.participants) if p.name and p.name == reference]
    return matches[0] if len(matches) == 1 else None


def transcript_errors(spec: TranscriptSpec, now: datetime) -> dict[str, list[str]]:
    """What is wrong with a transcript, by field (pure)."""
    errors: dict[str, list[str]] = {}
    if spec.ended_at < spec.started_at:
        errors["ended_at"] = [gettext("A chat cannot end before it started.")]
    elif (spec.ended_at - spec.started_at).total_seconds() > MAX_DURATION_SECONDS:
        errors["ended_at"] = [gettext("A chat cannot last more than 24 hours.")]
    if spec.ended_at > now:
        errors.setdefault("ended_at", []).append(gettext("The chat cannot end in the future."))
    if not 1 <= len(spec.participants) <= MAX_PARTICIPANTS:
        errors["participants"] = [gettext("A chat has between 1 and %(most)d participants.")
                                  % {"most": MAX_PARTICIPANTS}]
    for index, participant in enumerate(spec.participants):
        if participant.role not in ChatRole.values:
            errors[f"participants.{index}.role"] = [gettext("Unknown role.")]
    if not 1 <= len(spec.lines) <= MAX_LINES:
        errors["messages"] = [gettext("A transcript has between 1 and %(most)d messages.")
                              % {"most": MAX_LINES}]
    total = 0
    for index, line in enumerate(spec.lines):
        total += len(line.text)
        if not line.text.strip() or len(line.text) > MAX_LINE_CHARACTERS:
            errors[f"messages.{index}.text"] = [
                gettext("A message has between 1 and %(most)d characters.")
                % {"most": MAX_LINE_CHARACTERS}]
        if not spec.started_at <= line.at <= spec.ended_at:
            errors[f"messages.{index}.at"] = [
                gettext("A message must be written between the chat's start and its end.")]
        if _participant_index(spec, line.participant) is None:
            errors[f"messages.{index}.participant"] = [
                gettext("Name one of the chat's participants, by number or by a name "
                        "that only one of them has.")]
    if total > MAX_TOTAL_CHARACTERS:
        errors.setdefault("messages", []).append(gettext("The transcript is too long."))
    return errors


@service
def chat_transcript_attach(
    *, actor: Actor, complaint: Complaint, spec: TranscriptSpec
) -> Interaction:
    """Record a chat as an inbound interaction with its transcript, in one event.

    The interaction's staff member is the chat's first agent, as the integration names
    them; it is visible to the customer unless ``internal``.
    """
    authorise(actor, Operation.ATTACH_TRANSCRIPT, complaint)
    errors = transcript_errors(spec, clock.now())
    if errors:
        raise ValidationFailed("validation_error", gettext("The transcript is not valid."),
                               fields=errors)
    agent = next((p for p in spec.participants if p.role == ChatRole.AGENT), None)
    interaction = interaction_build(
        actor=actor, complaint=complaint, staff_from_membership=False,
        spec=InteractionSpec(
            channel=Channel.CHAT, direction=Direction.INBOUND, started_at=spec.started_at,
            duration_seconds=int((spec.ended_at - spec.started_at).total_seconds()),
            notes=spec.notes, references_quoted=spec.references_quoted,
            staff_name=agent.name if agent else "", staff_position=agent.position if agent else "",
            visibility=Visibility.INTERNAL if spec.internal else Visibility.CUSTOMER,
            promises=spec.promises,
        ),
    )
    transcript = ChatTranscript.objects.create(
        interaction=interaction, started_at=spec.started_at, ended_at=spec.ended_at,
        created_at=clock.now(),
    )
    participants = ChatParticipant.objects.bulk_create([
        ChatParticipant(transcript=transcript, position_in_chat=i, role=p.role,
                        name=p.name, staff_position=p.position)
        for i, p in enumerate(spec.participants)
    ])
    ChatLine.objects.bulk_create([
        ChatLine(transcript=transcript, sequence=n, at=line.at, text=line.text,
                 participant=participants[_participant_index(spec, line.participant)])  # type: ignore[index]
        for n, line in enumerate(spec.lines)
    ])
    touch(complaint)
    event_record(
        actor=actor, kind=EventKind.INTERACTION_LOGGED, complaint=complaint,
        visibility=Visibility(interaction.visibility),
        data={"interaction": interaction.pk, "channel": Channel.CHAT.value,
              "promises": len(spec.promises), "transcript": transcript.pk,
              "participants": len(participants), "lines": len(spec.lines)},
    )
    return interaction
