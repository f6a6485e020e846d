"""What a complaint of the clocks benchmark's load looks like, and who complains to whom.

The load is not invented: a few complaints are made through the real services and their events
give the ``Shapes``; every loaded complaint is a ``Template`` whose clocks come from the real engine
(``deadlines.engine.derive_clocks``) with the warnings and harmless expiries a punctual sweep would
have recorded by a cutoff. Imported by ``benchmarks/clocks_work.py`` after ``django.setup()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from plaint.clocks.context import ClockContext
from plaint.deadlines.engine import Clock, ClockState, EventFact, derive_clocks
from plaint.deadlines.rules import ExpiryAction, Party, RuleKind

ORGANISATIONS = [
    ("Wisła Sklep", "wisla", "PL", "", "retail", "Europe/Warsaw", "pl", "PLN", 0.30),
    ("Vltava Net", "vltava", "CZ", "", "internet", "Europe/Prague", "cs", "CZK", 0.30),
    ("Thames Bank", "thames", "GB", "ENG", "finance", "Europe/London", "en", "GBP", 0.25),
    ("Paulista Telecom", "paulista", "BR", "", "telecom", "America/Sao_Paulo", "pt-br", "BRL", 0.15),
]
# The sets whose clocks run out together: PL (deemed acceptance) and CZ (external route) share
# the end of a Central European day, so their clocks are due at the very same instant.
SET_ORGS = ("wisla", "vltava")
SETS = {"A": 10_000, "B": 10_000, "C": 1_000}
CHANNEL = "web"
ACK_AFTER = timedelta(minutes=10)  # acknowledged ten minutes after it came in
BUCKET = timedelta(minutes=10)  # complaints received in one 10-minute bucket share their times
CUSTOMERS_PER_COMPLAINT = 0.2
# Expiry actions that change nothing in the complaint: such a clock may have run out in the load.
PASSIVE = {ExpiryAction.NOTIFY_MANAGER, ExpiryAction.SANCTION_RISK, ExpiryAction.MARK_UNTIMELY,
           ExpiryAction.LAPSE_RIGHT}


# ---- the shape of what the services write -------------------------------------------------


@dataclass
class Template:
    """One complaint's events and clock rows as the services and the sweep would leave them."""

    received_at: datetime
    events: list[tuple[str, datetime, dict[str, Any], str]]  # kind, at, data, visibility
    clocks: list[Clock]

    @property
    def summary(self) -> tuple[datetime | None, datetime | None]:
        """(next_due_at, overdue_since), as ``refresh._summarise`` computes them."""
        owed = [c for c in self.clocks if c.rule.party is Party.PROVIDER]
        due = [c.due_at for c in owed if c.state is ClockState.RUNNING and c.due_at is not None]
        overdue = [c.breached_at for c in owed if c.state is ClockState.BREACHED and c.met_at is None]
        return min(due, default=None), min(overdue, default=None)  # type: ignore[type-var]


class NotPassive(Exception):
    """A clock with actions that change the complaint would have run out: outside the load."""


@dataclass
class Shapes:
    """Event data as the real services wrote it for the sample complaints."""

    received: dict[str, Any]
    acknowledged: dict[str, Any]
    visibility: dict[str, str]  # by event kind
    actor: dict[str, dict[str, Any]]  # by event kind: actor_kind, actor_role, actor_token_id


def expired_data(c: Clock) -> dict[str, Any]:
    """What ``actions.clock_expire`` records when nothing is impossible."""
    done = [a.value for a in c.rule.on_expiry]
    return {"clock": c.key, "rule": c.rule.id, "version": c.rule.version, "actions": done,
            "skipped": [], "untimely": ExpiryAction.MARK_UNTIMELY.value in done,
            "sanction_risk": ExpiryAction.SANCTION_RISK.value in done}


def simulate(context: ClockContext, shapes: Shapes, received: datetime, cutoff: datetime) -> Template:
    """The complaint received at ``received``, acknowledged ten minutes later, with every warning
    and (harmless) expiry that a punctual sweep would have recorded before ``cutoff``."""
    data = dict(shapes.received)
    if "received_at" in data:  # the intake records when the complaint was received
        data["received_at"] = received.astimezone(UTC).isoformat()
    events: list[tuple[str, datetime, dict[str, Any], str]] = [
        ("received", received, data, shapes.visibility["received"]),
        ("transitioned", received + ACK_AFTER, shapes.acknowledged, shapes.visibility["transitioned"]),
    ]
    rules_at = context.rules_for_channel(CHANNEL)
    for _ in range(20):
        facts = [EventFact(id=i, kind=k, at=at, data=d) for i, (k, at, d, _v) in enumerate(events)]
        clocks = derive_clocks(facts, rules_at=rules_at, calendar=context.calendar)
        for c in clocks:
            if c.met_at is not None and c.warn_at is not None and c.warn_at < c.met_at and not c.warned:
                raise NotPassive(f"{c.key} would have warned before the acknowledgement")
        pending = [c for c in clocks if c.next_action_at is not None and c.next_action_at < cutoff]
        if not pending:
            return Template(received, events, clocks)
        c = min(pending, key=lambda c: c.next_action_at)  # type: ignore[arg-type,return-value]
        at = c.next_action_at
        assert at is not None
        assert c.due_at is not None
        if c.warn_at is not None and not c.warned:
            events.append(("clock_warned", at, {"clock": c.key, "rule": c.rule.id, "skipped": False},
                           "internal"))
        else:
            if not set(c.rule.on_expiry) <= PASSIVE:
                raise NotPassive(f"{c.key} would have run out at {c.due_at}")
            # The sweep runs after the due time (it acts when now > due_at).
            events.append(("clock_expired", c.due_at + timedelta(seconds=1), expired_data(c),
                           "customer" if c.rule.kind is RuleKind.STATUTORY else "internal"))
        events.sort(key=lambda e: e[1])
    raise AssertionError("no fixed point")


# ---- the sets of clocks that run out at one instant ---------------------------------------


def _local_midnight(day: date, zone: str) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def floor_time(moment: datetime, step: timedelta) -> datetime:
    epoch = datetime(2000, 1, 1, tzinfo=UTC)
    return epoch + ((moment - epoch) // step) * step


def expiry_set_templates(contexts: dict[str, ClockContext], shapes: dict[str, Shapes], t0: datetime,
                         zone: str) -> dict[str, dict[str, Any]]:
    """For each set, a local day whose end is the instant E at which all its clocks run out, and
    for each organisation of the set the templates of complaints received so as to be due at E."""
    found: dict[str, dict[str, Any]] = {}
    labels = sorted(SETS)  # A first: the earliest instant
    today = t0.astimezone(ZoneInfo(zone)).date()
    candidates = []
    for back in range(1, 30):
        day = today - timedelta(days=back)
        end = _local_midnight(day + timedelta(days=1), zone) - timedelta(microseconds=1)
        if end >= t0 - timedelta(hours=1):
            continue
        per_org: dict[str, list[Template]] = {}
        for slug in SET_ORGS:
            context = contexts[slug]
            templates = []
            for received_back in range(1, 45):
                received_day = day - timedelta(days=received_back)
                start = _local_midnight(received_day, context.organisation.time_zone)
                try:
                    probe = simulate(context, shapes[slug], start + timedelta(hours=12), end)
                except NotPassive:
                    continue
                if not any(c.due_at == end and c.next_action_at == end for c in probe.clocks):
                    continue
                for k in range(8 * 6, 18 * 6):  # received 08:00 to 18:00 local
                    template = simulate(context, shapes[slug], start + k * BUCKET, end)
                    due = [c for c in template.clocks if c.next_action_at is not None]
                    if len(due) == 1 and due[0].next_action_at == end:
                        templates.append(template)
                break
            if templates:
                per_org[slug] = templates
        if len(per_org) == len(SET_ORGS):
            candidates.append((end, per_org))
        if len(candidates) == len(labels):
            break
    if len(candidates) < len(labels):
        raise SystemExit("no days found for the expiry sets")
    for label, (end, per_org) in zip(labels, sorted(candidates, key=lambda c: c[0]), strict=True):
        found[label] = {"due_at": end, "templates": per_org}
    return found
