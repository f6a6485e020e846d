"""Reads for the public pages: the managed providers, a provider's complaints procedure and the
"your rights" pages, generated from the rule files and the organisations' policy rules.

Every text a person reads about a rule comes from ``deadlines.explanations`` and ``clocks.explain``
(the same sentences as the clocks' explanations), so the pages never say something the clocks
do not do. Each function returns plain values for the templates; the views add nothing.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from plaint.clocks.context import policy_clock_rule
from plaint.clocks.explain import confidence_text, expiry_text, rule_title
from plaint.clocks.models import Clock, PolicyRule
from plaint.complaints.choices import LEVEL_LABELS, Channel
from plaint.complaints.lifecycle import Level
from plaint.complaints.models import Complaint
from plaint.core import clock
from plaint.deadlines.explanations import MET_BY_TEXT, START_TEXT, within_text
from plaint.deadlines.rules import ClockRule, Party, RuleKind, Start, statutory_rules
from plaint.parties.choices import Sector
from plaint.parties.models import Organisation

# The channels a complaint to a managed provider comes in on, besides those with rules of
# their own (a regulator's or a public platform's referral).
ORDINARY_CHANNELS = (Channel.WEB, Channel.EMAIL, Channel.LETTER)


@dataclass(frozen=True)
class RuleText:
    """One deadline as a person reads it."""

    id: str
    title: str
    within: str
    for_consumer: bool  # the customer must act, not the provider
    met_by: str
    if_missed: str
    source: str
    confidence: str
    external_body: str
    channels: str  # "" when the rule applies whatever the channel


@dataclass(frozen=True)
class Stage:
    """The deadlines that start at one moment of a complaint's life."""

    starts: str
    rules: tuple[RuleText, ...]


@dataclass(frozen=True)
class Procedure:
    organisation: Organisation
    channels: tuple[tuple[str, str], ...]  # (label, value): how to send a complaint
    levels: tuple[str, ...]
    stages: tuple[Stage, ...]
    external_bodies: tuple[str, ...]
    has_rights_page: bool  # the law of its country has rules: link its "your rights" page


@dataclass(frozen=True)
class Rights:
    country: str
    sector: str
    sector_label: str
    stages: tuple[Stage, ...]
    external_bodies: tuple[str, ...]


def rule_text(rule: ClockRule) -> RuleText:
    if rule.kind is RuleKind.POLICY and rule.id.startswith("policy."):
        source = _("the organisation's own policy")
        confidence = ""
    else:
        source = f"{rule.source.law}, {rule.source.article}"
        confidence = confidence_text(rule.source.confidence)
    return RuleText(
        id=rule.id,
        title=rule_title(rule),
        within=within_text(rule.duration),
        for_consumer=rule.party is Party.CONSUMER,
        met_by=str(MET_BY_TEXT[rule.met_by]),
        if_missed=expiry_text(rule) if rule.on_expiry else "",
        source=source,
        confidence=confidence,
        external_body=rule.external_body,
        channels=", ".join(str(Channel(c).label) for c in sorted(rule.channels) if c in Channel.values),
    )


def stages_of(rules: list[ClockRule]) -> tuple[Stage, ...]:
    """Rules grouped by the moment they start, in the order a complaint meets them."""
    stages = []
    for start in Start:
        texts = tuple(rule_text(r) for r in sorted(
            (r for r in rules if r.start is start), key=lambda r: (r.party != Party.PROVIDER, r.id)
        ))
        if texts:
            stages.append(Stage(starts=str(START_TEXT[start]), rules=texts))
    return tuple(stages)


def _external_bodies(rules: list[ClockRule]) -> tuple[str, ...]:
    return tuple(sorted({r.external_body for r in rules if r.external_body}))


def managed_organisations() -> list[Organisation]:
    """The providers that handle their complaints on Plaint, by name (one query)."""
    managed = Organisation.objects.filter(is_managed=True).only("name", "slug", "country", "sector")
    return list(managed.order_by("name"))


def organisation_procedure(slug: str) -> Procedure | None:
    """A managed provider's complaints procedure as it stands today (two queries), or None."""
    organisation = Organisation.objects.filter(slug=slug, is_managed=True).first()
    if organisation is None:
        return None
    now = clock.now()
    today = timezone.localdate(now, zoneinfo.ZoneInfo(organisation.time_zone))
    book = statutory_rules()
    rules: dict[str, ClockRule] = {}
    for start in Start:
        for channel in ORDINARY_CHANNELS:
            for rule in book.applicable(
                country=organisation.country, sector=organisation.sector, channel=channel,
                start=start, day=today,
            ):
                rules.setdefault(rule.id, rule)
    in_force = PolicyRule.objects.filter(
        Q(effective_to__isnull=True) | Q(effective_to__gt=now),
        organisation=organisation, is_active=True, effective_from__lte=now,
    ).order_by("code")
    for row in in_force:
        rule = policy_clock_rule(row)
        rules[rule.id] = rule
    channels = []
    if organisation.complaint_email:
        channels.append((str(Channel.EMAIL.label), organisation.complaint_email))
    if organisation.complaint_address:
        channels.append((str(Channel.LETTER.label), organisation.complaint_address))
    listed = list(rules.values())
    return Procedure(
        organisation=organisation,
        channels=tuple(channels),
        levels=tuple(str(LEVEL_LABELS[level]) for level in Level),
        stages=stages_of(listed),
        external_bodies=_external_bodies(listed),
        has_rights_page=sector_rights(organisation.country, organisation.sector) is not None,
    )


def _statutory_in_force(day: date) -> list[ClockRule]:
    return [r for r in statutory_rules().rules if r.kind is RuleKind.STATUTORY and r.in_force_on(day)]


def rights_index() -> list[tuple[str, list[tuple[str, str]]]]:
    """The countries with statutory rules in force today and, for each, the sectors they cover:
    [(country, [(sector, label), …]), …]. No query: the rules are files."""
    sectors_by_country: dict[str, set[str]] = {}
    for rule in _statutory_in_force(clock.now().date()):
        for country in rule.countries:
            sectors_by_country.setdefault(country, set()).update(rule.sectors or Sector.values)
    return [
        (country, [(s.value, str(s.label)) for s in Sector if s.value in sectors])
        for country, sectors in sorted(sectors_by_country.items())
    ]


def sector_rights(country: str, sector: str) -> Rights | None:
    """The statutory deadlines of one country and sector in force today, or None when the
    country has no rules or the sector is unknown. No query."""
    if sector not in Sector.values:
        return None
    in_force = _statutory_in_force(clock.now().date())
    if not any(country in r.countries for r in in_force):
        return None
    rules = [r for r in in_force if country in r.countries and (not r.sectors or sector in r.sectors)]
    return Rights(
        country=country,
        sector=sector,
        sector_label=str(Sector(sector).label),
        stages=stages_of(rules),
        external_bodies=_external_bodies(rules),
    )


def managed_organisation(slug: str) -> Organisation | None:
    """A managed provider by its slug (one query), or None: the complaint form is for them only."""
    return Organisation.objects.filter(slug=slug, is_managed=True).first()


def filed_complaint(slug: str, reference: str) -> Complaint | None:
    """The complaint just filed through the form, with what its confirmation shows (one query
    for it, one for its clocks), or None when the reference is not this provider's."""
    if not reference:
        return None
    complaint = (
        Complaint.objects.select_related("organisation")
        .filter(reference=reference, organisation__slug=slug, organisation__is_managed=True)
        .first()
    )
    if complaint is not None:
        complaint.clock_rows = list(Clock.objects.filter(complaint_id=complaint.pk))
    return complaint
