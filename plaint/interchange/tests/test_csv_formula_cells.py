"""A written CSV file never holds a cell a spreadsheet would run (OWASP "CSV injection"): every
cell that starts with =, +, -, @, a tab or a carriage return comes out with one apostrophe, and
reads back as it was."""

from __future__ import annotations

import csv
import io

import pytest

from plaint.interchange.csvfiles import write_rows
from plaint.interchange.escaping import unescape

HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+420 123", "-2+3", "@SUM(A1)",
           "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0"]


@pytest.mark.parametrize("cell", HOSTILE)
def test_a_cell_that_would_run_is_written_as_text_and_reads_back_the_same(cell):
    # when a row with the cell (as a header too) is written
    handle = io.StringIO()
    write_rows(handle, [cell, "note"], [[cell, "plain"]])
    # then in the file it starts with an apostrophe, and unescaped it is what was written
    rows = list(csv.reader(io.StringIO(handle.getvalue())))
    for row in rows:
        assert row[0] == "'" + cell
        assert unescape(row[0]) == cell
    assert rows[1][1] == "plain"
