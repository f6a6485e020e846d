"""What a complaint's console page reads, in a fixed number of queries whatever the length of
its timeline (``tests/test_case_page.py`` asserts it).

The records come from ``complaints.selectors.complaint_detail`` and the events from
``complaint_timeline``, as the API reads them; the clocks and their explanations from
``clocks.selectors``. Here they are only put in one time order for people to read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext

from plaint.clocks.selectors import ClockView, clock_views, visible_clock_rows
from plaint.complaints import selectors
from plaint.complaints.actors import Actor
from plaint.complaints.choices import STATE_LABELS, CancellationState, EventKind, Visibility
from plaint.complaints.lifecycle import State
from plaint.complaints.models import CancellationRequest, Complaint, Message
from plaint.deadlines.rules import Pause
from plaint.parties.choices import Role
from plaint.parties.models import CustomerAccountNumber, Membership, Team, User
from plaint.web.console.case.actions import CaseAction, allowed_actions

STATE_VALUES = {s.value for s in State}
# Events whose record the timeline shows itself (the event would only repeat it).
RECORD_KEYS = {
    EventKind.MESSAGE_ADDED: ("message", "messages"),
    EventKind.NOTE_ADDED: ("message", "messages"),
    EventKind.INTERACTION_LOGGED: ("interaction", "interactions"),
    EventKind.EVIDENCE_ADDED: ("evidence", "evidence"),
    EventKind.DECIDED: ("decision", "decisions"),
    EventKind.FINAL_RESPONSE_ISSUED: ("final_response", "final_responses"),
}


@dataclass(frozen=True)
class Entry:
    """One item of the timeline: a record (message, note, interaction, evidence, decision, final
    response) or an event that no record shows."""

    at: datetime
    kind: str
    internal: bool
    item: Any
    author: str = ""
    other_reference: str = ""  # the other complaint an event names (a merge, a moved message)
    change: str = ""  # what an event changed, in words ("Received → Acknowledged", "level 1 → 2")


@dataclass(frozen=True)
class ClockPause:
    """What a request for information does to one running clock."""

    view: ClockView
    pauses: bool


@dataclass
class CasePage:
    complaint: Complaint
    actor: Actor
    actions: list[CaseAction]
    timeline: list[Entry]
    clocks: list[ClockView]
    pausing: list[ClockPause]
    promises: list[Any]
    other_complaints: list[Complaint]
    account_numbers: list[str]
    cancellations: list[CancellationRequest]
    messages: list[Message]
    teams: list[Team] = field(default_factory=list)
    members: list[Membership] = field(default_factory=list)
    references: dict[int, str] = field(default_factory=dict)

    def offers(self, action: str) -> bool:
        return CaseAction(action) in self.actions


def clocks_on_request_for_information(views: list[ClockView]) -> list[ClockPause]:
    """The running clocks and whether each pauses while the complaint waits for the customer:
    the rule's own ``pauses`` list says so (``deadlines.engine`` pauses exactly those)."""
    return [
        ClockPause(view=view, pauses=view.rule is not None and Pause.AWAITING_CUSTOMER in view.rule.pauses)
        for view in views
        if view.row.state == "running"
    ]


def case_page(*, complaint: Complaint, actor: Actor) -> CasePage:
    """Everything the page shows of ``complaint`` (from the access function) to staff ``actor``."""
    selectors.complaint_detail(complaint=complaint, actor=actor)
    events = selectors.complaint_timeline(complaint=complaint, actor=actor)
    records = {
        "messages": list(complaint.messages.all()),
        "interactions": list(complaint.interactions.all()),
        "evidence": list(complaint.evidence.all()),
        "decisions": sorted(complaint.decisions.all(), key=lambda d: (d.decided_at, d.pk)),
        "final_responses": list(complaint.final_responses.all()),
    }
    people = _people(records)
    references = _references(complaint, events)
    timeline = _timeline(records, events, people, complaint, references)
    views = clock_views(visible_clock_rows(complaint, customer=False), organisation=complaint.organisation)
    actions = allowed_actions(complaint, actor)
    customer = complaint.customer
    page = CasePage(
        complaint=complaint,
        actor=actor,
        actions=actions,
        timeline=timeline,
        clocks=views,
        pausing=clocks_on_request_for_information(views),
        promises=[p for i in records["interactions"] for p in i.promises.all()],
        other_complaints=list(
            Complaint.objects.filter(organisation_id=complaint.organisation_id, customer=customer)
            .exclude(pk=complaint.pk).only("reference", "subject", "state", "received_at")
            .order_by("-received_at")[:50]
        ),
        account_numbers=_account_numbers(complaint),
        cancellations=list(
            CancellationRequest.objects.filter(
                organisation_id=complaint.organisation_id, customer=customer,
                state=CancellationState.OPEN,
            ).order_by("requested_at")
        ),
        messages=records["messages"],
        references=references,
    )
    if CaseAction.ASSIGN in actions:
        page.teams, page.members = assignment_choices(complaint)
    return page


def assignment_choices(complaint: Complaint) -> tuple[list[Team], list[Membership]]:
    """The teams and the people a complaint may be assigned to (``complaint_assign`` refuses
    the others: organisation admins handle nothing): two queries."""
    teams = list(Team.objects.filter(organisation_id=complaint.organisation_id).order_by("name"))
    members = list(
        Membership.objects.filter(organisation_id=complaint.organisation_id, is_active=True)
        .exclude(role=Role.ORG_ADMIN).select_related("user").order_by("user__full_name")
    )
    return teams, members


def _people(records: dict[str, list[Any]]) -> dict[int, str]:
    """The names of the staff who wrote messages, decisions and final responses: one query."""
    ids = {m.author_id for m in records["messages"]}
    ids |= {d.decided_by_id for d in records["decisions"]}
    ids |= {r.issued_by_id for r in records["final_responses"]}
    ids.discard(None)
    if not ids:
        return {}
    return dict(User.objects.filter(pk__in=ids).values_list("pk", "full_name"))


def _change(data: dict[str, Any]) -> str:
    parts = []
    if data.get("from") in STATE_VALUES and data.get("to") in STATE_VALUES:
        parts.append(f"{STATE_LABELS[State(data['from'])]} → {STATE_LABELS[State(data['to'])]}")
    if isinstance(data.get("level_from"), int) and isinstance(data.get("level_to"), int):
        levels = {"from": data["level_from"], "to": data["level_to"]}
        parts.append(gettext("level %(from)d → %(to)d") % levels)
    return "; ".join(parts)


def _timeline(records: dict[str, list[Any]], events: list[Any], people: dict[int, str],
              complaint: Complaint, references: dict[int, str]) -> list[Entry]:
    entries: list[Entry] = []
    for message in records["messages"]:
        entries.append(Entry(
            at=message.created_at, kind=message.kind, item=message,
            internal=message.visibility == Visibility.INTERNAL, author=people.get(message.author_id, ""),
        ))
    for interaction in records["interactions"]:
        interaction.minutes = round(interaction.duration_seconds / 60)
        entries.append(Entry(at=interaction.started_at, kind="interaction", item=interaction,
                             internal=interaction.visibility == Visibility.INTERNAL))
    for evidence in records["evidence"]:
        entries.append(Entry(at=evidence.created_at, kind="evidence", item=evidence,
                             internal=evidence.visibility == Visibility.INTERNAL))
    for decision in records["decisions"]:
        entries.append(Entry(at=decision.decided_at, kind="decision", item=decision, internal=False,
                             author=people.get(decision.decided_by_id, "")))
    for response in records["final_responses"]:
        entries.append(Entry(at=response.issued_at, kind="final_response", item=response,
                             internal=False, author=people.get(response.issued_by_id, "")))
    shown = {name: {r.pk for r in rows} for name, rows in records.items()}
    for event in events:
        key = RECORD_KEYS.get(event.kind)
        if key is not None and event.data.get(key[0]) in shown[key[1]]:
            continue
        author = event.actor_user.full_name if event.actor_user else ""
        other = event.related_complaint_id if event.complaint_id == complaint.pk else event.complaint_id
        entries.append(Entry(at=event.occurred_at, kind="event", item=event,
                             internal=event.visibility == Visibility.INTERNAL, author=author,
                             other_reference=references.get(other, ""), change=_change(event.data)))
    entries.sort(key=lambda e: e.at)
    return entries


def _account_numbers(complaint: Complaint) -> list[str]:
    numbers = list(
        CustomerAccountNumber.objects.filter(
            customer_id=complaint.customer_id, organisation_id=complaint.organisation_id
        ).values_list("number", flat=True)
    )
    if complaint.account_number and complaint.account_number not in numbers:
        numbers.insert(0, complaint.account_number)
    return numbers


def _references(complaint: Complaint, events: list[Any]) -> dict[int, str]:
    """The references of the other complaints the events name (a merge, a moved message), all of
    the same organisation: one query."""
    ids = {e.related_complaint_id for e in events} | {e.complaint_id for e in events}
    ids.discard(None)
    ids.discard(complaint.pk)
    if not ids:
        return {}
    return dict(
        Complaint.objects.filter(Q(pk__in=ids), organisation_id=complaint.organisation_id)
        .values_list("pk", "reference")
    )
