"""``plaint audit verify``: re-check every event chain and every tombstone.

Exits 0 when everything verifies; otherwise prints each broken link (the first of its chain:
complaint reference, event id, expected and found) and exits 1.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from plaint.complaints.audit import audit_verify


class Command(BaseCommand):
    help = "Verify the event log's hash chains and the tombstones of removed chains."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="Re-compute every chain; exit 1 naming the first broken link.")

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_verify()
        chains = ", ".join(f"{count} {name}" for name, count in report.chains.items())
        self.stdout.write(f"{report.events} events in chains ({chains}), {report.tombstones} tombstones")
        if report.ok:
            self.stdout.write("all chains verify")
            return
        for broken in report.broken:
            self.stderr.write(f"BROKEN {broken.describe()}")
        raise CommandError(f"{len(report.broken)} broken chain(s); first: {report.broken[0].describe()}")
