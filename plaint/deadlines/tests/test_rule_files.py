"""The statutory rule files and what the engine makes of them, without a database.

Every rule file loads and says where its rule comes from; every rule has a title a person can
read; versions follow each other; a malformed file is refused. Then, for each encoded rule set, a
complaint received on a given day is due when the rule's text and that country's real calendar
say (RULES.md § 0 and its "Verification update"), and the engine's own behaviours: a rule without
a pause keeps running while the customer is asked for information, a rule with one does not,
extensions, and the met/breached/stopped states.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from plaint.complaints.choices import Channel
from plaint.deadlines.calendars import BusinessCalendar
from plaint.deadlines.durations import Duration, EndRollover, StartRule, Unit
from plaint.deadlines.engine import Clock, ClockState, EventFact, derive_clocks
from plaint.deadlines.explanations import RULE_TITLES
from plaint.deadlines.rules import (
    RULES_DIR,
    ClockRule,
    Confidence,
    ExpiryAction,
    MetBy,
    Party,
    Pause,
    RuleBook,
    RuleFileError,
    RuleKind,
    Source,
    Start,
    rules_from_file,
    statutory_rules,
)
from plaint.parties.choices import Sector

RULE_FILES = sorted(RULES_DIR.glob("*.toml"))
ALL_RULES = statutory_rules().rules


def _ids(rules) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted({rule.id for rule in rules})


# Loading and sources


def test_there_is_a_rule_file_for_every_encoded_jurisdiction():
    assert sorted(path.name for path in RULE_FILES) == [
        "br.toml", "cz.toml", "iso10002.toml", "pl.toml", "ro.toml", "uk.toml", "us.toml",
    ]


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_every_rule_file_loads_and_holds_rules(path):
    rules = rules_from_file(path)
    assert rules
    assert all(rule.pack for rule in rules)


def test_the_rule_book_holds_every_rule_of_every_file():
    from_files = sum(len(rules_from_file(path)) for path in RULE_FILES)
    assert len(ALL_RULES) == from_files


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: f"{r.id}-v{r.version}")
def test_every_rule_names_its_law_article_and_confidence(rule):
    assert rule.source.law.strip()
    assert rule.source.article.strip()
    assert isinstance(rule.source.confidence, Confidence)


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: f"{r.id}-v{r.version}")
def test_every_rule_has_a_title_a_person_can_read(rule):
    assert rule.id in RULE_TITLES
    assert str(RULE_TITLES[rule.id]).strip()


def test_every_title_belongs_to_a_rule_except_the_promises():
    rule_ids = {rule.id for rule in ALL_RULES}
    orphans = {key for key in RULE_TITLES if key not in rule_ids and not key.startswith("promise.")}
    assert orphans == set()


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: f"{r.id}-v{r.version}")
def test_rules_name_only_sectors_and_channels_plaint_knows(rule):
    # a misspelt sector or channel would make the rule silently apply to nobody
    assert rule.sectors <= set(Sector.values)
    assert rule.channels <= set(Channel.values)


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: f"{r.id}-v{r.version}")
def test_every_statutory_rule_is_tied_to_its_countries(rule):
    # only the ISO 10002 baseline (good practice, kind "policy") applies everywhere
    if rule.pack == "ISO-10002":
        assert rule.kind is RuleKind.POLICY
        assert rule.countries == frozenset()
    else:
        assert rule.kind is RuleKind.STATUTORY
        assert len(rule.countries) == 1


# Versions


def test_versions_of_one_rule_do_not_overlap_and_are_numbered_uniquely():
    by_id: dict[str, list[ClockRule]] = {}
    for rule in ALL_RULES:
        by_id.setdefault(rule.id, []).append(rule)
    for versions in by_id.values():
        versions.sort(key=lambda r: r.effective_from)
        assert len({r.version for r in versions}) == len(versions)
        for earlier, later in zip(versions, versions[1:], strict=False):
            assert earlier.effective_to is not None
            assert earlier.effective_to < later.effective_from


def test_polish_consumer_reply_has_two_versions_that_meet_at_new_year_2023():
    first = statutory_rules().get("PL.consumer.reply", 1)
    second = statutory_rules().get("PL.consumer.reply", 2)
    assert first is not None
    assert second is not None
    assert (first.duration, first.effective_to) == (Duration(30, Unit.CALENDAR_DAYS), date(2022, 12, 31))
    assert (second.duration, second.effective_from) == (Duration(14, Unit.CALENDAR_DAYS), date(2023, 1, 1))
    assert first.effective_to + timedelta(days=1) == second.effective_from


@pytest.mark.parametrize(
    ("day", "version", "days"),
    [
        (date(2022, 12, 31), 1, 30),  # the last day of the old text: 30 days
        (date(2023, 1, 1), 2, 14),  # the amendment in force: 14 days
    ],
)
def test_the_version_in_force_on_the_day_is_picked(day, version, days):
    rules = statutory_rules().applicable(
        country="PL", sector="retail", channel="web", start=Start.RECEIVED, day=day
    )
    replies = [rule for rule in rules if rule.id == "PL.consumer.reply"]
    assert [(r.version, r.duration.value) for r in replies] == [(version, days)]


def test_a_rule_not_yet_in_force_does_not_apply():
    # the Polish telecoms acknowledgement rule is in force from 14 March 2026
    before = statutory_rules().applicable(
        country="PL", sector="telecom", channel="web", start=Start.RECEIVED, day=date(2026, 3, 13)
    )
    after = statutory_rules().applicable(
        country="PL", sector="telecom", channel="web", start=Start.RECEIVED, day=date(2026, 3, 14)
    )
    assert "PL.telecom.acknowledge" not in _ids(before)
    assert "PL.telecom.acknowledge" in _ids(after)


@pytest.mark.parametrize(
    ("country", "sector", "channel", "expected"),
    [
        ("CZ", "retail", "web", ["CZ.consumer.handle", "ISO10002.acknowledge"]),
        ("CZ", "telecom", "web", ["CZ.telecom.handle", "ISO10002.acknowledge"]),
        ("PL", "retail", "web", ["ISO10002.acknowledge", "PL.consumer.reply"]),
        ("PL", "telecom", "web", ["ISO10002.acknowledge", "PL.telecom.acknowledge", "PL.telecom.reply"]),
        # a complaint made in person needs no written confirmation of receipt
        ("PL", "telecom", "visit", ["ISO10002.acknowledge", "PL.telecom.reply"]),
        ("PL", "finance", "web", ["ISO10002.acknowledge", "PL.finance.reply"]),
        ("RO", "retail", "web", ["ISO10002.acknowledge", "RO.goods.remedy"]),
        ("BR", "telecom", "web", ["BR.SAC.answer", "ISO10002.acknowledge"]),
        ("BR", "retail", "web", ["BR.CDC.defect", "ISO10002.acknowledge"]),
        ("BR", "retail", "regulator", ["BR.CDC.defect", "BR.platform.answer", "ISO10002.acknowledge"]),
        ("GB", "finance", "web",
         ["ISO10002.acknowledge", "UK.DISP.final_response", "UK.DISP.summary_resolution"]),
        ("GB", "telecom", "web", ["ISO10002.acknowledge", "UK.Ofcom.adr"]),
        ("GB", "energy", "web", ["ISO10002.acknowledge", "UK.Ofgem.ombudsman"]),
        ("US", "finance", "regulator",
         ["ISO10002.acknowledge", "US.CFPB.final", "US.CFPB.priority", "US.CFPB.response"]),
        # the CFPB clocks run only for complaints the CFPB sends
        ("US", "finance", "web", ["ISO10002.acknowledge"]),
        ("DE", "retail", "web", ["ISO10002.acknowledge"]),
    ],
)
def test_the_rules_that_start_at_receipt_follow_country_sector_and_channel(
    country, sector, channel, expected
):
    rules = statutory_rules().applicable(
        country=country, sector=sector, channel=channel, start=Start.RECEIVED, day=date(2026, 6, 1)
    )
    assert _ids(rules) == expected


# Malformed rule files

VALID_RULE = """
[[rule]]
id = "XX.test.reply"
version = 1
start = "received"
duration = { value = 14, unit = "calendar_days" }
met_by = "answer"
source = { law = "Test Act", article = "art. 1", confidence = "V" }
"""


def _rule_file(tmp_path: Path, body: str, header: str = 'pack = "XX"\ncountries = ["XX"]\n') -> Path:
    path = tmp_path / "xx.toml"
    path.write_text(header + body, encoding="utf-8")
    return path


def test_a_well_formed_rule_file_loads(tmp_path):
    # given the valid rule the malformed ones below start from
    [rule] = rules_from_file(_rule_file(tmp_path, VALID_RULE))
    assert (rule.id, rule.pack, rule.countries, rule.kind) == (
        "XX.test.reply", "XX", frozenset({"XX"}), RuleKind.STATUTORY,
    )
    assert rule.duration == Duration(14, Unit.CALENDAR_DAYS)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('version = 1\n', 'version = 1\nsubsector = "retail"\n'),  # an unknown key
        ('met_by = "answer"\n', ''),  # a missing key
        ('unit = "calendar_days"', 'unit = "fortnights"'),  # a bad unit
        ('value = 14', 'value = "fourteen"'),  # a duration that is not a number
        ('start = "received"', 'start = "whenever"'),
        ('met_by = "answer"', 'met_by = "never"'),
        ('confidence = "V"', 'confidence = "certain"'),
        ('confidence = "V"', 'confidence = "V", page = 3'),  # an unknown source key
        ('article = "art. 1", ', ''),  # a source without its article
        ('version = 1\n', 'version = 1\nwarning_at = 1.5\n'),  # a warning after the deadline
        ('version = 1\n', 'version = 1\npauses = ["lunch"]\n'),
        ('version = 1\n', 'version = 1\non_expiry = ["panic"]\n'),
        # an external route needs the body it opens
        ('version = 1\n', 'version = 1\non_expiry = ["open_external_route"]\n'),
        # consumer rights need the rights they open
        ('version = 1\n', 'version = 1\non_expiry = ["consumer_rights"]\n'),
    ],
)
def test_a_malformed_rule_is_refused(tmp_path, old, new):
    assert old in VALID_RULE
    path = _rule_file(tmp_path, VALID_RULE.replace(old, new, 1))
    with pytest.raises(RuleFileError, match=r"xx\.toml rule 1"):
        rules_from_file(path)


def test_an_external_route_with_its_body_is_accepted(tmp_path):
    body = VALID_RULE.replace(
        'version = 1\n', 'version = 1\non_expiry = ["open_external_route"]\nexternal_body = "Ombudsman"\n'
    )
    [rule] = rules_from_file(_rule_file(tmp_path, body))
    assert rule.on_expiry == (ExpiryAction.OPEN_EXTERNAL_ROUTE,)


def test_a_rule_file_without_a_pack_is_refused(tmp_path):
    with pytest.raises(RuleFileError, match="pack"):
        rules_from_file(_rule_file(tmp_path, VALID_RULE, header='countries = ["XX"]\n'))


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # the first version has no end, so it runs into the second
        ('effective_from = 2020-01-01', 'effective_from = 2023-01-01'),
        # the first ends on the day the second starts
        ('effective_from = 2020-01-01\neffective_to = 2023-01-01', 'effective_from = 2023-01-01'),
    ],
)
def test_overlapping_versions_are_refused(tmp_path, first, second):
    v1 = VALID_RULE.replace("version = 1\n", f"version = 1\n{first}\n")
    v2 = VALID_RULE.replace("version = 1\n", f"version = 2\n{second}\n")
    rules = rules_from_file(_rule_file(tmp_path, v1 + v2))
    with pytest.raises(RuleFileError, match="overlap"):
        RuleBook(tuple(rules))


def test_two_versions_with_one_number_are_refused(tmp_path):
    v1 = VALID_RULE.replace("version = 1\n", "version = 1\neffective_to = 2022-12-31\n")
    v2 = VALID_RULE.replace("version = 1\n", "version = 1\neffective_from = 2023-01-01\n")
    rules = rules_from_file(_rule_file(tmp_path, v1 + v2))
    with pytest.raises(RuleFileError, match="share a number"):
        RuleBook(tuple(rules))


def test_versions_that_follow_each_other_are_accepted(tmp_path):
    v1 = VALID_RULE.replace("version = 1\n", "version = 1\neffective_to = 2022-12-31\n")
    v2 = VALID_RULE.replace("version = 1\n", "version = 2\neffective_from = 2023-01-01\n")
    book = RuleBook(tuple(rules_from_file(_rule_file(tmp_path, v1 + v2))))
    assert [r.version for r in book.rules] == [1, 2]


def test_a_sector_given_as_a_string_instead_of_a_list_is_refused(tmp_path):
    body = VALID_RULE.replace("version = 1\n", 'version = 1\nsectors = "retail"\n')
    with pytest.raises(RuleFileError):
        rules_from_file(_rule_file(tmp_path, body))


def test_a_quoted_effective_date_is_refused(tmp_path):
    body = VALID_RULE.replace("version = 1\n", 'version = 1\neffective_from = "2023-01-01"\n')
    with pytest.raises(RuleFileError):
        rules_from_file(_rule_file(tmp_path, body))


# Due dates per rule set, from the rule's text and the country's real calendar

ORG = {
    # country, subdivision, time zone
    "CZ": ("CZ", None, "Europe/Prague"),
    "PL": ("PL", None, "Europe/Warsaw"),
    "RO": ("RO", None, "Europe/Bucharest"),
    "BR": ("BR", None, "America/Sao_Paulo"),
    "GB": ("GB", "ENG", "Europe/London"),
    "US": ("US", None, "America/New_York"),
}
EOD = time.max  # day units end at the end of the due day, local time
COB = time(17)  # business days end at the close of business, 17:00 local by default


def _calendar(where: str) -> BusinessCalendar:
    country, subdivision, zone = ORG[where]
    return BusinessCalendar(time_zone=zone, country=country, subdivision=subdivision)


def _rules_at(where: str, sector: str, channel: str):  # type: ignore[no-untyped-def]
    calendar = _calendar(where)

    def rules_at(start: Start, at: datetime) -> list[ClockRule]:
        return statutory_rules().applicable(
            country=ORG[where][0], sector=sector, channel=channel, start=start, day=calendar.local_date(at)
        )

    return rules_at


def _local(where: str, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=ZoneInfo(ORG[where][2]))  # type: ignore[misc]


def _received(where: str, at: datetime, channel: str = "web", level: int = 1) -> EventFact:
    return EventFact(id=1, kind="received", at=at, data={"channel": channel, "level": level})


# Each row: where, sector, channel, the rule, received (local, 10:00), the due day and time of day.
DUE_TABLE = [
    # PL art. 7a (v2): 14 cd from Wed 28 Oct 2026 is Wed 11 Nov, Independence Day; KC art. 115 rolls
    # it to the next working day, Thu 12 Nov.
    ("PL", "retail", "web", "PL.consumer.reply", (2026, 10, 28), (2026, 11, 12), EOD),
    # PL art. 7a before 2023 (v1): 30 cd from Thu 3 Nov 2022 is Sat 3 Dec; Saturdays roll too (KC art.
    # 115 since 2017), so Mon 5 Dec.
    ("PL", "retail", "web", "PL.consumer.reply", (2022, 11, 3), (2022, 12, 5), EOD),
    # Received on the last day of v1 (Sat 31 Dec 2022): 30 cd, Mon 30 Jan 2023, a working day.
    ("PL", "retail", "web", "PL.consumer.reply", (2022, 12, 31), (2023, 1, 30), EOD),
    # Received on the first day of v2 (Sun 1 Jan 2023): 14 cd is Sun 15 Jan, rolled to Mon 16 Jan.
    ("PL", "retail", "web", "PL.consumer.reply", (2023, 1, 1), (2023, 1, 16), EOD),
    # PL telecoms (PKE art. 378): 30 cd from Mon 12 Oct 2026 is Wed 11 Nov, Independence Day: Thu 12 Nov.
    ("PL", "telecom", "web", "PL.telecom.reply", (2026, 10, 12), (2026, 11, 12), EOD),
    # PL telecoms confirmation (Reg. 2025 poz. 1371 § 2), in force from Sat 14 Mar 2026: 14 cd is
    # Sat 28 Mar, rolled to Mon 30 Mar.
    ("PL", "telecom", "web", "PL.telecom.acknowledge", (2026, 3, 14), (2026, 3, 30), EOD),
    # PL finance (Act of 2015 arts 6-8): 30 cd from Wed 2 Dec 2026 is Fri 1 Jan 2027, New Year; then
    # a weekend: the next working day is Mon 4 Jan.
    ("PL", "finance", "web", "PL.finance.reply", (2026, 12, 2), (2027, 1, 4), EOD),
    # CZ § 19(3): 30 cd from Thu 10 Sep 2026 is Sat 10 Oct; OZ § 607 rolls it to Mon 12 Oct.
    ("CZ", "retail", "web", "CZ.consumer.handle", (2026, 9, 10), (2026, 10, 12), EOD),
    # CZ telecoms § 129: 1 month from Sat 31 Jan 2026 ends on the month's last day, Sat 28 Feb
    # (no 31 Feb), rolled to Mon 2 Mar.
    ("CZ", "telecom", "web", "CZ.telecom.handle", (2026, 1, 31), (2026, 3, 2), EOD),
    # ... and from Fri 31 Jan 2025: Fri 28 Feb 2025, a working day, no roll.
    ("CZ", "telecom", "web", "CZ.telecom.handle", (2025, 1, 31), (2025, 2, 28), EOD),
    # ISO 10002 baseline, 1 business day: from Tue 27 Oct 2026 the next day is Wed 28 Oct, Czech
    # Statehood Day, so Thu 29 Oct, at the close of business (17:00 CET, after the DST change).
    ("CZ", "internet", "web", "ISO10002.acknowledge", (2026, 10, 27), (2026, 10, 29), COB),
    # RO OUG 140/2021 art. 12(1)(b): 15 cd from Mon 16 Nov 2026 is Tue 1 Dec, Great Union Day; the
    # encoded operational target D+15 does not roll.
    ("RO", "retail", "web", "RO.goods.remedy", (2026, 11, 16), (2026, 12, 1), EOD),
    # RO telecoms stand-in, 30 cd from Fri 6 Mar 2026: Sun 5 Apr, no roll.
    ("RO", "telecom", "web", "RO.telecom.settle", (2026, 3, 6), (2026, 4, 5), EOD),
    # BR SAC (Decree 11.034 art. 13): 7 dias corridos from Sat 9 May 2026 is Sat 16 May; no roll.
    ("BR", "telecom", "web", "BR.SAC.answer", (2026, 5, 9), (2026, 5, 16), EOD),
    # ... not even past a holiday: from Tue 14 Apr 2026 it is Tue 21 Apr, Tiradentes, and stays.
    ("BR", "telecom", "web", "BR.SAC.answer", (2026, 4, 14), (2026, 4, 21), EOD),
    # BR CDC art. 18 § 1: 30 cd from Wed 21 Oct 2026 is Fri 20 Nov, Black Awareness Day (national
    # since 2024); CC art. 132 § 1 moves it past the holiday only, to Sat 21 Nov.
    ("BR", "retail", "web", "BR.CDC.defect", (2026, 10, 21), (2026, 11, 21), EOD),
    # ... and a last day on a Saturday does not move: from Thu 7 May 2026, Sat 6 Jun.
    ("BR", "retail", "web", "BR.CDC.defect", (2026, 5, 7), (2026, 6, 6), EOD),
    # consumidor.gov.br, 10 d from Fri 28 Aug 2026: Mon 7 Sep, Independence Day, no roll.
    ("BR", "retail", "regulator", "BR.platform.answer", (2026, 8, 28), (2026, 9, 7), EOD),
    # FCA DISP 1.5: by the close of the 3rd business day. From Thu 2 Apr 2026: Good Friday, the
    # weekend and Easter Monday (an English bank holiday) are skipped: Tue 7, Wed 8, Thu 9 Apr, 17:00 BST.
    ("GB", "finance", "web", "UK.DISP.summary_resolution", (2026, 4, 2), (2026, 4, 9), COB),
    # FCA DISP 1.6.2R: 8 weeks = 56 cd from Mon 2 Nov 2026 is Mon 28 Dec, the Boxing Day substitute
    # bank holiday; the UK does not roll.
    ("GB", "finance", "web", "UK.DISP.final_response", (2026, 11, 2), (2026, 12, 28), EOD),
    # Ofcom GC C4 / Ofgem: 8 weeks from Sat 3 Oct 2026 is Sat 28 Nov, no roll.
    ("GB", "telecom", "web", "UK.Ofcom.adr", (2026, 10, 3), (2026, 11, 28), EOD),
    ("GB", "energy", "web", "UK.Ofgem.ombudsman", (2026, 10, 3), (2026, 11, 28), EOD),
    # CFPB: 15 cd from Wed 11 Nov 2026 (Veterans Day) is Thu 26 Nov, Thanksgiving; no roll.
    ("US", "finance", "regulator", "US.CFPB.response", (2026, 11, 11), (2026, 11, 26), EOD),
    # CFPB prioritisation, 30 cd from the same day: Fri 11 Dec.
    ("US", "finance", "regulator", "US.CFPB.priority", (2026, 11, 11), (2026, 12, 11), EOD),
    # CFPB final response, 60 cd from Mon 26 Oct 2026: Fri 25 Dec, Christmas Day; no roll.
    ("US", "finance", "regulator", "US.CFPB.final", (2026, 10, 26), (2026, 12, 25), EOD),
]


@pytest.mark.parametrize(
    ("where", "sector", "channel", "rule_id", "received", "due_day", "due_time"),
    DUE_TABLE,
    ids=[f"{row[3]}-{'-'.join(map(str, row[4]))}" for row in DUE_TABLE],
)
def test_a_complaint_received_on_a_day_is_due_when_the_rule_says(
    where, sector, channel, rule_id, received, due_day, due_time
):
    # given a complaint received at 10:00 local time
    at = _local(where, *received, 10)
    # when its clocks are derived
    clocks = derive_clocks(
        [_received(where, at, channel)], rules_at=_rules_at(where, sector, channel), calendar=_calendar(where)
    )
    # then the rule's clock runs from receipt to the last instant of the due day (or its close)
    [clock] = [c for c in clocks if c.rule.id == rule_id]
    zone = ZoneInfo(ORG[where][2])
    expected = datetime.combine(date(*due_day), due_time, tzinfo=zone)
    assert clock.state is ClockState.RUNNING
    assert clock.started_at == at
    assert clock.due_at == expected
    assert clock.due_at.utcoffset() == expected.utcoffset()  # in the organisation's time zone


def test_day_deadlines_end_at_the_last_microsecond_of_the_local_day():
    clocks = derive_clocks(
        [_received("PL", _local("PL", 2026, 10, 28, 10))],
        rules_at=_rules_at("PL", "retail", "web"), calendar=_calendar("PL"),
    )
    [reply] = [c for c in clocks if c.rule.id == "PL.consumer.reply"]
    assert reply.due_at is not None
    assert reply.due_at.time() == time(23, 59, 59, 999999)
    assert reply.due_at + timedelta(microseconds=1) == _local("PL", 2026, 11, 13)


def test_a_late_evening_receipt_counts_the_local_day_not_the_utc_one():
    # given a Polish complaint received at 00:30 Warsaw time on Wed 28 Oct 2026 (still 27 Oct in UTC)
    at = _local("PL", 2026, 10, 28, 0, 30)
    clocks = derive_clocks(
        [_received("PL", at)], rules_at=_rules_at("PL", "retail", "web"), calendar=_calendar("PL")
    )
    [reply] = [c for c in clocks if c.rule.id == "PL.consumer.reply"]
    # then day 1 is 29 Oct in Warsaw: due Thu 12 Nov as in the table, not a day earlier
    assert reply.due_at == datetime.combine(date(2026, 11, 12), EOD, tzinfo=ZoneInfo("Europe/Warsaw"))


# Pure engine behaviours

PL_TELECOM = ("PL", "telecom", "web")
RECEIVED_AT = _local("PL", 2026, 10, 12, 10)
PL_TELECOM_DUE = datetime.combine(date(2026, 11, 12), EOD, tzinfo=ZoneInfo("Europe/Warsaw"))


def _transition(event_id: int, at: datetime, before: str, after: str, action: str) -> EventFact:
    data = {"from": before, "to": after, "action": action}
    return EventFact(id=event_id, kind="transitioned", at=at, data=data)


def _asked_for_information(days_waiting: int) -> list[EventFact]:
    """Received, acknowledged the next day, information asked for on day 2, answered after the wait."""
    asked = RECEIVED_AT + timedelta(days=2)
    return [
        _received("PL", RECEIVED_AT),
        _transition(2, RECEIVED_AT + timedelta(days=1), "received", "acknowledged", "acknowledge"),
        _transition(3, asked, "acknowledged", "awaiting_customer", "request_information"),
        _transition(4, asked + timedelta(days=days_waiting), "awaiting_customer", "investigating", "resume"),
    ]


def _pl_telecom_clocks(events: list[EventFact], **rules: ClockRule) -> dict[str, Clock]:
    base = _rules_at(*PL_TELECOM)

    def rules_at(start: Start, at: datetime) -> list[ClockRule]:
        extra = list(rules.values()) if start is Start.RECEIVED else []
        return [*base(start, at), *extra]

    return {c.key: c for c in derive_clocks(events, rules_at=rules_at, calendar=_calendar("PL"))}


def test_a_rule_without_pauses_keeps_running_while_the_customer_is_asked_for_information():
    # given a Polish telecoms complaint whose customer took 10 days to answer
    events = _asked_for_information(days_waiting=10)
    # when the clocks are derived, while waiting and after the answer
    waiting = _pl_telecom_clocks(events[:3])["PL.telecom.reply"]
    resumed = _pl_telecom_clocks(events)["PL.telecom.reply"]
    # then the reply clock never paused: same due date, running throughout
    assert PL_TELECOM_DUE == waiting.due_at == resumed.due_at
    assert waiting.state is resumed.state is ClockState.RUNNING
    assert waiting.pauses == resumed.pauses == ()


POLICY = ClockRule(
    id="policy.reply",
    version=1,
    kind=RuleKind.POLICY,
    party=Party.PROVIDER,
    start=Start.RECEIVED,
    duration=Duration(20, Unit.CALENDAR_DAYS),
    met_by=MetBy.ANSWER,
    source=Source(law="policy", article="Our reply target", confidence=Confidence.VERIFIED),
    pauses=frozenset({Pause.AWAITING_CUSTOMER}),
)


def test_a_rule_that_pauses_for_the_customer_moves_by_the_days_paused():
    # given a policy rule of 20 cd that pauses while the customer is asked (due Sun 1 Nov unpaused)
    unpaused = _pl_telecom_clocks(_asked_for_information(days_waiting=10)[:1], policy=POLICY)
    assert unpaused["policy.reply"].due_at == datetime.combine(
        date(2026, 11, 1), EOD, tzinfo=ZoneInfo("Europe/Warsaw")
    )
    events = _asked_for_information(days_waiting=10)
    # when the customer is asked, the clock is paused and has no due time
    waiting = _pl_telecom_clocks(events[:3], policy=POLICY)["policy.reply"]
    assert waiting.state is ClockState.PAUSED
    assert waiting.due_at is None
    assert waiting.paused_since == events[2].at
    # then after 10 days of waiting it runs again, due 10 days later
    resumed = _pl_telecom_clocks(events, policy=POLICY)["policy.reply"]
    assert resumed.state is ClockState.RUNNING
    assert resumed.due_at == datetime.combine(
        date(2026, 11, 11), EOD, tzinfo=ZoneInfo("Europe/Warsaw")
    )
    assert resumed.pauses == ((events[2].at, events[3].at),)
    # and the statutory clock beside it did not move
    assert _pl_telecom_clocks(events, policy=POLICY)["PL.telecom.reply"].due_at == PL_TELECOM_DUE


def test_a_pause_within_one_day_moves_a_day_deadline_by_nothing():
    events = _asked_for_information(days_waiting=0)
    events[3] = replace(events[3], at=events[2].at + timedelta(hours=3))
    resumed = _pl_telecom_clocks(events, policy=POLICY)["policy.reply"]
    assert resumed.due_at == datetime.combine(
        date(2026, 11, 1), EOD, tzinfo=ZoneInfo("Europe/Warsaw")
    )


def test_an_extension_moves_the_due_date():
    # given the Polish finance reply clock (30 cd, up to 60 in complex cases): due Mon 4 Jan 2027
    at = _local("PL", 2026, 12, 2, 10)
    extended_to = _local("PL", 2027, 1, 31, 23, 59)
    events = [
        _received("PL", at),
        EventFact(id=2, kind="clock_extended", at=at + timedelta(days=5),
                  data={"clock": "PL.finance.reply", "due": extended_to.isoformat()}),
    ]
    rules_at, calendar = _rules_at("PL", "finance", "web"), _calendar("PL")
    [before] = [c for c in derive_clocks(events[:1], rules_at=rules_at, calendar=calendar)
                if c.key == "PL.finance.reply"]
    # when the clock is extended
    [after] = [c for c in derive_clocks(events, rules_at=rules_at, calendar=calendar)
               if c.key == "PL.finance.reply"]
    # then it is due at the extended time, still running
    assert before.due_at == datetime.combine(date(2027, 1, 4), EOD, tzinfo=ZoneInfo("Europe/Warsaw"))
    assert after.due_at == extended_to
    assert after.extended_to == extended_to
    assert after.state is ClockState.RUNNING
    # and the warning follows the new due time
    assert before.warn_at is not None
    assert after.warn_at is not None
    assert after.warn_at > before.warn_at


def test_an_extension_for_another_clock_moves_nothing():
    at = _local("PL", 2026, 12, 2, 10)
    events = [
        _received("PL", at),
        EventFact(id=2, kind="clock_extended", at=at + timedelta(days=1),
                  data={"clock": "PL.consumer.reply", "due": _local("PL", 2027, 3, 1).isoformat()}),
    ]
    [clock] = [c for c in derive_clocks(events, rules_at=_rules_at("PL", "finance", "web"),
                                        calendar=_calendar("PL")) if c.key == "PL.finance.reply"]
    assert clock.due_at == datetime.combine(date(2027, 1, 4), EOD, tzinfo=ZoneInfo("Europe/Warsaw"))


def test_acknowledging_meets_the_acknowledgement_clocks_only():
    events = _asked_for_information(days_waiting=1)[:2]
    clocks = _pl_telecom_clocks(events)
    assert clocks["ISO10002.acknowledge"].state is ClockState.MET
    assert clocks["ISO10002.acknowledge"].met_at == events[1].at
    assert clocks["PL.telecom.acknowledge"].state is ClockState.MET
    assert clocks["PL.telecom.reply"].state is ClockState.RUNNING


def test_a_decision_meets_the_reply_clock():
    decided_at = RECEIVED_AT + timedelta(days=20)
    events = [
        *_asked_for_information(days_waiting=1),
        EventFact(id=5, kind="decided", at=decided_at,
                  data={"from": "investigating", "to": "decided", "outcome": "upheld"}),
    ]
    reply = _pl_telecom_clocks(events)["PL.telecom.reply"]
    assert reply.state is ClockState.MET
    assert reply.met_at == decided_at
    assert reply.next_action_at is None


def test_an_expiry_event_breaches_the_clock():
    expired_at = PL_TELECOM_DUE + timedelta(minutes=5)
    events = [
        *_asked_for_information(days_waiting=1),
        EventFact(id=5, kind="clock_expired", at=expired_at, data={"clock": "PL.telecom.reply"}),
    ]
    clocks = _pl_telecom_clocks(events)
    assert clocks["PL.telecom.reply"].state is ClockState.BREACHED
    assert clocks["PL.telecom.reply"].breached_at == expired_at
    assert clocks["PL.telecom.reply"].next_action_at is None


def test_without_an_expiry_event_a_late_clock_is_still_running():
    # nothing in the engine reads the time: only the sweep's event breaches a clock
    clocks = _pl_telecom_clocks(_asked_for_information(days_waiting=60))
    assert clocks["PL.telecom.reply"].state is ClockState.RUNNING


def test_a_warning_event_marks_the_clock_warned_and_moves_its_next_action_to_the_due_time():
    events = [_received("PL", RECEIVED_AT)]
    before = _pl_telecom_clocks(events)["PL.telecom.reply"]
    assert before.next_action_at == before.warn_at
    events.append(EventFact(id=2, kind="clock_warned", at=RECEIVED_AT + timedelta(days=25),
                            data={"clock": "PL.telecom.reply", "skipped": False}))
    after = _pl_telecom_clocks(events)["PL.telecom.reply"]
    assert after.warned is True
    assert after.next_action_at == PL_TELECOM_DUE


def test_withdrawal_stops_every_clock():
    withdrawn_at = RECEIVED_AT + timedelta(days=3)
    events = [
        *_asked_for_information(days_waiting=1)[:2],
        _transition(3, withdrawn_at, "acknowledged", "withdrawn", "withdraw"),
    ]
    clocks = _pl_telecom_clocks(events)
    assert clocks["PL.telecom.reply"].state is ClockState.STOPPED
    assert clocks["PL.telecom.reply"].stopped_at == withdrawn_at
    # a clock met before the withdrawal stays met
    assert clocks["ISO10002.acknowledge"].state is ClockState.MET


def test_a_final_response_starts_the_customers_referral_window_which_closing_does_not_stop():
    # given a UK finance complaint answered with a final response on Mon 31 Aug 2026, then closed
    at = _local("GB", 2026, 6, 1, 10)
    responded = _local("GB", 2026, 8, 31, 11)
    events = [
        _received("GB", at),
        _transition(2, at + timedelta(hours=1), "received", "acknowledged", "acknowledge"),
        EventFact(id=3, kind="final_response_issued", at=responded,
                  data={"from": "acknowledged", "to": "final_response_issued"}),
        _transition(4, responded + timedelta(days=1), "final_response_issued", "closed", "close"),
    ]
    clocks = {c.key: c for c in derive_clocks(events, rules_at=_rules_at("GB", "finance", "web"),
                                               calendar=_calendar("GB"))}
    window = clocks["UK.FOS.referral_window"]
    # then the consumer's 6 months (DISP 2.8.2R) run from the final response: 28 Feb 2027 (no 31 Feb)
    assert window.rule.party is Party.CONSUMER
    assert window.started_at == responded
    assert window.due_at == datetime.combine(date(2027, 2, 28), EOD, tzinfo=ZoneInfo("Europe/London"))
    assert window.state is ClockState.RUNNING
    # and the provider's 8 weeks were met by the final response
    assert clocks["UK.DISP.final_response"].state is ClockState.MET


def test_a_second_receipt_does_not_restart_a_running_clock():
    events = [_received("PL", RECEIVED_AT),
              replace(_received("PL", RECEIVED_AT + timedelta(days=5)), id=2)]
    clocks = _pl_telecom_clocks(events)
    assert clocks["PL.telecom.reply"].started_at == RECEIVED_AT
    assert "PL.telecom.reply#2" not in clocks


def test_the_start_rule_next_day_is_what_every_day_rule_of_the_civil_code_countries_uses():
    # CZ and PL (OZ § 605, KC art. 111): the event day is not counted, and a closed last day rolls
    for rule in ALL_RULES:
        if rule.pack in {"CZ", "PL"} and rule.duration.unit is not Unit.BUSINESS_DAYS:
            assert rule.start_rule is StartRule.NEXT_DAY, rule.id
            assert rule.end_rollover is EndRollover.NEXT_BUSINESS_DAY, rule.id
        if rule.pack in {"UK", "US-CFPB", "RO"}:
            assert rule.end_rollover is EndRollover.NONE, rule.id
