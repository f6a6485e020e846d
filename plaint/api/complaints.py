"""Complaint endpoints: parse, authorise through ``access``, call a service, present."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from functools import partial
from types import SimpleNamespace
from typing import Literal

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import AwareDatetime, Field

from plaint.api.auth import principal
from plaint.api.complaint_schemas import (
    RECORDS,
    AssignmentIn,
    ChannelName,
    ComplaintCreateIn,
    ComplaintOut,
    ComplaintPageOut,
    DecisionIn,
    DecisionOut,
    DemandsIn,
    EventOut,
    EvidenceOut,
    ExternalOutcomeIn,
    FinalResponseIn,
    InteractionIn,
    MergeIn,
    MessageIn,
    MessageMoveIn,
    ReasonIn,
    ReferralIn,
    SupervisorRequestIn,
    TransitionIn,
    present_complaint,
    present_event,
    present_summary,
)
from plaint.api.download_schemas import download, evidence_types
from plaint.api.errors import errors
from plaint.api.throttle import intake_rate_check
from plaint.complaints import selectors
from plaint.complaints.access import (
    access_complaint_by_reference,
    access_evidence_by_id,
    access_message_by_id,
    access_organisation_for_intake,
    complaints_visible_to,
)
from plaint.complaints.actors import Actor
from plaint.complaints.error_codes import ComplaintErrorCode
from plaint.complaints.lifecycle import Action, State
from plaint.complaints.models import Complaint, ReadChannel
from plaint.complaints.reads import complaint_read_log
from plaint.complaints.services.assignment import complaint_assign
from plaint.complaints.services.decisions import (
    DecisionSpec,
    complaint_decide,
    complaint_external_outcome_record,
    complaint_final_response_issue,
    complaint_refer,
)
from plaint.complaints.services.demands import DemandSpec, complaint_demands_record
from plaint.complaints.services.escalation import complaint_escalate, complaint_request_supervisor
from plaint.complaints.services.evidence import download_name, evidence_add, evidence_open
from plaint.complaints.services.intake import ComplaintDraft, Idempotency, complaint_create
from plaint.complaints.services.merge import complaint_merge
from plaint.complaints.services.records import (
    InteractionSpec,
    PromiseSpec,
    interaction_log,
    message_add,
    message_move,
)
from plaint.complaints.services.transitions import complaint_transition
from plaint.core.downloads import file_download
from plaint.core.exceptions import ValidationFailed
from plaint.parties.actors import Principal
from plaint.parties.services import CustomerDetails, customer_find_or_create

router = Router(tags=["complaints"])
CENT = Decimal("0.01")
MAX_IDEMPOTENCY_KEY = 200


def _detail(complaint: Complaint, actor: Actor) -> dict[str, object]:
    return present_complaint(selectors.complaint_detail(complaint=complaint, actor=actor), actor)


def _demands(items: list) -> list[DemandSpec]:  # type: ignore[type-arg]
    return [DemandSpec(kind=d.kind, amount=d.amount, currency=d.currency, detail=d.detail)
            for d in items]


def idempotency_from_request(request: HttpRequest, who: Principal, payload: Schema) -> Idempotency | None:
    """The request's ``Idempotency-Key`` scoped to the caller, with a digest of ``payload``."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not key.strip() or len(key) > MAX_IDEMPOTENCY_KEY:
        message = gettext("The Idempotency-Key must be 1 to 200 characters.")
        raise ValidationFailed("validation_error", message, fields={"Idempotency-Key": [message]})
    scope = f"token:{who.token.pk}" if who.token else f"user:{who.user.pk}"  # type: ignore[union-attr]
    return Idempotency(scope=scope, key=key,
                       request_sha256=Idempotency.digest(payload.model_dump(mode="json")))


@router.post("/complaints", response={201: ComplaintOut, 200: ComplaintOut, **errors(403, 404, 409, 429)},
             summary="Take a complaint in")
def create_complaint(request: HttpRequest, payload: ComplaintCreateIn):  # type: ignore[no-untyped-def]
    """File a complaint. Staff and integrations file for a customer they describe;
    a signed-in customer files for themselves. Send an ``Idempotency-Key`` header to
    make retries safe: the same key and body return the same complaint (200)."""
    who = principal(request)
    intake_rate_check(request, who)
    organisation, actor = access_organisation_for_intake(
        principal=who, organisation_id=payload.organisation_id
    )
    details = payload.customer or None
    if actor.is_customer:
        customer_details = CustomerDetails(account_number=payload.account_number)
    elif details is None or not (details.full_name or details.email or details.phone
                                 or details.account_number or payload.account_number):
        message = gettext(
            "Say who the customer is: a name, an e-mail address, a phone number or an account number."
        )
        raise ValidationFailed(ComplaintErrorCode.CUSTOMER_REQUIRED, message,
                               fields={"customer": [message]})
    else:
        customer_details = CustomerDetails(
            full_name=details.full_name, email=details.email, phone=details.phone,
            account_number=details.account_number or payload.account_number,
            preferred_language=details.preferred_language,
            accessibility_needs=details.accessibility_needs, is_vulnerable=details.is_vulnerable,
        )
    idempotency = idempotency_from_request(request, who, payload)
    draft = ComplaintDraft(
        channel=payload.channel, subject=payload.subject, description=payload.description,
        demands=_demands(payload.demands) if payload.demands else None,
        language=payload.language, category=payload.category, subcategory=payload.subcategory,
        product=payload.product, account_number=payload.account_number,
        amount_in_dispute=payload.amount_in_dispute, currency=payload.currency,
        priority=payload.priority, level=payload.level, received_at=payload.received_at,
    )
    complaint, created = complaint_create(
        actor=actor, organisation=organisation, draft=draft, idempotency=idempotency,
        # Found or created inside the intake's transaction: a replay keeps nothing of it.
        customer=partial(customer_find_or_create, organisation=organisation,
                         details=customer_details,
                         user=who.user if actor.is_customer else None),
    )
    if not created:
        return Status(200, _detail(complaint, actor))
    # A complaint just taken in has nothing but its demands: present it without reading
    # it back (the re-read was a third of the intake's time; see BENCHMARKS.md).
    return Status(201, present_complaint(complaint, actor, records=_new_records(draft)))


def _new_records(draft: ComplaintDraft) -> dict[str, list[object]]:
    demands = [
        SimpleNamespace(kind=d.kind, detail=d.detail,
                        amount=None if d.amount is None else d.amount.quantize(CENT),
                        currency=d.currency if d.amount is not None else "")
        for d in draft.demands or []
    ]
    return {name: [] for name in RECORDS} | {"demands": demands}


StateName = Literal[tuple(s.value for s in State)]  # type: ignore[valid-type]


class ListFilters(Schema):
    state: list[StateName] | None = Field(default=None, max_length=11)
    # A number range, not Literal[1, 2, 3, 4]: a query string's "3" is no Literal int.
    level: int | None = Field(default=None, ge=1, le=4)
    team_id: int | None = None
    assignee_id: int | None = None
    category: str | None = Field(default=None, max_length=64)
    channel: ChannelName | None = None
    organisation_id: int | None = None
    created_from: AwareDatetime | None = None
    created_to: AwareDatetime | None = None
    q: str | None = Field(default=None, max_length=200)
    overdue: bool | None = Field(default=None, description="owing a late answer, or past a deadline")
    due_within_hours: int | None = Field(default=None, ge=1, le=24 * 366)
    sort: Literal["-created", "due"] = Field(
        default="-created", description="newest first, or the nearest deadline first"
    )
    cursor: str | None = Field(default=None, max_length=200)
    limit: int = Field(default=50, ge=1, le=200)


@router.get("/complaints", response={200: ComplaintPageOut, **errors()}, summary="List complaints")
def list_complaints(request: HttpRequest, filters: Query[ListFilters]):  # type: ignore[no-untyped-def]
    """The complaints you may see, newest first or nearest deadline first, a page at a time
    (``next_cursor``)."""
    who = principal(request)
    rows, next_cursor = selectors.complaint_list(
        principal=who,
        filters=selectors.ComplaintFilters(
            state=filters.state, level=filters.level, team_id=filters.team_id,
            assignee_id=filters.assignee_id, category=filters.category, channel=filters.channel,
            organisation_id=filters.organisation_id, created_from=filters.created_from,
            created_to=filters.created_to, text=filters.q, overdue=filters.overdue,
            due_within_hours=filters.due_within_hours,
        ),
        cursor=filters.cursor,
        limit=filters.limit,
        sort=filters.sort,
    )
    staff_orgs = set(who.staff_organisation_ids())
    return {
        "items": [present_summary(c, internal=c.organisation_id in staff_orgs) for c in rows],
        "next_cursor": next_cursor,
    }


@router.get("/complaints/{reference}", response={200: ComplaintOut, **errors(404)},
            summary="Get a complaint")
def get_complaint(request: HttpRequest, reference: str):  # type: ignore[no-untyped-def]
    complaint, actor = access_complaint_by_reference(principal=principal(request), reference=reference)
    complaint_read_log(actor=actor, complaint=complaint, channel=ReadChannel.API)
    return _detail(complaint, actor)


@router.get("/complaints/{reference}/timeline", response={200: list[EventOut], **errors(404)},
            summary="Read a complaint's timeline")
def get_timeline(request: HttpRequest, reference: str):  # type: ignore[no-untyped-def]
    who = principal(request)
    complaint, actor = access_complaint_by_reference(principal=who, reference=reference)
    events = selectors.complaint_timeline(complaint=complaint, actor=actor)
    ids = {e.complaint_id for e in events if e.complaint_id}
    # Only the references of complaints the caller may see: a message moved here from
    # another customer's complaint must not tell this customer that complaint's reference.
    refs = dict(complaints_visible_to(who).filter(pk__in=ids).values_list("pk", "reference"))
    return [present_event(e, actor, refs) for e in events]


def _locked(request: HttpRequest, reference: str) -> tuple[Complaint, Actor]:
    return access_complaint_by_reference(
        principal=principal(request), reference=reference, for_update=True
    )


@router.post("/complaints/{reference}/transitions",
             response={200: ComplaintOut, **errors(403, 404, 409)}, summary="Change the state")
def transition(request: HttpRequest, reference: str, payload: TransitionIn):  # type: ignore[no-untyped-def]
    """Acknowledge, start investigating, request information, resume, accept or reject a
    decision, close, reopen or withdraw. Decisions, final responses, referrals and
    merges have endpoints of their own."""
    with transaction.atomic():
        complaint, actor = _locked(request, reference)
        complaint_transition(actor=actor, complaint=complaint, action=Action(payload.action),
                             reason=payload.reason)
    return _detail(complaint, actor)


@router.post("/complaints/{reference}/escalations",
             response={200: ComplaintOut, **errors(403, 404, 409)}, summary="Escalate one level")
def escalate(request: HttpRequest, reference: str, payload: ReasonIn):  # type: ignore[no-untyped-def]
    with transaction.atomic():
        complaint, actor = _locked(request, reference)
        complaint_escalate(actor=actor, complaint=complaint, reason=payload.reason)
    return _detail(complaint, actor)


@router.post("/complaints/{reference}/supervisor-requests",
             response={200: ComplaintOut, **errors(403, 404, 409)},
             summary="Ask for a supervisor (customer)")
def request_supervisor(request: HttpRequest, reference: str, payload: SupervisorRequestIn):  # type: ignore[no-untyped-def]
    with transaction.atomic():
        complaint, actor = _locked(request, reference)
        complaint_request_supervisor(actor=actor, complaint=complaint, words=payload.words)
    return _detail(complaint, actor)


@router.put("/complaints/{reference}/assignment",
            response={200: ComplaintOut, **errors(403, 404)}, summary="Assign team and handler")
def assign(request: HttpRequest, reference: str, payload: AssignmentIn):  # type: ignore[no-untyped-def]
    with transaction.atomic():
        complaint, actor = _locked(request, reference)
        complaint_assign(actor=actor, complaint=complaint, team_id=payload.team_id,
                         assignee_id=payload.assignee_id)
    return _detail(complaint, actor)


@router.put("/complaints/{reference}/demands",
            response={200: ComplaintOut, **errors(403, 404, 409)}, summary="Record the demands")
def record_demands(request: HttpRequest, reference: str, payload: DemandsIn):  # type: ignore[no-untyped-def]
    with transaction.atomic():
        complaint, actor = _locked(request, reference)
        complaint_demands_record(actor=actor, complaint=complaint,
                                 demands=_demands(payload.demands))
    return _detail(complaint, actor)


@router.post("/complaints/{reference}/interactions",
             response={201: ComplaintOut, **errors(403, 404)}, summary="Log an interaction")
def add_interaction(request: HttpRequest, reference: str, payload: InteractionIn):  # type: ignore[no-untyped-def]
    spec = InteractionSpec(
        channel=payload.channel, direction=payload.direction, started_at=payload.started_at,
        duration_seconds=payload.duration_seconds, notes=payload.notes,
        references_quoted=payload.references_quoted, staff_name=payload.staff_name,
        staff_position=payload.staff_position, staff_location=payload.staff_location,
        visibility=payload.visibility,
        promises=[PromiseSpec(kind=p.kind, due_at=p.due_at, description=p.description)
                  for p in payload.promises],
    )
    with transaction.atomic():
        complaint, actor = _locked(request, reference)
        interaction_log(actor=actor, complaint=complaint, spec=spec)
    return Status(201, _detail(complaint, actor))


@router.post("/complaints/{reference}/messages",
             response={201: ComplaintOut, **errors(403, 404)},
             summary="Add a message or an internal note")
def add_message(request: HttpRequest, reference: str, payload: MessageIn):  # type: ignore[no-untyped-def]
    with transaction.atomic():
        complaint, actor = _locked(request, reference)
        message_add(actor=actor, complaint=complaint, body=payload.body, internal=payload.internal)
    return Status(201, _detail(complaint, actor))


@router.post("/complaints/{reference}/evidence",
             response={201: EvidenceOut, **errors(403, 404)}, summary="Upload evidence")
def upload_evidence(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    reference: str,
    file: File[UploadedFile],
    description: Form[str] = "",
    internal: Form[bool] = False,
):
    """A file (PDF, picture, text, sound recording); its type is checked on its content."""
    with transaction.atomic():
        complaint, actor = _locked(request, reference)
        evidence = evidence_add(actor=actor, complaint=complaint, stream=file,
                                name=file.name or "file", description=description[:300],
                                internal=internal)
    return Status(201, {
        "id": evidence.pk, "name": evidence.original_name, "content_type": evidence.content_type,
        "size": evidence.size, "sha256": evidence.sha256, "description": evidence.description,
        "visibility": evidence.visibility, "added_by": evidence.added_by_kind,
        "created_at": evidence.created_at,
    })


@router.get("/complaints/{reference}/evidence/{evidence_id}", response=errors(404, 409),
            summary="Download evidence",
            openapi_extra=download("The file, as an attachment, in the type found in its content.",
                                   evidence_types()))
def download_evidence(request: HttpRequest, reference: str, evidence_id: int):  # type: ignore[no-untyped-def]
    evidence, actor = access_evidence_by_id(principal=principal(request), reference=reference,
                                            evidence_id=evidence_id)
    stream = evidence_open(evidence=evidence)
    complaint_read_log(actor=actor, complaint=evidence.complaint, channel=ReadChannel.API)
    return file_download(stream, content_type=evidence.content_type,
                         filename=download_name(evidence.original_name, evidence.content_type))


@router.post("/complaints/{reference}/decisions",
             response={201: DecisionOut, **errors(403, 404, 409)}, summary="Record a decision")
def decide(request: HttpRequest, reference: str, payload: DecisionIn):  # type: ignore[no-untyped-def]
    with transaction.atomic():
        complaint, actor = _locked(request, reference)
        decision = complaint_decide(actor=actor, complaint=complaint, spec=DecisionSpec(
            outcome=payload.outcome, reasoning=payload.reasoning,
            remedy_kind=payload.remedy_kind, remedy_amount=payload.remedy_amount,
            remedy_currency=payload.remedy_currency, remedy_detail=payload.remedy_detail,
        ))
    return Status(201, {
        "id": decision.pk, "outcome": decision.outcome, "remedy_kind": decision.remedy_kind,
        "remedy_amount": decision.remedy_amount, "remedy_currency": decision.remedy_currency,
        "remedy_detail": decision.remedy_detail, "reasoning": decision.reasoning,
        "decided_by": decision.decided_by_kind, "decided_at": decision.decided_at,
        "customer_response": decision.customer_response,
    })


@router.post("/complaints/{reference}/final-response",
             response={200: ComplaintOut, **errors(403, 404, 409)},
             summary="Issue the final response")
def final_response(request: HttpRequest, reference: str, payload: FinalResponseIn):  # type: ignore[no-untyped-def]
    with transaction.atomic():
        complaint, actor = _locked(request, reference)
        complaint_final_response_issue(actor=actor, complaint=complaint, text=payload.text,
                                       external_body=payload.external_body,
                                       referral_deadline=payload.referral_deadline)
    return _detail(complaint, actor)


@router.post("/complaints/{reference}/referrals",
             response={200: ComplaintOut, **errors(403, 404, 409)},
             summary="Record a referral to an external body")
def refer(request: HttpRequest, reference: str, payload: ReferralIn):  # type: ignore[no-untyped-def]
    with transaction.atomic():
        complaint, actor = _locked(request, reference)
        complaint_refer(actor=actor, complaint=complaint, body=payload.body,
                        body_reference=payload.body_reference)
    return _detail(complaint, actor)


@router.post("/complaints/{reference}/referrals/outcome",
             response={200: ComplaintOut, **errors(403, 404, 409)},
             summary="Record the external body's outcome")
def external_outcome(request: HttpRequest, reference: str, payload: ExternalOutcomeIn):  # type: ignore[no-untyped-def]
    with transaction.atomic():
        complaint, actor = _locked(request, reference)
        complaint_external_outcome_record(actor=actor, complaint=complaint,
                                          outcome_text=payload.outcome)
    return _detail(complaint, actor)


@router.post("/complaints/{reference}/merge",
             response={200: ComplaintOut, **errors(403, 404, 409)},
             summary="Merge this complaint into another")
def merge(request: HttpRequest, reference: str, payload: MergeIn):  # type: ignore[no-untyped-def]
    with transaction.atomic():
        source, actor = _locked(request, reference)
        target, _target_actor = _locked(request, payload.into_reference)
        complaint_merge(actor=actor, source=source, target=target, reason=payload.reason)
    return _detail(target, actor)


@router.post("/messages/{message_id}/move",
             response={200: ComplaintOut, **errors(403, 404, 409)},
             summary="Move a misfiled message to another complaint")
def move_message(request: HttpRequest, message_id: int, payload: MessageMoveIn):  # type: ignore[no-untyped-def]
    who = principal(request)
    with transaction.atomic():
        message, actor = access_message_by_id(principal=who, message_id=message_id,
                                              for_update=True)
        target, _target_actor = _locked(request, payload.to_reference)
        message_move(actor=actor, message=message, to_complaint=target, reason=payload.reason)
    return _detail(target, actor)


__all__ = ["datetime", "router"]
