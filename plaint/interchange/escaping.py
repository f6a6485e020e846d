"""Spreadsheet formula injection: cells that a spreadsheet would run as a formula.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a
formula by Excel, LibreOffice and Google Sheets when the CSV is opened (OWASP "CSV
injection"). Every cell Plaint exports goes through ``escape``: such a cell gets one leading
apostrophe, which spreadsheets show as text. To stay reversible, a cell that already starts with
apostrophes followed by a dangerous character gets one more; ``unescape``, which every import
applies, removes exactly one. So ``unescape(escape(x)) == x`` for every string, and a raw file
from elsewhere (which has no added apostrophes) imports unchanged.
"""

from __future__ import annotations

import re

DANGEROUS_FIRST = "=+-@\t\r"
_ESCAPABLE = re.compile(r"^'*[=+\-@\t\r]")
_ESCAPED = re.compile(r"^'+[=+\-@\t\r]")


def escape(value: str) -> str:
    """The cell as written to a CSV file: safe to open in a spreadsheet."""
    return "'" + value if _ESCAPABLE.match(value) else value


def unescape(value: str) -> str:
    """The cell as read from a CSV file that ``escape`` wrote."""
    return value[1:] if _ESCAPED.match(value) else value
