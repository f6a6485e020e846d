"""The receiver's verification code exactly as ``docs/webhooks.md`` shows it, loaded to run."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

DOC = Path(__file__).resolve().parents[3] / "docs" / "webhooks.md"


def documented_verifier() -> Callable[..., bool]:
    """``plaint_signature_valid`` from the first Python block under "Verifying a delivery"."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Verifying a delivery", 1)[1]
    block = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert block is not None, "docs/webhooks.md lost its verification snippet"
    namespace: dict[str, object] = {}
    exec(compile(block.group(1), str(DOC), "exec"), namespace)  # noqa: S102 - our own documentation
    verifier = namespace["plaint_signature_valid"]
    assert callable(verifier)
    return verifier
