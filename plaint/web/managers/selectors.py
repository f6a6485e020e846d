"""Reads for the organisation admins' pages, each scoped to one organisation: an object of
another organisation is not found (404), never shown. Each list is one query (two for the policy
page: the rules and their count of versions), whatever its length."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from plaint.channels.models import Mailbox
from plaint.clocks.context import policy_clock_rule
from plaint.clocks.models import ClosingDay, PolicyRule
from plaint.core import clock
from plaint.deadlines.explanations import START_TEXT
from plaint.deadlines.rules import ClockRule, Start, statutory_rules
from plaint.parties.models import Category, Membership, Organisation, Team
from plaint.web.selectors import ORDINARY_CHANNELS, RuleText, Stage, rule_text, stages_of

# What each page lists; the stored IMAP password is never read for a page.
MAILBOX_FIELDS = (
    "pk",
    "address",
    "imap_host",
    "imap_port",
    "imap_security",
    "imap_username",
    "imap_folder",
    "is_active",
    "last_polled_at",
    "last_error",
)


def _one(queryset: QuerySet, pk: int) -> object:
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def teams(organisation: Organisation) -> list[Team]:
    """The organisation's teams with how many active members each has (one query)."""
    return list(
        Team.objects.filter(organisation=organisation)
        .annotate(active_members=Count("members", filter=Q(members__is_active=True)))
        .order_by("-is_active", "name")
    )


def team(organisation: Organisation, pk: int) -> Team:
    return _one(Team.objects.filter(organisation=organisation).select_related("organisation"), pk)  # type: ignore[return-value]


def members(organisation: Organisation) -> list[Membership]:
    """The organisation's staff with their user and team (one query)."""
    return list(
        Membership.objects.filter(organisation=organisation)
        .select_related("user", "team")
        .order_by("-is_active", "user__full_name", "user__email")
    )


def member(organisation: Organisation, pk: int) -> Membership:
    return _one(
        Membership.objects.filter(organisation=organisation).select_related("user", "team", "organisation"),  # type: ignore[return-value]
        pk,
    )


def member_by_email(organisation: Organisation, email: str) -> Membership:
    """The membership of the person with this address (just added, so it exists)."""
    return (
        Membership.objects.filter(organisation=organisation, user__email__iexact=email.strip())
        .select_related("user", "organisation")
        .get()
    )


def closing_days(organisation: Organisation) -> list[ClosingDay]:
    """The closing days from today on, then the past ones (one query)."""
    today = timezone.localdate(clock.now(), zoneinfo.ZoneInfo(organisation.time_zone))
    rows = list(ClosingDay.objects.filter(organisation=organisation).order_by("day"))
    return [r for r in rows if r.day >= today] + [r for r in rows if r.day < today][::-1]


def categories(organisation: Organisation) -> list[Category]:
    return list(Category.objects.filter(organisation=organisation).order_by("-is_active", "name"))


def category(organisation: Organisation, pk: int) -> Category:
    return _one(Category.objects.filter(organisation=organisation).select_related("organisation"), pk)  # type: ignore[return-value]


def mailboxes(organisation: Organisation) -> list[dict]:
    """The organisation's mailboxes, without their passwords (one query)."""
    return list(
        Mailbox.objects.filter(organisation=organisation)
        .order_by("-is_active", "address")
        .values(*MAILBOX_FIELDS)
    )


def mailbox(organisation: Organisation, pk: int) -> Mailbox:
    """One mailbox, for its change form; the password is deferred, so it is not even read."""
    return _one(
        Mailbox.objects.filter(organisation=organisation)  # type: ignore[return-value]
        .select_related("organisation")
        .defer("imap_password"),
        pk,
    )


@dataclass(frozen=True)
class PolicyLine:
    """One of the organisation's rules, as its current version says."""

    row: PolicyRule
    text: RuleText
    starts: str
    versions: int


def policy_rules(organisation: Organisation) -> list[PolicyLine]:
    """The current version of each of the organisation's policy rules, in force or switched off
    (one query)."""
    rows = list(PolicyRule.objects.filter(organisation=organisation).order_by("code", "-version"))
    lines: list[PolicyLine] = []
    for row in rows:
        if lines and lines[-1].row.code == row.code:
            continue
        versions = sum(1 for r in rows if r.code == row.code)
        lines.append(
            PolicyLine(
                row=row,
                text=rule_text(policy_clock_rule(row)),
                starts=str(START_TEXT[Start(row.start)]),
                versions=versions,
            )
        )
    return lines


def policy_rule(organisation: Organisation, code: str) -> PolicyRule:
    """The latest version of one rule, or 404."""
    found = PolicyRule.objects.filter(organisation=organisation, code=code).order_by("-version").first()
    if found is None:
        raise Http404
    return found


def outside_rules(organisation: Organisation) -> tuple[Stage, ...]:
    """The rules the organisation cannot edit: the statutory rules of its country and sector and
    the ISO 10002 baseline, for the ordinary channels, as the public procedure page lists them
    (no query: the rules are files)."""
    today = timezone.localdate(clock.now(), zoneinfo.ZoneInfo(organisation.time_zone))
    rules: dict[str, ClockRule] = {}
    for start in Start:
        for channel in ORDINARY_CHANNELS:
            for rule in statutory_rules().applicable(
                country=organisation.country,
                sector=organisation.sector,
                channel=channel,
                start=start,
                day=today,
            ):
                rules.setdefault(rule.id, rule)
    return stages_of(list(rules.values()))
