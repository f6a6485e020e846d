"""The CFPB sample from ../shared/data (never copied into the repository)."""

from __future__ import annotations

from pathlib import Path

import pytest

SAMPLE = (Path(__file__).resolve().parents[3].parent / "shared" / "data" / "cfpb"
          / "cfpb_complaints_sample_2015-2020.csv")


@pytest.fixture
def cfpb_sample() -> Path:
    if not SAMPLE.is_file():
        pytest.skip(f"The CFPB sample is not here ({SAMPLE}): it lives in ../shared/data, "
                    "outside the repository.")
    return SAMPLE
