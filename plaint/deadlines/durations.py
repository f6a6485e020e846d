"""How long a deadline runs and how its days are counted: the vocabulary of RULES.md § 10.1.

Pure Python. ``Duration`` is a value; what it means on a real calendar (holidays, working hours,
time zones) is ``BusinessCalendar.due_at``'s business, in ``calendars.py``.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Unit(StrEnum):
    """What a duration counts.

    ``hours``/``minutes`` are elapsed (wall-clock) time: 24 hours across a DST change is still 24
    real hours. ``business_hours``/``business_minutes`` count only time inside working hours.
    The day units (calendar days, business days, weeks, months, years) count dates in the
    calendar's time zone and end at a time of day, not after an elapsed amount.
    """

    MINUTES = "minutes"
    HOURS = "hours"
    BUSINESS_MINUTES = "business_minutes"
    BUSINESS_HOURS = "business_hours"
    CALENDAR_DAYS = "calendar_days"
    BUSINESS_DAYS = "business_days"
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"


ELAPSED_UNITS = frozenset({Unit.MINUTES, Unit.HOURS})
BUSINESS_TIME_UNITS = frozenset({Unit.BUSINESS_MINUTES, Unit.BUSINESS_HOURS})
DATE_UNITS = frozenset({Unit.CALENDAR_DAYS, Unit.WEEKS, Unit.MONTHS, Unit.YEARS})


class StartRule(StrEnum):
    """Is the event day day 1? Civil codes (CZ, PL) say no: counting starts the next day."""

    NEXT_DAY = "next_day"
    SAME_DAY = "same_day"


class EndRollover(StrEnum):
    """Does a deadline that ends on a closed day move to the next working day?

    CZ (OZ § 607) and PL (KC art. 115) say yes; the UK does not roll. Only the date units roll:
    a business-day deadline always ends on a working day, and elapsed time does not care.
    """

    NONE = "none"
    NEXT_BUSINESS_DAY = "next_business_day"
    # BR Civil Code art. 132 § 1: only a last day that is a public holiday moves, to the next
    # day that is not one; a Saturday or Sunday stays.
    PAST_HOLIDAY = "past_holiday"


@dataclass(frozen=True, slots=True)
class Duration:
    value: int
    unit: Unit

    def __post_init__(self) -> None:
        if self.value < 0:
            raise ValueError("a duration cannot be negative")


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the last day of that month if it is shorter.

    So one month from 31 January is 28 February (29 in a leap year): the usual civil-code reading
    (CZ OZ § 607, PL KC art. 112) where a month ends on the day with the same number, or on the
    month's last day when there is none.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))
