"""Letters and chat transcripts: parse, authorise through ``access``, call a service, present."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from plaint.api.auth import principal
from plaint.api.complaint_schemas import ComplaintOut, DemandIn, present_complaint
from plaint.api.complaints import idempotency_from_request
from plaint.api.correspondence_schemas import ChatTranscriptIn, LetterIn, LetterIntakeIn
from plaint.api.errors import errors
from plaint.api.throttle import intake_rate_check
from plaint.complaints import selectors
from plaint.complaints.access import access_complaint_by_reference, access_organisation_for_intake
from plaint.complaints.actors import Actor
from plaint.complaints.choices import Channel
from plaint.complaints.error_codes import ComplaintErrorCode
from plaint.complaints.models import Complaint
from plaint.complaints.services.demands import DemandSpec
from plaint.complaints.services.intake import ComplaintDraft
from plaint.complaints.services.letters import (
    LetterSpec,
    letter_intake_authorise,
    letter_open_complaint,
    letter_record,
)
from plaint.complaints.services.records import PromiseSpec
from plaint.complaints.services.transcripts import (
    LineSpec,
    ParticipantSpec,
    TranscriptSpec,
    chat_transcript_attach,
)
from plaint.core.exceptions import ValidationFailed
from plaint.parties.choices import ContactChannel
from plaint.parties.services import CustomerDetails, customer_find_or_create

router = Router(tags=["letters and chats"])
DEMANDS = TypeAdapter(list[DemandIn])
MAX_DEMANDS = 20


def _detail(complaint: Complaint, actor: Actor) -> dict[str, object]:
    return present_complaint(selectors.complaint_detail(complaint=complaint, actor=actor), actor)


def _demands(text: str) -> list[DemandSpec] | None:
    """The demands of a letter as its form sent them (a JSON list), or None: not stated."""
    if not text.strip():
        return None
    try:
        items = DEMANDS.validate_json(text)
    except PydanticValidationError as exc:
        fields: dict[str, list[str]] = {}
        for error in exc.errors():
            name = ".".join(["demands", *(str(p) for p in error["loc"])])
            fields.setdefault(name, []).append(error["msg"])
        raise ValidationFailed("validation_error", gettext("The request is not valid."),
                               fields=fields) from exc
    if len(items) > MAX_DEMANDS:
        message = gettext("At most %(most)d demands.") % {"most": MAX_DEMANDS}
        raise ValidationFailed("validation_error", message, fields={"demands": [message]})
    return [DemandSpec(kind=d.kind, amount=d.amount, currency=d.currency, detail=d.detail)
            for d in items] or None


def _customer(payload: LetterIntakeIn) -> CustomerDetails:
    if not (payload.customer_full_name or payload.customer_email or payload.customer_phone
            or payload.customer_postal_address or payload.account_number):
        message = gettext("Say who wrote the letter: a name, an e-mail address, a phone number, "
                          "a postal address or an account number.")
        raise ValidationFailed(ComplaintErrorCode.CUSTOMER_REQUIRED, message,
                               fields={"customer": [message]})
    return CustomerDetails(
        full_name=payload.customer_full_name, email=payload.customer_email,
        phone=payload.customer_phone, postal_address=payload.customer_postal_address,
        account_number=payload.account_number,
        preferred_language=payload.customer_preferred_language,
        # Somebody who writes a letter and gives no e-mail address is answered on paper.
        preferred_channel="" if payload.customer_email else ContactChannel.LETTER,
    )


@router.post("/letters", response={201: ComplaintOut, 200: ComplaintOut, **errors(403, 404, 409, 429)},
             summary="Take a complaint in from a scanned letter")
def create_from_letter(  # type: ignore[no-untyped-def]
    request: HttpRequest, payload: Form[LetterIntakeIn], file: File[UploadedFile]
):
    """Staff or an integration upload the scan (PDF or picture) of a customer's letter with
    its date of receipt: the complaint's clocks start then. The demands stay unspecified
    unless given. Send an ``Idempotency-Key`` header to make retries safe."""
    who = principal(request)
    intake_rate_check(request, who)
    organisation, actor = access_organisation_for_intake(
        principal=who, organisation_id=payload.organisation_id
    )
    letter_intake_authorise(actor, level=payload.level)
    details = _customer(payload)
    draft = ComplaintDraft(
        channel=Channel.LETTER, subject=payload.subject, description=payload.description,
        demands=_demands(payload.demands), language=payload.language, category=payload.category,
        product=payload.product, account_number=payload.account_number,
        priority=payload.priority, level=payload.level,
    )
    complaint, created = letter_open_complaint(
        actor=actor, organisation=organisation, draft=draft,
        idempotency=idempotency_from_request(request, who, payload),
        spec=LetterSpec(received_at=payload.received_at, stream=file, name=file.name or "letter",
                        summary=payload.summary, internal=payload.internal),
        customer=partial(customer_find_or_create, organisation=organisation, details=details),
    )
    return Status(201 if created else 200, _detail(complaint, actor))


@router.post("/complaints/{reference}/letters",
             response={201: ComplaintOut, **errors(403, 404)},
             summary="Add a scanned letter to a complaint")
def add_letter(  # type: ignore[no-untyped-def]
    request: HttpRequest, reference: str, payload: Form[LetterIn], file: File[UploadedFile]
):
    """A letter from the customer about a complaint already open, with its date of receipt."""
    with transaction.atomic():
        complaint, actor = access_complaint_by_reference(
            principal=principal(request), reference=reference, for_update=True
        )
        letter_record(actor=actor, complaint=complaint, spec=LetterSpec(
            received_at=payload.received_at, stream=file, name=file.name or "letter",
            summary=payload.summary, internal=payload.internal,
        ))
    return Status(201, _detail(complaint, actor))


@router.post("/complaints/{reference}/chat-transcripts",
             response={201: ComplaintOut, **errors(403, 404)},
             summary="Attach a chat transcript")
def attach_chat_transcript(request: HttpRequest, reference: str, payload: ChatTranscriptIn):  # type: ignore[no-untyped-def]
    """An integration attaches a chat about the complaint: it becomes an interaction with
    its participants, its lines and what was promised in it."""
    spec = TranscriptSpec(
        started_at=payload.started_at, ended_at=payload.ended_at,
        participants=[ParticipantSpec(role=p.role, name=p.name, position=p.position)
                      for p in payload.participants],
        lines=[LineSpec(at=m.at, participant=m.participant, text=m.text)
               for m in payload.messages],
        notes=payload.notes, references_quoted=payload.references_quoted,
        promises=[PromiseSpec(kind=p.kind, due_at=p.due_at, description=p.description)
                  for p in payload.promises],
        internal=payload.internal,
    )
    with transaction.atomic():
        complaint, actor = access_complaint_by_reference(
            principal=principal(request), reference=reference, for_update=True
        )
        chat_transcript_attach(actor=actor, complaint=complaint, spec=spec)
    return Status(201, _detail(complaint, actor))
