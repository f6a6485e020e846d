"""The sweep under load: one sweep worker, the check that every clock was handled exactly once,
and a profile of sweep batches with their queries. Imported by ``benchmarks/clocks_work.py``
after ``django.setup()``.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarks.profiles import DatabaseTimer, profile_breakdown
from plaint.clocks.models import Clock as ClockRow
from plaint.clocks.sweep import clocks_sweep
from plaint.core import clock


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
    now = datetime.fromisoformat(s["now"])
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

    now = datetime.fromisoformat(info["sets"][label]["now"])
    clock.set_now(now)
    connection.ensure_connection()
    timer = DatabaseTimer()
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
        "db_ms_per_complaint": round(timer.seconds / per_complaint * 1000, 1),
        "queries": len(queries), "queries_per_complaint": round(len(queries) / per_complaint, 1),
        "query_kinds": dict(kinds.most_common()),
        "query_tables_per_complaint": {k: round(v / per_complaint, 2) for k, v in tables.most_common(25)},
        "profile_breakdown_ms_per_complaint": {
            k: round(v / per_complaint * 1000, 2)
            for k, v in sorted(profile_breakdown(root).items(), key=lambda kv: -kv[1])} if root else {},
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

