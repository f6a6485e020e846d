"""The clocks benchmark's in-process half: load, check, find, sweep, profile, intake.

Run by ``benchmarks/bench_clocks.py`` as ``python -m benchmarks.clocks_work COMMAND`` with the
settings of the server (``plaint.settings.local``, ``PLAINT_DATABASE_URL`` at the benchmark
cluster). Each command prints one JSON document on stdout.

  seed --complaints N --out F   organisations, staff, customers and N open complaints with their
                                events and clock rows (COPY), shaped on complaints made through
                                the real services; three sets of complaints whose clocks run out
                                at one instant each (A, B: 10,000 each; C: 1,000 to profile)
  check --info F                ``plaint.clocks.rebuild._differences`` on a sample; due counts
  find --info F                 time ``due_clocks`` and the sweep's candidate query; EXPLAIN them
  sweep --now T --start-at S    one sweep worker: waits until S (epoch seconds), then
                                ``clocks_sweep(now=T)``
  verify --info F --set X       every clock of set X handled exactly once
  profile --info F --set C      one sweep batch under pyinstrument, with its queries
  intake --info F --rounds N    ``complaint_create`` with the clocks on and off
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plaint.settings.local")
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench_api imports its sibling `report`

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from benchmarks.inprocess import _breakdown, _copy  # noqa: E402
from plaint.clocks.context import ClockContext  # noqa: E402
from plaint.clocks.models import Clock as ClockRow  # noqa: E402
from plaint.clocks.rebuild import _differences  # noqa: E402
from plaint.clocks.refresh import row_values  # noqa: E402
from plaint.clocks.sweep import CANDIDATES_PER_BATCH, clocks_sweep, due_clocks  # noqa: E402
from plaint.complaints.actors import SYSTEM_ACTOR, Actor, staff_actor  # noqa: E402
from plaint.complaints.lifecycle import Action  # noqa: E402
from plaint.complaints.models import Complaint, Demand, Event  # noqa: E402
from plaint.complaints.services.intake import ComplaintDraft, complaint_create  # noqa: E402
from plaint.complaints.services.transitions import complaint_transition  # noqa: E402
from plaint.core import clock, references  # noqa: E402
from plaint.deadlines.engine import Clock, ClockState, EventFact, derive_clocks  # noqa: E402
from plaint.deadlines.rules import ExpiryAction, Party, RuleKind  # noqa: E402
from plaint.parties.actors import Principal  # noqa: E402
from plaint.parties.choices import Role, TeamKind  # noqa: E402
from plaint.parties.models import ApiToken, Customer, Membership, Organisation, Team, User  # noqa: E402
from plaint.parties.services import api_token_create  # noqa: E402

# name, slug, country, subdivision, sector, time zone, language, currency, share of the load
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


def out(document: object) -> None:
    print(json.dumps(document, default=str))


def log(message: str) -> None:
    print(f"[clocks {datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text)


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


# ---- seed ----------------------------------------------------------------------------------


def _local_midnight(day: date, zone: str) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def _floor(moment: datetime, step: timedelta) -> datetime:
    epoch = datetime(2000, 1, 1, tzinfo=UTC)
    return epoch + ((moment - epoch) // step) * step


def _set_templates(contexts: dict[str, ClockContext], shapes: dict[str, Shapes], t0: datetime,
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


def seed(complaints: int, info_file: Path, set_size: int, rng_seed: int = 20261121) -> dict[str, Any]:
    SETS.update(A=set_size, B=set_size, C=max(200, set_size // 10))
    rng = random.Random(rng_seed)
    started = time.perf_counter()
    t0 = datetime.now(UTC).replace(second=0, microsecond=0)
    connection.ensure_connection()
    if Complaint.objects.exists():
        raise SystemExit("the benchmark database is not empty; start from a fresh cluster")

    orgs: dict[str, Organisation] = {}
    actors: dict[str, Actor] = {}
    for name, slug, country, subdivision, sector, zone, language, _cur, _share in ORGANISATIONS:
        org = Organisation.objects.create(
            name=name, slug=slug, country=country, subdivision=subdivision, sector=sector,
            time_zone=zone, languages=[language, "en"], default_language=language,
            complaint_email=f"complaints@{slug}.test",
        )
        orgs[slug] = org
        team = Team.objects.create(organisation=org, kind=TeamKind.COMPLAINTS, name="Complaints")
        for i, role in enumerate((Role.AGENT, Role.MANAGER, Role.MANAGER, Role.COMPLAINTS_OFFICER)):
            user = User.objects.create(email=f"staff{i}@{slug}.test", full_name=f"Staff {slug} {i}",
                                       preferred_language=language, password="!unusable")  # noqa: S106
            Membership.objects.create(user=user, organisation=org, role=role, team=team,
                                      position=str(role.label), location="Head office")
        token, _raw = api_token_create(organisation=org, name="clocks benchmark",
                                       role=Role.COMPLAINTS_OFFICER, rate_limit_exempt=True)
        actor = staff_actor(Principal(token=token), org.pk)
        assert actor is not None
        actors[slug] = actor

    # Customers (COPY), a fifth as many as complaints.
    customer_rows, customers_by_org = [], {}
    customer_id = 0
    for index, (_n, slug, _c, _s, _sec, _z, language, _cur, share) in enumerate(ORGANISATIONS):
        ids = []
        for n in range(max(10, round(complaints * share * CUSTOMERS_PER_COMPLAINT))):
            customer_id += 1
            ids.append(customer_id)
            customer_rows.append((customer_id, orgs[slug].pk, f"Customer {index}-{n}",
                                  f"customer{n}@{slug}.example", f"+420{rng.randrange(10**8, 10**9)}",
                                  "", language, "email", "", False, t0 - timedelta(days=400)))
        customers_by_org[slug] = ids
    _copy(Customer, ["id", "organisation_id", "full_name", "email", "phone", "postal_address",
                     "preferred_language", "preferred_channel", "accessibility_needs",
                     "is_vulnerable", "created_at"], customer_rows)
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('parties_customer', 'id'), %s)",
                       [customer_id])

    # Sample complaints through the real services, at chosen times. The first (received two days
    # ago) give the shape of the events; the second, received when the oldest complaints of the
    # load were, are swept by the real sweep at t0 and must have exactly the events and clock rows
    # the loader derives for such a complaint.
    contexts = {slug: ClockContext.for_organisation(org) for slug, org in orgs.items()}

    def sample(slug: str, received: datetime) -> Complaint:
        org = orgs[slug]
        clock.set_now(received)
        complaint, _ = complaint_create(
            actor=actors[slug], organisation=org,
            customer=Customer.objects.get(pk=customers_by_org[slug][0]),
            draft=ComplaintDraft(channel=CHANNEL, subject="Charged twice for October",
                                 description="The October invoice was charged twice."),
        )
        clock.set_now(received + ACK_AFTER)
        with transaction.atomic():
            locked = Complaint.objects.select_for_update().select_related("organisation").get(
                pk=complaint.pk)
            complaint_transition(actor=actors[slug], complaint=locked, action=Action.ACKNOWLEDGE)
        clock.set_now(None)
        return complaint

    def events_of(complaint: Complaint) -> list[Event]:
        return list(Event.objects.filter(complaint_id=complaint.pk).order_by("occurred_at", "id"))

    samples = {slug: sample(slug, _floor(t0 - timedelta(days=2, hours=3), BUCKET)) for slug in orgs}
    shapes: dict[str, Shapes] = {}
    for slug, complaint in samples.items():
        by_kind = {e.kind: e for e in events_of(complaint)}
        shapes[slug] = Shapes(
            received=by_kind["received"].data, acknowledged=by_kind["transitioned"].data,
            visibility={e.kind: e.visibility for e in by_kind.values()},
            actor={e.kind: {"actor_kind": e.actor_kind, "actor_role": e.actor_role,
                            "actor_token_id": e.actor_token_id} for e in by_kind.values()},
        )
        system = {"actor_kind": SYSTEM_ACTOR.kind, "actor_role": "", "actor_token_id": None}
        shapes[slug].actor.update(clock_warned=system, clock_expired=system)

    # Templates of the load: received in 10-minute buckets, newest first, as far back as no clock
    # with actions that change the complaint has run out by t0.
    log("deriving templates")
    templates: dict[str, list[Template]] = {}
    newest = _floor(t0 - timedelta(minutes=30), BUCKET)
    for slug in orgs:
        found = []
        moment = newest
        while moment > t0 - timedelta(days=70):
            try:
                found.append(simulate(contexts[slug], shapes[slug], moment, t0))
            except NotPassive:
                break
            moment -= BUCKET
        templates[slug] = found
    sets = _set_templates(contexts, shapes, t0, "Europe/Warsaw")

    # Faithfulness: the oldest complaint of the load, made by the services and swept at t0.
    old_samples = {slug: sample(slug, templates[slug][-1].received_at) for slug in orgs}
    clock.set_now(t0)
    sample_sweep = clocks_sweep(now=t0)
    clock.set_now(None)
    faithful: dict[str, Any] = {}
    for slug, complaint in old_samples.items():
        template = templates[slug][-1]
        ours = {c.key: row_values(c) for c in template.clocks}
        names = list(row_values(template.clocks[0]))
        stored = {r.key: {k: getattr(r, k) for k in names}
                  for r in ClockRow.objects.filter(complaint_id=complaint.pk)}
        stored_events = [(e.kind, e.data, e.visibility, e.actor_kind, e.actor_role, e.actor_token_id)
                         for e in events_of(complaint)]
        our_events = [(k, d, v, *shapes[slug].actor[k].values()) for k, _at, d, v in template.events]

        def timeless(rows: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
            # A real sweep records an expiry at its own now, which becomes breached_at.
            return {k: {f: v for f, v in r.items() if f != "breached_at"} for k, r in rows.items()}

        faithful[slug] = {"clock_rows_equal": timeless(stored) == timeless(ours),
                          "events_equal": stored_events == our_events,
                          "received_at": complaint.received_at, "clocks": sorted(ours),
                          "events": [e[0] for e in stored_events]}
        if not (faithful[slug]["clock_rows_equal"] and faithful[slug]["events_equal"]):
            faithful[slug].update(stored_rows=stored, our_rows=ours, stored_events=stored_events,
                                  our_events=our_events)
    samples.update({f"{slug} (old)": c for slug, c in old_samples.items()})
    sample_events = {slug: events_of(c) for slug, c in samples.items()}
    log(f"templates: {', '.join(f'{s} {len(t)}' for s, t in templates.items())}; derived in "
        f"{time.perf_counter() - started:.0f} s")

    # Rows. The load first, then the sets (PL and CZ interleaved), ids from after the samples.
    plan: list[tuple[str, Template, str]] = []  # slug, template, set label ("" for the load)
    load = complaints - sum(SETS.values())
    slugs = [spec[1] for spec in ORGANISATIONS]
    weights = [spec[8] for spec in ORGANISATIONS]
    for slug in rng.choices(slugs, weights=weights, k=load):
        plan.append((slug, rng.choice(templates[slug]), ""))
    for label in sorted(SETS):
        for n in range(SETS[label]):
            slug = SET_ORGS[n % len(SET_ORGS)]
            plan.append((slug, rng.choice(sets[label]["templates"][slug]), label))

    fields = list(Complaint._meta.concrete_fields)
    sample_values = {slug: dict(Complaint.objects.filter(pk=c.pk).values(*[f.attname for f in fields])[0])
                     for slug, c in samples.items()}
    json_fields = {f.attname for f in fields if f.get_internal_type() == "JSONField"}
    next_id = Complaint.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1
    seen: set[str] = set(Complaint.objects.values_list("reference", flat=True))
    set_ranges: dict[str, list[int]] = {label: [] for label in SETS}
    states: Counter[str] = Counter()

    def complaint_rows():  # type: ignore[no-untyped-def]
        for i, (slug, template, label) in enumerate(plan):
            cid = next_id + i
            values = dict(sample_values[slug])
            reference = references.generate()
            while reference in seen:
                reference = references.generate()
            seen.add(reference)
            received = template.received_at
            next_due, overdue = template.summary
            values.update(
                id=cid, reference=reference, customer_id=rng.choice(customers_by_org[slug]),
                received_at=received, created_at=received, updated_at=received + ACK_AFTER,
                state_changed_at=received + ACK_AFTER, next_due_at=next_due, overdue_since=overdue,
                demands_recorded=bool(label),
            )
            states[values["state"]] += 1
            if label:
                set_ranges[label].append(cid)
            yield [json.dumps(values[f.attname]) if f.attname in json_fields else values[f.attname]
                   for f in fields]

    copy_started = time.perf_counter()
    log(f"COPY {len(plan):,} complaints")
    _copy(Complaint, [f.column for f in fields], complaint_rows())
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('complaints_complaint', 'id'), "
                       "(SELECT max(id) FROM complaints_complaint))")

    def event_rows():  # type: ignore[no-untyped-def]
        for i, (slug, template, label) in enumerate(plan):
            cid = next_id + i
            org_id = orgs[slug].pk
            for kind, at, data, visibility in template.events:
                actor = shapes[slug].actor.get(kind) or shapes[slug].actor["clock_warned"]
                if kind == "received" and label:
                    data = {**data, "demands_recorded": True}
                yield (org_id, cid, kind, at, actor["actor_kind"], actor["actor_role"],
                       actor["actor_token_id"], visibility, json.dumps(data))

    log("COPY events")
    events = _copy(Event, ["organisation_id", "complaint_id", "kind", "occurred_at", "actor_kind",
                           "actor_role", "actor_token_id", "visibility", "data"], event_rows())
    clock_columns = ["complaint_id", "organisation_id", "key", *row_values(templates["wisla"][0].clocks[0])]

    def clock_rows():  # type: ignore[no-untyped-def]
        for i, (slug, template, _label) in enumerate(plan):
            cid = next_id + i
            for c in template.clocks:
                values = row_values(c)
                values["pauses"] = json.dumps(values["pauses"])
                yield (cid, orgs[slug].pk, c.key, *values.values())

    log("COPY clock rows")
    clock_count = _copy(ClockRow, clock_columns, clock_rows())
    demand_rows = [(cid, "refund", "49.00", "PLN" if n % 2 == 0 else "CZK", "")
                   for ids in set_ranges.values() for n, cid in enumerate(ids)]
    _copy(Demand, ["complaint_id", "kind", "amount", "currency", "detail"], demand_rows)
    copy_seconds = time.perf_counter() - copy_started
    log("VACUUM ANALYZE")
    connection.connection.autocommit = True
    with connection.connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")

    windows = {slug: {"received_from": t[-1].received_at, "received_to": t[0].received_at,
                      "templates": len(t)} for slug, t in templates.items()}
    info = {
        "t0": t0,
        "seconds": round(time.perf_counter() - started, 1),
        "copy_seconds": round(copy_seconds, 1),
        "complaints": len(plan) + len(samples),
        "customers": len(customer_rows),
        "events": events + sum(len(e) for e in sample_events.values()),
        "clock_rows": clock_count + ClockRow.objects.filter(complaint__in=samples.values()).count(),
        "states": dict(states),
        "windows": windows,
        "organisations": {slug: {"id": org.pk, "country": org.country, "subdivision": org.subdivision,
                                 "sector": org.sector, "time_zone": org.time_zone}
                          for slug, org in orgs.items()},
        "customers_by_org": {slug: ids[:2000] for slug, ids in customers_by_org.items()},
        "samples": {slug: c.pk for slug, c in samples.items()},
        "sample_sweep": vars(sample_sweep),
        "faithful": faithful,
        "sets": {label: {"due_at": s["due_at"], "now": s["due_at"] + timedelta(seconds=1),
                         "clocks": SETS[label], "first_id": min(set_ranges[label]),
                         "last_id": max(set_ranges[label]),
                         "received_days": {slug: sorted({t.received_at.date().isoformat()
                                                         for t in ts})
                                           for slug, ts in s["templates"].items()}}
                 for label, s in sets.items()},
        "rules": {slug: sorted({c.rule.id for t in ts for c in t.clocks}) for slug, ts in templates.items()},
    }
    info_file.write_text(json.dumps(info, default=str, indent=1))
    return info


# ---- check ---------------------------------------------------------------------------------


def check(info: dict[str, Any], sample: int) -> dict[str, Any]:
    rng = random.Random(7)
    ids = list(range(int(info["sets"]["A"]["first_id"]) - 1))
    picked = rng.sample(ids[1:], min(sample, len(ids) - 1))
    for label, s in info["sets"].items():
        picked += rng.sample(range(s["first_id"], s["last_id"] + 1), 100 if label != "C" else 50)
    contexts: dict[int, ClockContext] = {}
    rows = changed = complaints = 0
    differing = []
    for complaint in Complaint.objects.filter(pk__in=picked).select_related("organisation"):
        context = contexts.get(complaint.organisation_id)
        if context is None:
            context = contexts[complaint.organisation_id] = ClockContext.for_organisation(
                complaint.organisation)
        n, c = _differences(complaint, context)
        complaints += 1
        rows += n
        changed += c
        if c:
            differing.append(complaint.pk)
    t0 = parse_time(info["t0"])
    counts = {
        "due_at_t0_outside_sets": ClockRow.objects.filter(next_action_at__lte=t0)
        .exclude(complaint_id__gte=info["sets"]["A"]["first_id"]).count(),
        **{f"due_at_now_{label}": ClockRow.objects.filter(next_action_at__lte=parse_time(s["now"])).count()
           for label, s in info["sets"].items()},
        "with_next_action": ClockRow.objects.filter(next_action_at__isnull=False).count(),
        "rows_by_state": dict(ClockRow.objects.values_list("state").annotate(n=Count("id"))),
    }
    return {"complaints": complaints, "rows": rows, "changed": changed, "differing": differing[:20],
            **counts}


# ---- find the due clocks -------------------------------------------------------------------


def _explain(sql: str, params: Any) -> list[str]:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        plan = [row[0] for row in cursor.fetchall()]
        transaction.set_rollback(True)
    return plan


def _candidate_query(now: datetime, batch: int):  # type: ignore[no-untyped-def]
    """The query ``sweep._sweep_batch`` locks its batch with (copied: it is built inline)."""
    candidates = due_clocks(now, batch * CANDIDATES_PER_BATCH).values("complaint_id")
    return (Complaint.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=candidates)
            .select_related("organisation", "customer", "assignee__user")
            .order_by("pk")[:batch])


def _time(function: Callable[[], object], rounds: int) -> dict[str, float]:
    for _ in range(5):
        function()
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        function()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {"p50": round(statistics.median(times), 2), "p95": round(times[int(len(times) * 0.95) - 1], 2),
            "max": round(times[-1], 2), "rounds": rounds}


def find(rounds: int, due_target: int, at: datetime | None) -> dict[str, Any]:
    """Time the queries at ``at``, or at the instant when ``due_target`` clocks are due."""
    if at is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT next_action_at FROM clocks_clock WHERE next_action_at IS NOT NULL "
                           "ORDER BY next_action_at OFFSET %s LIMIT 1", [due_target - 1])
            at = cursor.fetchone()[0]
    results: dict[str, Any] = {}
    for now in (at,):
        due = ClockRow.objects.filter(next_action_at__lte=now).count()

        def find_due(now: datetime = now) -> object:
            return list(due_clocks(now, 1000).values_list("id", "complaint_id", "next_action_at"))

        def find_due_rows(now: datetime = now) -> object:
            return list(due_clocks(now, 1000))

        def candidates(now: datetime = now) -> object:
            with transaction.atomic():
                rows = list(_candidate_query(now, 100))
                transaction.set_rollback(True)
            return rows

        sql, params = due_clocks(now, 1000).query.sql_with_params()
        with transaction.atomic():
            csql, cparams = _candidate_query(now, 100).query.sql_with_params()
        results = {
            "now": now, "due": due,
            "due_clocks(now, 1000) as values": _time(find_due, rounds),
            "due_clocks(now, 1000) as model rows": _time(find_due_rows, rounds),
            "sweep candidate query (100 complaints, FOR UPDATE SKIP LOCKED)": _time(candidates, rounds),
            "explain_due_clocks": _explain(sql, params),
            "explain_candidates": _explain(csql, cparams),
            "candidate_sql": csql % tuple(repr(str(p)) for p in cparams),
        }
    return results


# ---- the sweep -----------------------------------------------------------------------------


def sweep_worker(now: datetime, start_at: float, batch: int) -> dict[str, Any]:
    connection.ensure_connection()
    list(ClockRow.objects.filter(pk=0))  # warm: first query, imports
    clock.set_now(now)  # the actions' own events are written at the sweep's now
    while time.time() < start_at:
        time.sleep(0.005)
    t = time.time()
    cpu = time.process_time()
    report = clocks_sweep(now=now, batch=batch)
    return {"pid": os.getpid(), "started": t, "finished": time.time(),
            "seconds": round(time.time() - t, 2), "cpu_seconds": round(time.process_time() - cpu, 2),
            **vars(report)}


def verify(info: dict[str, Any], label: str) -> dict[str, Any]:
    s = info["sets"][label]
    now = parse_time(s["now"])
    ids = (s["first_id"], s["last_id"])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT data->>'clock', count(*) FROM complaints_event WHERE kind = 'clock_expired' "
            "AND complaint_id BETWEEN %s AND %s GROUP BY complaint_id, data->>'clock'", ids)
        per_clock = Counter(n for _key, n in cursor.fetchall())
        cursor.execute("SELECT kind, count(*) FROM complaints_event WHERE complaint_id BETWEEN %s AND %s "
                       "AND occurred_at = %s GROUP BY kind ORDER BY kind", [*ids, now])
        events = dict(cursor.fetchall())
        cursor.execute("SELECT state, count(*) FROM complaints_complaint WHERE id BETWEEN %s AND %s "
                       "GROUP BY state", ids)
        states = dict(cursor.fetchall())
        cursor.execute("SELECT count(*) FROM channels_outgoingmessage WHERE queued_at = %s", [now])
        outbox = cursor.fetchone()[0]
    rows = ClockRow.objects.filter(complaint_id__gte=ids[0], complaint_id__lte=ids[1])
    still_due = rows.filter(next_action_at__lte=now).count()
    breached = rows.filter(state="breached").count()
    expected = s["clocks"]
    once = per_clock.get(1, 0)
    return {"expected": expected, "clocks_expired_once": once,
            "clocks_expired_more_than_once": sum(n for k, n in per_clock.items() if k > 1),
            "still_due": still_due, "breached_rows": breached, "events_at_now": events,
            "complaint_states": states, "outbox_rows_at_now": outbox,
            "exactly_once": once == expected and len(per_clock) == 1 and still_due == 0}


def profile(info: dict[str, Any], label: str, profile_dir: Path, batches: int) -> dict[str, Any]:
    from pyinstrument import Profiler

    now = parse_time(info["sets"][label]["now"])
    clock.set_now(now)
    connection.ensure_connection()
    db_seconds = 0.0

    def timer(execute: Callable[..., Any], sql: str, params: Any, many: bool,
              context: dict[str, Any]) -> Any:
        nonlocal db_seconds
        t = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            db_seconds += time.perf_counter() - t

    profiler = Profiler()
    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timer):
        profiler.start()
        t = time.perf_counter()
        report = clocks_sweep(now=now, max_batches=batches)
        wall = time.perf_counter() - t
        profiler.stop()
    queries = [q["sql"] for q in captured.captured_queries]
    (profile_dir / "clocks-profile-sweep.txt").write_text(
        profiler.output_text(unicode=True, color=False, show_all=False))
    (profile_dir / "clocks-profile-sweep.html").write_text(profiler.output_html())
    (profile_dir / "clocks-queries-sweep.sql").write_text(
        "".join(f"-- {i}\n{sql};\n" for i, sql in enumerate(queries, 1)))
    session = profiler.last_session
    assert session is not None
    root = session.root_frame()
    kinds = Counter(q.split()[0].upper() for q in queries)
    tables: Counter[str] = Counter()
    for q in queries:
        words = q.replace('"', "").split()
        upper = [w.upper() for w in words]
        for marker in ("FROM", "INTO", "UPDATE"):
            if marker in upper:
                tables[f"{words[0].upper()} {words[upper.index(marker) + 1]}"] += 1
                break
    # The rest of the set, so that it does not linger as due.
    clock.set_now(now)
    rest = clocks_sweep(now=now)
    per_complaint = max(1, report.complaints)
    return {
        "complaints": report.complaints, "expired": report.expired, "warned": report.warned,
        "failed": report.failed, "seconds": round(wall, 2),
        "ms_per_complaint": round(wall / per_complaint * 1000, 1),
        "db_ms_per_complaint": round(db_seconds / per_complaint * 1000, 1),
        "queries": len(queries), "queries_per_complaint": round(len(queries) / per_complaint, 1),
        "query_kinds": dict(kinds.most_common()),
        "query_tables_per_complaint": {k: round(v / per_complaint, 2) for k, v in tables.most_common(25)},
        "profile_breakdown_ms_per_complaint": {
            k: round(v / per_complaint * 1000, 2)
            for k, v in sorted(_breakdown(root).items(), key=lambda kv: -kv[1])} if root else {},
        "hotspots": _sweep_hotspots(root, wall) if root else [],
        "rest": vars(rest),
    }


def _sweep_hotspots(root: Any, total: float) -> list[tuple[str, float]]:
    """Time of the Plaint functions under the sweep (inclusive), largest first."""
    spots: Counter[str] = Counter()
    stack = [(root, frozenset())]
    while stack:
        frame, seen = stack.pop()
        path = frame.file_path or ""
        name = frame.function
        if "/plaint/" in path and name not in seen:
            module = path.split("/plaint/", 1)[1].removesuffix(".py").replace("/", ".")
            spots[f"{module}.{name}"] += frame.time
            seen = seen | {name}
        stack.extend((child, seen) for child in frame.children)
    return [(name, round(t / total, 3)) for name, t in spots.most_common(30) if t / total >= 0.03]


# ---- intake --------------------------------------------------------------------------------


def intake(info: dict[str, Any], rounds: int) -> dict[str, Any]:
    import plaint.complaints.services.common as common

    orgs = {slug: Organisation.objects.get(pk=o["id"]) for slug, o in info["organisations"].items()}
    actors = {}
    for slug, org in orgs.items():
        token = ApiToken.objects.filter(organisation=org).first()
        actors[slug] = staff_actor(Principal(token=token), org.pk)
    customers = {slug: list(Customer.objects.filter(pk__in=ids[:500])) for slug, ids in
                 info["customers_by_org"].items()}
    slugs = list(orgs)

    def one(n: int) -> None:
        slug = slugs[n % len(slugs)]
        complaint_create(
            actor=actors[slug], organisation=orgs[slug],
            customer=customers[slug][n % len(customers[slug])],
            draft=ComplaintDraft(channel=CHANNEL, subject="Charged twice for October",
                                 description="The October invoice was charged twice to my card."),
        )

    # Clocks off, in this process only: without the clocks' event observer (or, before observers,
    # with ``clocks_refresh`` replaced by a no-op where ``event_record`` calls it).
    observers = list(getattr(common, "event_observers", []))
    real_refresh = getattr(common, "clocks_refresh", None)
    ours = [o for o in observers if o.__module__.startswith("plaint.clocks")]
    if not ours and real_refresh is None:
        raise SystemExit("cannot find how the clocks follow the events")

    def switch(on: bool) -> None:
        if observers:
            common.event_observers[:] = observers if on else [o for o in observers if o not in ours]
        if real_refresh is not None:
            common.clocks_refresh = real_refresh if on else (  # type: ignore[attr-defined]
                lambda complaint, context=None, *, fresh=False: [])

    results: dict[str, Any] = {}
    n = 0
    for on in (True, False):  # warm up both paths (prepared statements, templates)
        switch(on)
        for _ in range(20):
            one(n)
            n += 1
    queries: dict[str, dict[str, Any]] = {}
    for on in (True, False):
        switch(on)
        per_org = {}
        for k, slug in enumerate(slugs):
            with CaptureQueriesContext(connection) as captured:
                one(n + k)
            per_org[slug] = [q["sql"] for q in captured.captured_queries]
        n += len(slugs)
        queries["on" if on else "off"] = {
            slug: {"queries": len(qs), "kinds": dict(Counter(q.split()[0].upper() for q in qs))}
            for slug, qs in per_org.items()}
        if on:
            extra = per_org
        else:
            off_queries = per_org
    # Alternate blocks of 50, clocks on and off, so drift hits both alike.
    times: dict[bool, list[float]] = {True: [], False: []}
    block = 50
    for b in range(rounds // block * 2):
        on = b % 2 == 0
        switch(on)
        for _ in range(block):
            t = time.perf_counter()
            one(n)
            times[on].append((time.perf_counter() - t) * 1000)
            n += 1
    switch(True)
    profiled = profile_intake(one, n, rounds // 4)
    for on, label in ((True, "on"), (False, "off")):
        ts = sorted(times[on])
        results[label] = {"intakes": len(ts), "mean_ms": round(statistics.fmean(ts), 2),
                          "p50_ms": round(statistics.median(ts), 2),
                          "p95_ms": round(ts[int(len(ts) * 0.95) - 1], 2)}
    results["profile"] = profiled
    results["added_ms_mean"] = round(results["on"]["mean_ms"] - results["off"]["mean_ms"], 2)
    results["added_ms_p50"] = round(results["on"]["p50_ms"] - results["off"]["p50_ms"], 2)
    results["queries"] = queries
    def shape(sql: str) -> str:
        return re.split(r" VALUES | WHERE | SELECT \* FROM UNNEST", sql)[0]

    off_shapes = {shape(q) for q in off_queries[slugs[2]]}
    results["clock_queries_sample"] = [q for q in extra[slugs[2]] if shape(q) not in off_shapes]
    return results


def profile_intake(one: Callable[[int], None], start: int, rounds: int) -> dict[str, Any]:
    """Intakes with the clocks on under pyinstrument: where the clocks' share of the time goes."""
    from pyinstrument import Profiler

    profiler = Profiler()
    profiler.start()
    for k in range(rounds):
        one(start + 100_000 + k)
    profiler.stop()
    results_dir = Path(__file__).resolve().parent / "results"
    results_dir.mkdir(exist_ok=True)
    (results_dir / "clocks-profile-intake.txt").write_text(
        profiler.output_text(unicode=True, color=False, show_all=False))
    (results_dir / "clocks-profile-intake.html").write_text(profiler.output_html())
    session = profiler.last_session
    assert session is not None
    root = session.root_frame()
    if root is None:
        return {}
    total = root.time
    spots: Counter[str] = Counter()
    stack = [root]
    while stack:  # the clocks' part and its direct callees, inclusive, summed over the intakes
        frame = stack.pop()
        if frame.function == "clocks_observe_event":
            spots["clocks_observe_event (all of it)"] += frame.time
        if frame.function in ("clocks_refresh", "clocks_derive"):
            for child in frame.children:
                if not child.is_synthetic:
                    owner = f"{child.class_name}." if child.class_name else ""
                    spots[f"{frame.function} → {owner}{child.function}"] += child.time
        stack.extend(frame.children)
    return {"intakes": rounds, "ms_per_intake": round(total / rounds * 1000, 2),
            "clocks_ms_per_intake": {k: round(v / rounds * 1000, 2) for k, v in spots.most_common()}}


# ---- main ----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("seed")
    p.add_argument("--complaints", type=int, default=1_000_000)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--set-size", type=int, default=10_000, help="clocks expiring at once (sets A, B)")
    p = sub.add_parser("check")
    p.add_argument("--info", type=Path, required=True)
    p.add_argument("--sample", type=int, default=2000)
    p = sub.add_parser("find")
    p.add_argument("--info", type=Path, required=True)
    p.add_argument("--rounds", type=int, default=200)
    p.add_argument("--due", type=int, default=5000)
    p.add_argument("--at", type=parse_time, default=None)
    p = sub.add_parser("sweep")
    p.add_argument("--now", type=parse_time, required=True)
    p.add_argument("--start-at", type=float, required=True)
    p.add_argument("--batch", type=int, default=100)
    p = sub.add_parser("verify")
    p.add_argument("--info", type=Path, required=True)
    p.add_argument("--set", required=True)
    p = sub.add_parser("profile")
    p.add_argument("--info", type=Path, required=True)
    p.add_argument("--set", default="C")
    p.add_argument("--batches", type=int, default=2)
    p.add_argument("--profile-dir", type=Path, required=True)
    p = sub.add_parser("intake")
    p.add_argument("--info", type=Path, required=True)
    p.add_argument("--rounds", type=int, default=1000, help="intakes with clocks on (and as many off)")
    args = parser.parse_args()
    if args.command == "seed":
        out(seed(args.complaints, args.out, args.set_size))
        return
    if args.command == "sweep":
        out(sweep_worker(args.now, args.start_at, args.batch))
        return
    info = json.loads(args.info.read_text())
    if args.command == "check":
        out(check(info, args.sample))
    elif args.command == "find":
        out(find(args.rounds, args.due, args.at))
    elif args.command == "verify":
        out(verify(info, args.set))
    elif args.command == "profile":
        args.profile_dir.mkdir(parents=True, exist_ok=True)
        out(profile(info, args.set, args.profile_dir, args.batches))
    elif args.command == "intake":
        out(intake(info, args.rounds))


if __name__ == "__main__":
    main()
