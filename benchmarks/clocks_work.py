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

The commands live in modules of their own, by what they do: ``clocks_templates`` (what a loaded
complaint looks like), ``clocks_seed`` (the load), ``clocks_queries`` (check, find),
``clocks_sweeping`` (sweep, verify, profile) and ``clocks_intake``. This module sets Django up
before importing them and dispatches.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plaint.settings.local")
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench_api imports its sibling `report`

import django  # noqa: E402

django.setup()

from benchmarks.clocks_intake import intake  # noqa: E402
from benchmarks.clocks_queries import check, find  # noqa: E402
from benchmarks.clocks_seed import seed  # noqa: E402
from benchmarks.clocks_sweeping import profile, sweep_worker, verify  # noqa: E402


def out(document: object) -> None:
    print(json.dumps(document, default=str))


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text)


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
