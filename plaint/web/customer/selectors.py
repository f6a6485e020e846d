"""Reads for the customer portal. What a customer may see is decided where the API decides it:
``complaints.selectors.complaint_detail`` and ``complaint_timeline`` load only customer-visible
records and events for a customer ``Actor``, ``clocks.selectors.visible_clock_rows`` keeps the
law's clocks only, and ``api.complaint_schemas.present_event`` blanks staff's reasons. Which
actions the customer may take comes from ``lifecycle.allowed_actions`` and ``policy.may``, as the
API's ``allowed_actions`` field."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from plaint.api.complaint_schemas import present_event
from plaint.clocks.selectors import ClockView, clock_views, is_overdue, visible_clock_rows
from plaint.complaints import selectors as complaint_selectors
from plaint.complaints.actors import Actor
from plaint.complaints.choices import LEVEL_LABELS, STATE_LABELS, EventKind, Visibility
from plaint.complaints.lifecycle import (
    OPEN_STATES,
    Action,
    Level,
    State,
    TransitionRefused,
    allowed_actions,
    escalation_target,
)
from plaint.complaints.models import CancellationRequest, Complaint, Evidence
from plaint.complaints.policy import Operation, may, operation_for
from plaint.complaints.services.transitions import complaint_facts
from plaint.core import clock, references
from plaint.feedback.selectors import rating_of
from plaint.feedback.services import rating_open

# Events whose record is shown on the timeline itself (the message, the call, the file, the
# decision): the event would only say the same thing twice.
SHOWN_AS_RECORDS = frozenset({
    EventKind.MESSAGE_ADDED, EventKind.INTERACTION_LOGGED, EventKind.EVIDENCE_ADDED,
    EventKind.DECIDED,
})


@dataclass(frozen=True)
class MyComplaint:
    """A line of "My complaints": the complaint and what the list says of it in words."""

    complaint: Complaint
    reference_display: str
    state_label: str
    level_label: str
    overdue: bool

    def __getattr__(self, name: str) -> Any:  # noqa: ANN401 - the complaint's own fields
        return getattr(self.complaint, name)


def my_complaints(user: Any) -> QuerySet[Complaint]:  # noqa: ANN401 - a User
    """Every complaint of every customer record linked to ``user``, in every organisation,
    newest first: one query (the organisation is joined for its name and time zone)."""
    return (
        Complaint.objects.filter(customer__user=user)
        .select_related("organisation")
        .order_by("-created_at", "-id")
    )


def my_complaint_rows(user: Any) -> list[MyComplaint]:  # noqa: ANN401 - a User
    now = clock.now()
    return [
        MyComplaint(
            complaint=c, reference_display=references.display(c.reference),
            state_label=str(STATE_LABELS[State(c.state)]), level_label=str(LEVEL_LABELS[Level(c.level)]),
            overdue=is_overdue(c, now),
        )
        for c in my_complaints(user)
    ]


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def complaint_for_contact(reference: str, contact: str) -> Complaint | None:
    """The complaint with ``reference`` if ``contact`` is the e-mail address (any case) or the
    phone number (any punctuation) of the customer who filed it; else None, whichever part was
    wrong."""
    normalised = references.normalise(reference)
    contact = contact.strip()
    if normalised is None or not contact:
        return None
    complaint = Complaint.objects.select_related("customer").filter(reference=normalised).first()
    if complaint is None:
        return None
    customer = complaint.customer
    if "@" in contact:
        return complaint if customer.email and customer.email.casefold() == contact.casefold() else None
    digits = _digits(contact)
    if len(digits) >= 6 and customer.phone and _digits(customer.phone) == digits:
        return complaint
    return None


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the customer's timeline: a record (message, call, file, decision, final
    response, referral) or an event, in the order they happened."""

    kind: str  # "message", "interaction", "evidence", "decision", "final_response", "referral", "event"
    at: datetime
    item: Any
    text: str = ""  # for an event: what happened, in words
    reason: str = ""  # for an event: the reason the customer may read
    minutes: int = 0  # for a call: its duration, rounded up to whole minutes


@dataclass(frozen=True)
class CustomerActions:
    """What the customer may do now; each flag asks the same rules the service will apply."""

    add_information: bool
    log_call: bool
    request_supervisor: bool
    accept_decision: bool
    reject_decision: bool
    rate: bool
    withdraw: bool = False
    reopen: bool = False
    refer: bool = False
    record_external_outcome: bool = False


@dataclass(frozen=True)
class ComplaintPage:
    complaint: Complaint
    state_label: str
    level_label: str
    clocks: list[ClockView]
    timeline: list[TimelineEntry]
    actions: CustomerActions
    rating: Any = None
    cancellations: list[Any] = field(default_factory=list)


def customer_actions(complaint: Complaint, actor: Actor, *, rated: bool) -> CustomerActions:
    """The actions open to ``actor`` (a customer) now: the lifecycle's table for the state and the
    policy for the level, as the API's ``allowed_actions``; the supervisor request asks
    ``escalation_target`` as the escalation service does."""
    who = actor.who
    level = complaint.level
    transitions = {
        a for a in allowed_actions(complaint_facts(complaint))
        if who is not None and may(who, operation_for(a), level)
    }
    supervisor = (
        who is not None and may(who, Operation.REQUEST_SUPERVISOR, level)
        and State(complaint.state) in OPEN_STATES and complaint.merged_into_id is None
    )
    if supervisor:
        try:
            escalation_target(Level(level), supervisor_request=True)
        except TransitionRefused:
            supervisor = False
    return CustomerActions(
        add_information=who is not None and may(who, Operation.ADD_MESSAGE, level),
        log_call=who is not None and may(who, Operation.ADD_INTERACTION, level),
        request_supervisor=supervisor,
        accept_decision=Action.ACCEPT_DECISION in transitions,
        reject_decision=Action.REJECT_DECISION in transitions,
        rate=not rated and rating_open(complaint),
        withdraw=Action.WITHDRAW in transitions,
        reopen=Action.REOPEN in transitions,
        refer=Action.REFER_EXTERNALLY in transitions,
        record_external_outcome=Action.RECORD_EXTERNAL_OUTCOME in transitions,
    )


def _event_text(event: Any) -> str:  # noqa: ANN401 - an Event
    """What an event changed, in words: the new state or level when it moved one."""
    data = event.data or {}
    parts = []
    if data.get("to") in {s.value for s in State}:
        parts.append(str(STATE_LABELS[State(data["to"])]))
    if "level_to" in data and data["level_to"] in (1, 2, 3, 4):
        parts.append(str(LEVEL_LABELS[Level(data["level_to"])]))
    return " · ".join(parts)


def complaint_page(*, complaint: Complaint, actor: Actor) -> ComplaintPage:
    """Everything the customer's page shows, in a fixed number of queries."""
    detail = complaint_selectors.complaint_detail(complaint=complaint, actor=actor)
    entries: list[TimelineEntry] = []
    entries += [TimelineEntry("message", m.created_at, m) for m in detail.messages.all()]
    entries += [TimelineEntry("interaction", i.started_at, i, minutes=-(-i.duration_seconds // 60))
                for i in detail.interactions.all()]
    entries += [TimelineEntry("evidence", e.created_at, e) for e in detail.evidence.all()]
    entries += [TimelineEntry("decision", d.decided_at, d) for d in detail.decisions.all()]
    entries += [TimelineEntry("final_response", f.issued_at, f) for f in detail.final_responses.all()]
    entries += [TimelineEntry("referral", r.referred_at, r) for r in detail.referrals.all()]
    for event in complaint_selectors.complaint_timeline(complaint=complaint, actor=actor):
        if event.kind in SHOWN_AS_RECORDS:
            continue
        presented = present_event(event, actor, {})
        entries.append(TimelineEntry("event", event.occurred_at, event, text=_event_text(event),
                                     reason=str(presented["reason"])))
    entries.sort(key=lambda e: e.at)
    rating = rating_of(complaint)
    clocks = clock_views(visible_clock_rows(complaint, customer=True),
                         organisation=complaint.organisation)
    return ComplaintPage(
        complaint=detail,
        state_label=str(STATE_LABELS[State(complaint.state)]),
        level_label=str(LEVEL_LABELS[Level(complaint.level)]),
        clocks=clocks,
        timeline=entries,
        actions=customer_actions(complaint, actor, rated=rating is not None),
        rating=rating,
        cancellations=[
            (references.display(c.protocol_number), c) for c in
            CancellationRequest.objects.filter(customer_id=complaint.customer_id).order_by("-id")[:20]
        ],
    )


def visible_evidence(complaint: Complaint, evidence_id: int) -> Evidence | None:
    """An evidence file of ``complaint`` that its customer may download (as
    ``complaints.access.access_evidence_by_id`` decides for a customer), or None."""
    return Evidence.objects.filter(
        pk=evidence_id, complaint=complaint, visibility=Visibility.CUSTOMER
    ).first()
