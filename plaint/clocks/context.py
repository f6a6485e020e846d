"""What the engine needs to know about an organisation: its calendar and its rules.

Statutory rules come from the rule files; an organisation's policy rules from the database, in
the version in force at each clock's start. Built once per refresh; the holidays behind the
calendar are cached per process.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from functools import lru_cache

from django.db.models import F

from plaint.clocks.models import ClosingDay, PolicyRule
from plaint.deadlines.calendars import BusinessCalendar
from plaint.deadlines.durations import Duration, EndRollover, StartRule, Unit
from plaint.deadlines.rules import (
    ClockRule,
    Confidence,
    MetBy,
    Party,
    Pause,
    RuleKind,
    Source,
    Start,
    statutory_rules,
)
from plaint.parties.models import Organisation

POLICY_SOURCE_LAW = "policy"

# What a policy rule's clock is met by, from where it starts.
POLICY_MET_BY = {
    Start.RECEIVED: MetBy.ANSWER,
    Start.FORMAL: MetBy.FINAL_RESPONSE,
    Start.FINAL_RESPONSE: MetBy.REFERRAL,
    Start.HISTORY_REQUESTED: MetBy.HISTORY_SENT,
}


def _hours(raw: object) -> tuple[time, time] | None:
    if raw is None:
        return None
    opening, closing = raw  # type: ignore[misc]
    return time.fromisoformat(opening), time.fromisoformat(closing)


def organisation_calendar(organisation: Organisation, closing_days: Sequence[date] = ()) -> BusinessCalendar:
    return BusinessCalendar(
        time_zone=organisation.time_zone,
        country=organisation.country or None,
        subdivision=organisation.subdivision or None,
        closing_days=frozenset(closing_days),
        working_hours=tuple(_hours(h) for h in organisation.working_hours),
    )


LOADED_MAX = 1024
# (organisation id, rules_version) → (closing days, policy rule versions), oldest first.
_LOADED: dict[tuple[int, int], tuple[tuple[date, ...], tuple[PolicyRule, ...]]] = {}


def forget_loaded_rules() -> None:
    """Empty the cache (tests, whose rolled-back transactions reuse organisation ids)."""
    _LOADED.clear()


def rules_changed(organisation: Organisation) -> None:
    """Record that the organisation's policy rules or closing days changed (in the caller's
    transaction): its next context is read afresh, here and in every other process."""
    Organisation.objects.filter(pk=organisation.pk).update(rules_version=F("rules_version") + 1)
    organisation.refresh_from_db(fields=["rules_version"])


@lru_cache(maxsize=256)
def law_calendar(time_zone: str, country: str, subdivision: str) -> BusinessCalendar:
    return BusinessCalendar(time_zone=time_zone, country=country or None, subdivision=subdivision or None)


def policy_clock_rule(row: PolicyRule) -> ClockRule:
    """A stored policy rule version as the engine's ``ClockRule``."""
    duration = Duration(row.duration_value, Unit(row.duration_unit))
    return ClockRule(
        id=f"policy.{row.code}",
        version=row.version,
        kind=RuleKind.POLICY,
        party=Party.PROVIDER,
        start=Start(row.start),
        duration=duration,
        met_by=POLICY_MET_BY[Start(row.start)],
        source=Source(law=POLICY_SOURCE_LAW, article=row.title, confidence=Confidence.VERIFIED),
        start_rule=StartRule.NEXT_DAY,
        end_rollover=EndRollover.NONE,
        pauses=frozenset({Pause.AWAITING_CUSTOMER}) if row.pauses_awaiting_customer else frozenset(),
        warning_at=row.warning_at,
        on_expiry=row.expiry_actions,
        channels=frozenset({row.channel}) if row.channel else frozenset(),
    )


@dataclass(frozen=True)
class ClockContext:
    """An organisation's calendar and rules, for the complaints of one channel."""

    organisation: Organisation
    calendar: BusinessCalendar
    policy_rows: tuple[PolicyRule, ...]

    @property
    def law_calendar(self) -> BusinessCalendar:
        """The calendar the law counts on: public holidays and a Monday-to-Friday week, without
        the organisation's own closing days or opening hours (a shop open on Saturdays does not
        make Saturday a working day for a statutory roll-over)."""
        organisation = self.organisation
        return law_calendar(organisation.time_zone, organisation.country, organisation.subdivision)

    def calendar_for(self, rule: ClockRule) -> BusinessCalendar:
        return self.law_calendar if rule.kind is RuleKind.STATUTORY else self.calendar

    @classmethod
    def for_organisation(cls, organisation: Organisation) -> ClockContext:
        """The organisation's context; its closing days and policy rules are read once per
        ``rules_version`` and process (every change bumps the version: ``rules_changed``)."""
        key = (organisation.pk, organisation.rules_version)
        loaded = _LOADED.get(key)
        if loaded is None:
            days = tuple(ClosingDay.objects.filter(organisation=organisation).values_list("day", flat=True))
            rows = tuple(PolicyRule.objects.filter(organisation=organisation).order_by("code", "version"))
            loaded = _LOADED[key] = (days, rows)
            while len(_LOADED) > LOADED_MAX:
                _LOADED.pop(next(iter(_LOADED)))
        days, rows = loaded
        return cls(organisation, organisation_calendar(organisation, days), rows)

    def rule_version(self, rule_id: str, version: int) -> ClockRule | None:
        """The rule behind a stored clock row (statutory or policy)."""
        if rule_id.startswith("policy."):
            code = rule_id.removeprefix("policy.")
            for row in self.policy_rows:
                if row.code == code and row.version == version:
                    return policy_clock_rule(row)
            return None
        return statutory_rules().get(rule_id, version)

    def rules_for_channel(self, channel: str):  # type: ignore[no-untyped-def]
        """The engine's ``rules_at`` for a complaint that came in on ``channel``."""
        organisation = self.organisation

        def rules_at(start: Start, at: datetime) -> list[ClockRule]:
            day = self.calendar.local_date(at)
            rules = statutory_rules().applicable(
                country=organisation.country, sector=organisation.sector, channel=channel,
                start=start, day=day,
            )
            rules = [self._with_warning(rule) for rule in rules]
            for row in self.policy_rows:
                if (
                    row.is_active
                    and row.start == start
                    and row.effective_from <= at
                    and (row.effective_to is None or at < row.effective_to)
                    and (not row.channel or row.channel == channel)
                ):
                    rules.append(policy_clock_rule(row))
            return rules

        return rules_at

    def _with_warning(self, rule: ClockRule) -> ClockRule:
        """A rule that warns does so at the organisation's chosen fraction of its time."""
        if rule.warning_at is None or rule.party is Party.CONSUMER:
            return rule
        return replace(rule, warning_at=self.organisation.clock_warning_at)
