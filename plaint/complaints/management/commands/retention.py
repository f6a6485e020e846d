"""``plaint retention run [--dry-run | --apply]``: remove complaints whose retention has passed.

Without ``--apply`` nothing changes: the command lists what would be removed. See
``plaint.complaints.retention`` for the rules and docs/security.md.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from plaint.complaints.retention import retention_run


class Command(BaseCommand):
    help = "Remove complaints whose retention period has passed, leaving a tombstone of each chain."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="List (default) or remove the complaints that are due.")
        mode = run.add_mutually_exclusive_group()
        mode.add_argument("--dry-run", action="store_true", help="Change nothing (the default).")
        mode.add_argument("--apply", action="store_true", help="Remove them.")

    def handle(self, *args: Any, **options: Any) -> None:
        report = retention_run(apply=options["apply"])
        verb = "removed" if options["apply"] else "would remove"
        done = report.removed if options["apply"] else report.due
        for due in done:
            self.stdout.write(f"{verb} {due.reference} (complaint {due.complaint_id}, {due.rule})")
        for due in report.kept:
            self.stdout.write(f"kept {due.reference}: another complaint still points to it")
        self.stdout.write(f"{len(report.due)} due, {len(done)} {verb}, {len(report.kept)} kept")
