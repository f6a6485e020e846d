"""Is the clocks benchmark's load right, and how fast are the queries that find the due clocks.

``check`` runs ``plaint.clocks.rebuild._differences`` on a sample of the loaded complaints (the
rows the loader wrote must be those the clocks would rebuild) and counts what is due when;
``find`` times ``due_clocks`` and the sweep's candidate query and EXPLAINs them. Imported by
``benchmarks/clocks_work.py`` after ``django.setup()``.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Count

from plaint.clocks.context import ClockContext
from plaint.clocks.models import Clock as ClockRow
from plaint.clocks.rebuild import _differences
from plaint.clocks.sweep import CANDIDATES_PER_BATCH, due_clocks
from plaint.complaints.models import Complaint


def check(info: dict[str, Any], sample: int) -> dict[str, Any]:
    """How many clock rows of a sample (``sample`` of the load, a few of each set) a rebuild would
    change, and how many clocks are due at t0 and at each set's instant."""
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
    t0 = datetime.fromisoformat(info["t0"])
    counts = {
        "due_at_t0_outside_sets": ClockRow.objects.filter(next_action_at__lte=t0)
        .exclude(complaint_id__gte=info["sets"]["A"]["first_id"]).count(),
        **{f"due_at_now_{label}": ClockRow.objects.filter(
            next_action_at__lte=datetime.fromisoformat(s["now"])).count()
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

