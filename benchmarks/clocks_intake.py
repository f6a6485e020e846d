"""What the clocks add to intake: ``complaint_create`` timed with the clocks on and off (in this
process only), the queries they add, and a profile of their part. Imported by
``benchmarks/clocks_work.py`` after ``django.setup()``.
"""

from __future__ import annotations

import re
import statistics
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarks.clocks_templates import CHANNEL
from plaint.complaints.actors import staff_actor
from plaint.complaints.services.intake import ComplaintDraft, complaint_create
from plaint.parties.actors import Principal
from plaint.parties.models import ApiToken, Customer, Organisation


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

