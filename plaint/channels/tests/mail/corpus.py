"""Where the real third-party messages live, and how tests find them (skipping cleanly when absent)."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from plaint import __file__ as _package_file

# ../shared/data beside the repository (PLAINT_SHARED_DATA may point elsewhere)
SHARED_DATA = Path(
    os.environ.get("PLAINT_SHARED_DATA") or Path(_package_file).resolve().parents[2] / "shared" / "data"
)
EMAILS = SHARED_DATA / "emails"


def emails_folder() -> Path:
    if not (EMAILS / "INDEX.csv").is_file():
        pytest.skip(f"the shared mail corpus is not here ({EMAILS}); it lives beside the repository")
    return EMAILS


def corpus_index() -> list[dict[str, str]]:
    """The rows of INDEX.csv for RFC 822 messages (the HTML fragments are listed apart)."""
    if not (EMAILS / "INDEX.csv").is_file():
        return []
    with (EMAILS / "INDEX.csv").open(newline="", encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["file"].endswith(".eml")]


def features(row: dict[str, str]) -> set[str]:
    return {feature for feature in row["features"].split(";") if feature}
