"""The retention schedule of the packs (RULES.md § 8.4), without a database: every entry names
its source and confidence; the longest applicable period keeps a complaint record; BR call
recordings have their own 90 days; a malformed entry is refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from plaint.deadlines.durations import Duration, Unit
from plaint.deadlines.retention import (
    Kind,
    RecordType,
    Trigger,
    entry_from_data,
    period_end,
    retention_schedule,
)
from plaint.deadlines.rules import Confidence, RuleFileError
from plaint.parties.choices import Sector

SCHEDULE = retention_schedule()
RECEIVED = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
RESOLVED = datetime(2026, 2, 28, 15, 0, tzinfo=UTC)
MOMENTS = {Trigger.RECEIPT: RECEIVED, Trigger.RESOLUTION: RESOLVED, Trigger.RECORDED: RECEIVED}


@pytest.mark.parametrize("entry", SCHEDULE.entries, ids=lambda e: e.id)
def test_every_entry_names_its_source_confidence_and_sectors_plaint_knows(entry):
    assert entry.source.law.strip()
    assert entry.source.article.strip()
    assert isinstance(entry.source.confidence, Confidence)
    assert len(entry.countries) == 1
    assert entry.sectors <= set(Sector.values)


@pytest.mark.parametrize(("country", "sector", "until", "rule"), [
    ("CZ", Sector.INTERNET, datetime(2029, 2, 28, 15, 0, tzinfo=UTC), "CZ.limitation:3y"),
    ("PL", Sector.TELECOM, datetime(2032, 2, 28, 15, 0, tzinfo=UTC), "PL.limitation:6y"),
    ("RO", Sector.ENERGY, datetime(2029, 2, 28, 15, 0, tzinfo=UTC), "RO.limitation:3y"),
    # UK: the FCA's 3 years from receipt (DISP 1.9) end before the 6-year limitation period
    ("GB", Sector.FINANCE, datetime(2032, 2, 28, 15, 0, tzinfo=UTC), "UK.limitation:6y"),
    # BR: the SAC's 2 years from resolution end before the 5 years of CDC art. 27
    ("BR", Sector.TELECOM, datetime(2031, 2, 28, 15, 0, tzinfo=UTC), "BR.limitation:5y"),
])
def test_a_complaint_record_is_kept_for_the_longest_applicable_period(country, sector, until, rule):
    keep = SCHEDULE.keep_until(country=country, sector=sector, record_type=RecordType.COMPLAINT_RECORD,
                               moments=MOMENTS)
    assert keep is not None
    assert (keep.until, keep.entry.label) == (until, rule)


def test_the_uk_financial_record_keeping_rule_applies_to_financial_firms_only():
    record = RecordType.COMPLAINT_RECORD
    finance = SCHEDULE.applicable(country="GB", sector=Sector.FINANCE, record_type=record)
    telecom = SCHEDULE.applicable(country="GB", sector=Sector.TELECOM, record_type=record)
    assert {e.id for e in finance} == {"UK.DISP.records", "UK.limitation"}
    assert {e.id for e in telecom} == {"UK.limitation"}


def test_a_brazilian_call_recording_is_kept_90_days_whatever_the_record_keeps():
    keep = SCHEDULE.keep_until(country="BR", sector=Sector.RETAIL, record_type=RecordType.CALL_RECORDING,
                               moments=MOMENTS)
    assert keep is not None
    assert keep.entry.kind is Kind.AT_MOST
    assert keep.until == datetime(2026, 4, 10, 9, 0, tzinfo=UTC)
    assert keep.entry.source.article == "art. 12"


def test_a_record_whose_trigger_has_not_happened_is_kept_without_an_end():
    keep = SCHEDULE.keep_until(country="CZ", sector=Sector.INTERNET, record_type=RecordType.COMPLAINT_RECORD,
                               moments={Trigger.RECEIPT: RECEIVED, Trigger.RESOLUTION: None})
    assert keep is not None
    assert keep.until is None


def test_a_country_without_entries_requires_nothing_to_be_kept():
    assert SCHEDULE.keep_until(country="US", sector=Sector.FINANCE, record_type=RecordType.COMPLAINT_RECORD,
                               moments=MOMENTS) is None


def test_periods_end_on_the_calendar():
    leap = datetime(2028, 2, 29, 12, 0, tzinfo=UTC)
    assert period_end(leap, Duration(1, Unit.YEARS)) == datetime(2029, 2, 28, 12, 0, tzinfo=UTC)
    assert period_end(leap, Duration(90, Unit.CALENDAR_DAYS)) == datetime(2028, 5, 29, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("change", "message"), [
    ({"period": {"value": 3, "unit": "business_days"}}, "calendar days, months or years"),
    ({"colour": "red"}, "unknown keys"),
    ({"record_type": "diary"}, "diary"),
])
def test_a_malformed_entry_is_refused(change, message):
    raw = {"id": "XX.test", "record_type": "complaint_record", "period": {"value": 3, "unit": "years"},
           "trigger": "resolution", "source": {"law": "Law", "article": "1", "confidence": "K"}}
    with pytest.raises(RuleFileError, match=message):
        entry_from_data({**raw, **change}, pack="XX", countries=["XX"], where="xx.toml retention 1")
