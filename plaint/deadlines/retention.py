"""The retention schedule: how long each record type is kept, per jurisdiction (RULES.md § 8.4).

Pure Python: no ORM. Each pack (``rules/*.toml``) lists its ``[[retention]]`` entries beside its
clock rules: a record type, a period, the event the period runs from, the source with its
confidence tag, and optionally the sectors it is limited to. RULES.md § 8.4 asks to tie retention
to the *longest* applicable regulatory retention or limitation period, so a pack may list several
entries for one record type (the regulator's record-keeping rule and the general limitation
period) and ``RetentionSchedule.keep_until`` takes the latest end of those that apply.

Two kinds of entry:

- ``keep`` (the default): the record must (or may, to defend legal claims) be kept at least this
  long; when the longest such period has passed, ``plaint retention run`` removes it.
- ``at_most``: the record is kept this long and *no longer without a reason* (BR: call
  recordings ≥ 90 days, RULES.md § 8.4 "Recording calls"); a legal hold is the reason. Such an
  entry is the period of its record type on its own: the longer ``keep`` periods of the complaint
  record do not stretch it.

The account a person signs in with is not a record any law asks to keep: ``ACCOUNT_DATA`` says
so (erased at once on request). A country without entries keeps everything until a person asks
for erasure; its complaint records are then anonymised at once.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache
from pathlib import Path

from plaint.deadlines.durations import Duration, Unit, add_months
from plaint.deadlines.rules import RULES_DIR, Confidence, RuleFileError, Source


class RecordType(StrEnum):
    """What a retention entry is about."""

    # The complaint with its events, messages, contacts, decisions, files and the customer's
    # contact details as the provider recorded them.
    COMPLAINT_RECORD = "complaint_record"
    # A sound recording of a call (evidence whose type is audio/*).
    CALL_RECORDING = "call_recording"
    # The person's sign-in account (e-mail, name, password, language).
    ACCOUNT_DATA = "account_data"


class Trigger(StrEnum):
    """The event the period runs from."""

    RESOLUTION = "resolution"  # the complaint reached its final state (closed, withdrawn)
    RECEIPT = "receipt"  # the complaint was received
    RECORDED = "recorded"  # the record (a recording) was made
    ERASURE_REQUEST = "erasure_request"  # the person asked for erasure


class Kind(StrEnum):
    KEEP = "keep"  # keep at least this long (a legal obligation or the limitation period)
    AT_MOST = "at_most"  # keep this long and no longer without a reason (a legal hold)


#: Units a retention period may use (dates, not working time).
PERIOD_UNITS = frozenset({Unit.CALENDAR_DAYS, Unit.MONTHS, Unit.YEARS})


@dataclass(frozen=True, slots=True)
class RetentionEntry:
    id: str
    record_type: RecordType
    period: Duration
    trigger: Trigger
    source: Source
    kind: Kind = Kind.KEEP
    countries: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()  # empty: every sector
    pack: str = ""

    def applies_to(self, *, country: str, sector: str) -> bool:
        return (not self.countries or country in self.countries) and (
            not self.sectors or sector in self.sectors)

    def end(self, moment: datetime) -> datetime:
        """The end of the period that starts at ``moment``."""
        return period_end(moment, self.period)

    @property
    def label(self) -> str:
        """What a run or an erasure records as the rule: the entry's id and its period."""
        unit = {"calendar_days": "d", "months": "m", "years": "y"}[self.period.unit.value]
        return f"{self.id}:{self.period.value}{unit}"


ACCOUNT_DATA = RetentionEntry(
    id="privacy.account", record_type=RecordType.ACCOUNT_DATA,
    period=Duration(0, Unit.CALENDAR_DAYS), trigger=Trigger.ERASURE_REQUEST,
    source=Source(law="GDPR (Regulation (EU) 2016/679); LGPD (Law 13.709/2018)",
                  article="GDPR art. 17(1); LGPD art. 18 VI", confidence=Confidence.KNOWLEDGE,
                  note="No law asks to keep the sign-in account; the complaint records are kept "
                       "apart from it"),
)


def _shift(moment: datetime, period: Duration, sign: int) -> datetime:
    if period.unit is Unit.CALENDAR_DAYS:
        return moment + sign * timedelta(days=period.value)
    months = period.value * (12 if period.unit is Unit.YEARS else 1)
    day = add_months(moment.date(), sign * months)
    return moment.replace(year=day.year, month=day.month, day=day.day)


def period_end(moment: datetime, period: Duration) -> datetime:
    """``moment`` plus ``period``: calendar days as 24-hour days, months and years on the
    calendar (31 January + 1 month = 28/29 February; 29 February + 1 year = 28 February)."""
    return _shift(moment, period, 1)


def period_start(moment: datetime, period: Duration) -> datetime:
    """``moment`` less ``period``, on the same calendar: a record made before it has passed
    the period by ``moment``."""
    return _shift(moment, period, -1)


_KEYS = {"id", "record_type", "period", "trigger", "source", "kind", "sectors"}


def entry_from_data(raw: dict[str, object], *, pack: str, countries: Iterable[str],
                    where: str) -> RetentionEntry:
    """One ``[[retention]]`` table as a ``RetentionEntry``; ``RuleFileError`` if malformed."""
    unknown = set(raw) - _KEYS
    missing = {"id", "record_type", "period", "trigger", "source"} - set(raw)
    if unknown or missing:
        raise RuleFileError(f"{where}: unknown keys {sorted(unknown)}, missing keys {sorted(missing)}")
    try:
        source = dict(raw["source"])  # type: ignore[call-overload]
        period_raw = dict(raw["period"])  # type: ignore[call-overload]
        period = Duration(int(period_raw["value"]), Unit(period_raw["unit"]))
        if period.unit not in PERIOD_UNITS:
            raise RuleFileError(f"{where}: a retention period counts calendar days, months or years")
        sectors = raw.get("sectors", [])
        if not isinstance(sectors, list):
            raise RuleFileError(f"{where}: sectors is a list of strings")
        entry = RetentionEntry(
            id=str(raw["id"]), record_type=RecordType(raw["record_type"]), period=period,
            trigger=Trigger(raw["trigger"]), kind=Kind(raw.get("kind", Kind.KEEP)),
            source=Source(law=source.pop("law"), article=source.pop("article"),
                          confidence=Confidence(source.pop("confidence")),
                          url=source.pop("url", ""), note=source.pop("note", "")),
            countries=frozenset(countries), sectors=frozenset(sectors), pack=pack,
        )
    except RuleFileError:
        raise
    except (KeyError, ValueError, TypeError) as error:
        raise RuleFileError(f"{where}: {error!r}") from error
    if source:
        raise RuleFileError(f"{where}: unknown source keys {sorted(source)}")
    return entry


def entries_from_file(path: Path) -> list[RetentionEntry]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        entry_from_data(raw, pack=str(data.get("pack", "")), countries=data.get("countries", []),
                        where=f"{path.name} retention {i}")
        for i, raw in enumerate(data.get("retention", []), start=1)
    ]


@dataclass(frozen=True)
class Keep:
    """Until when a record is kept, and the entry that says so (``until`` None: the period has
    not started yet, its trigger has not happened)."""

    until: datetime | None
    entry: RetentionEntry


@dataclass(frozen=True)
class RetentionSchedule:
    entries: tuple[RetentionEntry, ...]

    def __post_init__(self) -> None:
        ids = [entry.id for entry in self.entries]
        if len(set(ids)) != len(ids):
            raise RuleFileError("two retention entries share an id")

    def applicable(self, *, country: str, sector: str, record_type: RecordType) -> list[RetentionEntry]:
        return [e for e in self.entries if e.record_type is record_type
                and e.applies_to(country=country, sector=sector)]

    def keep_until(self, *, country: str, sector: str, record_type: RecordType,
                   moments: dict[Trigger, datetime | None]) -> Keep | None:
        """The latest end among the applicable entries whose trigger has happened (``moments``:
        when each trigger happened, None if not yet). ``None``: no entry applies, nothing
        requires the record to be kept."""
        entries = self.applicable(country=country, sector=sector, record_type=record_type)
        at_most = [e for e in entries if e.kind is Kind.AT_MOST]
        entries = at_most or entries
        ends: list[Keep] = []
        for entry in entries:
            moment = moments.get(entry.trigger)
            if moment is None:
                return Keep(None, entry)
            ends.append(Keep(entry.end(moment), entry))
        return max(ends, key=lambda keep: (keep.until, keep.entry.id)) if ends else None

    def by_label(self, label: str) -> RetentionEntry | None:
        """The entry a run or an erasure recorded as its rule (``RetentionEntry.label``)."""
        return next((e for e in (*self.entries, ACCOUNT_DATA) if e.label == label), None)

    def countries(self) -> frozenset[str]:
        return frozenset(c for e in self.entries for c in e.countries)


@cache
def retention_schedule() -> RetentionSchedule:
    """Every ``[[retention]]`` entry of every pack, loaded once per process."""
    entries: list[RetentionEntry] = []
    for path in sorted(RULES_DIR.glob("*.toml")):
        entries.extend(entries_from_file(path))
    return RetentionSchedule(tuple(entries))
