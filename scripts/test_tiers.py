"""Run the test suite in tiers and report the time of each and the slowest tests.

Tiers (see conftest.py): tests without a database once; ORM tests on SQLite;
ORM tests on PostgreSQL (the cluster must be running; PLAINT_TEST_PG_PORT).
Exits non-zero if any tier fails. A tier that selects no test is not a failure.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

TIERS = {
    "nodb": {"PLAINT_TEST_TIER": "nodb", "PLAINT_TEST_DB": "sqlite"},
    "sqlite": {"PLAINT_TEST_TIER": "sqlite", "PLAINT_TEST_DB": "sqlite"},
    "postgresql": {"PLAINT_TEST_TIER": "postgresql", "PLAINT_TEST_DB": "postgresql"},
}
NO_TESTS_COLLECTED = 5


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tiers", default="nodb,sqlite,postgresql")
    parser.add_argument("--report-dir", default="var/test-reports")
    parser.add_argument("pytest_args", nargs="*")
    args = parser.parse_args()
    report_dir = Path(args.report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    results: list[tuple[str, float, int]] = []
    for tier in args.tiers.split(","):
        env = {**os.environ, **TIERS[tier],
               "PLAINT_VAR_DIR": str(Path(f"var/test-{tier}").resolve())}
        junit = report_dir / f"{tier}.xml"
        command = [sys.executable, "-m", "pytest", f"--junitxml={junit}", "-q",
                   "-o", f"junit_suite_name={tier}", *args.pytest_args]
        print(f"\n=== tier {tier} ===", flush=True)
        started = time.monotonic()
        code = subprocess.call(command, env=env)
        elapsed = time.monotonic() - started
        results.append((tier, elapsed, 0 if code == NO_TESTS_COLLECTED else code))
    _report(results, report_dir)
    return 1 if any(code for _, _, code in results) else 0


def _report(results: list[tuple[str, float, int]], report_dir: Path) -> None:
    print("\n=== time per tier ===")
    for tier, elapsed, code in results:
        print(f"  {tier:<11} {elapsed:7.1f} s  {'ok' if code == 0 else f'FAILED ({code})'}")
    cases: list[tuple[float, str]] = []
    for tier, _, _ in results:
        path = report_dir / f"{tier}.xml"
        if not path.exists():
            continue
        for case in ET.parse(path).iter("testcase"):
            name = f"[{tier}] {case.get('classname')}::{case.get('name')}"
            cases.append((float(case.get("time") or 0), name))
    print("\n=== 20 slowest tests ===")
    for seconds, name in sorted(cases, reverse=True)[:20]:
        print(f"  {seconds:7.2f} s  {name}")
    passed = failed = skipped = 0
    for tier, _, _ in results:
        path = report_dir / f"{tier}.xml"
        if not path.exists():
            continue
        for suite in ET.parse(path).iter("testsuite"):
            total = int(suite.get("tests", 0))
            bad = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
            skip = int(suite.get("skipped", 0))
            failed += bad
            skipped += skip
            passed += total - bad - skip
    print(f"\nall tiers: {passed} passed, {failed} failed, {skipped} skipped")


if __name__ == "__main__":
    sys.exit(main())
