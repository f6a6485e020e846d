"""``plaint restore FILE --yes``: replace this instance's database and files with a backup's.

Every member is checked against the archive's manifest before anything is touched. Stop the web
server and the workers first."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from plaint.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore the database and the evidence files from a `plaint backup` archive."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="the archive written by `plaint backup`")
        parser.add_argument("--yes", action="store_true",
                            help="confirm that this instance's data is to be replaced")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError("This replaces every complaint and file of this instance. "
                               "Stop the web server and workers, then run again with --yes.")
        try:
            summary = backup_restore(source=options["file"].resolve())
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored the {summary.vendor} database and {summary.files} files "
                          f"from {summary.path}.")
