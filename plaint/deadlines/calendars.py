"""Business calendars: which days are open, working hours, and when a duration ends.

Pure Python: no ORM, no database; tested without one. A ``BusinessCalendar`` is a value (frozen,
hashable) built from the jurisdiction's public holidays (the ``holidays`` package), the
organisation's own closing days and its working hours per weekday, in one IANA time zone.

Conventions, chosen once so every clock agrees:

* Every datetime in and out is timezone-aware (``ValueError`` on a naive one); results are in the
  calendar's time zone. Elapsed arithmetic is done in UTC, so DST changes never add or lose time.
* A deadline is the **last instant that is still in time**: something done at ``due`` is on time,
  anything after it is late.
* Calendar days, weeks, months and years end at the **end of the due day** in the calendar's time
  zone (23:59:59.999999 local). The laws count days, not hours, so anything sent on the last day
  is in time; the end of the day is the instant that says so without a "< next midnight" rule.
* Business days end at the **close of business** on the due day (the end of that day's working
  hours), as in "by the close of the third business day" (FCA DISP 1.5).
* Business hours count only time inside working hours. An instant outside them (a night, a
  weekend, a holiday) sits at the next opening: the clock starts there, and adding zero business
  time to it gives that opening. Adding exactly a day's worth from an opening ends at the close,
  not at the next opening.
* ``start_rule`` and ``end_rollover`` apply to the day units; elapsed and business time ignore them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from plaint.deadlines.durations import (
    BUSINESS_TIME_UNITS,
    ELAPSED_UNITS,
    Duration,
    EndRollover,
    StartRule,
    Unit,
    add_months,
)

Hours = tuple[time, time]
NINE_TO_FIVE: Hours = (time(9), time(17))
MON_FRI_9_TO_5: tuple[Hours | None, ...] = (NINE_TO_FIVE,) * 5 + (None, None)
END_OF_DAY = time.max
# A calendar with no working day in this many days is broken, not slow.
SEARCH_LIMIT_DAYS = 366 * 2


@lru_cache(maxsize=256)
def public_holidays(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    """The public holidays of one year, cached: ``holidays`` objects are slow to build."""
    return frozenset(holidays.country_holidays(country, subdiv=subdivision, years=year))


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("datetimes must be timezone-aware")
    return moment


@dataclass(frozen=True, slots=True)
class BusinessCalendar:
    """One jurisdiction's (or organisation's) open days and hours.

    ``working_hours`` has seven entries, Monday first; ``None`` closes that weekday. One interval
    a day, opening before closing, both local wall-clock times.
    """

    time_zone: str
    country: str | None = None
    subdivision: str | None = None
    closing_days: frozenset[date] = field(default_factory=frozenset)
    working_hours: tuple[Hours | None, ...] = MON_FRI_9_TO_5

    def __post_init__(self) -> None:
        ZoneInfo(self.time_zone)  # raises for an unknown zone, now rather than mid-calculation
        if len(self.working_hours) != 7:
            raise ValueError("working_hours needs one entry per weekday, Monday first")
        for hours in self.working_hours:
            if hours is not None and not hours[0] < hours[1]:
                raise ValueError("working hours must open before they close")
        if self.country is not None:
            public_holidays(self.country, self.subdivision, 2000)  # unknown country or subdivision

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    # Days

    def is_holiday(self, day: date) -> bool:
        """A public holiday of the jurisdiction, or one of the organisation's closing days."""
        if day in self.closing_days:
            return True
        return self.country is not None and day in public_holidays(self.country, self.subdivision, day.year)

    def is_working_day(self, day: date) -> bool:
        return self.working_hours[day.weekday()] is not None and not self.is_holiday(day)

    def next_working_day(self, day: date) -> date:
        """The first working day after ``day``."""
        for offset in range(1, SEARCH_LIMIT_DAYS):
            candidate = day + timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError("this calendar has no working days")

    def add_business_days(self, day: date, count: int) -> date:
        """The ``count``-th working day after ``day`` (``day`` itself is not counted)."""
        for _ in range(count):
            day = self.next_working_day(day)
        return day

    def local_date(self, moment: datetime) -> date:
        return _aware(moment).astimezone(self.zone).date()

    def end_of_day(self, day: date) -> datetime:
        return datetime.combine(day, END_OF_DAY, tzinfo=self.zone)

    def close_of_business(self, day: date) -> datetime:
        hours = self.working_hours[day.weekday()]
        if hours is None or not self.is_working_day(day):
            raise ValueError(f"{day} is not a working day")
        return self._local(day, hours[1])

    # Business time

    def _local(self, day: date, at: time) -> datetime:
        # Through UTC, so a wall time in a DST gap or overlap becomes one real instant.
        return datetime.combine(day, at, tzinfo=self.zone).astimezone(UTC).astimezone(self.zone)

    def _intervals_from(self, moment: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Working intervals (as UTC instants) that end after ``moment``, in order."""
        day = self.local_date(moment)
        for offset in range(SEARCH_LIMIT_DAYS):
            current = day + timedelta(days=offset)
            hours = self.working_hours[current.weekday()]
            if hours is None or not self.is_working_day(current):
                continue
            opens = self._local(current, hours[0]).astimezone(UTC)
            closes = self._local(current, hours[1]).astimezone(UTC)
            if closes > moment:
                yield opens, closes
        raise ValueError("this calendar has no working hours")

    def add_business_time(self, start: datetime, amount: timedelta) -> datetime:
        """The instant ``amount`` of working time after ``start`` (see the module's conventions)."""
        if amount < timedelta(0):
            raise ValueError("cannot add negative business time")
        cursor = _aware(start).astimezone(UTC)
        remaining = amount
        for opens, closes in self._intervals_from(cursor):
            begin = max(opens, cursor)
            if remaining <= closes - begin:
                return (begin + remaining).astimezone(self.zone)
            remaining -= closes - begin
        raise AssertionError("unreachable: _intervals_from raises when it runs out")  # pragma: no cover

    def business_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time inside ``[start, end]``; zero if ``end`` is not after ``start``."""
        begin, finish = _aware(start).astimezone(UTC), _aware(end).astimezone(UTC)
        total = timedelta(0)
        if finish <= begin:
            return total
        for opens, closes in self._intervals_from(begin):
            if opens >= finish:
                break
            total += min(closes, finish) - max(opens, begin)
        return total

    # Deadlines

    def due_at(
        self,
        start: datetime,
        duration: Duration,
        *,
        start_rule: StartRule = StartRule.NEXT_DAY,
        end_rollover: EndRollover = EndRollover.NONE,
    ) -> datetime:
        """When a deadline of ``duration`` from the event at ``start`` runs out (its last instant)."""
        return self.due_with_pauses(start, duration, [], start_rule=start_rule, end_rollover=end_rollover)

    def due_with_pauses(
        self,
        start: datetime,
        duration: Duration,
        pauses: Iterable[tuple[datetime, datetime]],
        *,
        start_rule: StartRule = StartRule.NEXT_DAY,
        end_rollover: EndRollover = EndRollover.NONE,
    ) -> datetime:
        """``due_at``, with the clock stopped during ``pauses``.

        A pause pushes the deadline later by the paused time as the unit counts it: elapsed time
        for hours, working time for business hours, the dates crossed (local date of the pause's
        end minus that of its start) for calendar units, and the working days among those dates for
        business days. So a pause within one day moves a day-counted deadline by nothing, which
        matches "the day the clock restarts is not counted". Only the part after ``start`` counts,
        and a pause that begins after the deadline has already passed changes nothing. Pauses may
        overlap and come in any order.
        """
        begin = _aware(start).astimezone(UTC)
        stops = _merge((max(_aware(a).astimezone(UTC), begin), _aware(b).astimezone(UTC)) for a, b in pauses)
        if duration.unit in ELAPSED_UNITS or duration.unit in BUSINESS_TIME_UNITS:
            return self._due_in_time(begin, duration, stops)
        return self._due_in_days(begin, duration, stops, start_rule, end_rollover)

    def _due_in_time(
        self, begin: datetime, duration: Duration, stops: list[tuple[datetime, datetime]]
    ) -> datetime:
        minutes = duration.value * (60 if duration.unit in {Unit.HOURS, Unit.BUSINESS_HOURS} else 1)
        remaining = timedelta(minutes=minutes)
        if duration.unit in ELAPSED_UNITS:

            def add(moment: datetime, amount: timedelta) -> datetime:
                return (moment + amount).astimezone(self.zone)

            def measure(a: datetime, b: datetime) -> timedelta:
                return max(b - a, timedelta(0))

        else:
            add, measure = self.add_business_time, self.business_time_between
        cursor = begin
        for pause_start, pause_end in stops:
            if pause_start > add(cursor, remaining):
                break
            remaining -= measure(cursor, pause_start)
            cursor = max(cursor, pause_end)
        return add(cursor, remaining)

    def _due_in_days(
        self,
        begin: datetime,
        duration: Duration,
        stops: list[tuple[datetime, datetime]],
        start_rule: StartRule,
        end_rollover: EndRollover,
    ) -> datetime:
        event_day = self.local_date(begin)
        counts_event_day = start_rule is StartRule.SAME_DAY
        if duration.unit is Unit.BUSINESS_DAYS:
            count = duration.value
            if counts_event_day and self.is_working_day(event_day) and count > 0:
                count -= 1
            due_day = self.add_business_days(event_day, count)
            if not self.is_working_day(due_day):
                due_day = self.next_working_day(due_day)
            for pause_start, pause_end in stops:
                if pause_start > self.close_of_business(due_day):
                    break
                first, last = self.local_date(pause_start), self.local_date(pause_end)
                paused = sum(
                    1
                    for n in range(1, (last - first).days + 1)
                    if self.is_working_day(first + timedelta(days=n))
                )
                due_day = self.add_business_days(due_day, paused)
            return self.close_of_business(due_day)
        if duration.unit is Unit.CALENDAR_DAYS:
            due_day = event_day + timedelta(days=duration.value)
        elif duration.unit is Unit.WEEKS:
            due_day = event_day + timedelta(weeks=duration.value)
        else:
            months = duration.value * (12 if duration.unit is Unit.YEARS else 1)
            due_day = add_months(event_day, months)
        if counts_event_day and due_day > event_day:
            due_day -= timedelta(days=1)
        for pause_start, pause_end in stops:
            if pause_start > self._rolled_end(due_day, end_rollover):
                break
            due_day += self.local_date(pause_end) - self.local_date(pause_start)
        return self._rolled_end(due_day, end_rollover)

    def _rolled_end(self, due_day: date, end_rollover: EndRollover) -> datetime:
        if end_rollover is EndRollover.NEXT_BUSINESS_DAY and not self.is_working_day(due_day):
            due_day = self.next_working_day(due_day)
        elif end_rollover is EndRollover.PAST_HOLIDAY:
            for _ in range(SEARCH_LIMIT_DAYS):
                if not self.is_holiday(due_day):
                    break
                due_day += timedelta(days=1)
        return self.end_of_day(due_day)


def _merge(intervals: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Sorted, non-overlapping intervals; empty and reversed ones dropped."""
    merged: list[tuple[datetime, datetime]] = []
    for begin, end in sorted(i for i in intervals if i[1] > i[0]):
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((begin, end))
    return merged
