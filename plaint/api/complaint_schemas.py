"""Schemas in and out of the complaints API, and the functions that fill the outs.

Outputs are built explicitly from the viewer's selectors, so that what a
customer reads is decided in one place: ``present_complaint`` leaves out
internal records, and the selectors never load them for customers.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import AwareDatetime, Field, StringConstraints

from plaint.api.correspondence_schemas import (
    LetterOut,
    TranscriptOut,
    present_letter,
    present_transcript,
)
from plaint.clocks.selectors import ClockView, clock_views, is_overdue, visible_clock_rows
from plaint.complaints.actors import Actor
from plaint.complaints.choices import (
    Channel,
    DemandKind,
    Direction,
    Outcome,
    PromiseKind,
    RemedyKind,
    Visibility,
)
from plaint.complaints.lifecycle import Action, allowed_actions
from plaint.complaints.models import Complaint, Event
from plaint.complaints.policy import may, operation_for
from plaint.complaints.services.transitions import complaint_facts
from plaint.core import clock, references

Money = Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=2)]
# A three-letter code or nothing, as one type: a union (``Code | Literal[""]``) would
# report each of its members as a field of its own ("currency.literal['']").
Currency = Annotated[str, StringConstraints(pattern=r"^([A-Z]{3})?$")]
Short = Annotated[str, StringConstraints(max_length=200)]
Text = Annotated[str, StringConstraints(max_length=20000)]
ChannelName = Literal[tuple(Channel.values)]  # type: ignore[valid-type]
DemandName = Literal[tuple(DemandKind.values)]  # type: ignore[valid-type]


class DemandIn(Schema):
    kind: DemandName
    amount: Money | None = None
    currency: Currency = ""
    detail: Text = ""


class CustomerIn(Schema):
    full_name: Short = ""
    email: Annotated[str, StringConstraints(max_length=254)] = ""
    phone: Annotated[str, StringConstraints(max_length=40)] = ""
    account_number: Annotated[str, StringConstraints(max_length=64)] = ""
    preferred_language: Literal["", "en", "cs", "pl", "ro", "pt-br"] = ""
    accessibility_needs: Text = ""
    is_vulnerable: bool = False


class ComplaintCreateIn(Schema):
    organisation_id: int
    channel: ChannelName
    subject: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    description: Annotated[str, StringConstraints(min_length=1, max_length=20000)]
    demands: list[DemandIn] | None = Field(default=None, max_length=20)
    customer: CustomerIn | None = None
    language: Literal["", "en", "cs", "pl", "ro", "pt-br"] = ""
    category: Annotated[str, StringConstraints(max_length=64)] = ""
    subcategory: Annotated[str, StringConstraints(max_length=64)] = ""
    product: Annotated[str, StringConstraints(max_length=120)] = ""
    account_number: Annotated[str, StringConstraints(max_length=64)] = ""
    amount_in_dispute: Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)] | None = None
    currency: Currency = ""
    priority: Literal["low", "normal", "high", "urgent"] = "normal"
    level: Literal[1, 3] = 1
    received_at: AwareDatetime | None = None


class TransitionIn(Schema):
    action: Literal[tuple(a.value for a in Action)]  # type: ignore[valid-type]
    reason: Text = ""


class ReasonIn(Schema):
    reason: Annotated[str, StringConstraints(max_length=5000)]


class SupervisorRequestIn(Schema):
    words: Annotated[str, StringConstraints(max_length=5000)]


class AssignmentIn(Schema):
    team_id: int | None = None
    assignee_id: int | None = None


class DemandsIn(Schema):
    demands: list[DemandIn] = Field(max_length=20)


class PromiseIn(Schema):
    kind: Literal[tuple(PromiseKind.values)]  # type: ignore[valid-type]
    due_at: AwareDatetime
    description: Text = ""


class InteractionIn(Schema):
    channel: ChannelName
    direction: Literal[tuple(Direction.values)]  # type: ignore[valid-type]
    started_at: AwareDatetime
    duration_seconds: Annotated[int, Field(ge=0, le=86400)] = 0
    notes: Text = ""
    references_quoted: list[Annotated[str, StringConstraints(max_length=64)]] = Field(
        default_factory=list, max_length=20
    )
    staff_name: Short = ""
    staff_position: Annotated[str, StringConstraints(max_length=120)] = ""
    staff_location: Annotated[str, StringConstraints(max_length=120)] = ""
    visibility: Literal[tuple(Visibility.values)] = "customer"  # type: ignore[valid-type]
    promises: list[PromiseIn] = Field(default_factory=list, max_length=10)


class MessageIn(Schema):
    body: Annotated[str, StringConstraints(min_length=1, max_length=20000)]
    internal: bool = False


class DecisionIn(Schema):
    outcome: Literal[tuple(Outcome.values)]  # type: ignore[valid-type]
    reasoning: Annotated[str, StringConstraints(max_length=20000)]
    remedy_kind: Literal[tuple(RemedyKind.values)] = "none"  # type: ignore[valid-type]
    remedy_amount: Money | None = None
    remedy_currency: Currency = ""
    remedy_detail: Text = ""


class FinalResponseIn(Schema):
    text: Annotated[str, StringConstraints(min_length=1, max_length=20000)]
    external_body: Short = ""
    referral_deadline: date | None = None


class ReferralIn(Schema):
    body: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    body_reference: Annotated[str, StringConstraints(max_length=120)] = ""


class ExternalOutcomeIn(Schema):
    outcome: Annotated[str, StringConstraints(min_length=1, max_length=20000)]


class MergeIn(Schema):
    into_reference: Annotated[str, StringConstraints(max_length=20)]
    reason: Annotated[str, StringConstraints(max_length=5000)]


class MessageMoveIn(Schema):
    to_reference: Annotated[str, StringConstraints(max_length=20)]
    reason: Annotated[str, StringConstraints(max_length=5000)] = ""


# ---- outputs -------------------------------------------------------------------------


class NamedOut(Schema):
    id: int
    name: str


class DemandOut(Schema):
    kind: str
    amount: Decimal | None
    currency: str
    detail: str


class PromiseOut(Schema):
    id: int
    kind: str
    due_at: datetime
    description: str
    state: str


class InteractionOut(Schema):
    id: int
    channel: str
    direction: str
    started_at: datetime
    duration_seconds: int
    staff_name: str
    staff_position: str
    staff_location: str
    references_quoted: list[str]
    notes: str
    visibility: str
    recorded_by: str
    promises: list[PromiseOut]
    letter: LetterOut | None = Field(description="the scanned letter, for a letter")
    transcript: TranscriptOut | None = Field(description="what was written, for a chat "
                                             "whose transcript an integration attached")


class MessageOut(Schema):
    id: int
    kind: str
    channel: str
    author: str
    body: str
    visibility: str
    created_at: datetime


class EvidenceOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    description: str
    visibility: str
    added_by: str
    created_at: datetime


class DecisionOut(Schema):
    id: int
    outcome: str
    remedy_kind: str
    remedy_amount: Decimal | None
    remedy_currency: str
    remedy_detail: str
    reasoning: str
    decided_by: str
    decided_at: datetime
    customer_response: str


class FinalResponseOut(Schema):
    id: int
    text: str
    external_body: str
    referral_deadline: date | None
    issued_at: datetime


class ReferralOut(Schema):
    id: int
    body: str
    body_reference: str
    referred_at: datetime
    outcome: str
    resolved_at: datetime | None


class ClockSourceOut(Schema):
    law: str
    article: str
    confidence: str = Field(description="V: checked against the rule's text; S: a reliable "
                            "secondary source; K: not yet checked")


class ClockOut(Schema):
    key: str
    rule: str
    rule_version: int
    kind: str = Field(description="statutory, policy or promise")
    party: str = Field(description="who must act: provider or consumer")
    title: str
    state: str = Field(description="running, paused, met, breached or stopped")
    started_at: datetime
    due_at: datetime | None = Field(description="the last instant in time; null while paused")
    warn_at: datetime | None
    paused_since: datetime | None
    extended_to: datetime | None
    met_at: datetime | None
    breached_at: datetime | None
    untimely: bool
    source: ClockSourceOut | None
    explanation: str


class ComplaintSummaryOut(Schema):
    reference: str
    reference_display: str
    organisation: NamedOut
    subject: str
    state: str
    level: int
    priority: str
    channel: str
    category: str
    customer_name: str
    team: NamedOut | None
    assignee: NamedOut | None
    next_due_at: datetime | None
    overdue: bool
    created_at: datetime
    updated_at: datetime


class ComplaintPageOut(Schema):
    items: list[ComplaintSummaryOut]
    next_cursor: str | None


class ComplaintOut(ComplaintSummaryOut):
    customer: dict[str, str]
    language: str
    subcategory: str
    product: str
    description: str
    account_number: str
    demands_recorded: bool
    demands: list[DemandOut]
    amount_in_dispute: Decimal | None
    currency: str
    final_response_due: bool
    merged_into: str | None
    received_at: datetime
    closed_at: datetime | None
    allowed_actions: list[str]
    interactions: list[InteractionOut]
    messages: list[MessageOut]
    evidence: list[EvidenceOut]
    decisions: list[DecisionOut]
    final_responses: list[FinalResponseOut]
    referrals: list[ReferralOut]
    clocks: list[ClockOut]


class EventOut(Schema):
    id: int
    kind: str
    occurred_at: datetime
    actor_kind: str
    actor_role: str
    actor_name: str
    complaint: str | None
    data: dict[str, object]
    reason: str


class CancellationIn(Schema):
    organisation_id: int
    service: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    account_number: Annotated[str, StringConstraints(max_length=64)] = ""
    channel: ChannelName = "web"
    customer: CustomerIn | None = None


class CancellationOut(Schema):
    protocol_number: str
    protocol_display: str
    service: str
    account_number: str
    channel: str
    state: str
    requested_at: datetime
    effective_at: datetime
    executed_at: datetime | None


# ---- presenters ----------------------------------------------------------------------


def _named(obj: object | None, name: str) -> dict[str, object] | None:
    return None if obj is None else {"id": obj.pk, "name": name}  # type: ignore[attr-defined]


def _actor_label(kind: str, user: object | None) -> str:
    return str(user) if user is not None and kind != "system" else kind


def present_summary(complaint: Complaint, *, internal: bool) -> dict[str, object]:
    assignee = complaint.assignee if internal else None
    return {
        "reference": complaint.reference,
        "reference_display": references.display(complaint.reference),
        "organisation": {"id": complaint.organisation_id, "name": complaint.organisation.name},
        "subject": complaint.subject,
        "state": complaint.state,
        "level": complaint.level,
        "priority": complaint.priority,
        "channel": complaint.channel,
        "category": complaint.category,
        "customer_name": str(complaint.customer),
        "team": _named(complaint.team if internal else None,
                       complaint.team.name if internal and complaint.team else ""),
        "assignee": _named(assignee, assignee.user.full_name if assignee else ""),
        "next_due_at": complaint.next_due_at,
        "overdue": is_overdue(complaint, clock.now()),
        "created_at": complaint.created_at,
        "updated_at": complaint.updated_at,
    }


def _allowed(complaint: Complaint, actor: Actor) -> list[str]:
    facts = complaint_facts(complaint)
    return [
        a.value
        for a in allowed_actions(facts)
        if actor.who is not None and may(actor.who, operation_for(a), complaint.level)
    ]


RECORDS = ("demands", "interactions", "messages", "evidence", "decisions", "final_responses",
           "referrals")


def present_complaint(
    complaint: Complaint, actor: Actor, records: dict[str, Iterable[Any]] | None = None
) -> dict[str, object]:
    """The complaint as ``actor`` may read it; ``complaint`` comes from
    ``selectors.complaint_detail``, which loaded only what the actor may see.

    ``records`` replaces the complaint's related records where the caller already
    has them (a complaint just taken in has only its demands), saving the re-read.
    """
    if records is None:
        records = {name: getattr(complaint, name).all() for name in RECORDS}
    internal = not actor.is_customer
    customer = complaint.customer
    return {
        **present_summary(complaint, internal=internal),
        "customer": {
            "full_name": customer.full_name,
            "email": customer.email,
            "phone": customer.phone,
            "preferred_language": customer.preferred_language,
        },
        "language": complaint.language,
        "subcategory": complaint.subcategory,
        "product": complaint.product,
        "description": complaint.description,
        "account_number": complaint.account_number,
        "demands_recorded": complaint.demands_recorded,
        "demands": [
            {"kind": d.kind, "amount": d.amount, "currency": d.currency, "detail": d.detail}
            for d in records["demands"]
        ],
        "amount_in_dispute": complaint.amount_in_dispute,
        "currency": complaint.currency,
        "final_response_due": complaint.final_response_due,
        "merged_into": complaint.merged_into.reference if complaint.merged_into else None,
        "received_at": complaint.received_at,
        "closed_at": complaint.closed_at,
        "allowed_actions": _allowed(complaint, actor),
        "interactions": [
            {
                "id": i.pk, "channel": i.channel, "direction": i.direction,
                "started_at": i.started_at, "duration_seconds": i.duration_seconds,
                "staff_name": i.staff_name, "staff_position": i.staff_position,
                "staff_location": i.staff_location, "references_quoted": i.references_quoted,
                "notes": i.notes, "visibility": i.visibility, "recorded_by": i.recorded_by_kind,
                "promises": [
                    {"id": p.pk, "kind": p.kind, "due_at": p.due_at,
                     "description": p.description, "state": p.state}
                    for p in i.promises.all()
                ],
                "letter": present_letter(i),
                "transcript": present_transcript(i),
            }
            for i in records["interactions"]
        ],
        "messages": [
            {
                "id": m.pk, "kind": m.kind, "channel": m.channel, "author": m.author_kind,
                "body": m.body, "visibility": m.visibility, "created_at": m.created_at,
            }
            for m in records["messages"]
        ],
        "evidence": [
            {
                "id": e.pk, "name": e.original_name, "content_type": e.content_type,
                "size": e.size, "sha256": e.sha256, "description": e.description,
                "visibility": e.visibility, "added_by": e.added_by_kind,
                "created_at": e.created_at,
            }
            for e in records["evidence"]
        ],
        "decisions": [
            {
                "id": d.pk, "outcome": d.outcome, "remedy_kind": d.remedy_kind,
                "remedy_amount": d.remedy_amount, "remedy_currency": d.remedy_currency,
                "remedy_detail": d.remedy_detail, "reasoning": d.reasoning,
                "decided_by": d.decided_by_kind, "decided_at": d.decided_at,
                "customer_response": d.customer_response,
            }
            for d in records["decisions"]
        ],
        "final_responses": [
            {"id": f.pk, "text": f.text, "external_body": f.external_body,
             "referral_deadline": f.referral_deadline, "issued_at": f.issued_at}
            for f in records["final_responses"]
        ],
        "referrals": [
            {"id": r.pk, "body": r.body, "body_reference": r.body_reference,
             "referred_at": r.referred_at, "outcome": r.outcome, "resolved_at": r.resolved_at}
            for r in records["referrals"]
        ],
        "clocks": [present_clock(view) for view in clock_views(
            visible_clock_rows(complaint, customer=actor.is_customer),
            organisation=complaint.organisation,
        )],
    }


def present_clock(view: ClockView) -> dict[str, object]:
    row, rule = view.row, view.rule
    statutory = rule is not None and row.kind == "statutory"
    return {
        "key": row.key, "rule": row.rule_id, "rule_version": row.rule_version, "kind": row.kind,
        "party": row.party, "title": view.title, "state": row.state, "started_at": row.started_at,
        "due_at": row.due_at, "warn_at": row.warn_at, "paused_since": row.paused_since,
        "extended_to": row.extended_to, "met_at": row.met_at, "breached_at": row.breached_at,
        "untimely": view.untimely,
        "source": {"law": rule.source.law, "article": rule.source.article,
                   "confidence": rule.source.confidence.value} if statutory else None,
        "explanation": view.explanation,
    }


# Reasons a customer reads on their timeline: their own words, and what the
# provider asked them. Staff's reasons for internal steps stay internal.
CUSTOMER_READABLE_REASONS = frozenset({Action.REQUEST_INFORMATION.value})


def present_event(event: Event, actor: Actor, references_by_id: dict[int, str]) -> dict[str, object]:
    reason = event.reason.text if event.reason else ""
    if actor.is_customer and event.actor_kind != "customer" and (
        event.data.get("action") not in CUSTOMER_READABLE_REASONS
    ):
        reason = ""
    return {
        "id": event.pk,
        "kind": event.kind,
        "occurred_at": event.occurred_at,
        "actor_kind": event.actor_kind,
        "actor_role": event.actor_role,
        "actor_name": "" if actor.is_customer else _actor_label(event.actor_kind, event.actor_user),
        "complaint": references_by_id.get(event.complaint_id) if event.complaint_id else None,
        "data": event.data,
        "reason": reason,
    }
