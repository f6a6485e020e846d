"""``plaint backup FILE``: the whole instance (database and evidence files) into one tar file.

Safe while Plaint runs: SQLite's online backup API and ``pg_dump`` each read one consistent
snapshot. See ``plaint.core.backup`` for what the archive holds."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from plaint.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database and the evidence files into one tar file."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="the archive to write (must not exist)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = backup_create(destination=options["file"].resolve())
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backed up the {summary.vendor} database and {summary.files} files "
            f"into {summary.path} ({summary.size:,} bytes)."
        )
