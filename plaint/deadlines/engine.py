"""Clocks from events: the pure function at the heart of deadlines.

Events are the source of truth (RULES.md § 10.1 "engine semantics"): given a complaint's events in
order, the rules that apply, its promises and its organisation's calendar, ``derive_clocks``
says where every clock stands. Nothing here reads the time: a clock becomes *breached* only when
an expiry event says so (the worker's sweep writes it), so the result is the same whenever it is
computed, and ``plaint clocks rebuild`` can reproduce the stored rows exactly.

Event kinds are plain strings here (the values of ``complaints.choices.EventKind``) so that this
module stays free of Django.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from plaint.deadlines.calendars import BusinessCalendar
from plaint.deadlines.durations import Duration, Unit
from plaint.deadlines.rules import (
    ClockRule,
    Confidence,
    ExpiryAction,
    MetBy,
    Party,
    Pause,
    RuleKind,
    Source,
    Start,
)

FORMAL_LEVEL = 3


class ClockState(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    MET = "met"
    BREACHED = "breached"
    STOPPED = "stopped"  # the complaint was withdrawn or merged before the clock was met


class Kind:
    """The event kinds the engine reads (``complaints.choices.EventKind`` values)."""

    RECEIVED = "received"
    CLOCK_EXTENDED = "clock_extended"
    CLOCK_WARNED = "clock_warned"
    CLOCK_EXPIRED = "clock_expired"
    PROMISE_KEPT = "promise_kept"
    PROMISE_MISSED = "promise_missed"
    HISTORY_REQUESTED = "history_requested"
    HISTORY_SENT = "history_sent"
    MERGED = "merged"


@dataclass(frozen=True, slots=True)
class EventFact:
    id: int
    kind: str
    at: datetime
    data: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class PromiseFact:
    id: int
    kind: str  # callback | action
    made_at: datetime
    due_at: datetime


PROMISE_SOURCE = Source(law="", article="", confidence=Confidence.VERIFIED)


def promise_rule(kind: str) -> ClockRule:
    """A promise is a clock whose due time is the promised time; missing it escalates."""
    return ClockRule(
        id=f"promise.{kind}",
        version=1,
        kind=RuleKind.PROMISE,
        party=Party.PROVIDER,
        start=Start.RECEIVED,
        duration=Duration(0, Unit.MINUTES),
        met_by=MetBy.ANSWER,
        source=PROMISE_SOURCE,
        on_expiry=(ExpiryAction.ESCALATE,),
    )


@dataclass(frozen=True, slots=True)
class Clock:
    """Where one clock stands. ``due_at`` is ``None`` while the clock is paused."""

    key: str
    rule: ClockRule
    started_at: datetime
    state: ClockState
    due_at: datetime | None
    warn_at: datetime | None
    pauses: tuple[tuple[datetime, datetime | None], ...] = ()
    extended_to: datetime | None = None
    warned: bool = False
    met_at: datetime | None = None
    breached_at: datetime | None = None
    stopped_at: datetime | None = None

    @property
    def next_action_at(self) -> datetime | None:
        """When the sweep must look at this clock next: the warning, then the expiry."""
        if self.state is not ClockState.RUNNING:
            return None
        if self.warn_at is not None and not self.warned:
            return self.warn_at
        return self.due_at

    @property
    def paused_since(self) -> datetime | None:
        if self.pauses and self.pauses[-1][1] is None:
            return self.pauses[-1][0]
        return None


@dataclass
class _Draft:
    key: str
    rule: ClockRule
    started_at: datetime
    pauses: list[tuple[datetime, datetime | None]] = field(default_factory=list)
    extended_to: datetime | None = None
    warned: bool = False
    met_at: datetime | None = None
    breached_at: datetime | None = None
    stopped_at: datetime | None = None
    due_override: datetime | None = None  # a promise's own time

    @property
    def open(self) -> bool:
        return self.met_at is None and self.breached_at is None and self.stopped_at is None

    @property
    def paused_since(self) -> datetime | None:
        if self.pauses and self.pauses[-1][1] is None:
            return self.pauses[-1][0]
        return None


RulesAt = Callable[[Start, datetime], Sequence[ClockRule]]

_MET_BY_STATE = {
    "decided": {MetBy.ANSWER},
    "final_response_issued": {MetBy.ANSWER, MetBy.FINAL_RESPONSE},
    "referred_externally": {MetBy.REFERRAL},
}


def derive_clocks(
    events: Iterable[EventFact],
    *,
    rules_at: RulesAt,
    calendar: BusinessCalendar,
    promises: Iterable[PromiseFact] = (),
    law_calendar: BusinessCalendar | None = None,
) -> list[Clock]:
    """Every clock of a complaint from its events, in the order the clocks started.

    Statutory clocks count on ``law_calendar`` (public holidays and the legal week, whatever
    the organisation's own closing days and opening hours) when one is given; the others on the
    organisation's ``calendar``.

    ``rules_at(start, instant)`` returns the rules that start at ``start`` for this complaint, in
    the versions in force at ``instant`` (statutory, the organisation's policy, and so on).
    """
    drafts: dict[str, _Draft] = {}
    promise_list = sorted(promises, key=lambda p: (p.made_at, p.id))

    def start(kind: Start, at: datetime) -> None:
        for rule in rules_at(kind, at):
            key = rule.id
            existing = drafts.get(key)
            if existing is not None:
                if existing.open:
                    continue  # already running: a second trigger does not restart it
                n = 2
                while f"{rule.id}#{n}" in drafts:
                    n += 1
                key = f"{rule.id}#{n}"
            drafts[key] = _Draft(key=key, rule=rule, started_at=at)

    def meet(kinds: set[MetBy], at: datetime, *, by_law: bool = False) -> None:
        for draft in drafts.values():
            if draft.rule.kind is RuleKind.PROMISE or draft.rule.met_by not in kinds:
                continue
            if by_law and draft.breached_at is not None:
                continue  # a deemed acceptance answers nothing late: the law decided instead
            if draft.met_at is None and draft.stopped_at is None:
                _close_pause(draft, at)
                draft.met_at = at

    def stop(at: datetime, *, providers_only: bool) -> None:
        for draft in drafts.values():
            if draft.open and not (providers_only and draft.rule.party is Party.CONSUMER):
                _close_pause(draft, at)
                draft.stopped_at = at

    def pause(condition: Pause, at: datetime, *, begin: bool) -> None:
        for draft in drafts.values():
            if condition not in draft.rule.pauses or not draft.open:
                continue
            if begin and draft.paused_since is None:
                draft.pauses.append((at, None))
            elif not begin:
                _close_pause(draft, at)

    level = 0
    ordered = sorted(events, key=lambda e: (e.at, e.id))
    for event in ordered:
        while promise_list and promise_list[0].made_at <= event.at:
            _add_promise(drafts, promise_list.pop(0))
        data = event.data
        if event.kind == Kind.RECEIVED:
            # A letter entered days after it arrived: the law counts from its arrival.
            received = datetime.fromisoformat(data["received_at"]) if "received_at" in data else event.at
            level = int(data.get("level", 1))
            start(Start.RECEIVED, received)
            if level >= FORMAL_LEVEL:
                start(Start.FORMAL, received)
            continue
        if "level_to" in data:
            previous, level = level, int(data["level_to"])
            if previous < FORMAL_LEVEL <= level:
                start(Start.FORMAL, event.at)
        if "to" in data:
            before, after = data.get("from"), data["to"]
            if before == "received" and after != "received":
                meet({MetBy.ACKNOWLEDGEMENT}, event.at)
            if after in _MET_BY_STATE:
                meet(_MET_BY_STATE[after] | {MetBy.ACKNOWLEDGEMENT}, event.at,
                     by_law=bool(data.get("deemed_by_rule")))
            if before == "awaiting_customer" and after != "awaiting_customer":
                pause(Pause.AWAITING_CUSTOMER, event.at, begin=False)
            if after == "awaiting_customer":
                pause(Pause.AWAITING_CUSTOMER, event.at, begin=True)
            if after == "referred_externally":
                pause(Pause.EXTERNAL_PROCEDURE, event.at, begin=True)
            if before == "referred_externally":
                pause(Pause.EXTERNAL_PROCEDURE, event.at, begin=False)
            if after == "final_response_issued":
                start(Start.FINAL_RESPONSE, event.at)
            if after == "withdrawn":
                stop(event.at, providers_only=False)
            elif after == "closed":
                stop(event.at, providers_only=True)
        if event.kind == Kind.MERGED and data.get("role") == "duplicate":
            stop(event.at, providers_only=False)
        elif event.kind == Kind.HISTORY_REQUESTED:
            start(Start.HISTORY_REQUESTED, event.at)
        elif event.kind == Kind.HISTORY_SENT:
            meet({MetBy.HISTORY_SENT}, event.at)
        elif event.kind in (Kind.CLOCK_EXTENDED, Kind.CLOCK_WARNED, Kind.CLOCK_EXPIRED,
                            Kind.PROMISE_KEPT, Kind.PROMISE_MISSED):
            _apply_clock_event(drafts, event)
    for promise in promise_list:
        _add_promise(drafts, promise)
    return [
        _finish(draft, law_calendar if law_calendar and draft.rule.kind is RuleKind.STATUTORY else calendar)
        for draft in drafts.values()
    ]


def _add_promise(drafts: dict[str, _Draft], promise: PromiseFact) -> None:
    key = f"promise:{promise.id}"
    drafts[key] = _Draft(
        key=key, rule=promise_rule(promise.kind), started_at=promise.made_at,
        due_override=promise.due_at,
    )


def _close_pause(draft: _Draft, at: datetime) -> None:
    if draft.pauses and draft.pauses[-1][1] is None:
        draft.pauses[-1] = (draft.pauses[-1][0], at)


def _apply_clock_event(drafts: dict[str, _Draft], event: EventFact) -> None:
    draft = drafts.get(str(event.data.get("clock", "")))
    if draft is None:
        return
    if event.kind == Kind.CLOCK_EXTENDED:
        draft.extended_to = datetime.fromisoformat(str(event.data["due"]))
    elif event.kind == Kind.CLOCK_WARNED:
        draft.warned = True
    elif event.kind in (Kind.CLOCK_EXPIRED, Kind.PROMISE_MISSED):
        if draft.breached_at is None:
            draft.breached_at = event.at
    elif event.kind == Kind.PROMISE_KEPT and draft.open:
        draft.met_at = event.at


def _finish(draft: _Draft, calendar: BusinessCalendar) -> Clock:
    rule = draft.rule
    pauses = tuple(draft.pauses)
    paused = bool(pauses) and pauses[-1][1] is None
    due: datetime | None
    if draft.due_override is not None:
        due = draft.due_override
    elif paused:
        due = None
    else:
        due = calendar.due_with_pauses(
            draft.started_at,
            rule.duration,
            [(a, b) for a, b in pauses if b is not None],
            start_rule=rule.start_rule,
            end_rollover=rule.end_rollover,
        )
        if draft.extended_to is not None and draft.extended_to > due:
            due = draft.extended_to
    if draft.breached_at is not None:
        state = ClockState.BREACHED
    elif draft.met_at is not None:
        state = ClockState.MET
    elif draft.stopped_at is not None:
        state = ClockState.STOPPED
    elif paused:
        state = ClockState.PAUSED
    else:
        state = ClockState.RUNNING
    warn_at = None
    if rule.warning_at is not None and due is not None:
        warn_at = draft.started_at + timedelta(
            seconds=round((due - draft.started_at).total_seconds() * rule.warning_at)
        )
        warn_at = warn_at.astimezone(due.tzinfo)
    return Clock(
        key=draft.key,
        rule=rule,
        started_at=draft.started_at,
        state=state,
        due_at=due,
        warn_at=warn_at,
        pauses=pauses,
        extended_to=draft.extended_to,
        warned=draft.warned,
        met_at=draft.met_at,
        breached_at=draft.breached_at,
        stopped_at=draft.stopped_at,
    )


def extension_limit(clock: Clock, calendar: BusinessCalendar) -> datetime | None:
    """The latest due time an extension may set, or ``None`` if the rule sets no cap."""
    extension = clock.rule.extension
    if extension is None or extension.max_total is None:
        return None
    capped = replace(clock.rule, duration=extension.max_total)
    return calendar.due_with_pauses(
        clock.started_at,
        capped.duration,
        [(a, b) for a, b in clock.pauses if b is not None],
        start_rule=capped.start_rule,
        end_rollover=capped.end_rollover,
    )
