"""The clocks benchmark: a million open complaints with their clocks on PostgreSQL.

    .venv/bin/python benchmarks/bench_clocks.py      (make bench-clocks; ~10–15 minutes)

The aims (issue 3): finding the due clocks takes ≤ 50 ms; 10,000 clocks expiring at once are
all acted on in ≤ 30 s; clocks add ≤ 2 ms to intake. What it does, in order:

1. starts a fresh, *durable* PostgreSQL cluster (``scripts/pg-cluster ... --durable``) in
   /tmp/pg-bench-clocks on 127.0.0.1:55460 and migrates it;
2. loads 1,000,000 open, acknowledged complaints of four organisations (PL retail, CZ internet,
   GB finance in England, BR telecom) with their events and clock rows, with COPY
   (``benchmarks/clocks_work.py seed``). The rows are not invented: a few complaints are made
   through the real services first and the load copies their shape; every loaded complaint's
   clocks come from the real engine (``deadlines.engine.derive_clocks``) with the warnings (and
   harmless expiries) a punctual sweep would have recorded by the start of the run, and a sample
   is checked with ``plaint.clocks.rebuild._differences``. Among them, sets A and B of 10,000
   complaints (PL deemed acceptance, CZ external route) whose clocks all run out at one instant,
   and set C (1,000) for the profile;
3. times ``sweep.due_clocks(now, 1000)`` and the sweep's candidate query (p50/p95, EXPLAIN
   ANALYZE) with the 10,000 of set A due, and again with 5,000 ordinary clocks due;
4. sweeps set A with one worker process and set B with two, each started at one instant with
   ``clocks_sweep(now=...)``; counts the ``clock_expired`` events of every clock (exactly once);
5. profiles sweep batches of set C under pyinstrument, with their queries;
6. times ``complaint_create`` 1,000 times with the clocks on and 1,000 with them off (clocks
   off: ``services.common.clocks_refresh`` replaced by a no-op in that process only);
7. stops the cluster, writes benchmarks/results/clocks.json and the "Clocks" section of
   BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from bench_api import (  # sibling module (run as a script)
    CLOCK_TICK,
    PYTHON,
    ROOT,
    Cluster,
    bench_env,
    log,
    machine_busy_ticks,
    run_facts_with_git,
    tree_cpu_ticks,
    wait_for_quiet,
)
from clocks_report import verdicts, write_report

RESULTS = ROOT / "benchmarks" / "results"


def work(env: dict[str, str], *args: str) -> Any:
    """Run one command of ``benchmarks/clocks_work.py``; its JSON answer."""
    done = subprocess.run([str(PYTHON), "-m", "benchmarks.clocks_work", *args], env=env, cwd=ROOT,
                          check=True, text=True, stdout=subprocess.PIPE)
    return json.loads(done.stdout)


def sweep(env: dict[str, str], cluster: Cluster, now: str, workers: int) -> dict[str, Any]:
    """``workers`` processes run ``clocks_sweep(now=now)``, all starting at one instant."""
    start_at = time.time() + 8  # after Django has started in each
    processes = [subprocess.Popen([str(PYTHON), "-m", "benchmarks.clocks_work", "sweep", "--now", now,
                                   "--start-at", str(start_at)], env=env, cwd=ROOT,
                                  stdout=subprocess.PIPE, text=True) for _ in range(workers)]
    while time.time() < start_at - 0.05:
        time.sleep(0.01)
    pg_before = sum(tree_cpu_ticks([cluster.postmaster_pid()]).values())
    machine_before = machine_busy_ticks()
    reports = []
    for process in processes:
        stdout, _ = process.communicate()
        if process.returncode:
            raise SystemExit(f"a sweep worker failed ({process.returncode})")
        reports.append(json.loads(stdout))
    machine_after = machine_busy_ticks()
    pg_ticks = sum(tree_cpu_ticks([cluster.postmaster_pid()]).values()) - pg_before
    seconds = max(r["finished"] for r in reports) - start_at
    busy = machine_after[0] - machine_before[0]
    ours = pg_ticks + sum(r["cpu_seconds"] for r in reports) * CLOCK_TICK
    result = {
        "workers": workers, "seconds": round(seconds, 2),
        "expired": sum(r["expired"] for r in reports), "warned": sum(r["warned"] for r in reports),
        "failed": sum(r["failed"] for r in reports), "complaints": sum(r["complaints"] for r in reports),
        "per_worker": reports,
        "cpu_seconds": {"sweep workers": round(sum(r["cpu_seconds"] for r in reports), 1),
                        "PostgreSQL": round(pg_ticks / CLOCK_TICK, 1)},
        "machine_busy": round(busy / max(1, machine_after[1] - machine_before[1]), 3),
        "other_load_cores": round(max(0, busy - ours) / CLOCK_TICK / max(seconds, 0.1), 2),
    }
    result["per_second"] = round(result["expired"] / max(seconds, 0.01), 1)
    log(f"sweep with {workers} worker(s): {result['expired']} expired, {result['failed']} failed, "
        f"in {seconds:.1f} s ({result['per_second']}/s); other load {result['other_load_cores']} cores")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--set-size", type=int, default=10_000,
                        help="clocks expiring at once in each sweep run (a smaller figure for trials)")
    parser.add_argument("--rounds", type=int, default=200, help="timed runs of each find query")
    parser.add_argument("--intakes", type=int, default=1000, help="timed intakes with clocks on (and off)")
    parser.add_argument("--pg-dir", type=Path, default=Path("/tmp/pg-bench-clocks"))  # noqa: S108
    parser.add_argument("--pg-port", type=int, default=55460)
    parser.add_argument("--api-results", type=Path, default=None,
                        help="a bench_api.py results file of a run with the clocks on, to quote")
    parser.add_argument("--no-report", action="store_true", help="do not rewrite BENCHMARKS.md")
    parser.add_argument("--report-from", type=Path, default=None,
                        help="only rewrite the section of BENCHMARKS.md from a saved clocks.json")
    parser.add_argument("--keep", action="store_true", help="leave the cluster running")
    args = parser.parse_args()
    if args.report_from:
        saved = json.loads(args.report_from.read_text())
        saved["verdicts"] = verdicts(saved)
        write_report(saved)
        return

    started = time.monotonic()
    RESULTS.mkdir(parents=True, exist_ok=True)
    var_dir = Path(f"{args.pg_dir}-var")
    shutil.rmtree(var_dir, ignore_errors=True)
    var_dir.mkdir(parents=True)
    cluster = Cluster(args.pg_dir, args.pg_port)
    env = bench_env(PLAINT_DATABASE_URL=cluster.url, PLAINT_VAR_DIR=str(var_dir))
    info_file = var_dir / "seed.json"
    results: dict[str, Any] = run_facts_with_git("bench-clocks", "benchmarks/bench_clocks.py")
    try:
        log(f"starting a durable PostgreSQL cluster in {args.pg_dir} on 127.0.0.1:{args.pg_port}")
        cluster.start()
        results["postgresql"] = cluster.settings()
        subprocess.run([str(ROOT / ".venv" / "bin" / "plaint"), "migrate", "--noinput", "-v0"],
                       env=env, cwd=ROOT, check=True)
        log(f"loading {args.complaints:,} complaints with their clocks")
        seed = work(env, "seed", "--complaints", str(args.complaints), "--out", str(info_file),
                    "--set-size", str(args.set_size))
        results["seed"] = {k: v for k, v in seed.items() if k != "customers_by_org"}
        results["seed"]["database_size"] = cluster.sql("SELECT pg_size_pretty(pg_database_size('plaint'))")
        results["seed"]["clock_table_size"] = cluster.sql(
            "SELECT pg_size_pretty(pg_total_relation_size('clocks_clock'))")
        results["seed"]["clock_index_size"] = cluster.sql(
            "SELECT pg_size_pretty(pg_relation_size('clock_next_action'))")
        log(f"loaded in {seed['seconds']} s: {seed['complaints']:,} complaints, {seed['clock_rows']:,} "
            f"clock rows; faithful: {json.dumps({k: [v['clock_rows_equal'], v['events_equal']] for k, v in seed['faithful'].items()})}")  # noqa: E501
        results["check"] = work(env, "check", "--info", str(info_file))
        log(f"rebuild check on {results['check']['complaints']:,} complaints: "
            f"{results['check']['changed']} rows differ")
        sets = seed["sets"]

        wait_for_quiet()
        results["find_10k_same_instant"] = work(env, "find", "--info", str(info_file), "--rounds",
                                                str(args.rounds), "--at", sets["A"]["now"])
        log(f"find (set A due): {json.dumps({k: v for k, v in results['find_10k_same_instant'].items() if isinstance(v, dict)})}")  # noqa: E501

        wait_for_quiet()
        results["sweep_1"] = sweep(env, cluster, sets["A"]["now"], 1)
        results["verify_1"] = work(env, "verify", "--info", str(info_file), "--set", "A")
        log(f"set A: {results['verify_1']}")
        wait_for_quiet()
        results["sweep_2"] = sweep(env, cluster, sets["B"]["now"], 2)
        results["verify_2"] = work(env, "verify", "--info", str(info_file), "--set", "B")
        log(f"set B: {results['verify_2']}")

        wait_for_quiet()
        results["profile"] = work(env, "profile", "--info", str(info_file), "--set", "C",
                                  "--profile-dir", str(RESULTS))
        log(f"profile: {results['profile']['ms_per_complaint']} ms and "
            f"{results['profile']['queries_per_complaint']} queries per complaint")
        cluster.sql("VACUUM ANALYZE")  # as autovacuum would after the sweeps' writes

        wait_for_quiet()
        results["find_ordinary"] = work(env, "find", "--info", str(info_file), "--rounds", str(args.rounds))
        log(f"find (5,000 due): {json.dumps({k: v for k, v in results['find_ordinary'].items() if isinstance(v, dict)})}")  # noqa: E501

        wait_for_quiet()
        results["intake"] = work(env, "intake", "--info", str(info_file), "--rounds", str(args.intakes))
        log(f"intake: on {results['intake']['on']}, off {results['intake']['off']}")
    finally:
        if not args.keep:
            cluster.stop()
    if args.api_results and args.api_results.exists():
        api = json.loads(args.api_results.read_text())
        results["api"] = {"date": api["date"], "verdicts": api["verdicts"], "inprocess": {
            k: v for k, v in api["inprocess"].items() if k.startswith("intake")},
            "intake_run": next(r for r in api["runs"] if r["name"] == "intake")}
    results["verdicts"] = verdicts(results)
    results["took_seconds"] = round(time.monotonic() - started)
    (RESULTS / "clocks.json").write_text(json.dumps(results, indent=2, default=str))
    print()
    for v in results["verdicts"]:
        print(f"  {'MET   ' if v['met'] else 'MISSED'}  {v['aim']}: {v['measured']}"
              + (f" — {v['by']}" if v["by"] else ""))
    if not args.no_report:
        write_report(results)
        log("BENCHMARKS.md updated")
    log(f"done in {results['took_seconds']} s")


if __name__ == "__main__":
    main()
