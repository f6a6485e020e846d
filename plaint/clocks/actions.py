"""What happens when a clock warns or runs out, as its rule says (RULES.md § 10.1 ``Action``).

Called by the sweep with the complaint's row locked. Each step is a service call with the system
as the actor, so it writes its own event and the clocks follow. An action that no longer makes
sense (escalating a complaint already at the top, deeming accepted a complaint already decided)
is skipped and the skip is recorded in the expiry event.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import translation
from django.utils.translation import gettext

from plaint.clocks.context import ClockContext
from plaint.clocks.explain import clock_explanation, rule_title
from plaint.clocks.models import Clock as ClockRow
from plaint.complaints.actors import SYSTEM_ACTOR
from plaint.complaints.choices import EventKind, Outcome, PromiseState, RemedyKind, Visibility
from plaint.complaints.lifecycle import OPEN_BEFORE_DECISION, OPEN_STATES, Level, Plan, State
from plaint.complaints.models import Complaint, Decision, Promise
from plaint.complaints.notifications import notify_complaint_customer, notify_staff
from plaint.complaints.services.common import event_record
from plaint.complaints.services.escalation import escalate_as_system
from plaint.complaints.services.transitions import apply_plan
from plaint.core import clock
from plaint.core.memo import memo
from plaint.deadlines.rules import ClockRule, ExpiryAction, RuleKind
from plaint.parties.choices import Role
from plaint.parties.models import Membership


def _managers(complaint: Complaint) -> list[Membership]:
    """The organisation's managers (read once per sweep batch: ``core.memo``)."""
    return memo(("managers", complaint.organisation_id), lambda: list(
        Membership.objects.filter(
            organisation_id=complaint.organisation_id, role=Role.MANAGER, is_active=True
        ).select_related("user")
    ))


def _explain(row: ClockRow, rule: ClockRule, language: str, complaint: Complaint) -> str:
    return clock_explanation(row, rule, language=language, time_zone=complaint.organisation.time_zone)


def clock_warn(complaint: Complaint, row: ClockRow, rule: ClockRule, *, skipped: bool) -> None:
    """Warn the assignee (or the managers) that the clock is close to running out.

    ``skipped``: the clock has already run out (the worker was down); the warning is recorded
    as skipped and nothing is sent.
    """
    event_record(
        actor=SYSTEM_ACTOR, kind=EventKind.CLOCK_WARNED, complaint=complaint,
        visibility=Visibility.INTERNAL,
        data={"clock": row.key, "rule": row.rule_id, "skipped": skipped},
    )
    if skipped:
        return
    recipients = [complaint.assignee] if complaint.assignee_id else _managers(complaint)
    language = complaint.organisation.default_language
    notify_staff(
        complaint, [m for m in recipients if m is not None], "clock_warning",
        due=row.due_at, explanation=_explain(row, rule, language, complaint),
    )


def clock_expire(complaint: Complaint, row: ClockRow, rule: ClockRule) -> None:
    """The clock ran out: record it, then do what the rule says."""
    if rule.kind is RuleKind.PROMISE:
        _promise_missed(complaint, row, rule)
        return
    organisation = complaint.organisation
    done, skipped = [], []
    # Decide what can still happen before the expiry event records it.
    impossible = {
        ExpiryAction.ESCALATE: not _can_escalate(complaint),
        ExpiryAction.DEEMED_ACCEPTED: not _undecided(complaint),
    }
    for action in rule.on_expiry:
        (skipped if impossible.get(action, False) else done).append(action)
    skipped = [a.value for a in skipped]
    event_record(
        actor=SYSTEM_ACTOR, kind=EventKind.CLOCK_EXPIRED, complaint=complaint,
        visibility=Visibility.CUSTOMER if rule.kind is RuleKind.STATUTORY else Visibility.INTERNAL,
        data={
            "clock": row.key, "rule": rule.id, "version": rule.version,
            "actions": [a.value for a in done], "skipped": skipped,
            "untimely": ExpiryAction.MARK_UNTIMELY in done,
            "sanction_risk": ExpiryAction.SANCTION_RISK in done,
        },
    )
    row.state, row.breached_at, row.next_action_at = "breached", clock.now(), None  # as the event says
    language = organisation.default_language
    for action in done:
        if action is ExpiryAction.ESCALATE:
            with translation.override(language):
                reason = gettext("Deadline missed: %(rule)s") % {"rule": rule_title(rule)}
            escalate_as_system(complaint, reason, rule=rule.id)
        elif action is ExpiryAction.DEEMED_ACCEPTED:
            _deem_accepted(complaint, rule)
        elif action is ExpiryAction.OPEN_EXTERNAL_ROUTE:
            event_record(
                actor=SYSTEM_ACTOR, kind=EventKind.EXTERNAL_ROUTE_OPENED, complaint=complaint,
                data={"clock": row.key, "rule": rule.id},
            )
            notify_complaint_customer(
                complaint, "external_route_opened", body=rule.external_body,
                explanation=_explain(row, rule, complaint.customer.preferred_language or language, complaint),
            )
        elif action is ExpiryAction.CONSUMER_RIGHTS:
            event_record(
                actor=SYSTEM_ACTOR, kind=EventKind.CONSUMER_RIGHTS_OPENED, complaint=complaint,
                data={"clock": row.key, "rule": rule.id, "rights": list(rule.consumer_rights)},
            )
            customer_language = complaint.customer.preferred_language or language
            with translation.override(customer_language):
                from plaint.deadlines.explanations import CONSUMER_RIGHT_TEXT

                rights = ", ".join(str(CONSUMER_RIGHT_TEXT.get(r, r)) for r in rule.consumer_rights)
            notify_complaint_customer(
                complaint, "consumer_rights_opened", rights=rights,
                explanation=_explain(row, rule, customer_language, complaint),
            )
        elif action is ExpiryAction.NOTIFY_MANAGER:
            notify_staff(
                complaint, _managers(complaint), "clock_expired",
                explanation=_explain(row, rule, language, complaint),
            )
        # MARK_UNTIMELY, SANCTION_RISK and LAPSE_RIGHT are facts recorded in the expiry event.


def _undecided(complaint: Complaint) -> bool:
    return State(complaint.state) in OPEN_BEFORE_DECISION and complaint.merged_into_id is None


def _can_escalate(complaint: Complaint) -> bool:
    return (
        State(complaint.state) in OPEN_STATES
        and complaint.merged_into_id is None
        and complaint.level < Level.SENIOR_MANAGEMENT
    )


def _promise_missed(complaint: Complaint, row: ClockRow, rule: ClockRule) -> None:
    promise_id = int(row.key.removeprefix("promise:"))
    Promise.objects.filter(pk=promise_id).update(state=PromiseState.MISSED)
    escalate = _can_escalate(complaint)
    event_record(
        actor=SYSTEM_ACTOR, kind=EventKind.PROMISE_MISSED, complaint=complaint,
        visibility=Visibility.INTERNAL,
        data={"clock": row.key, "promise": promise_id, "escalated": escalate},
    )
    if escalate:
        with translation.override(complaint.organisation.default_language):
            reason = gettext("Promise missed: %(rule)s") % {"rule": rule_title(rule)}
        escalate_as_system(complaint, reason, rule=rule.id)


def _deem_accepted(complaint: Complaint, rule: ClockRule) -> Decision:
    """The law decides: upheld, with what the customer asked for as the remedy."""
    demands = list(complaint.demands.order_by("id"))
    language = complaint.organisation.default_language
    with translation.override(language):
        if demands:
            detail = "; ".join(
                f"{d.get_kind_display()}" + (f" {d.amount} {d.currency}" if d.amount is not None else "")
                + (f": {d.detail}" if d.detail else "")
                for d in demands
            )
        else:
            detail = gettext("The complaint as stated: %(subject)s") % {"subject": complaint.subject}
        reasoning = gettext(
            "No answer was sent within the time limit, so the law deems the complaint accepted "
            "(%(law)s, %(article)s)."
        ) % {"law": rule.source.law, "article": rule.source.article}
    first = demands[0] if demands else None
    money = next((d for d in demands if d.amount is not None), None)
    decision = Decision.objects.create(
        complaint=complaint,
        outcome=Outcome.UPHELD,
        remedy_kind=first.kind if first is not None and first.kind in RemedyKind.values else RemedyKind.NONE,
        remedy_amount=money.amount if money else None,
        remedy_currency=money.currency if money else "",
        remedy_detail=detail,
        reasoning=reasoning,
        decided_by_kind=SYSTEM_ACTOR.kind,
        decided_by=None,
        decided_at=clock.now(),
        deemed_by_rule=rule.id,
    )
    data = apply_plan(complaint, Plan(target=State.DECIDED, level=Level(complaint.level)))
    data.update(decision=decision.pk, outcome=Outcome.UPHELD.value, remedy=decision.remedy_kind,
                deemed_by_rule=rule.id)
    event_record(actor=SYSTEM_ACTOR, kind=EventKind.DECIDED, complaint=complaint, data=data,
                 reason=reasoning)
    notify_complaint_customer(
        complaint, "decided", outcome=decision.get_outcome_display(),
        remedy=decision.get_remedy_kind_display() if decision.remedy_kind != RemedyKind.NONE else "",
        reasoning=reasoning,
    )
    return decision


def clock_rule(context: ClockContext, row: ClockRow) -> ClockRule | None:
    """The rule behind a stored row: statutory, policy, or a promise."""
    if row.kind == RuleKind.PROMISE:
        from plaint.deadlines.engine import promise_rule

        return promise_rule(row.rule_id.removeprefix("promise."))
    return context.rule_version(row.rule_id, row.rule_version)


def clock_act(complaint: Complaint, row: ClockRow, context: ClockContext, now: datetime) -> str:
    """Do what is due on one clock at ``now``: 'warned', 'expired', or '' if nothing was due."""
    rule = clock_rule(context, row)
    if rule is None or row.state != "running" or row.due_at is None:
        return ""
    expired = now > row.due_at
    if row.warn_at is not None and not row.warned and row.warn_at <= now:
        clock_warn(complaint, row, rule, skipped=expired)
        row.warned = True
        if not expired:
            return "warned"
    if expired:
        clock_expire(complaint, row, rule)
        return "expired"
    return ""
