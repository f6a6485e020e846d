"""What the clocks add to the e-mails a customer gets (``complaints.notifications``' providers).

The acknowledgement says by when the provider must answer and under which rule, so that the
customer knows from the first e-mail when to expect an answer and what happens if none comes.
"""

from __future__ import annotations

from typing import Any

from plaint.clocks.context import ClockContext
from plaint.clocks.models import Clock as ClockRow
from plaint.deadlines.explanations import EXPIRY_TEXT, RULE_TITLES
from plaint.deadlines.rules import ClockRule, ExpiryAction, MetBy, Party, RuleKind


def answer_deadline_context(complaint: Any, kind: str) -> dict[str, Any]:  # noqa: ANN401 - a Complaint
    """For the acknowledgement: ``answer_due`` (the provider's earliest running deadline to
    answer, the law's before its own policy's), ``answer_rule`` and ``answer_consequence`` (what
    the customer gains if no answer comes: the complaint deemed accepted, or the way to an
    external body)."""
    if kind != "received" or complaint.is_historical:
        return {}
    rows = getattr(complaint, "clock_rows", None)
    if rows is None:
        rows = list(ClockRow.objects.filter(complaint_id=complaint.pk))
    context = ClockContext.for_organisation(complaint.organisation)
    candidates = []
    for row in rows:
        if row.state != "running" or row.party != Party.PROVIDER or row.due_at is None:
            continue
        rule = context.rule_version(row.rule_id, row.rule_version)
        if rule is not None and rule.met_by in (MetBy.ANSWER, MetBy.FINAL_RESPONSE):
            consequence = _consequence(rule)
            # What the customer can hold the provider to: a deadline with a consequence, the
            # law's before the provider's own, the earliest of those.
            candidates.append(((not consequence, rule.kind is not RuleKind.STATUTORY, row.due_at),
                               row.due_at, rule, consequence))
    if not candidates:
        return {}
    _, due, rule, consequence = min(candidates, key=lambda c: c[0])
    title = RULE_TITLES.get(rule.id) if rule.kind is not RuleKind.POLICY else rule.source.article
    return {"answer_due": due, "answer_rule": title or rule.id, "answer_consequence": consequence}


def _consequence(rule: ClockRule) -> object:
    if ExpiryAction.DEEMED_ACCEPTED in rule.on_expiry:
        return EXPIRY_TEXT[ExpiryAction.DEEMED_ACCEPTED]
    if ExpiryAction.OPEN_EXTERNAL_ROUTE in rule.on_expiry:
        return _Formatted(EXPIRY_TEXT[ExpiryAction.OPEN_EXTERNAL_ROUTE], {"body": rule.external_body})
    return ""


class _Formatted:
    """A translatable text with its placeholders, turned into words when the e-mail is rendered
    (in the customer's language)."""

    def __init__(self, text: Any, values: dict[str, str]) -> None:  # noqa: ANN401 - a lazy string
        self.text, self.values = text, values

    def __str__(self) -> str:
        return str(self.text) % self.values
