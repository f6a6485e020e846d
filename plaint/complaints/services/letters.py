"""Scanned letters: a complaint taken in from a letter, or a letter that joins one.

A letter is dated by when it was received, not when it was typed in: the complaint's
clocks start at its receipt (the ``received`` event carries ``received_at``), and a
follow-up letter takes its place in the record at that time. Staff and integrations
record letters; the scan is kept as evidence with its SHA-256.
"""

from __future__ import annotations

import hashlib
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import IO

from django.db import transaction
from django.utils.translation import gettext

from plaint.complaints.actors import Actor
from plaint.complaints.choices import Channel, Direction, EventKind, Visibility
from plaint.complaints.error_codes import ComplaintErrorCode
from plaint.complaints.models import Complaint, Letter
from plaint.complaints.notifications import notify_customer_replied
from plaint.complaints.policy import Operation, may
from plaint.complaints.services.common import authorise, event_record, service, touch
from plaint.complaints.services.evidence import Inspected, evidence_inspect, evidence_store
from plaint.complaints.services.intake import ComplaintDraft, Idempotency, complaint_create
from plaint.complaints.services.records import InteractionSpec, interaction_build
from plaint.core import clock
from plaint.core.exceptions import PermissionDenied, ValidationFailed
from plaint.parties.models import Customer, Organisation

#: How far back a date of receipt may go. A letter typed in more than a year after it
#: arrived is almost always a mistyped year; older paper goes in as imported history.
MAX_AGE = timedelta(days=366)
#: A scan is a PDF or a picture (of the evidence types allowed).
SCAN_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png", "image/gif",
                        "image/webp", "image/heic", "image/tiff"})


@dataclass(frozen=True)
class LetterSpec:
    """A scanned letter: when it arrived, the scan, and what staff noted of it.

    ``received_at`` may be the text a form sent (see ``received_at_parse``); it is read in
    the organisation's time zone once the caller is known to be allowed.
    """

    received_at: datetime | str
    stream: IO[bytes]
    name: str
    summary: str = ""
    internal: bool = False


def _invalid(field: str, message: str, code: str = "validation_error") -> ValidationFailed:
    return ValidationFailed(code, message, fields={field: [message]})


def received_at_parse(value: str, *, time_zone: str) -> datetime:
    """A date of receipt as sent: an ISO date (the start of that day in the
    organisation's time zone) or an ISO date and time with its UTC offset."""
    text = value.strip()
    try:
        if len(text) == len("2025-03-01"):
            day = date.fromisoformat(text)
            return datetime.combine(day, time(0), tzinfo=zoneinfo.ZoneInfo(time_zone))
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise _invalid("received_at", gettext(
            "Give the date of receipt as YYYY-MM-DD, or a date and time with its UTC offset."))
    return moment


def received_at_errors(received_at: datetime, now: datetime) -> list[str]:
    """What is wrong with a letter's date of receipt (pure)."""
    if received_at > now:
        return [gettext("The date of receipt cannot be in the future.")]
    if received_at < now - MAX_AGE:
        return [gettext("A letter received more than a year ago cannot be recorded here.")]
    return []


def letter_inspect(spec: LetterSpec, *, time_zone: str) -> tuple[LetterSpec, Inspected]:
    """Check the date of receipt and the scan; return the letter with its date read, and
    what the scan is."""
    received_at = spec.received_at
    if isinstance(received_at, str):
        received_at = received_at_parse(received_at, time_zone=time_zone)
    errors = received_at_errors(received_at, clock.now())
    if errors:
        raise _invalid("received_at", errors[0])
    spec = replace(spec, received_at=received_at)
    inspected = Inspected(*evidence_inspect(spec.stream))
    if inspected.content_type not in SCAN_TYPES:
        raise _invalid("file", gettext("A scanned letter must be a PDF or a picture."),
                       ComplaintErrorCode.EVIDENCE_TYPE_NOT_ALLOWED)
    return spec, inspected


def _store(
    actor: Actor, complaint: Complaint, spec: LetterSpec, inspected: Inspected, *, opened: bool
) -> Letter:
    assert isinstance(spec.received_at, datetime)  # read by letter_inspect
    visibility = Visibility.INTERNAL if spec.internal else Visibility.CUSTOMER
    interaction = interaction_build(
        actor=actor, complaint=complaint, staff_from_membership=False,
        spec=InteractionSpec(channel=Channel.LETTER, direction=Direction.INBOUND,
                             started_at=spec.received_at, notes=spec.summary,
                             visibility=visibility),
    )
    scan = evidence_store(actor=actor, complaint=complaint, stream=spec.stream, name=spec.name,
                          inspected=inspected, visibility=visibility,
                          description=gettext("Scanned letter"))
    letter = Letter.objects.create(
        complaint=complaint, interaction=interaction, scan=scan, received_at=spec.received_at,
        opened_complaint=opened, recorded_by_kind=actor.kind, recorded_by=actor.user,
        created_at=clock.now(),
    )
    touch(complaint)
    event_record(
        actor=actor, kind=EventKind.INTERACTION_LOGGED, complaint=complaint, visibility=visibility,
        data={"interaction": interaction.pk, "channel": Channel.LETTER.value, "promises": 0,
              "letter": letter.pk, "evidence": scan.pk, "sha256": inspected.sha256,
              "size": inspected.size, "type": inspected.content_type,
              "received_at": spec.received_at.isoformat()},
    )
    return letter


@service
def letter_record(*, actor: Actor, complaint: Complaint, spec: LetterSpec) -> Letter:
    """A letter joins the complaint: an inbound interaction of channel ``letter`` dated by
    its receipt, with the scan as evidence, in one event. The complaint's handler is told
    that the customer wrote (unless they recorded the letter themselves)."""
    authorise(actor, Operation.RECORD_LETTER, complaint)
    spec, inspected = letter_inspect(spec, time_zone=complaint.organisation.time_zone)
    letter = _store(actor, complaint, spec, inspected, opened=False)
    notify_customer_replied(complaint, channel=Channel.LETTER,
                            skip_user_id=actor.user.pk if actor.user else None)
    return letter


def letter_intake_authorise(actor: Actor, *, level: int) -> None:
    """Refuse unless the actor is staff (or an integration) who may record a letter at the
    level the complaint is to start at. Customers file through the ordinary intake."""
    if actor.who is None or actor.is_customer or not may(actor.who, Operation.RECORD_LETTER, level):
        raise PermissionDenied(ComplaintErrorCode.NOT_PERMITTED, gettext("Not permitted."))


def letter_open_complaint(
    *,
    actor: Actor,
    organisation: Organisation,
    customer: Customer | Callable[[], Customer],
    draft: ComplaintDraft,
    spec: LetterSpec,
    idempotency: Idempotency | None = None,
) -> tuple[Complaint, bool]:
    """Take a complaint in from a letter and return it with ``created``.

    The complaint's channel is ``letter`` and it was received when the letter was: its
    clocks start then. Two events: the complaint received, then the letter (its scan).
    ``idempotency`` digests the form; the scan's SHA-256 is folded into it here, so the
    same key with another scan is refused.
    """
    letter_intake_authorise(actor, level=draft.level)
    spec, inspected = letter_inspect(spec, time_zone=organisation.time_zone)
    draft = replace(draft, channel=Channel.LETTER, received_at=spec.received_at)
    if idempotency is not None:
        combined = hashlib.sha256(f"{idempotency.request_sha256}:{inspected.sha256}".encode())
        idempotency = replace(idempotency, request_sha256=combined.hexdigest())
    with transaction.atomic():
        complaint, created = complaint_create(actor=actor, organisation=organisation,
                                              customer=customer, draft=draft,
                                              idempotency=idempotency)
        if created:
            _store(actor, complaint, spec, inspected, opened=True)
    return complaint, created
