"""Reads of the deadlines domain: a complaint's clocks as people read them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import translation

from plaint.clocks.context import policy_clock_rule
from plaint.clocks.explain import clock_explanation, rule_title
from plaint.clocks.models import Clock as ClockRow
from plaint.clocks.models import PolicyRule
from plaint.deadlines.engine import promise_rule
from plaint.deadlines.rules import ClockRule, ExpiryAction, RuleKind, statutory_rules


@dataclass(frozen=True)
class ClockView:
    row: ClockRow
    rule: ClockRule | None
    title: str
    explanation: str

    @property
    def untimely(self) -> bool:
        """Missed, and the rule calls a late answer untimely (CFPB, regulator reporting)."""
        return (
            self.row.state == "breached"
            and self.rule is not None
            and ExpiryAction.MARK_UNTIMELY in self.rule.on_expiry
        )


def visible_clock_rows(complaint, *, customer: bool) -> list[ClockRow]:  # type: ignore[no-untyped-def]
    """The complaint's clocks in start order; a customer sees the law's clocks only."""
    rows = complaint.clocks.all()
    if customer:
        rows = rows.filter(kind=RuleKind.STATUTORY.value)
    return list(rows.order_by("started_at", "id"))


def clock_views(rows: list[ClockRow], *, organisation, language: str | None = None) -> list[ClockView]:  # type: ignore[no-untyped-def]
    """Each row with its rule and its explanation in ``language`` (default: the request's).

    One query at most, for the organisation's policy rules, whatever the number of rows.
    """
    language = language or translation.get_language() or organisation.default_language
    policy: dict[tuple[str, int], ClockRule] = {}
    codes = {r.rule_id.removeprefix("policy.") for r in rows if r.rule_id.startswith("policy.")}
    if codes:
        for row in PolicyRule.objects.filter(organisation=organisation, code__in=codes):
            rule = policy_clock_rule(row)
            policy[(rule.id, rule.version)] = rule
    views = []
    book = statutory_rules()
    for row in rows:
        if row.kind == RuleKind.PROMISE.value:
            rule: ClockRule | None = promise_rule(row.rule_id.removeprefix("promise."))
        elif row.rule_id.startswith("policy."):  # an organisation's own (the ISO baseline is a file's)
            rule = policy.get((row.rule_id, row.rule_version))
        else:
            rule = book.get(row.rule_id, row.rule_version)
        with translation.override(language):
            title = rule_title(rule) if rule else row.rule_id
        views.append(ClockView(
            row=row, rule=rule, title=title,
            explanation=clock_explanation(row, rule, language=language, time_zone=organisation.time_zone),
        ))
    return views


def is_overdue(complaint, now: datetime) -> bool:  # type: ignore[no-untyped-def]
    """Owes a late answer, or has a running deadline already past (not yet swept)."""
    return complaint.overdue_since is not None or (
        complaint.next_due_at is not None and complaint.next_due_at < now
    )
