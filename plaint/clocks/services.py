"""Writes of the deadlines domain: extensions, promises kept, history requests, policy rules.

Each is a service in the house style (a transaction, an authorisation, one event); the clocks
follow from the event (``event_record`` refreshes them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

from django.utils.translation import gettext

from plaint.clocks.context import ClockContext, policy_clock_rule, rules_changed
from plaint.clocks.models import Clock as ClockRow
from plaint.clocks.models import PolicyRule
from plaint.clocks.refresh import clocks_derive
from plaint.complaints.actors import Actor
from plaint.complaints.choices import EventKind, PromiseState, Visibility
from plaint.complaints.models import Complaint, Promise
from plaint.complaints.notifications import notify_complaint_customer
from plaint.complaints.policy import Operation, Who
from plaint.complaints.services.common import authorise, event_record, service
from plaint.core import clock
from plaint.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from plaint.deadlines.durations import Unit
from plaint.deadlines.engine import extension_limit
from plaint.deadlines.rules import ExpiryAction, Party, RuleKind, Start, statutory_rules
from plaint.parties.models import Organisation


class ClockErrorCode(StrEnum):
    EXTENSION_NOT_ALLOWED = "extension_not_allowed"
    EXTENSION_TOO_LONG = "extension_too_long"
    CLOCK_NOT_RUNNING = "clock_not_running"
    PROMISE_NOT_OPEN = "promise_not_open"
    POLICY_LATER_THAN_LAW = "policy_later_than_statutory"


def _invalid(field: str, message: str, code: str = "validation_error") -> ValidationFailed:
    return ValidationFailed(code, message, fields={field: [message]})


@service
def clock_extend(
    *, actor: Actor, complaint: Complaint, key: str, due: datetime, reason: str,
    customer_agreed: bool = False,
) -> ClockRow:
    """Move a clock's due time later, with reasons sent to the customer, where its rule allows.

    The new time may not pass the rule's cap (PL finance: 60 days in all). Where the law allows
    an extension only by agreement (CZ § 19(3)), the agreement must be stated.
    """
    authorise(actor, Operation.EXTEND_DEADLINE, complaint)
    row = ClockRow.objects.filter(complaint=complaint, key=key).first()
    if row is None:
        raise NotFound
    context = ClockContext.for_organisation(complaint.organisation)
    derived = next((c for c in clocks_derive(complaint, context) if c.key == key), None)
    if derived is None or derived.rule.extension is None:
        raise Conflict(
            ClockErrorCode.EXTENSION_NOT_ALLOWED,
            gettext("The rule behind this deadline allows no extension."),
        )
    if row.state not in ("running", "paused"):
        raise Conflict(
            ClockErrorCode.CLOCK_NOT_RUNNING, gettext("This deadline is no longer running.")
        )
    if not reason.strip():
        raise _invalid(
            "reason", gettext("Give the customer the reasons for the extension."), "reason_required"
        )
    if derived.rule.extension.by_agreement_only and not customer_agreed:
        raise _invalid(
            "customer_agreed",
            gettext("This deadline can only be extended by agreement with the customer."),
        )
    if due.tzinfo is None:
        raise _invalid("due", gettext("Give the time with its time zone."))
    if derived.due_at is not None and due <= derived.due_at:
        raise _invalid("due", gettext("The new time must be later than the current one."))
    limit = extension_limit(derived, context.calendar_for(derived.rule))
    if limit is not None and due > limit:
        raise _invalid("due", gettext("The rule allows an extension until %(limit)s at the latest.")
                       % {"limit": limit.isoformat()}, ClockErrorCode.EXTENSION_TOO_LONG)
    event_record(
        actor=actor, kind=EventKind.CLOCK_EXTENDED, complaint=complaint,
        data={"clock": key, "rule": derived.rule.id, "due": due.isoformat(),
              "customer_agreed": customer_agreed},
        reason=reason,
    )
    notify_complaint_customer(complaint, "deadline_extended", due=due, reasons=reason)
    row.refresh_from_db()
    return row


@service
def promise_keep(*, actor: Actor, complaint: Complaint, promise_id: int) -> Promise:
    """Record that a promise was kept (the callback was made, the action done)."""
    authorise(actor, Operation.KEEP_PROMISE, complaint)
    promise = Promise.objects.filter(complaint=complaint, pk=promise_id).first()
    if promise is None:
        raise NotFound
    if promise.state != PromiseState.OPEN:
        raise Conflict(ClockErrorCode.PROMISE_NOT_OPEN, gettext("This promise was already kept or missed."))
    promise.state = PromiseState.KEPT
    promise.save(update_fields=["state"])
    event_record(
        actor=actor, kind=EventKind.PROMISE_KEPT, complaint=complaint, visibility=Visibility.INTERNAL,
        data={"clock": f"promise:{promise.pk}", "promise": promise.pk},
    )
    return promise


@service
def history_request(*, actor: Actor, complaint: Complaint) -> None:
    """The customer asks for the history of their case (BR SAC: within 5 days)."""
    authorise(actor, Operation.REQUEST_HISTORY, complaint)
    event_record(actor=actor, kind=EventKind.HISTORY_REQUESTED, complaint=complaint)


@service
def history_send(*, actor: Actor, complaint: Complaint) -> None:
    """Send the customer the history of the case: every customer-visible event, in order."""
    authorise(actor, Operation.SEND_HISTORY, complaint)
    from plaint.complaints.choices import EventKind as Kinds

    labels = dict(Kinds.choices)
    entries = [
        (event.occurred_at, str(labels.get(event.kind, event.kind)))
        for event in complaint.events.filter(visibility=Visibility.CUSTOMER).order_by("occurred_at", "id")
    ]
    notify_complaint_customer(complaint, "history", entries=entries)
    event_record(actor=actor, kind=EventKind.HISTORY_SENT, complaint=complaint,
                 data={"entries": len(entries)})


@dataclass(frozen=True)
class PolicyRuleSpec:
    """An organisation's own deadline: what starts it, how long, and what happens at expiry."""

    code: str
    title: str
    start: str = Start.RECEIVED
    duration_value: int = 1
    duration_unit: str = Unit.BUSINESS_DAYS
    channel: str = ""
    pauses_awaiting_customer: bool = False
    warning_at: float | None = None
    on_expiry: tuple[str, ...] = (ExpiryAction.ESCALATE,)
    is_active: bool = True


POLICY_ACTIONS = frozenset({ExpiryAction.ESCALATE, ExpiryAction.NOTIFY_MANAGER})
POLICY_ROLES = frozenset({Who.MANAGER, Who.ORG_ADMIN})
# A policy deadline is compared with the law's over a year of start days: holidays and weekends
# make a business-day target longer on some days than on others.
COMPARISON_DAYS = 366


def _validate_policy(spec: PolicyRuleSpec) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not spec.code or not spec.code.replace("-", "").replace("_", "").isalnum():
        errors["code"] = [gettext("Use letters, digits, hyphens and underscores.")]
    if not spec.title.strip():
        errors["title"] = [gettext("Give the rule a title people will read.")]
    if spec.start not in {s.value for s in Start}:
        errors["start"] = [gettext("Unknown start.")]
    if spec.duration_unit not in {u.value for u in Unit} or spec.duration_value < 1:
        errors["duration"] = [gettext("Give a positive duration in a known unit.")]
    if spec.warning_at is not None and not 0 < spec.warning_at < 1:
        errors["warning_at"] = [gettext("The warning comes at a fraction of the time between 0 and 1.")]
    if any(a not in POLICY_ACTIONS for a in spec.on_expiry):
        errors["on_expiry"] = [gettext("A policy rule may escalate or notify the managers.")]
    from plaint.complaints.choices import Channel

    if spec.channel and spec.channel not in Channel.values:
        errors["channel"] = [gettext("Unknown channel.")]
    return errors


def _later_than_statutory(organisation: Organisation, row: PolicyRule, context: ClockContext) -> str:
    """The title of a statutory rule that the policy rule would end after, or ''."""
    rule = policy_clock_rule(row)
    channels = [row.channel] if row.channel else [None]
    today = clock.now().astimezone(context.calendar.zone).date()
    for channel in channels:
        statutory = [
            r for r in statutory_rules().applicable(
                country=organisation.country, sector=organisation.sector, channel=channel or "web",
                start=rule.start, day=today,
            )
            if r.kind is RuleKind.STATUTORY and r.party is Party.PROVIDER
            and (channel is not None or not r.channels)
        ]
        for law in statutory:
            for offset in range(COMPARISON_DAYS):
                day = today + timedelta(days=offset)
                start = datetime.combine(day, time(12), tzinfo=context.calendar.zone)
                ours = context.calendar.due_at(start, rule.duration, start_rule=rule.start_rule,
                                               end_rollover=rule.end_rollover)
                theirs = context.law_calendar.due_at(start, law.duration, start_rule=law.start_rule,
                                                     end_rollover=law.end_rollover)
                if ours > theirs:
                    from plaint.deadlines.explanations import RULE_TITLES

                    return str(RULE_TITLES.get(law.id, law.id))
    return ""


@service
def policy_rule_set(*, actor: Actor, organisation: Organisation, spec: PolicyRuleSpec) -> PolicyRule:
    """Add the next version of one of the organisation's own deadline rules.

    Only its managers and admins may; a deadline that would end after a statutory one on the
    same start is refused with the rule it would break. The version in force until now ends
    now; complaints whose clocks already started keep it.
    """
    if actor.organisation_id != organisation.pk or actor.who not in POLICY_ROLES:
        raise PermissionDenied("not_permitted", gettext("Only managers and admins set deadline policy."))
    errors = _validate_policy(spec)
    if errors:
        raise ValidationFailed("validation_error", gettext("The rule is not valid."), fields=errors)
    # One writer of an organisation's policy at a time; the caller's instance is kept, so that
    # its ``rules_version`` is the one bumped below.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).values_list("pk").get()
    now = clock.now()
    current = (
        PolicyRule.objects.filter(organisation=organisation, code=spec.code, effective_to__isnull=True)
        .order_by("-version").first()
    )
    version = (
        PolicyRule.objects.filter(organisation=organisation, code=spec.code).order_by("-version")
        .values_list("version", flat=True).first() or 0
    ) + 1
    row = PolicyRule(
        organisation=organisation, code=spec.code, version=version, title=spec.title.strip(),
        start=spec.start, channel=spec.channel, duration_value=spec.duration_value,
        duration_unit=spec.duration_unit, pauses_awaiting_customer=spec.pauses_awaiting_customer,
        warning_at=spec.warning_at, on_expiry=list(spec.on_expiry), is_active=spec.is_active,
        effective_from=now, created_by=actor.user,
    )
    context = ClockContext.for_organisation(organisation)
    if spec.is_active:
        broken = _later_than_statutory(organisation, row, context)
        if broken:
            message = gettext(
                "This deadline would end after the statutory one (%(rule)s); a policy deadline "
                "must fall inside the law's."
            ) % {"rule": broken}
            raise ValidationFailed(ClockErrorCode.POLICY_LATER_THAN_LAW, message,
                                   fields={"duration": [message]})
    if current is not None:
        current.effective_to = now
        current.save(update_fields=["effective_to"])
    row.save(force_insert=True)
    rules_changed(organisation)
    event_record(
        actor=actor, kind=EventKind.POLICY_RULE_SET, organisation_id=organisation.pk,
        visibility=Visibility.INTERNAL,
        data={"policy_rule": row.pk, "code": row.code, "version": row.version,
              "duration": [row.duration_value, row.duration_unit], "active": row.is_active},
    )
    return row

