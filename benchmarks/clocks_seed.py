"""The clocks benchmark's load: organisations, staff, customers and N open complaints with COPY.

The rows copy the shape of complaints made through the real services (``clocks_templates``); the
oldest complaint of the load is also made by the services and swept for real, and the report
says whether its events and clock rows equal what the loader derived (``faithful``). Imported by
``benchmarks/clocks_work.py`` after ``django.setup()``.
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from benchmarks.bulk_load import EVENT_COLUMNS, chained_events, copy_rows
from benchmarks.clocks_templates import (
    ACK_AFTER,
    BUCKET,
    CHANNEL,
    CUSTOMERS_PER_COMPLAINT,
    ORGANISATIONS,
    SET_ORGS,
    SETS,
    NotPassive,
    Shapes,
    Template,
    expiry_set_templates,
    floor_time,
    simulate,
)
from plaint.clocks.context import ClockContext
from plaint.clocks.models import Clock as ClockRow
from plaint.clocks.refresh import row_values
from plaint.clocks.sweep import clocks_sweep
from plaint.complaints.actors import SYSTEM_ACTOR, Actor, staff_actor
from plaint.complaints.lifecycle import Action
from plaint.complaints.models import Complaint, Demand, Event
from plaint.complaints.services.intake import ComplaintDraft, complaint_create
from plaint.complaints.services.transitions import complaint_transition
from plaint.core import clock, references
from plaint.parties.actors import Principal
from plaint.parties.choices import Role, TeamKind
from plaint.parties.models import Customer, Membership, Organisation, Team, User
from plaint.parties.services import api_token_create

Plan = list[tuple[str, Template, str]]  # slug, template, set label ("" for the load)


def log(message: str) -> None:
    print(f"[clocks {datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def seed(complaints: int, info_file: Path, set_size: int, rng_seed: int = 20261121) -> dict[str, Any]:
    SETS.update(A=set_size, B=set_size, C=max(200, set_size // 10))
    rng = random.Random(rng_seed)
    started = time.perf_counter()
    t0 = datetime.now(UTC).replace(second=0, microsecond=0)
    connection.ensure_connection()
    if Complaint.objects.exists():
        raise SystemExit("the benchmark database is not empty; start from a fresh cluster")

    orgs, actors = _organisations()
    customer_count, customers_by_org = _customers(orgs, complaints, rng, t0)

    # Sample complaints through the real services, at chosen times. The first (received two days
    # ago) give the shape of the events; the second, received when the oldest complaints of the
    # load were, are swept by the real sweep at t0 and must have exactly the events and clock rows
    # the loader derives for such a complaint.
    contexts = {slug: ClockContext.for_organisation(org) for slug, org in orgs.items()}

    def sample(slug: str, received: datetime) -> Complaint:
        return sample_complaint(orgs[slug], actors[slug], customers_by_org[slug][0], received)

    samples = {slug: sample(slug, floor_time(t0 - timedelta(days=2, hours=3), BUCKET)) for slug in orgs}
    shapes = _shapes(samples)

    log("deriving templates")
    templates = _load_templates(contexts, shapes, t0)
    sets = expiry_set_templates(contexts, shapes, t0, "Europe/Warsaw")

    # Faithfulness: the oldest complaint of the load, made by the services and swept at t0.
    old_samples = {slug: sample(slug, templates[slug][-1].received_at) for slug in orgs}
    clock.set_now(t0)
    sample_sweep = clocks_sweep(now=t0)
    clock.set_now(None)
    faithful = {slug: _faithfulness(complaint, templates[slug][-1], shapes[slug])
                for slug, complaint in old_samples.items()}
    samples.update({f"{slug} (old)": c for slug, c in old_samples.items()})
    sample_events = {slug: events_of(c) for slug, c in samples.items()}
    log(f"templates: {', '.join(f'{s} {len(t)}' for s, t in templates.items())}; derived in "
        f"{time.perf_counter() - started:.0f} s")

    # Rows. The load first, then the sets (PL and CZ interleaved), ids from after the samples.
    plan = _plan(complaints, templates, sets, rng)
    copy_started = time.perf_counter()
    next_id, states, set_ranges = _copy_complaints(plan, samples, customers_by_org, rng)
    events = _copy_events(plan, next_id, orgs, shapes)
    clock_columns = ["complaint_id", "organisation_id", "key", *row_values(templates["wisla"][0].clocks[0])]
    clock_count = _copy_clock_rows(plan, next_id, orgs, clock_columns)
    demand_rows = [(cid, "refund", "49.00", "PLN" if n % 2 == 0 else "CZK", "")
                   for ids in set_ranges.values() for n, cid in enumerate(ids)]
    copy_rows(Demand, ["complaint_id", "kind", "amount", "currency", "detail"], demand_rows)
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
        "customers": customer_count,
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


# ---- organisations, staff and customers ----------------------------------------------------


def _organisations() -> tuple[dict[str, Organisation], dict[str, Actor]]:
    """Each organisation with a complaints team of four and the API token the samples are made
    with (exempt from rate limits), as the actor of that token."""
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
    return orgs, actors


def _customers(orgs: dict[str, Organisation], complaints: int, rng: random.Random,
               t0: datetime) -> tuple[int, dict[str, list[int]]]:
    """Customers (COPY), a fifth as many as complaints: how many, and their ids by organisation."""
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
    copy_rows(Customer, ["id", "organisation_id", "full_name", "email", "phone", "postal_address",
                         "preferred_language", "preferred_channel", "accessibility_needs",
                         "is_vulnerable", "created_at"], customer_rows)
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('parties_customer', 'id'), %s)",
                       [customer_id])
    return len(customer_rows), customers_by_org


# ---- complaints made by the real services --------------------------------------------------


def sample_complaint(org: Organisation, actor: Actor, customer_id: int, received: datetime) -> Complaint:
    """A complaint made through the real services at ``received`` and acknowledged ten minutes
    later, as every complaint of the load is."""
    clock.set_now(received)
    complaint, _ = complaint_create(
        actor=actor, organisation=org,
        customer=Customer.objects.get(pk=customer_id),
        draft=ComplaintDraft(channel=CHANNEL, subject="Charged twice for October",
                             description="The October invoice was charged twice."),
    )
    clock.set_now(received + ACK_AFTER)
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().select_related("organisation").get(
            pk=complaint.pk)
        complaint_transition(actor=actor, complaint=locked, action=Action.ACKNOWLEDGE)
    clock.set_now(None)
    return complaint


def events_of(complaint: Complaint) -> list[Event]:
    return list(Event.objects.filter(complaint_id=complaint.pk).order_by("occurred_at", "id"))


def _shapes(samples: dict[str, Complaint]) -> dict[str, Shapes]:
    """The event data, visibility and actor of each kind of event, by organisation, as the
    services wrote them for the samples; the sweep's events are the system's."""
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
    return shapes


def _load_templates(contexts: dict[str, ClockContext], shapes: dict[str, Shapes],
                    t0: datetime) -> dict[str, list[Template]]:
    """Templates of the load: received in 10-minute buckets, newest first, as far back as no clock
    with actions that change the complaint has run out by t0."""
    templates: dict[str, list[Template]] = {}
    newest = floor_time(t0 - timedelta(minutes=30), BUCKET)
    for slug in contexts:
        found = []
        moment = newest
        while moment > t0 - timedelta(days=70):
            try:
                found.append(simulate(contexts[slug], shapes[slug], moment, t0))
            except NotPassive:
                break
            moment -= BUCKET
        templates[slug] = found
    return templates


def _faithfulness(complaint: Complaint, template: Template, shapes: Shapes) -> dict[str, Any]:
    """Whether the clock rows and events the services and the real sweep left for ``complaint``
    equal those of its ``template``; both sides in full where they differ."""
    ours = {c.key: row_values(c) for c in template.clocks}
    names = list(row_values(template.clocks[0]))
    stored = {r.key: {k: getattr(r, k) for k in names}
              for r in ClockRow.objects.filter(complaint_id=complaint.pk)}
    stored_events = [(e.kind, e.data, e.visibility, e.actor_kind, e.actor_role, e.actor_token_id)
                     for e in events_of(complaint)]
    our_events = [(k, d, v, *shapes.actor[k].values()) for k, _at, d, v in template.events]

    def timeless(rows: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        # A real sweep records an expiry at its own now, which becomes breached_at.
        return {k: {f: v for f, v in r.items() if f != "breached_at"} for k, r in rows.items()}

    faithful = {"clock_rows_equal": timeless(stored) == timeless(ours),
                "events_equal": stored_events == our_events,
                "received_at": complaint.received_at, "clocks": sorted(ours),
                "events": [e[0] for e in stored_events]}
    if not (faithful["clock_rows_equal"] and faithful["events_equal"]):
        faithful.update(stored_rows=stored, our_rows=ours, stored_events=stored_events,
                        our_events=our_events)
    return faithful


# ---- the rows (COPY) -----------------------------------------------------------------------


def _plan(complaints: int, templates: dict[str, list[Template]], sets: dict[str, dict[str, Any]],
          rng: random.Random) -> Plan:
    """Which organisation and template each loaded complaint has: the load first, spread over the
    organisations by their share, then the sets (PL and CZ interleaved)."""
    plan: Plan = []
    load = complaints - sum(SETS.values())
    slugs = [spec[1] for spec in ORGANISATIONS]
    weights = [spec[8] for spec in ORGANISATIONS]
    for slug in rng.choices(slugs, weights=weights, k=load):
        plan.append((slug, rng.choice(templates[slug]), ""))
    for label in sorted(SETS):
        for n in range(SETS[label]):
            slug = SET_ORGS[n % len(SET_ORGS)]
            plan.append((slug, rng.choice(sets[label]["templates"][slug]), label))
    return plan


def _copy_complaints(plan: Plan, samples: dict[str, Complaint], customers_by_org: dict[str, list[int]],
                     rng: random.Random) -> tuple[int, Counter[str], dict[str, list[int]]]:
    """COPY the complaints of ``plan``, each a copy of its organisation's sample with the times of
    its template and a reference of its own, ids from after the samples: the first id, the count
    by state, and the ids of each set."""
    fields = list(Complaint._meta.concrete_fields)
    sample_values = {slug: dict(Complaint.objects.filter(pk=c.pk).values(*[f.attname for f in fields])[0])
                     for slug, c in samples.items()}
    json_fields = {f.attname for f in fields if f.get_internal_type() == "JSONField"}
    next_id = Complaint.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1
    seen: set[str] = set(Complaint.objects.values_list("reference", flat=True))
    set_ranges: dict[str, list[int]] = {label: [] for label in SETS}
    states: Counter[str] = Counter()

    def complaint_rows() -> Iterator[list[Any]]:
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

    log(f"COPY {len(plan):,} complaints")
    copy_rows(Complaint, [f.column for f in fields], complaint_rows())
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('complaints_complaint', 'id'), "
                       "(SELECT max(id) FROM complaints_complaint))")
    return next_id, states, set_ranges


def _copy_events(plan: Plan, next_id: int, orgs: dict[str, Organisation], shapes: dict[str, Shapes]) -> int:
    """COPY the events of each planned complaint's template, each complaint's a hash chain as
    ``event_record`` would have made it; how many."""

    def events() -> Iterator[dict[str, Any]]:
        for i, (slug, template, label) in enumerate(plan):
            for kind, at, data, visibility in template.events:
                actor = shapes[slug].actor.get(kind) or shapes[slug].actor["clock_warned"]
                if kind == "received" and label:
                    data = {**data, "demands_recorded": True}
                yield {"organisation_id": orgs[slug].pk, "complaint_id": next_id + i, "kind": kind,
                       "occurred_at": at, "visibility": visibility, "data": data, **actor}

    log("COPY events")
    return copy_rows(Event, EVENT_COLUMNS, chained_events(events()))


def _copy_clock_rows(plan: Plan, next_id: int, orgs: dict[str, Organisation], columns: list[str]) -> int:
    """COPY the clock rows of each planned complaint's template; how many."""

    def clock_rows() -> Iterator[tuple[Any, ...]]:
        for i, (slug, template, _label) in enumerate(plan):
            cid = next_id + i
            for c in template.clocks:
                values = row_values(c)
                values["pauses"] = json.dumps(values["pauses"])
                yield (cid, orgs[slug].pk, c.key, *values.values())

    log("COPY clock rows")
    return copy_rows(ClockRow, columns, clock_rows())
