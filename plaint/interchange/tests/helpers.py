"""Small CSV files for the interchange tests, and what is in the database."""

from __future__ import annotations

import csv
from pathlib import Path

from django.apps import apps

from plaint.interchange import cfpb
from plaint.testing.database import row_counts

GOOD_ROW = {
    "Date received": "2019-09-24",
    "Product": "Debt collection",
    "Sub-product": "I do not know",
    "Issue": "Attempts to collect debt not owed",
    "Sub-issue": "Debt is not yours",
    "Consumer complaint narrative": "They are trying to collect a debt that is not mine.",
    "Company public response": "",
    "Company": "TRANSWORLD SYSTEMS INC",
    "State": "FL",
    "ZIP code": "335XX",
    "Tags": "",
    "Consumer consent provided?": "Consent provided",
    "Submitted via": "Web",
    "Date sent to company": "2019-09-24",
    "Company response to consumer": "Closed with explanation",
    "Timely response?": "Yes",
    "Consumer disputed?": "N/A",
    "Complaint ID": "3384392",
}


def write_csv(path: Path, rows: list[dict[str, str]], header: list[str] | None = None) -> Path:
    """A raw CSV file (no escaping: as another system would write it)."""
    header = header or list(cfpb.COLUMNS)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(name, "") for name in header])
    return path


def read_csv(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def every_count() -> dict[str, int]:
    """Rows of every model an import may write, the clocks and the import records included."""
    counts = row_counts()
    for label in ("interchange", "clocks"):
        for model in apps.get_app_config(label).get_models():
            counts[model._meta.label] = model._default_manager.count()
    return counts
