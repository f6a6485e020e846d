"""A clock explains itself, in the reader's language: which rule, its source, when it started,
its pauses and extensions, when it is due, and what happens if it runs out."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from django.utils import formats, translation
from django.utils.translation import gettext as _

from plaint.clocks.models import Clock as ClockRow
from plaint.deadlines.explanations import (
    CONSUMER_RIGHT_TEXT,
    EXPIRY_TEXT,
    MET_BY_TEXT,
    RULE_TITLES,
    START_TEXT,
)
from plaint.deadlines.rules import ClockRule, Confidence, ExpiryAction, RuleKind


def rule_title(rule: ClockRule) -> str:
    if rule.kind is RuleKind.POLICY and rule.id.startswith("policy."):
        return rule.source.article  # the organisation's own title for its own rule
    return str(RULE_TITLES.get(rule.id, rule.id))


def confidence_text(confidence: Confidence) -> str:
    """How sure Plaint is of a statutory rule, in words (explanations, the "your rights" pages)."""
    texts = {
        Confidence.VERIFIED: _("checked against the text of the rule"),
        Confidence.SECONDARY: _("from a reliable secondary source"),
        Confidence.KNOWLEDGE: _("not yet checked against the text of the rule"),
    }
    return texts[confidence]


def expiry_text(rule: ClockRule) -> str:
    parts = []
    for action in rule.on_expiry:
        text = str(EXPIRY_TEXT[action])
        if action is ExpiryAction.OPEN_EXTERNAL_ROUTE:
            text = text % {"body": rule.external_body}
        elif action is ExpiryAction.CONSUMER_RIGHTS:
            rights = ", ".join(str(CONSUMER_RIGHT_TEXT.get(r, r)) for r in rule.consumer_rights)
            text = text % {"rights": rights}
        parts.append(text)
    return "; ".join(parts)


def clock_explanation(row: ClockRow, rule: ClockRule | None, *, language: str, time_zone: str) -> str:
    """The whole story of one clock as a short paragraph in ``language``."""
    zone = zoneinfo.ZoneInfo(time_zone)

    def when(moment: datetime | str | None) -> str:
        if isinstance(moment, str):
            moment = datetime.fromisoformat(moment)
        if moment is None:
            return ""
        local = moment.astimezone(zone)
        # The date as the language writes it, the time on a 24-hour clock: no "p.m." whose
        # full stop would run into the sentence's.
        return f"{formats.date_format(local, 'DATE_FORMAT')} {formats.time_format(local, 'H:i')}"

    with translation.override(language):
        if rule is None:
            return _("The rule behind this deadline is no longer known.")
        sentences = [rule_title(rule) + "."]
        if rule.kind is RuleKind.STATUTORY:
            sentences.append(
                _("Source: %(law)s, %(article)s (%(confidence)s).")
                % {"law": rule.source.law, "article": rule.source.article,
                   "confidence": confidence_text(rule.source.confidence)}
            )
        elif rule.kind is RuleKind.POLICY:
            sentences.append(_("Source: the organisation's own policy."))
        else:
            sentences.append(_("Source: a promise made to the customer."))
        if rule.kind is not RuleKind.PROMISE:
            sentences.append(
                _("It started on %(start)s, %(event)s.")
                % {"start": when(row.started_at), "event": START_TEXT[rule.start]}
            )
        for begin, end in row.pauses:
            if end is None:
                sentences.append(_("Paused since %(start)s while waiting for the customer.")
                                 % {"start": when(begin)})
            else:
                sentences.append(_("Paused from %(start)s to %(end)s.")
                                 % {"start": when(begin), "end": when(end)})
        if row.extended_to is not None:
            sentences.append(_("Extended with reasons to %(due)s.") % {"due": when(row.extended_to)})
        if row.due_at is not None:
            sentences.append(_("Due by %(due)s.") % {"due": when(row.due_at)})
        if rule.kind is not RuleKind.PROMISE:
            sentences.append(str(MET_BY_TEXT[rule.met_by]))
        if rule.on_expiry:
            sentences.append(_("If it runs out: %(actions)s.") % {"actions": expiry_text(rule)})
        if row.breached_at is not None:
            sentences.append(_("Missed: nothing was done in time."))
            if row.met_at is not None:
                sentences.append(_("Done late, on %(time)s.") % {"time": when(row.met_at)})
        elif row.met_at is not None:
            sentences.append(_("Met on %(time)s.") % {"time": when(row.met_at)})
        if row.stopped_at is not None:
            sentences.append(_("Stopped on %(time)s: the complaint was closed or withdrawn.")
                             % {"time": when(row.stopped_at)})
        return " ".join(sentences)

