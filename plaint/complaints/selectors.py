"""Reads of the complaints domain, scoped to what the viewer may see.

Each selector prefetches for its consumers; their tests assert the query count.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import F, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils.translation import gettext

from plaint.channels.models import IncomingMessage
from plaint.complaints.access import complaints_visible_to
from plaint.complaints.actors import Actor
from plaint.complaints.choices import Visibility
from plaint.complaints.models import (
    CancellationRequest,
    Complaint,
    Event,
    Evidence,
    Interaction,
    Message,
    Promise,
)
from plaint.core import clock, references
from plaint.core.exceptions import ValidationFailed
from plaint.parties.actors import Principal


@dataclass(frozen=True)
class ComplaintFilters:
    state: list[str] | None = None
    level: int | None = None
    team_id: int | None = None
    assignee_id: int | None = None
    category: str | None = None
    channel: str | None = None
    organisation_id: int | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    text: str | None = None
    # Deadlines: owing a late answer (or past a running deadline), or due within so many hours.
    overdue: bool | None = None
    due_within_hours: int | None = None


MAX_ID = 2**63 - 1  # the largest id a BigAutoField holds


def _encode_cursor(last_id: int, due: datetime | None | str = "") -> str:
    """``id:<id>`` for the newest-first order; ``due:<iso or ->:<id>`` for the due order."""
    raw = f"id:{last_id}" if due == "" else f"due:{due.isoformat() if due else '-'}:{last_id}"  # type: ignore[union-attr]
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _invalid_cursor() -> ValidationFailed:
    message = gettext("This cursor is not valid; start again from the first page.")
    return ValidationFailed("validation_error", message, fields={"cursor": [message]})


def _cursor_id(value: str) -> int:
    last_id = int(value)
    if not 0 < last_id <= MAX_ID:
        raise ValueError(value)
    return last_id


def _decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, value = raw.split(":", 1)
        if prefix != "id":
            raise ValueError(prefix)
        return _cursor_id(value)
    except (ValueError, UnicodeDecodeError, binascii.Error) as exc:
        raise _invalid_cursor() from exc


def _decode_due_cursor(cursor: str) -> tuple[datetime | None, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, rest = raw.split(":", 1)
        due_text, id_text = rest.rsplit(":", 1)
        if prefix != "due":
            raise ValueError(prefix)
        due = None if due_text == "-" else datetime.fromisoformat(due_text)
        if due is not None and due.tzinfo is None:
            raise ValueError(due_text)
        return due, _cursor_id(id_text)
    except (ValueError, UnicodeDecodeError, binascii.Error) as exc:
        raise _invalid_cursor() from exc


def complaint_list(
    *, principal: Principal, filters: ComplaintFilters, cursor: str | None, limit: int,
    sort: str = "-created",
) -> tuple[list[Complaint], str | None]:
    """A page of the complaints the principal may see and the next cursor: newest first, or
    with ``sort="due"`` the nearest deadline first (complaints with none last)."""
    queryset = complaints_filtered(principal=principal, filters=filters)
    if sort == "due":
        return _by_due(queryset, cursor, limit)
    if cursor:
        queryset = queryset.filter(id__lt=_decode_cursor(cursor))
    rows = list(queryset.order_by("-id")[: limit + 1])
    next_cursor = _encode_cursor(rows[limit - 1].pk) if len(rows) > limit else None
    return rows[:limit], next_cursor


def complaints_filtered(*, principal: Principal, filters: ComplaintFilters) -> QuerySet[Complaint]:
    """The complaints the principal may see that match ``filters``, unordered, with what a list
    shows of each joined (organisation, customer, team, handler)."""
    queryset = complaints_visible_to(principal)
    if filters.team_id is not None or filters.assignee_id is not None:
        # Routing is internal: only staff may filter by it (a customer could otherwise
        # learn who handles their complaint by trying ids).
        queryset = queryset.filter(organisation_id__in=principal.staff_organisation_ids())
    return _apply_filters(queryset, filters).select_related(
        "organisation", "customer", "team", "assignee__user"
    )


def organisation_complaints_filtered(
    *, organisation_id: int, filters: ComplaintFilters
) -> QuerySet[Complaint]:
    """One organisation's complaints that match ``filters``, for its staff (the caller has checked
    that they are): as ``complaints_filtered`` without the clause for the viewer's own complaints
    as a customer, which made PostgreSQL join every customer to count a queue."""
    queryset = Complaint.objects.filter(organisation_id=organisation_id)
    return _apply_filters(queryset, filters).select_related(
        "organisation", "customer", "team", "assignee__user"
    )


def _by_due(
    queryset: QuerySet[Complaint], cursor: str | None, limit: int
) -> tuple[list[Complaint], str | None]:
    """Keyset pagination on (next deadline, id), complaints without a deadline last."""
    if cursor:
        due, last_id = _decode_due_cursor(cursor)
        if due is None:
            queryset = queryset.filter(next_due_at__isnull=True, id__gt=last_id)
        else:
            queryset = queryset.filter(
                Q(next_due_at__gt=due) | Q(next_due_at=due, id__gt=last_id) | Q(next_due_at__isnull=True)
            )
    rows = list(queryset.order_by(F("next_due_at").asc(nulls_last=True), "id")[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    return rows[:limit], _encode_cursor(last.pk, last.next_due_at)


def _apply_filters(queryset: QuerySet[Complaint], f: ComplaintFilters) -> QuerySet[Complaint]:
    if f.state:
        queryset = queryset.filter(state__in=f.state)
    if f.level is not None:
        queryset = queryset.filter(level=f.level)
    if f.team_id is not None:
        queryset = queryset.filter(team_id=f.team_id)
    if f.assignee_id is not None:
        queryset = queryset.filter(assignee_id=f.assignee_id)
    if f.category:
        queryset = queryset.filter(category=f.category)
    if f.channel:
        queryset = queryset.filter(channel=f.channel)
    if f.organisation_id is not None:
        queryset = queryset.filter(organisation_id=f.organisation_id)
    if f.created_from is not None:
        queryset = queryset.filter(created_at__gte=f.created_from)
    if f.created_to is not None:
        queryset = queryset.filter(created_at__lt=f.created_to)
    if f.overdue is not None:
        late = Q(overdue_since__isnull=False) | Q(next_due_at__lt=clock.now())
        queryset = queryset.filter(late if f.overdue else ~late)
    if f.due_within_hours is not None:
        now = clock.now()
        queryset = queryset.filter(
            next_due_at__gte=now, next_due_at__lte=now + timedelta(hours=f.due_within_hours)
        )
    if f.text:
        text = f.text.strip()
        queryset = queryset.filter(
            Q(subject__icontains=text)
            | Q(description__icontains=text)
            | Q(reference=references.normalise(text) or text.upper())
        )
    return queryset


def _visible(actor: Actor) -> Q:
    return Q() if not actor.is_customer else Q(visibility=Visibility.CUSTOMER)


def complaint_detail(*, complaint: Complaint, actor: Actor) -> Complaint:
    """The complaint with every record the actor may see, prefetched in a fixed number
    of queries whatever their count.

    The records are loaded onto the instance the access function gave (which
    joined its organisation, customer, team, handler and merge target), so the
    complaint itself is not read twice.
    """
    visible = _visible(actor)
    complaint._prefetched_objects_cache = {}  # type: ignore[attr-defined]  # read afresh
    prefetch_related_objects(
        [complaint],
        "demands",
        Prefetch(
            "interactions",
            # A letter's scan and a chat's transcript are joined; a transcript's participants
            # and lines take one query each, however many there are.
            queryset=Interaction.objects.filter(visible)
            .select_related("letter__scan", "transcript")
            .prefetch_related(
                Prefetch("promises", queryset=Promise.objects.order_by("due_at")),
                "transcript__participants",
                "transcript__lines",
            )
            .order_by("started_at", "id"),
        ),
        Prefetch("messages", queryset=Message.objects.filter(visible).order_by("created_at", "id")),
        Prefetch("evidence", queryset=Evidence.objects.filter(visible).order_by("created_at", "id")),
        "decisions",
        "final_responses",
        "referrals",
    )
    return complaint


def complaint_timeline(*, complaint: Complaint, actor: Actor) -> list[Event]:
    """The complaint's events, with those of complaints merged into it and of events
    that name it (a message moved here), oldest first; customers see only theirs."""
    ids = [complaint.pk, *_merged_into(complaint)]
    return list(
        Event.objects.filter(Q(complaint_id__in=ids) | Q(related_complaint_id__in=ids))
        .filter(_visible(actor))
        .select_related("reason", "actor_user")
        .order_by("occurred_at", "id")
    )


def _merged_into(complaint: Complaint) -> list[int]:
    """The ids of the complaints merged into ``complaint``, directly or through one that was
    merged into it: one query per step of the chain."""
    ids: list[int] = []
    frontier = [complaint.pk]
    while frontier:
        frontier = list(
            Complaint.objects.filter(merged_into_id__in=frontier).values_list("pk", flat=True)
        )
        ids += frontier
    return ids


def cancellation_list(
    *,
    principal: Principal,
    state: str | None,
    organisation_id: int | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[CancellationRequest], str | None]:
    """The cancellation requests the principal may see (their organisations' queue, or
    their own as a customer), newest first, a page at a time."""
    condition = Q(organisation_id__in=principal.staff_organisation_ids())
    if principal.user is not None:
        condition |= Q(customer__user=principal.user)
    queryset = CancellationRequest.objects.filter(condition)
    if state:
        queryset = queryset.filter(state=state)
    if organisation_id is not None:
        queryset = queryset.filter(organisation_id=organisation_id)
    if cursor:
        queryset = queryset.filter(id__lt=_decode_cursor(cursor))
    rows = list(queryset.order_by("-id")[: limit + 1])
    next_cursor = _encode_cursor(rows[limit - 1].pk) if len(rows) > limit else None
    return rows[:limit], next_cursor


def incoming_message_list(
    *, principal: Principal, state: str | None, cursor: str | None, limit: int,
) -> tuple[list[IncomingMessage], str | None]:
    """The e-mails that came in to the principal's organisations (for staff: those held for a
    person with ``state="held"``), newest first, a page at a time; the raw message not loaded."""
    queryset = IncomingMessage.objects.filter(
        organisation_id__in=principal.staff_organisation_ids()
    ).defer("raw")
    if state:
        queryset = queryset.filter(state=state)
    if cursor:
        queryset = queryset.filter(id__lt=_decode_cursor(cursor))
    rows = list(queryset.order_by("-id")[: limit + 1])
    next_cursor = _encode_cursor(rows[limit - 1].pk) if len(rows) > limit else None
    return rows[:limit], next_cursor
