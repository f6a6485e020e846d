"""Business calendars with real holidays, time zones and day counting, without a database."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from plaint.deadlines.calendars import BusinessCalendar, public_holidays
from plaint.deadlines.durations import Duration, EndRollover, StartRule, Unit, add_months

PRAGUE, WARSAW, BUCHAREST = ZoneInfo("Europe/Prague"), ZoneInfo("Europe/Warsaw"), ZoneInfo("Europe/Bucharest")
SAO_PAULO, LONDON, NEW_YORK = (
    ZoneInfo("America/Sao_Paulo"),
    ZoneInfo("Europe/London"),
    ZoneInfo("America/New_York"),
)

CZ = BusinessCalendar("Europe/Prague", "CZ")
PL = BusinessCalendar("Europe/Warsaw", "PL")
RO = BusinessCalendar("Europe/Bucharest", "RO")
BR = BusinessCalendar("America/Sao_Paulo", "BR")
ENG = BusinessCalendar("Europe/London", "GB", "ENG")
GB = BusinessCalendar("Europe/London", "GB")
US = BusinessCalendar("America/New_York", "US")
ROLL = EndRollover.NEXT_BUSINESS_DAY


def end_of(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.max, tzinfo=zone)


@pytest.mark.parametrize(
    ("calendar", "day", "working"),
    [
        (CZ, date(2026, 10, 28), False),  # Czech Statehood Day
        (CZ, date(2026, 11, 17), False),  # Struggle for Freedom and Democracy Day
        (CZ, date(2026, 12, 24), False),
        (CZ, date(2026, 12, 25), False),
        (CZ, date(2026, 12, 26), False),
        (CZ, date(2026, 4, 6), False),  # Easter Monday
        (CZ, date(2026, 10, 27), True),
        (PL, date(2026, 4, 6), False),  # Easter Monday
        (PL, date(2026, 11, 11), False),  # Independence Day
        (PL, date(2026, 12, 24), False),  # Christmas Eve, a holiday since 2025
        (PL, date(2026, 12, 23), True),
        (RO, date(2026, 12, 1), False),  # Great Union Day
        (RO, date(2026, 4, 13), False),  # Orthodox Easter Monday (Easter is 12 April 2026)
        (RO, date(2026, 4, 6), True),  # Western Easter Monday is an ordinary day in Romania
        (BR, date(2026, 4, 21), False),  # Tiradentes
        (BR, date(2026, 9, 7), False),  # Independence Day
        (BR, date(2026, 11, 20), False),  # Black Awareness Day, national since 2024
        (BR, date(2026, 2, 17), True),  # Carnival: "optional" in holidays, not a public holiday
        (ENG, date(2026, 4, 6), False),  # Easter Monday, England only
        (ENG, date(2026, 8, 31), False),  # Summer bank holiday, England only
        (GB, date(2026, 4, 6), True),  # without subdiv="ENG" they are missing
        (GB, date(2026, 8, 31), True),
        (ENG, date(2026, 12, 28), False),  # Boxing Day falls on a Saturday: substitute day
        (US, date(2026, 11, 26), False),  # Thanksgiving
        (US, date(2026, 7, 3), False),  # Independence Day on a Saturday, observed on Friday
        (US, date(2026, 11, 27), True),
        (CZ, date(2026, 11, 21), False),  # a Saturday
    ],
)
def test_working_days_follow_the_jurisdictions_holidays_and_the_weekend(calendar, day, working):
    assert calendar.is_working_day(day) is working


def test_sunday_public_holiday_of_brazil_is_still_listed():
    # given 15 November 2026 (Republic Day) falls on a Sunday
    # then it is a holiday and, being a Sunday, not a working day either way
    assert BR.is_holiday(date(2026, 11, 15))
    assert not BR.is_working_day(date(2026, 11, 15))


def test_organisation_closing_days_close_the_office():
    # given an organisation in Brazil that closes for Carnival
    carnival = frozenset({date(2026, 2, 16), date(2026, 2, 17)})
    calendar = BusinessCalendar("America/Sao_Paulo", "BR", closing_days=carnival)
    # then those days are not working days, but Ash Wednesday is
    assert not calendar.is_working_day(date(2026, 2, 17))
    assert calendar.is_working_day(date(2026, 2, 18))


def test_holiday_lookups_are_cached_per_year():
    # given one lookup for a year
    CZ.is_holiday(date(2031, 5, 1))
    hits = public_holidays.cache_info().hits
    # when another day of the same year is asked
    CZ.is_holiday(date(2031, 6, 2))
    # then the holidays were not built again
    assert public_holidays.cache_info().hits == hits + 1


# In the tables below a plain tuple is a local wall-clock time (year, month, day, hour[, minute])
# in the row's time zone; the test makes it aware.
@pytest.mark.parametrize(
    ("calendar", "zone", "start", "duration", "rollover", "due"),
    [
        # CZ reklamace: 30 calendar days, the event day not counted
        (
            CZ,
            PRAGUE,
            (2026, 11, 2, 10),
            Duration(30, Unit.CALENDAR_DAYS),
            ROLL,
            end_of(date(2026, 12, 2), PRAGUE),
        ),
        # CZ: day 30 is 24 December, rolled over Christmas and a Sunday to Monday 28 December
        (
            CZ,
            PRAGUE,
            (2026, 11, 24, 10),
            Duration(30, Unit.CALENDAR_DAYS),
            ROLL,
            end_of(date(2026, 12, 28), PRAGUE),
        ),
        # PL 14 days landing on Independence Day roll to the next day
        (
            PL,
            WARSAW,
            (2026, 10, 28, 9),
            Duration(14, Unit.CALENDAR_DAYS),
            ROLL,
            end_of(date(2026, 11, 12), WARSAW),
        ),
        # PL 14 days landing on Easter Monday roll to Tuesday
        (
            PL,
            WARSAW,
            (2026, 3, 23, 9),
            Duration(14, Unit.CALENDAR_DAYS),
            ROLL,
            end_of(date(2026, 4, 7), WARSAW),
        ),
        # PL 14 days landing on 24 December roll past Christmas and the weekend
        (
            PL,
            WARSAW,
            (2026, 12, 10, 9),
            Duration(14, Unit.CALENDAR_DAYS),
            ROLL,
            end_of(date(2026, 12, 28), WARSAW),
        ),
        # RO 15 days landing on 1 December roll to 2 December
        (
            RO,
            BUCHAREST,
            (2026, 11, 16, 9),
            Duration(15, Unit.CALENDAR_DAYS),
            ROLL,
            end_of(date(2026, 12, 2), BUCHAREST),
        ),
        # BR SAC 7 calendar days do not roll, even onto a holiday
        (
            BR,
            SAO_PAULO,
            (2026, 11, 13, 9),
            Duration(7, Unit.CALENDAR_DAYS),
            EndRollover.NONE,
            end_of(date(2026, 11, 20), SAO_PAULO),
        ),
        # UK 8 weeks, no rollover: ends on the substitute Boxing Day bank holiday
        (
            ENG,
            LONDON,
            (2026, 11, 2, 11),
            Duration(8, Unit.WEEKS),
            EndRollover.NONE,
            end_of(date(2026, 12, 28), LONDON),
        ),
        # US CFPB 15 calendar days across Thanksgiving, no rollover
        (
            US,
            NEW_YORK,
            (2026, 11, 20, 9),
            Duration(15, Unit.CALENDAR_DAYS),
            EndRollover.NONE,
            end_of(date(2026, 12, 5), NEW_YORK),
        ),
        # one month from 31 January is the last day of February
        (
            CZ,
            PRAGUE,
            (2026, 1, 31, 9),
            Duration(1, Unit.MONTHS),
            EndRollover.NONE,
            end_of(date(2026, 2, 28), PRAGUE),
        ),
        (
            CZ,
            PRAGUE,
            (2028, 1, 31, 9),
            Duration(1, Unit.MONTHS),
            EndRollover.NONE,
            end_of(date(2028, 2, 29), PRAGUE),
        ),
        # CZ telecom: two months from 31 December end on the last day of February
        (
            CZ,
            PRAGUE,
            (2026, 12, 31, 9),
            Duration(2, Unit.MONTHS),
            EndRollover.NONE,
            end_of(date(2027, 2, 28), PRAGUE),
        ),
        # 30 calendar days from 30 January 2028 land on the leap day
        (
            CZ,
            PRAGUE,
            (2028, 1, 30, 9),
            Duration(30, Unit.CALENDAR_DAYS),
            EndRollover.NONE,
            end_of(date(2028, 2, 29), PRAGUE),
        ),
        # a year from the leap day ends on 28 February
        (
            CZ,
            PRAGUE,
            (2028, 2, 29, 9),
            Duration(1, Unit.YEARS),
            EndRollover.NONE,
            end_of(date(2029, 2, 28), PRAGUE),
        ),
        # UK: close of the third business day, skipping Good Friday and Easter Monday (England)
        (
            ENG,
            LONDON,
            (2026, 4, 2, 11),
            Duration(3, Unit.BUSINESS_DAYS),
            EndRollover.NONE,
            datetime(2026, 4, 9, 17, tzinfo=LONDON),
        ),
        # UK payments: 15 business days over Christmas, the substitute day and New Year
        (
            ENG,
            LONDON,
            (2026, 12, 14, 11),
            Duration(15, Unit.BUSINESS_DAYS),
            EndRollover.NONE,
            datetime(2027, 1, 7, 17, tzinfo=LONDON),
        ),
        # US: three business days over Thanksgiving
        (
            US,
            NEW_YORK,
            (2026, 11, 25, 11),
            Duration(3, Unit.BUSINESS_DAYS),
            EndRollover.NONE,
            datetime(2026, 12, 1, 17, tzinfo=NEW_YORK),
        ),
    ],
)
def test_day_deadlines_with_real_dates(calendar, zone, start, duration, rollover, due):
    # given an event at a local time in the jurisdiction
    # when the deadline is computed
    result = calendar.due_at(datetime(*start, tzinfo=zone), duration, end_rollover=rollover)
    # then it is the last instant of the due day (or its close of business for business days)
    assert result == due
    assert result.tzinfo == zone


def test_same_day_start_rule_counts_the_event_day():
    # given a complaint on 2 November, where the event day is day 1
    start = datetime(2026, 11, 2, 10, tzinfo=PRAGUE)
    # when 30 calendar days are counted
    due = CZ.due_at(start, Duration(30, Unit.CALENDAR_DAYS), start_rule=StartRule.SAME_DAY)
    # then day 30 is 1 December
    assert due == end_of(date(2026, 12, 1), PRAGUE)


def test_same_day_start_rule_counts_a_working_event_day_as_the_first_business_day():
    start = datetime(2026, 11, 2, 10, tzinfo=LONDON)
    due = ENG.due_at(start, Duration(3, Unit.BUSINESS_DAYS), start_rule=StartRule.SAME_DAY)
    assert due == datetime(2026, 11, 4, 17, tzinfo=LONDON)


def test_event_time_is_read_in_the_calendars_time_zone():
    # given 23:30 UTC on 1 November is already 2 November in Prague
    start = datetime(2026, 11, 1, 23, 30, tzinfo=UTC)
    # then counting starts from the Prague date
    assert CZ.due_at(start, Duration(30, Unit.CALENDAR_DAYS)) == end_of(date(2026, 12, 2), PRAGUE)


@pytest.mark.parametrize(
    ("zone_name", "start", "due"),
    [
        # Prague springs forward on 29 March 2026: 24 real hours later is 13:00 on the clock
        ("Europe/Prague", (2026, 3, 28, 12), (2026, 3, 29, 13)),
        # and falls back on 25 October 2026: 11:00 on the clock
        ("Europe/Prague", (2026, 10, 24, 12), (2026, 10, 25, 11)),
        # São Paulo has had no DST since 2019
        ("America/Sao_Paulo", (2026, 10, 31, 12), (2026, 11, 1, 12)),
        ("America/Sao_Paulo", (2026, 2, 14, 12), (2026, 2, 15, 12)),
        # New York springs forward on 8 March and falls back on 1 November 2026
        ("America/New_York", (2026, 3, 7, 12), (2026, 3, 8, 13)),
        ("America/New_York", (2026, 10, 31, 12), (2026, 11, 1, 11)),
    ],
)
def test_wall_clock_hours_are_elapsed_time_across_dst(zone_name, start, due):
    zone = ZoneInfo(zone_name)
    calendar = BusinessCalendar(zone_name)
    # when 24 hours are added
    result = calendar.due_at(datetime(*start, tzinfo=zone), Duration(24, Unit.HOURS))
    # then exactly 24 real hours passed, whatever the clock on the wall says
    assert result == datetime(*due, tzinfo=zone)
    # (subtracting two datetimes with the same tzinfo ignores DST, so compare in UTC)
    assert result.astimezone(UTC) - datetime(*start, tzinfo=zone).astimezone(UTC) == timedelta(hours=24)


@pytest.mark.parametrize(
    ("calendar", "zone", "start", "due"),
    [
        (CZ, PRAGUE, (2026, 3, 27, 16), (2026, 3, 30, 10)),  # over the spring change
        (CZ, PRAGUE, (2026, 10, 23, 16), (2026, 10, 26, 10)),  # over the autumn change
        (US, NEW_YORK, (2026, 3, 6, 16), (2026, 3, 9, 10)),
        (US, NEW_YORK, (2026, 10, 30, 16), (2026, 11, 2, 10)),
        (CZ, PRAGUE, (2026, 10, 27, 16), (2026, 10, 29, 10)),  # over 28 October
    ],
)
def test_business_hours_skip_nights_weekends_and_holidays_across_dst(calendar, zone, start, due):
    # given an hour left on Friday
    # when two business hours are added
    result = calendar.due_at(datetime(*start, tzinfo=zone), Duration(2, Unit.BUSINESS_HOURS))
    # then the second hour is the first of the next working day, on that day's wall clock
    assert result == datetime(*due, tzinfo=zone)


def test_business_hours_inside_a_dst_gap_count_real_time():
    # given a calendar open on Sundays 01:00-05:00 in Prague
    hours = (None,) * 6 + ((time(1), time(5)),)
    calendar = BusinessCalendar("Europe/Prague", working_hours=hours)
    spring, autumn = date(2026, 3, 29), date(2026, 10, 25)
    # then the short night holds 3 real hours and the long night 5
    assert calendar.business_time_between(
        datetime.combine(spring, time(0), PRAGUE), datetime.combine(spring, time(12), PRAGUE)
    ) == timedelta(hours=3)
    assert calendar.business_time_between(
        datetime.combine(autumn, time(0), PRAGUE), datetime.combine(autumn, time(12), PRAGUE)
    ) == timedelta(hours=5)


def test_business_time_between_a_friday_and_a_monday_counts_two_days():
    friday, monday = datetime(2026, 3, 27, 9, tzinfo=PRAGUE), datetime(2026, 3, 30, 17, tzinfo=PRAGUE)
    assert CZ.business_time_between(friday, monday) == timedelta(hours=16)
    assert CZ.business_time_between(monday, friday) == timedelta(0)


@pytest.mark.parametrize(
    ("start", "amount", "due"),
    [
        ((2026, 11, 21, 12), timedelta(0), (2026, 11, 23, 9)),  # Saturday: next opening
        ((2026, 11, 20, 20), timedelta(hours=1), (2026, 11, 23, 10)),  # Friday night
        ((2026, 11, 23, 7), timedelta(hours=1), (2026, 11, 23, 10)),  # before opening
        (
            (2026, 11, 23, 9),
            timedelta(hours=8),
            (2026, 11, 23, 17),
        ),  # a full day ends at close
        ((2026, 11, 23, 17), timedelta(0), (2026, 11, 24, 9)),  # the close is not open
        ((2026, 11, 23, 11, 30), timedelta(0), (2026, 11, 23, 11, 30)),
    ],
)
def test_add_business_time_outside_working_hours_starts_at_the_next_opening(start, amount, due):
    assert CZ.add_business_time(datetime(*start, tzinfo=PRAGUE), amount) == datetime(*due, tzinfo=PRAGUE)


def test_pauses_push_a_calendar_day_deadline_by_the_dates_crossed():
    # given a CZ complaint on 2 November waiting 7 days for the customer from 5 November
    start = datetime(2026, 11, 2, 10, tzinfo=PRAGUE)
    pause = (datetime(2026, 11, 5, 10, tzinfo=PRAGUE), datetime(2026, 11, 12, 15, tzinfo=PRAGUE))
    # when the 30 days are computed with the pause
    due = CZ.due_with_pauses(start, Duration(30, Unit.CALENDAR_DAYS), [pause], end_rollover=ROLL)
    # then the deadline moves from 2 to 9 December
    assert due == end_of(date(2026, 12, 9), PRAGUE)


def test_a_pause_within_one_day_does_not_move_a_day_deadline():
    start = datetime(2026, 11, 2, 10, tzinfo=PRAGUE)
    pause = (datetime(2026, 11, 5, 10, tzinfo=PRAGUE), datetime(2026, 11, 5, 15, tzinfo=PRAGUE))
    due = CZ.due_with_pauses(start, Duration(30, Unit.CALENDAR_DAYS), [pause])
    assert due == end_of(date(2026, 12, 2), PRAGUE)


def test_a_pause_after_the_deadline_changes_nothing():
    start = datetime(2026, 11, 2, 10, tzinfo=PRAGUE)
    pause = (datetime(2026, 12, 3, 10, tzinfo=PRAGUE), datetime(2026, 12, 20, 15, tzinfo=PRAGUE))
    due = CZ.due_with_pauses(start, Duration(30, Unit.CALENDAR_DAYS), [pause])
    assert due == end_of(date(2026, 12, 2), PRAGUE)


def test_pauses_push_business_hours_by_the_working_time_paused():
    # given 8 business hours from Monday 09:00, paused 10:00-12:00 and (overlapping) 11:00-12:30
    start = datetime(2026, 11, 23, 9, tzinfo=PRAGUE)
    pauses = [
        (datetime(2026, 11, 23, 11, tzinfo=PRAGUE), datetime(2026, 11, 23, 12, 30, tzinfo=PRAGUE)),
        (datetime(2026, 11, 23, 10, tzinfo=PRAGUE), datetime(2026, 11, 23, 12, tzinfo=PRAGUE)),
    ]
    # then 2.5 working hours are added after Monday's close
    due = CZ.due_with_pauses(start, Duration(8, Unit.BUSINESS_HOURS), pauses)
    assert due == datetime(2026, 11, 24, 11, 30, tzinfo=PRAGUE)


def test_pauses_push_business_days_by_the_working_days_paused():
    # given 3 UK business days from Monday 2 November, paused Tuesday to Thursday
    start = datetime(2026, 11, 2, 10, tzinfo=LONDON)
    pause = (datetime(2026, 11, 3, 10, tzinfo=LONDON), datetime(2026, 11, 5, 10, tzinfo=LONDON))
    due = ENG.due_with_pauses(start, Duration(3, Unit.BUSINESS_DAYS), [pause])
    # then Thursday's close moves two working days to Monday's
    assert due == datetime(2026, 11, 9, 17, tzinfo=LONDON)


def test_pauses_push_wall_clock_hours_by_the_elapsed_pause():
    start = datetime(2026, 3, 28, 12, tzinfo=PRAGUE)
    pause = (datetime(2026, 3, 28, 20, tzinfo=PRAGUE), datetime(2026, 3, 29, 4, tzinfo=PRAGUE))
    due = CZ.due_with_pauses(start, Duration(24, Unit.HOURS), [pause])
    # the pause is 7 real hours (the night lost one), so 24 + 7 real hours in all
    assert due.astimezone(UTC) == datetime(2026, 3, 29, 18, tzinfo=UTC)


@pytest.mark.parametrize(
    "call",
    [
        lambda: CZ.due_at(datetime(2026, 11, 2, 10), Duration(30, Unit.CALENDAR_DAYS)),  # noqa: DTZ001
        lambda: CZ.add_business_time(datetime(2026, 11, 2, 10), timedelta(hours=1)),  # noqa: DTZ001
        lambda: CZ.business_time_between(
            datetime(2026, 11, 2, 10),  # noqa: DTZ001
            datetime(2026, 11, 3, 10, tzinfo=PRAGUE),
        ),
    ],
)
def test_naive_datetimes_are_refused(call):
    with pytest.raises(ValueError, match="timezone-aware"):
        call()


@pytest.mark.parametrize(
    "build",
    [
        lambda: BusinessCalendar("Mars/Olympus_Mons"),
        lambda: BusinessCalendar("Europe/Prague", "XX"),
        lambda: BusinessCalendar("Europe/Prague", working_hours=((time(9), time(17)),) * 5),
        lambda: BusinessCalendar("Europe/Prague", working_hours=((time(17), time(9)),) * 7),
        lambda: Duration(-1, Unit.CALENDAR_DAYS),
    ],
)
def test_invalid_calendars_and_durations_are_refused(build):
    with pytest.raises((ValueError, KeyError, NotImplementedError)):
        build()


@pytest.mark.parametrize(
    ("day", "months", "result"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 11, 30), 2, date(2027, 1, 30)),
        (date(2026, 1, 15), 12, date(2027, 1, 15)),
    ],
)
def test_add_months_clamps_to_the_end_of_a_shorter_month(day, months, result):
    assert add_months(day, months) == result
