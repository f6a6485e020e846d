"""Properties of business-calendar arithmetic that must hold for any instant, without a database."""

from datetime import UTC, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from plaint.deadlines.calendars import BusinessCalendar
from plaint.deadlines.durations import Duration, EndRollover, Unit

CALENDARS = [
    BusinessCalendar("Europe/Prague", "CZ"),
    BusinessCalendar("Europe/London", "GB", "ENG"),
    BusinessCalendar("America/New_York", "US"),
    BusinessCalendar("America/Sao_Paulo", "BR", working_hours=((time(8), time(18)),) * 6 + (None,)),
]
BASE = datetime(2026, 1, 1, tzinfo=UTC)
SETTINGS = settings(max_examples=100, deadline=None)

calendars = st.sampled_from(CALENDARS)
# Every minute of three years, which take in leap day 2028 and six DST changes per zone.
instants = st.integers(0, 3 * 366 * 24 * 60).map(lambda minutes: BASE + timedelta(minutes=minutes))
amounts = st.integers(0, 120 * 60).map(lambda minutes: timedelta(minutes=minutes))
durations = st.builds(Duration, st.integers(0, 60), st.sampled_from(list(Unit)))
pause_lists = st.lists(st.tuples(instants, amounts), max_size=4)


@SETTINGS
@given(calendars, instants, instants, amounts)
def test_a_later_start_never_gives_an_earlier_due_time(calendar, first, second, amount):
    early, late = sorted([first, second])
    assert calendar.add_business_time(early, amount) <= calendar.add_business_time(late, amount)


@SETTINGS
@given(calendars, instants, amounts, amounts)
def test_a_longer_duration_never_gives_an_earlier_due_time(calendar, start, first, second):
    short, long = sorted([first, second])
    assert calendar.add_business_time(start, short) <= calendar.add_business_time(start, long)


@SETTINGS
@given(calendars, instants, st.integers(0, 10 * 60 - 1))
def test_adding_zero_to_a_working_instant_is_the_identity(calendar, moment, minute_of_day):
    # given an instant inside the working hours of the next working day
    day = calendar.next_working_day(calendar.local_date(moment))
    opens, closes = calendar.working_hours[day.weekday()]
    open_at = datetime.combine(day, opens, tzinfo=calendar.zone)
    close_at = datetime.combine(day, closes, tzinfo=calendar.zone)
    working = (open_at.astimezone(UTC) + timedelta(minutes=minute_of_day)).astimezone(calendar.zone)
    if working >= close_at:
        working = open_at
    # then adding no business time leaves it where it is
    assert calendar.add_business_time(working, timedelta(0)) == working


@SETTINGS
@given(calendars, instants, amounts)
def test_business_time_between_undoes_add_business_time(calendar, start, amount):
    due = calendar.add_business_time(start, amount)
    assert calendar.business_time_between(start, due) == amount


@SETTINGS
@given(calendars, instants, durations, pause_lists, st.sampled_from(list(EndRollover)))
def test_pauses_never_shorten_a_deadline(calendar, start, duration, pauses, rollover):
    # given any pauses, some before the start, some overlapping, some after the deadline
    intervals = [(begin, begin + length) for begin, length in pauses]
    # when the deadline is computed with and without them
    plain = calendar.due_at(start, duration, end_rollover=rollover)
    paused = calendar.due_with_pauses(start, duration, intervals, end_rollover=rollover)
    # then the paused one is never earlier
    assert paused >= plain


@SETTINGS
@given(calendars, instants, instants, durations, st.sampled_from(list(EndRollover)))
def test_a_later_event_never_gives_an_earlier_deadline(calendar, first, second, duration, rollover):
    early, late = sorted([first, second])
    assert calendar.due_at(early, duration, end_rollover=rollover) <= calendar.due_at(
        late, duration, end_rollover=rollover
    )
