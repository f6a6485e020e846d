"""Reads of the complaints domain, scoped to what the viewer may see.

Each selector prefetches for its consumers; their tests assert the query count.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils.translation import gettext

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
from plaint.core import references
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


MAX_ID = 2**63 - 1  # the largest id a BigAutoField holds


def _encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, value = raw.split(":", 1)
        if prefix != "id":
            raise ValueError(prefix)
        last_id = int(value)
        if not 0 < last_id <= MAX_ID:
            raise ValueError(value)
        return last_id
    except (ValueError, UnicodeDecodeError, binascii.Error) as exc:
        message = gettext("This cursor is not valid; start again from the first page.")
        raise ValidationFailed("validation_error", message, fields={"cursor": [message]}) from exc


def complaint_list(
    *, principal: Principal, filters: ComplaintFilters, cursor: str | None, limit: int
) -> tuple[list[Complaint], str | None]:
    """A page of the complaints the principal may see, newest first, and the next cursor."""
    queryset = complaints_visible_to(principal)
    if filters.team_id is not None or filters.assignee_id is not None:
        # Routing is internal: only staff may filter by it (a customer could otherwise
        # learn who handles their complaint by trying ids).
        queryset = queryset.filter(organisation_id__in=principal.staff_organisation_ids())
    queryset = _apply_filters(queryset, filters)
    if cursor:
        queryset = queryset.filter(id__lt=_decode_cursor(cursor))
    rows = list(
        queryset.select_related("organisation", "customer", "team", "assignee__user")
        .order_by("-id")[: limit + 1]
    )
    next_cursor = _encode_cursor(rows[limit - 1].pk) if len(rows) > limit else None
    return rows[:limit], next_cursor


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
            queryset=Interaction.objects.filter(visible)
            .prefetch_related(Prefetch("promises", queryset=Promise.objects.order_by("due_at")))
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
