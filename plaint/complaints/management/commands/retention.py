"""``plaint retention run [--dry-run | --apply]``: remove what has passed its retention period.

Without ``--apply`` nothing changes: the command lists what would be removed. ``plaint retention
schedule`` prints the retention schedule of the packs. See ``plaint.complaints.retention`` for the
rules and docs/security.md. The worker also runs it daily (``complaints.tasks.retention_run_task``).
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from plaint.complaints.retention import retention_run
from plaint.deadlines.retention import ACCOUNT_DATA, retention_schedule


class Command(BaseCommand):
    help = "Remove what has passed its retention period, leaving a tombstone of each removed chain."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="List (default) or remove what is due.")
        mode = run.add_mutually_exclusive_group()
        mode.add_argument("--dry-run", action="store_true", help="Change nothing (the default).")
        mode.add_argument("--apply", action="store_true", help="Remove it.")
        sub.add_parser("schedule", help="Print the retention schedule: period, trigger, source.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "schedule":
            for entry in (*retention_schedule().entries, ACCOUNT_DATA):
                where = ",".join(sorted(entry.countries)) or "*"
                sectors = ",".join(sorted(entry.sectors)) or "*"
                self.stdout.write(
                    f"{entry.id}\t{where}\t{sectors}\t{entry.record_type}\t{entry.kind}\t"
                    f"{entry.period.value} {entry.period.unit}\tfrom {entry.trigger}\t"
                    f"{entry.source.law}, {entry.source.article} [{entry.source.confidence}]")
            return
        report = retention_run(apply=options["apply"])
        verb = "removed" if options["apply"] else "would remove"
        done = report.removed if options["apply"] else report.due
        for due in done:
            what = "" if due.evidence_id is None else f"recording {due.evidence_id} of "
            self.stdout.write(f"{verb} {what}{due.reference} (complaint {due.complaint_id}, {due.rule})")
        for due in report.kept:
            self.stdout.write(f"kept {due.reference}: another complaint still points to it")
        self.stdout.write(f"{len(report.due)} due, {len(done)} {verb}, {len(report.kept)} kept")
        if options["apply"]:
            self.stdout.write(f"{report.erasures_completed} erasure requests completed")
