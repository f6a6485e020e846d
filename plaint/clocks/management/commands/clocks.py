"""``plaint clocks rebuild|sweep``: recompute clock rows from events, or run one sweep now.

``rebuild`` recomputes every complaint's clock rows from its events (the source of truth) and
reports how many rows changed: after a rule-file fix, or to check that the stored rows are right
(``--check`` changes nothing and exits 1 if any row differs).
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from plaint.clocks.rebuild import clocks_rebuild
from plaint.clocks.sweep import clocks_sweep


class Command(BaseCommand):
    help = "Rebuild clock rows from the events, or sweep due clocks once."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        rebuild = sub.add_parser("rebuild", help="Recompute every clock row from the events.")
        rebuild.add_argument("--check", action="store_true", help="Change nothing; exit 1 on a difference.")
        sub.add_parser("sweep", help="Act on every due clock now, once.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "sweep":
            report = clocks_sweep()
            self.stdout.write(
                f"{report.complaints} complaints: {report.warned} warned, {report.expired} expired, "
                f"{report.failed} failed"
            )
            return
        with transaction.atomic():
            result = clocks_rebuild(dry_run=options["check"])
        self.stdout.write(
            f"{result.complaints} complaints, {result.rows} clock rows, {result.changed} differed"
        )
        if options["check"] and result.changed:
            raise CommandError("stored clock rows differ from the events")
