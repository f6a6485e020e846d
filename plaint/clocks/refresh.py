"""Keeping the clock rows equal to what the events say.

``clocks_refresh`` runs in the transaction of every event that can move a clock (``event_record``
calls ``clocks_observe_event``, registered in ``ClocksConfig.ready``), with the complaint's row
locked by the service. It derives the clocks from the events
(``deadlines.engine``), writes only the rows that changed, and keeps the complaint's own summary
(``next_due_at``, ``overdue_since``) that the list sorts and filters on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from plaint.clocks.context import ClockContext
from plaint.clocks.models import Clock as ClockRow
from plaint.deadlines.engine import Clock, ClockState, EventFact, PromiseFact, derive_clocks
from plaint.deadlines.rules import Party

# Event kinds that cannot move a clock: no refresh after them.
INERT_EVENT_KINDS = frozenset(
    {"assigned", "demands_recorded", "message_added", "note_added", "evidence_added",
     "message_moved", "cancellation_requested", "cancellation_executed", "external_route_opened",
     "consumer_rights_opened"}
)

ROW_FIELDS = (
    "kind", "party", "rule_id", "rule_version", "state", "started_at", "due_at", "warn_at",
    "paused_since", "pauses", "extended_to", "warned", "met_at", "breached_at", "stopped_at",
    "next_action_at",
)


def _utc(moment: datetime | None) -> datetime | None:
    """Stored and returned in UTC, as the database gives them back: one spelling of a time."""
    return None if moment is None else moment.astimezone(UTC)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat()


def row_values(clock: Clock) -> dict[str, Any]:
    """The stored form of a derived clock."""
    return {
        "kind": clock.rule.kind.value,
        "party": clock.rule.party.value,
        "rule_id": clock.rule.id,
        "rule_version": clock.rule.version,
        "state": clock.state.value,
        "started_at": _utc(clock.started_at),
        "due_at": _utc(clock.due_at),
        "warn_at": _utc(clock.warn_at),
        "paused_since": _utc(clock.paused_since),
        "pauses": [[_iso(a), _iso(b)] for a, b in clock.pauses],
        "extended_to": _utc(clock.extended_to),
        "warned": clock.warned,
        "met_at": _utc(clock.met_at),
        "breached_at": _utc(clock.breached_at),
        "stopped_at": _utc(clock.stopped_at),
        "next_action_at": _utc(clock.next_action_at),
    }


@dataclass
class Facts:
    """What the engine reads of a complaint: its events (in order) and its promises."""

    events: list[EventFact] = field(default_factory=list)
    promises: list[PromiseFact] = field(default_factory=list)

    def add(self, event: Any) -> None:  # noqa: ANN401 - a complaints Event
        self.events.append(event_fact(event))
        self.events.sort(key=lambda e: (e.at, e.id))


def event_fact(event: Any) -> EventFact:  # noqa: ANN401 - a complaints Event
    return EventFact(id=event.pk, kind=event.kind, at=event.occurred_at, data=event.data)


def facts_of(complaint_ids: list[int]) -> dict[int, Facts]:
    """The facts of several complaints in two queries (the sweep reads its batch at once)."""
    from plaint.complaints.models import Event, Promise

    facts: dict[int, Facts] = {pk: Facts() for pk in complaint_ids}
    for complaint_id, pk, kind, at, data in (
        Event.objects.filter(complaint_id__in=complaint_ids).order_by("occurred_at", "id")
        .values_list("complaint_id", "id", "kind", "occurred_at", "data")
    ):
        facts[complaint_id].events.append(EventFact(id=pk, kind=kind, at=at, data=data))
    for complaint_id, pk, kind, made_at, due_at in Promise.objects.filter(
        complaint_id__in=complaint_ids
    ).values_list("complaint_id", "id", "kind", "interaction__started_at", "due_at"):
        facts[complaint_id].promises.append(PromiseFact(id=pk, kind=kind, made_at=made_at, due_at=due_at))
    return facts


def clocks_derive(  # type: ignore[no-untyped-def]
    complaint, context: ClockContext | None = None, *, first_event=None, facts: Facts | None = None
) -> list[Clock]:
    """The complaint's clocks as its events say; none for imported history.

    ``first_event``: the complaint was just taken in and this is its only event, so there is
    nothing to read back (no other event, no promise yet). ``facts``: the complaint's events and
    promises, already read (the sweep); else they are read here.
    """
    if complaint.is_historical:
        return []
    context = context or ClockContext.for_organisation(complaint.organisation)
    if first_event is not None:
        facts = Facts(events=[event_fact(first_event)])
    elif facts is None:
        facts = facts_of([complaint.pk])[complaint.pk]
    return derive_clocks(
        facts.events,
        rules_at=context.rules_for_channel(complaint.channel),
        calendar=context.calendar,
        promises=facts.promises,
        law_calendar=context.law_calendar,
    )


def _comparable(values: dict[str, Any]) -> dict[str, Any]:
    return {name: values[name] for name in ROW_FIELDS}


def clocks_refresh(  # type: ignore[no-untyped-def]
    complaint, context: ClockContext | None = None, *, first_event=None,
    stored: list[ClockRow] | None = None, facts: Facts | None = None,
) -> list[ClockRow]:
    """Recompute the complaint's clock rows; return them.

    ``first_event``: the intake's event; no rows exist yet and nothing needs reading back.
    ``stored``: the complaint's rows exactly as stored (the sweep read them for its batch);
    they are updated in place. ``facts``: its events and promises, already read.
    """
    derived = clocks_derive(complaint, context, first_event=first_event, facts=facts)
    if first_event is not None:
        existing = {}
    elif stored is not None:
        existing = {row.key: row for row in stored}
    else:
        existing = {row.key: row for row in ClockRow.objects.filter(complaint_id=complaint.pk)}
    to_create, rows = [], []
    for clock in derived:
        values = row_values(clock)
        row = existing.pop(clock.key, None)
        if row is None:
            row = ClockRow(
                complaint_id=complaint.pk, organisation_id=complaint.organisation_id, key=clock.key,
                **values,
            )
            to_create.append(row)
        elif _comparable(_row_as_values(row)) != _comparable(values):
            for name, value in values.items():
                setattr(row, name, value)
            row.save(update_fields=list(ROW_FIELDS))
        rows.append(row)
    if to_create:
        ClockRow.objects.bulk_create(to_create)
    if existing:
        ClockRow.objects.filter(pk__in=[row.pk for row in existing.values()]).delete()
    _summarise(complaint, derived)
    complaint.clock_rows = rows  # what the rows are now, for readers in this transaction
    return rows


def _row_as_values(row: ClockRow) -> dict[str, Any]:
    return {name: getattr(row, name) for name in ROW_FIELDS}


def _summarise(complaint, derived: list[Clock]) -> None:  # type: ignore[no-untyped-def]
    """The complaint's earliest running deadline and since when it owes a late answer."""
    owed = [c for c in derived if c.rule.party is Party.PROVIDER]
    due = [c.due_at for c in owed if c.state is ClockState.RUNNING and c.due_at is not None]
    overdue = [c.breached_at for c in owed if c.state is ClockState.BREACHED and c.met_at is None]
    next_due_at = _utc(min(due, default=None))
    overdue_since = _utc(min(overdue, default=None))  # type: ignore[type-var]
    if (complaint.next_due_at, complaint.overdue_since) != (next_due_at, overdue_since):
        complaint.next_due_at, complaint.overdue_since = next_due_at, overdue_since
        type(complaint).objects.filter(pk=complaint.pk).update(
            next_due_at=next_due_at, overdue_since=overdue_since
        )


@dataclass
class Noted:
    """What happened to one complaint while its refresh was deferred."""

    complaint: Any
    events: list[Any] = field(default_factory=list)
    refresh: bool = False


_deferred: ContextVar[dict[int, Noted] | None] = ContextVar("clocks_deferred", default=None)


@contextmanager
def clocks_deferred() -> Iterator[dict[int, Noted]]:
    """Within the block, events are only noted with their complaint; the caller refreshes once
    after it (the sweep, whose expiry actions write several events in a row)."""
    pending: dict[int, Noted] = {}
    token = _deferred.set(pending)
    try:
        yield pending
    finally:
        _deferred.reset(token)


def clocks_observe_event(complaint, event) -> None:  # type: ignore[no-untyped-def]
    """``event_record``'s observer: refresh the clocks unless the event cannot move one."""
    pending = _deferred.get()
    if pending is not None:
        noted = pending.setdefault(complaint.pk, Noted(complaint))
        noted.events.append(event)
        noted.refresh |= event.kind not in INERT_EVENT_KINDS
        return
    if event.kind in INERT_EVENT_KINDS:
        return
    clocks_refresh(complaint, first_event=event if event.kind == "received" else None)
