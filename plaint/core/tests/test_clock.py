"""The one clock: fixed by tests, moved forward, read from a file by other processes."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.utils import timezone as django_timezone

from plaint.core import clock

MOMENT = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def running_clock(monkeypatch):
    """Every test starts and ends with the clock running and no clock file named."""
    monkeypatch.delenv("PLAINT_TEST_CLOCK_FILE", raising=False)
    clock.set_now(None)
    yield
    clock.set_now(None)


def test_the_running_clock_is_the_current_aware_time():
    before = django_timezone.now()
    now = clock.now()
    assert now.tzinfo is not None
    assert before <= now <= django_timezone.now()


def test_a_fixed_clock_stands_still_until_released():
    # when
    clock.set_now(MOMENT)
    # then
    assert clock.now() == MOMENT
    assert clock.now() == MOMENT
    clock.set_now(None)
    before = django_timezone.now()
    assert before <= clock.now() <= django_timezone.now()


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        clock.set_now(datetime(2026, 11, 23, 9, 30))  # noqa: DTZ001 - the naive time refused
    with pytest.raises(ValueError, match="timezone-aware"), clock.frozen_at(
        datetime(2026, 11, 23, 9, 30)  # noqa: DTZ001
    ):
        pass


def test_an_aware_time_in_another_zone_is_the_same_moment():
    prague_winter = timezone(timedelta(hours=1))
    clock.set_now(datetime(2026, 11, 23, 10, 30, tzinfo=prague_winter))
    assert clock.now() == MOMENT


def test_advance_moves_a_fixed_clock_forward_and_returns_the_new_time():
    clock.set_now(MOMENT)
    assert clock.advance(timedelta(days=31)) == MOMENT + timedelta(days=31)
    assert clock.now() == MOMENT + timedelta(days=31)


def test_advance_needs_a_fixed_clock():
    with pytest.raises(RuntimeError):
        clock.advance(timedelta(seconds=1))


def test_frozen_at_fixes_the_clock_for_a_block_and_restores_the_previous_one():
    clock.set_now(MOMENT)
    later = MOMENT + timedelta(hours=5)
    with clock.frozen_at(later):
        assert clock.now() == later
        with clock.frozen_at(MOMENT - timedelta(days=1)):
            assert clock.now() == MOMENT - timedelta(days=1)
        assert clock.now() == later
    assert clock.now() == MOMENT


def test_frozen_at_restores_the_running_clock_even_when_the_block_fails():
    with pytest.raises(KeyError), clock.frozen_at(MOMENT):
        raise KeyError("boom")
    before = django_timezone.now()
    assert before <= clock.now() <= django_timezone.now()


def test_the_clock_file_sets_the_time_where_test_clocks_are_allowed(settings, tmp_path):
    # given a clock file holding a time
    clock_file = tmp_path / "clock"
    clock_file.write_text("2026-12-24T18:00:00+00:00\n", encoding="ascii")
    settings.PLAINT_ALLOW_TEST_CLOCK = True
    settings.PLAINT_TEST_CLOCK_FILE = str(clock_file)
    # when / then
    assert clock.now() == datetime(2026, 12, 24, 18, 0, tzinfo=UTC)
    # and a new time written to it is read at once
    clock_file.write_text("2027-01-02T08:00:00+01:00", encoding="ascii")
    assert clock.now() == datetime(2027, 1, 2, 7, 0, tzinfo=UTC)


def test_the_clock_file_may_be_named_in_the_environment(settings, tmp_path, monkeypatch):
    clock_file = tmp_path / "clock"
    clock_file.write_text("2026-12-24T18:00:00+00:00", encoding="ascii")
    settings.PLAINT_ALLOW_TEST_CLOCK = True
    settings.PLAINT_TEST_CLOCK_FILE = None
    monkeypatch.setenv("PLAINT_TEST_CLOCK_FILE", str(clock_file))
    assert clock.now() == datetime(2026, 12, 24, 18, 0, tzinfo=UTC)


def test_the_clock_file_is_ignored_where_test_clocks_are_not_allowed(settings, tmp_path):
    clock_file = tmp_path / "clock"
    clock_file.write_text("2001-01-01T00:00:00+00:00", encoding="ascii")
    settings.PLAINT_ALLOW_TEST_CLOCK = False
    settings.PLAINT_TEST_CLOCK_FILE = str(clock_file)
    assert clock.now().year > 2001


@pytest.mark.parametrize("content", [None, "", "  \n"])
def test_a_missing_or_empty_clock_file_leaves_the_clock_running(settings, tmp_path, content):
    clock_file = tmp_path / "clock"
    if content is not None:
        clock_file.write_text(content, encoding="ascii")
    settings.PLAINT_ALLOW_TEST_CLOCK = True
    settings.PLAINT_TEST_CLOCK_FILE = str(clock_file)
    before = django_timezone.now()
    assert before <= clock.now() <= django_timezone.now()


def test_a_fixed_clock_wins_over_the_clock_file(settings, tmp_path):
    clock_file = tmp_path / "clock"
    clock_file.write_text("2001-01-01T00:00:00+00:00", encoding="ascii")
    settings.PLAINT_ALLOW_TEST_CLOCK = True
    settings.PLAINT_TEST_CLOCK_FILE = str(clock_file)
    with clock.frozen_at(MOMENT):
        assert clock.now() == MOMENT


def test_a_clock_file_without_a_utc_offset_is_refused(settings, tmp_path):
    # given a clock file with a naive time
    clock_file = tmp_path / "clock"
    clock_file.write_text("2026-12-24T18:00:00", encoding="ascii")
    settings.PLAINT_ALLOW_TEST_CLOCK = True
    settings.PLAINT_TEST_CLOCK_FILE = str(clock_file)
    # when / then the clock refuses to guess the zone
    with pytest.raises(ValueError, match="without a UTC offset"):
        clock.now()
