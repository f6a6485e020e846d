"""``plaint import cfpb|plaint FILE``: complaints from a CSV file, as history.

Prints what was imported, what was already there and what was refused (with the reasons
summarised); the refused rows, each with its row number, source id, column and reason, go to
a report CSV beside the input (``FILE.refused.csv``) or to ``--report PATH``.
"""

from __future__ import annotations

import os
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from plaint.interchange import cfpb, plaint_csv
from plaint.interchange.csvfiles import (
    Outcome,
    Refusal,
    default_report_path,
    progress,
    read_table,
    records_as_dicts,
    write_report,
)
from plaint.interchange.services.cfpb_import import cfpb_import
from plaint.interchange.services.plaint_import import plaint_import
from plaint.parties.models import Organisation


class Command(BaseCommand):
    help = "Import complaints from a CSV file: the CFPB's format or Plaint's own."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("format", choices=["cfpb", "plaint"])
        parser.add_argument("file", type=Path)
        parser.add_argument("--report", type=Path, help="where to write the refused rows")
        parser.add_argument("--organisation", help="plaint format: import into this organisation "
                            "(its slug) instead of the one each row names")
        parser.add_argument("--batch-size", type=int, default=None)
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["file"]
        if not source.is_file():
            raise CommandError(f"No such file: {source}")
        report = options["report"] or default_report_path(source)
        if options["report"] is None and not _writable(report.parent):
            report = Path.cwd() / report.name
        table = read_table(source)
        outcome = Outcome()
        is_cfpb = options["format"] == "cfpb"
        columns = cfpb.COLUMNS if is_cfpb else plaint_csv.HEADER
        problems = (cfpb.header_problems(table.header) if is_cfpb
                    else _plaint_header_problems(table.header))
        if problems:
            outcome.rows = len(table.records)
            outcome.refused.extend(Refusal(1, "", p.field, p.reason) for p in problems)
            write_report(report, outcome)
            raise CommandError(" ".join(p.reason for p in problems) + f" Report: {report}")
        extra: dict[str, Any] = {}
        if options["batch_size"]:
            extra["batch_size"] = options["batch_size"]
        if options["organisation"]:
            if is_cfpb:
                raise CommandError("--organisation is for the plaint format: CFPB rows name "
                                   "their company.")
            found = Organisation.objects.filter(slug=options["organisation"]).first()
            if found is None:
                raise CommandError(f"No organisation {options['organisation']!r}.")
            extra["organisation"] = found
        records = records_as_dicts(table, columns, outcome,
                                   "Complaint ID" if is_cfpb else "reference")
        with progress(len(table.records), quiet=options["quiet"],
                      description=f"import {options['format']}") as bar:
            run = cfpb_import if is_cfpb else plaint_import
            run(records=records, outcome=outcome, advance=bar.update, **extra)
        write_report(report, outcome)
        self._summary(outcome, report)

    def _summary(self, outcome: Outcome, report: Path) -> None:
        out = self.stdout.write
        out(f"rows: {outcome.rows}")
        out(f"imported: {outcome.imported}")
        out(f"unchanged (already imported): {outcome.unchanged}")
        out(f"refused: {outcome.refused_rows}")
        for field, reason, count in outcome.reasons():
            out(f"  {count} × {field}: {reason}")
        out(f"report of refused rows: {report}")


def _writable(folder: Path) -> bool:
    """Whether a report may go into the input's folder: not when it is read-only, even for root
    (whom the permissions do not stop, but whose read-only data folder is read-only on purpose)."""
    return os.access(folder, os.W_OK) and bool(folder.stat().st_mode & 0o222)


def _plaint_header_problems(header: list[str]) -> list[cfpb.Problem]:
    if list(header) == list(plaint_csv.HEADER):
        return []
    return [cfpb.Problem("header", "Expected the columns: " + ", ".join(plaint_csv.HEADER) + ".")]
