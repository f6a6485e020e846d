"""The benchmark's in-process half: load the data, count queries, profile.

Run by ``benchmarks/bench_api.py`` as ``python -m benchmarks.inprocess COMMAND``
with the same settings as the server (``plaint.settings.local`` and
``PLAINT_DATABASE_URL`` pointing at the benchmark cluster). Each command prints
one JSON document on stdout.

  seed --complaints N      load organisations, staff, tokens, customers and N
                           complaints (with demands, events, messages,
                           interactions) with COPY, then VACUUM ANALYZE
  measure --seed-file F    count the queries of intake, list and detail, time
                           their database and Python parts, and profile them
                           under pyinstrument (requests go through Django's
                           real WSGI handler, exactly as granian calls it)
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import secrets
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plaint.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from benchmarks.bench_api import wait_for_quiet  # noqa: E402
from benchmarks.bulk_load import EVENT_COLUMNS, chained_events, copy_rows  # noqa: E402
from benchmarks.profiles import DatabaseTimer, profile_breakdown  # noqa: E402
from plaint.complaints.lifecycle import State  # noqa: E402
from plaint.complaints.models import Complaint, Demand, Event, Interaction, Message  # noqa: E402
from plaint.core import references  # noqa: E402
from plaint.parties.choices import Role, Sector, TeamKind  # noqa: E402
from plaint.parties.models import (  # noqa: E402
    Customer,
    CustomerAccountNumber,
    Membership,
    Organisation,
    Team,
    User,
)
from plaint.parties.services import api_token_create  # noqa: E402

# ---- the data set ----------------------------------------------------------------------

ORGANISATIONS = [
    # name, slug, country, sector, language, currency, share of complaints
    ("Northwind Telecom", "northwind", "CZ", Sector.TELECOM, "cs", "CZK", 0.40),
    ("Vistula Energia", "vistula", "PL", Sector.ENERGY, "pl", "PLN", 0.30),
    ("Carpathia Net", "carpathia", "RO", Sector.INTERNET, "ro", "RON", 0.20),
    ("Paulista Banco", "paulista", "BR", Sector.FINANCE, "pt-br", "BRL", 0.10),
]
STATES = {
    State.RECEIVED: 10, State.ACKNOWLEDGED: 10, State.INVESTIGATING: 18,
    State.AWAITING_CUSTOMER: 5, State.DECIDED: 5, State.FINAL_RESPONSE_ISSUED: 5,
    State.REFERRED_EXTERNALLY: 2, State.EXTERNALLY_RESOLVED: 1, State.CLOSED: 38,
    State.REOPENED: 3, State.WITHDRAWN: 3,
}
LEVELS = {1: 70, 2: 15, 3: 12, 4: 3}
CHANNELS = {"phone": 30, "email": 25, "web": 20, "chat": 10, "letter": 5, "api": 5, "visit": 3,
            "sms": 1, "social": 1}
PRIORITIES = {"normal": 70, "high": 15, "low": 10, "urgent": 5}
CATEGORIES = {
    "billing": ["double charge", "wrong tariff", "late fee", "refund not received"],
    "service": ["outage", "slow speed", "installation delay", "repair not done"],
    "contract": ["cancellation refused", "unilateral change", "early termination fee"],
    "conduct": ["rude agent", "promise not kept", "no call back"],
}
SUBJECTS = [
    "Charged twice for {month}", "No service since {month}", "Technician did not come",
    "Cancellation not processed", "Refund promised in {month} never arrived",
    "Price went up without notice", "Nobody called me back", "Wrong meter reading for {month}",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
STAFF_ROLES = [Role.AGENT] * 12 + [Role.TEAM_LEADER] * 4 + [Role.COMPLAINTS_OFFICER] * 5 + [
    Role.MANAGER] * 2 + [Role.ORG_ADMIN]
CUSTOMERS_PER_COMPLAINT = 0.6  # repeat complainers: 60,000 customers for 100,000 complaints
HISTORY = timedelta(days=730)


def _pick(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def account_number(org_index: int, n: int) -> str:
    """The account number of an organisation's n-th seeded customer (the Lua script knows it)."""
    return f"A{org_index}-{n:07d}"


def seed(complaints: int, rng_seed: int = 20250101) -> dict[str, object]:
    rng = random.Random(rng_seed)
    started = time.perf_counter()
    now = datetime.now(UTC)
    connection.ensure_connection()
    if Complaint.objects.exists():
        raise SystemExit("the benchmark database is not empty; start from a fresh cluster")

    orgs: list[Organisation] = []
    teams: dict[int, list[Team]] = {}
    staff: dict[int, list[Membership]] = {}
    tokens: dict[int, str] = {}
    for index, (name, slug, country, sector, language, _cur, _share) in enumerate(ORGANISATIONS):
        org = Organisation.objects.create(
            name=name, slug=slug, country=country, sector=sector, time_zone="UTC",
            languages=[language, "en"], default_language=language,
            complaint_email=f"complaints@{slug}.test",
        )
        orgs.append(org)
        teams[org.pk] = [Team.objects.create(organisation=org, kind=kind, name=str(kind.label))
                         for kind in (TeamKind.BILLING, TeamKind.TECHNICAL, TeamKind.COMPLAINTS,
                                      TeamKind.MANAGEMENT)]
        users = User.objects.bulk_create([
            User(email=f"staff{i}@{slug}.test", full_name=f"Staff Member {index}.{i}",
                 preferred_language=language, password="!unusable")  # noqa: S106
            for i, _role in enumerate(STAFF_ROLES)
        ])
        staff[org.pk] = Membership.objects.bulk_create([
            Membership(user=user, organisation=org, role=role, team=teams[org.pk][i % 4],
                       position=str(role.label), location="Head office")
            for i, (user, role) in enumerate(zip(users, STAFF_ROLES, strict=True))
        ])
        # Exempt from rate limits, as the operator would make it: the benchmark measures Plaint,
        # not the limiter (docs/security.md).
        _token, raw = api_token_create(organisation=org, name="benchmark integration",
                                       role=Role.COMPLAINTS_OFFICER, rate_limit_exempt=True)
        tokens[org.pk] = raw

    # Customers: each organisation gets its share, each with an account number.
    customer_rows: list[tuple[object, ...]] = []
    account_rows: list[tuple[object, ...]] = []
    customers_by_org: dict[int, list[int]] = {}
    customer_id = 0
    for index, (org, spec) in enumerate(zip(orgs, ORGANISATIONS, strict=True)):
        count = round(complaints * spec[6] * CUSTOMERS_PER_COMPLAINT)
        ids = []
        for n in range(count):
            customer_id += 1
            ids.append(customer_id)
            customer_rows.append((
                customer_id, org.pk, f"Customer {index}-{n}", f"customer{n}@{spec[1]}.example",
                f"+420{rng.randrange(10**8, 10**9)}", "", spec[4], "email", "", rng.random() < 0.03,
                now - HISTORY,
            ))
            account_rows.append((customer_id, customer_id, org.pk, account_number(index, n), ""))
        customers_by_org[org.pk] = ids
    copy_rows(Customer, ["id", "organisation_id", "full_name", "email", "phone", "postal_address",
                         "preferred_language", "preferred_channel", "accessibility_needs",
                         "is_vulnerable", "created_at"], customer_rows)
    copy_rows(CustomerAccountNumber, ["id", "customer_id", "organisation_id", "number", "label"],
              account_rows)

    # Complaints, oldest first, so that "newest first" (-id) is also by creation time.
    org_weights = {org: spec[6] for org, spec in zip(orgs, ORGANISATIONS, strict=True)}
    seen_references: set[str] = set()
    complaint_rows: list[tuple[object, ...]] = []
    demand_rows: list[tuple[object, ...]] = []
    events: list[dict[str, Any]] = []
    message_rows: list[tuple[object, ...]] = []
    interaction_rows: list[tuple[object, ...]] = []
    sample_refs: dict[int, list[str]] = {org.pk: [] for org in orgs}
    states: Counter[str] = Counter()
    step = HISTORY / complaints
    for cid in range(1, complaints + 1):
        org = rng.choices(list(org_weights), weights=list(org_weights.values()))[0]
        spec = ORGANISATIONS[orgs.index(org)]
        currency = spec[5]
        reference = references.generate()
        while reference in seen_references:
            reference = references.generate()
        seen_references.add(reference)
        created = now - HISTORY + step * cid
        state = _pick(rng, STATES)
        states[state.value] += 1
        level = 1 if state == State.RECEIVED else _pick(rng, LEVELS)
        category = rng.choice(list(CATEGORIES))
        assigned = state != State.RECEIVED and rng.random() < 0.9
        member = rng.choice(staff[org.pk]) if assigned else None
        demands = rng.random() < 0.85
        amount = Decimal(rng.randrange(500, 500000)) / 100 if rng.random() < 0.5 else None
        changed = created + timedelta(hours=rng.randrange(1, 24 * 20))
        closed = changed if state == State.CLOSED else None
        subject = rng.choice(SUBJECTS).format(month=rng.choice(MONTHS))
        complaint_rows.append((
            cid, reference, org.pk, rng.choice(customers_by_org[org.pk]),
            "", _pick(rng, CHANNELS), spec[4], category, rng.choice(CATEGORIES[category]),
            "Fibre 500" if spec[3] != Sector.FINANCE else "Current account", subject,
            f"{subject}. I have called three times and nothing happened. " * 3,
            demands, amount, currency if amount is not None else "", _pick(rng, PRIORITIES),
            state.value, level, state in (State.DECIDED, State.REOPENED), False,
            created, created, changed, changed, closed,
            member.team_id if member else None, member.pk if member else None, None,
        ))
        if len(sample_refs[org.pk]) < 5000 and rng.random() < 0.2:
            sample_refs[org.pk].append(reference)
        if demands:
            demand_rows.append((cid, "refund", amount or Decimal("25.00"), currency, ""))
            if rng.random() < 0.4:
                demand_rows.append((cid, "apology", None, "", "A written apology."))
        about = {"organisation_id": org.pk, "complaint_id": cid, "actor_kind": "integration",
                 "actor_role": "complaints_officer"}
        events.append({**about, "kind": "received", "occurred_at": created, "visibility": "customer",
                       "data": {"channel": "phone", "level": 1, "demands_recorded": demands}})
        if member is not None:
            events.append({**about, "kind": "assigned", "occurred_at": created + timedelta(minutes=5),
                           "visibility": "internal",
                           "data": {"team_id": member.team_id, "assignee_id": member.pk}})
        if state != State.RECEIVED:
            events.append({**about, "kind": "transitioned", "occurred_at": changed,
                           "visibility": "customer", "data": {"from": "received", "to": state.value}})
        for n in range(rng.choice((0, 0, 0, 1, 1, 2, 3))):
            message_rows.append((cid, "message", "email", "customer" if n % 2 == 0 else "staff",
                                 "Any news about my complaint? " * 4, "customer",
                                 created + timedelta(days=n + 1)))
        if rng.random() < 0.2:
            interaction_rows.append((cid, "phone", "inbound", created + timedelta(hours=2), 420,
                                     "Jana", "Agent", "Call centre", "[]", "Customer called.",
                                     "customer", "staff", created + timedelta(hours=2)))
    copy_rows(Complaint, [
        "id", "reference", "organisation_id", "customer_id", "account_number", "channel",
        "language", "category", "subcategory", "product", "subject", "description",
        "demands_recorded", "amount_in_dispute", "currency", "priority", "state", "level",
        "final_response_due", "is_historical", "received_at", "created_at", "updated_at",
        "state_changed_at", "closed_at", "team_id", "assignee_id", "merged_into_id", "held_reason",
    ], [(*row, "") for row in complaint_rows])
    copy_rows(Demand, ["complaint_id", "kind", "amount", "currency", "detail"], demand_rows)
    copy_rows(Event, EVENT_COLUMNS, chained_events(events))
    copy_rows(Message, ["complaint_id", "kind", "channel", "author_kind", "body", "visibility",
                        "created_at"], message_rows)
    copy_rows(Interaction, ["complaint_id", "channel", "direction", "started_at", "duration_seconds",
                            "staff_name", "staff_position", "staff_location", "references_quoted",
                            "notes", "visibility", "recorded_by_kind", "created_at"], interaction_rows)
    with connection.cursor() as cursor:
        for model in (Customer, CustomerAccountNumber, Complaint):
            table = model._meta.db_table
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                           f"(SELECT max(id) FROM {table}))")
    connection.connection.autocommit = True
    with connection.connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")

    main = orgs[0]
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "organisations": len(orgs),
        "customers": len(customer_rows),
        "complaints": len(complaint_rows),
        "demands": len(demand_rows),
        "events": len(events),
        "messages": len(message_rows),
        "interactions": len(interaction_rows),
        "states": dict(states),
        "token": tokens[main.pk],
        "organisation_id": main.pk,
        "organisation_index": 0,
        "organisation_complaints": sum(1 for row in complaint_rows if row[2] == main.pk),
        "organisation_customers": len(customers_by_org[main.pk]),
        "references": sample_refs[main.pk],
    }


# ---- requests through Django's WSGI handler, as granian makes them ---------------------------


def intake_body(seed_info: dict[str, Any], n: int, existing: bool) -> bytes:
    """The same body the wrk script sends (see intake.lua)."""
    customer_n = n % int(seed_info["organisation_customers"])
    account = (account_number(int(seed_info["organisation_index"]), customer_n) if existing
               else f"N-inproc-{n}-{secrets.token_hex(4)}")
    email = (f"customer{customer_n}@northwind.example" if existing
             else f"new-{n}-{secrets.token_hex(4)}@example.test")
    return json.dumps({
        "organisation_id": seed_info["organisation_id"],
        "channel": "web",
        "subject": "Charged twice for October",
        "description": "The October invoice was charged twice to my card. Please refund it.",
        "category": "billing",
        "product": "Fibre 500",
        "account_number": account,
        "customer": {"full_name": f"Bench Customer {n}", "email": email, "account_number": account},
        "demands": [{"kind": "refund", "amount": "25.00", "currency": "CZK"},
                    {"kind": "apology", "detail": "A written apology."}],
    }).encode()


class Wsgi:
    """Calls ``plaint.wsgi.application`` with a hand-built WSGI environ."""

    def __init__(self, token: str) -> None:
        from plaint.wsgi import application

        self.application = application
        self.token = token

    def __call__(self, method: str, path: str, body: bytes = b"",
                 headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        path, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1:8000",
            "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
            "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr, "wsgi.multithread": False, "wsgi.multiprocess": True,
            "wsgi.run_once": False, "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": "application/json" if body else "",
            "HTTP_AUTHORIZATION": f"Bearer {self.token}",
        }
        for name, value in (headers or {}).items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        status: list[str] = []
        response = self.application(environ, lambda s, h, exc_info=None: status.append(s))
        try:
            content = b"".join(response)
        finally:
            response.close()  # sends request_finished, as a WSGI server does
        return int(status[0].split()[0]), content


def _requests(seed_info: dict[str, Any]) -> dict[str, Callable[[int], tuple[str, str, bytes,
                                                                           dict[str, str]]]]:
    refs = seed_info["references"]
    nonce = secrets.token_hex(4)

    def intake_new(n: int) -> tuple[str, str, bytes, dict[str, str]]:
        return ("POST", "/api/v1/complaints", intake_body(seed_info, n, existing=False),
                {"Idempotency-Key": f"inproc-{nonce}-new-{n}"})

    def intake_existing(n: int) -> tuple[str, str, bytes, dict[str, str]]:
        return ("POST", "/api/v1/complaints", intake_body(seed_info, n * 7919, existing=True),
                {"Idempotency-Key": f"inproc-{nonce}-old-{n}"})

    return {
        "intake (new customer)": intake_new,
        "intake (known customer)": intake_existing,
        "list": lambda n: ("GET", "/api/v1/complaints", b"", {}),
        "list state=investigating": lambda n: (
            "GET", "/api/v1/complaints?state=investigating", b"", {}),
        "detail": lambda n: ("GET", f"/api/v1/complaints/{refs[n % len(refs)]}", b"", {}),
    }


EXPECTED = {"intake (new customer)": 201, "intake (known customer)": 201}

def _hotspots(root: Any, total: float) -> list[tuple[str, float]]:
    """Share of the time of the endpoint's direct callees, and of the token lookup (the
    profile holds one subtree per request: they are summed)."""
    spots: Counter[str] = Counter()
    stack = [root]
    while stack:
        frame = stack.pop()
        path = frame.file_path or ""
        if frame.function in ("api_token_by_secret", "api_token_with_secret"):
            spots["api_token_by_secret (auth)"] += frame.time
        elif "/plaint/api/" in path and not path.endswith("auth.py"):
            spots[f"{frame.function} (the endpoint, all of it)"] += frame.time
            for child in frame.children:
                if not child.is_synthetic:
                    owner = f"{child.class_name}." if child.class_name else ""
                    spots[owner + child.function] += child.time
        else:
            stack.extend(frame.children)
    return [(name, round(t / total, 3)) for name, t in spots.most_common() if t / total >= 0.02]


def measure(seed_info: dict[str, Any], rounds: int, profile_dir: Path) -> dict[str, object]:
    from pyinstrument import Profiler

    call = Wsgi(str(seed_info["token"]))
    results: dict[str, object] = {}
    for name, make in _requests(seed_info).items():
        expected = EXPECTED.get(name, 200)
        # warm up (imports, template and URL caches, prepared statements after 5 uses)
        for n in range(10):
            status, content = call(*make(10_000 + n))
            assert status == expected, (name, status, content[:500])
        # count queries (a fresh request each time: different key, customer, reference)
        with CaptureQueriesContext(connection) as captured:
            status, _ = call(*make(20_000))
        assert status == expected
        queries = [q["sql"] for q in captured.captured_queries]
        # time the database part against the whole request
        timer = DatabaseTimer()
        wait_for_quiet()
        with connection.execute_wrapper(timer):
            t0, cpu0 = time.perf_counter(), time.process_time()
            for n in range(rounds):
                call(*make(30_000 + n))
            wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        # profile
        profiler = Profiler()
        profiler.start()
        for n in range(rounds):
            call(*make(40_000 + n))
        profiler.stop()
        slug = name.replace(" ", "-").replace("(", "").replace(")", "").replace("=", "-")
        (profile_dir / f"profile-{slug}.txt").write_text(
            profiler.output_text(unicode=True, color=False, show_all=False))
        (profile_dir / f"profile-{slug}.html").write_text(profiler.output_html())
        (profile_dir / f"queries-{slug}.sql").write_text(
            "".join(f"-- {i}\n{sql};\n" for i, sql in enumerate(queries, 1)))
        session = profiler.last_session
        assert session is not None
        root = session.root_frame()
        total = root.time if root else 0.0
        breakdown = profile_breakdown(root) if root else {}
        hotspots = _hotspots(root, total) if root else []
        results[name] = {
            "queries": len(queries),
            "query_kinds": dict(Counter(q.split()[0].upper() for q in queries)),
            "ms_per_request": round(wall / rounds * 1000, 2),
            "db_ms_per_request": round(timer.seconds / rounds * 1000, 2),
            "python_ms_per_request": round((wall - timer.seconds) / rounds * 1000, 2),
            "process_cpu_ms_per_request": round(cpu / rounds * 1000, 2),
            "profile_ms_per_request": round(total / rounds * 1000, 2),
            "hotspots": hotspots,
            "profile_breakdown_ms": {k: round(v / rounds * 1000, 2)
                                     for k, v in sorted(breakdown.items(), key=lambda kv: -kv[1])},
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    seed_cmd = sub.add_parser("seed")
    seed_cmd.add_argument("--complaints", type=int, default=100_000)
    measure_cmd = sub.add_parser("measure")
    measure_cmd.add_argument("--seed-file", type=Path, required=True)
    measure_cmd.add_argument("--rounds", type=int, default=200)
    measure_cmd.add_argument("--profile-dir", type=Path, required=True)
    args = parser.parse_args()
    if args.command == "seed":
        print(json.dumps(seed(args.complaints)))
    else:
        args.profile_dir.mkdir(parents=True, exist_ok=True)
        info = json.loads(args.seed_file.read_text())
        print(json.dumps(measure(info, args.rounds, args.profile_dir)))


if __name__ == "__main__":
    main()
