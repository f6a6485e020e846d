"""docs/lifecycle.md shows the lifecycle and policy tables exactly as the code has them."""

import re
from pathlib import Path

import pytest

from plaint.complaints import lifecycle, policy

DOC = Path(__file__).resolve().parents[3] / "docs" / "lifecycle.md"


def _section(name: str) -> str:
    match = re.search(
        rf"<!-- BEGIN {name} table -->\n(.*?)\n<!-- END {name} table -->", DOC.read_text(), re.S
    )
    assert match, f"docs/lifecycle.md lacks the {name} table markers"
    return match.group(1)


@pytest.mark.parametrize(
    ("name", "render"), [("lifecycle", lifecycle.markdown_table), ("policy", policy.markdown_table)]
)
def test_the_documented_table_is_the_one_in_the_code(name, render):
    expected = render()
    assert _section(name) == expected, f"Update docs/lifecycle.md; the {name} table is now:\n{expected}"
