"""``plaint export cfpb|plaint``: complaints to a CSV file (or standard output).

``cfpb`` writes the CFPB's 18 columns in the official order and spelling, with the cells an
imported complaint kept; ``plaint`` writes the Plaint CSV (docs/channels-csv.md). Every cell
is escaped against spreadsheet formula injection.
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from plaint.interchange import cfpb, plaint_csv
from plaint.interchange.csvfiles import write_rows
from plaint.interchange.exports import cfpb_rows, plaint_rows
from plaint.parties.models import Organisation


class Command(BaseCommand):
    help = "Export complaints as CSV: the CFPB's format or Plaint's own."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("format", choices=["cfpb", "plaint"])
        parser.add_argument("--organisation", help="only this organisation's complaints (slug)")
        parser.add_argument("--output", type=Path, help="the file to write (default: stdout)")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = None
        if options["organisation"]:
            organisation = Organisation.objects.filter(slug=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"No organisation {options['organisation']!r}.")
        if options["format"] == "cfpb":
            header, rows = cfpb.COLUMNS, cfpb_rows(organisation)
        else:
            header, rows = plaint_csv.HEADER, plaint_rows(organisation)
        if options["output"]:
            with options["output"].open("w", newline="", encoding="utf-8") as handle:
                written = write_rows(handle, header, rows)
            sys.stderr.write(f"{written} complaints written to {options['output']}\n")
        else:
            write_rows(self.stdout, header, rows)
