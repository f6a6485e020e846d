"""Reading and writing CSV files: escaping, the refusals report, the progress bar.

Every cell read is un-escaped and every cell written is escaped (``escaping``), whatever the
format. Row numbers count records as a spreadsheet shows them: the header is row 1, the first
complaint row 2 (a quoted cell with line breaks is still one row).
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext

from plaint.interchange.escaping import escape, unescape

csv.field_size_limit(16 * 1024 * 1024)  # a narrative or a JSON cell may be long


@dataclass(frozen=True)
class Refusal:
    """A refused row for the report: its row number, source id, column and reason."""

    row: int
    external_id: str
    field: str
    reason: str


@dataclass
class Outcome:
    """What an import did: counts, and every refused row with why."""

    rows: int = 0
    imported: int = 0
    unchanged: int = 0
    refused: list[Refusal] = field(default_factory=list)

    @property
    def refused_rows(self) -> int:
        return len({r.row for r in self.refused})

    def reasons(self) -> list[tuple[str, str, int]]:
        """(field, reason, rows) for every distinct reason, the most frequent first."""
        counts = Counter((r.field, r.reason) for r in self.refused)
        return [(f, reason, n) for (f, reason), n in counts.most_common()]


@dataclass(frozen=True)
class Table:
    """A CSV file read whole: its header and its records as (row number, cells)."""

    header: list[str]
    records: list[tuple[int, list[str]]]


def read_table(path: Path) -> Table:
    """Read a CSV file (UTF-8, with or without a byte order mark), un-escaping every cell."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        records = [(number, [unescape(cell) for cell in cells])
                   for number, cells in enumerate(reader, start=2) if cells]
    return Table(header=header, records=records)


def records_as_dicts(
    table: Table, columns: Sequence[str], outcome: Outcome, id_column: str
) -> Iterator[tuple[int, dict[str, str]]]:
    """The records by column name; a record with the wrong number of cells is refused."""
    width = len(table.header)
    position = {name: table.header.index(name) for name in columns}
    for number, cells in table.records:
        if len(cells) != width:
            id_cell = cells[position[id_column]] if position[id_column] < len(cells) else ""
            outcome.refused.append(Refusal(number, id_cell, "row", gettext(
                "Expected %(expected)d cells, found %(found)d.") % {"expected": width,
                                                                    "found": len(cells)}))
            continue
        yield number, {name: cells[i] for name, i in position.items()}


def write_rows(handle: IO[str], header: Sequence[str], rows: Iterable[Sequence[str]]) -> int:
    """Write an escaped CSV (every cell quoted where needed, ``\\r\\n`` line ends); row count."""
    writer = csv.writer(handle)
    writer.writerow([escape(cell) for cell in header])
    written = 0
    for row in rows:
        writer.writerow([escape(cell) for cell in row])
        written += 1
    return written


REPORT_HEADER = ("row", "external_id", "field", "reason")


def write_report(path: Path, outcome: Outcome) -> None:
    """The refused rows, one line per reason: row number, source id, column and reason."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        write_rows(handle, REPORT_HEADER,
                   ((str(r.row), r.external_id, r.field, r.reason) for r in outcome.refused))


def default_report_path(source: Path) -> Path:
    """``complaints.csv`` → ``complaints.refused.csv``, beside the input."""
    return source.with_name(source.stem + ".refused.csv")


def progress(total: int, *, quiet: bool, description: str) -> Any:
    """A progress bar with rows per second on stderr; silent with --quiet or when stderr is
    not a terminal."""
    from tqdm import tqdm

    return tqdm(total=total, unit=" rows", desc=description, file=sys.stderr,
                disable=quiet or not sys.stderr.isatty(), dynamic_ncols=True, smoothing=0.1)
