"""The one place time comes from.

Every service asks ``clock.now()``; nothing calls ``timezone.now()`` or
``datetime.now()`` directly, so that tests can set the time. ``frozen_at`` sets
it for the current process; in test settings ``PLAINT_TEST_CLOCK_FILE`` may
name a file holding an ISO 8601 time, so that tests can move time for other
processes (a worker, a web server) too.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

_fixed: datetime | None = None


def now() -> datetime:
    """The current time, timezone-aware (UTC)."""
    if _fixed is not None:
        return _fixed
    clock_file = getattr(settings, "PLAINT_TEST_CLOCK_FILE", None) or os.environ.get(
        "PLAINT_TEST_CLOCK_FILE"
    )
    if clock_file and getattr(settings, "PLAINT_ALLOW_TEST_CLOCK", False):
        with contextlib.suppress(FileNotFoundError):
            text = open(clock_file, encoding="ascii").read().strip()  # noqa: SIM115, PTH123
            if text:
                moment = datetime.fromisoformat(text)
                if timezone.is_naive(moment):
                    raise ValueError(f"{clock_file} holds a time without a UTC offset: {text!r}")
                return moment
    return timezone.now()


def set_now(moment: datetime | None) -> None:
    """Fix the time for this process (None lets it run again)."""
    global _fixed  # noqa: PLW0603
    if moment is not None and timezone.is_naive(moment):
        raise ValueError("the clock takes timezone-aware times only")
    _fixed = moment


def advance(delta: timedelta) -> datetime:
    """Move a fixed clock forward (tests)."""
    if _fixed is None:
        raise RuntimeError("advance() needs a fixed clock; call set_now() first")
    set_now(_fixed + delta)
    return now()


@contextlib.contextmanager
def frozen_at(moment: datetime) -> Iterator[None]:
    """Run a block with the clock fixed at ``moment``."""
    previous = _fixed
    set_now(moment)
    try:
        yield
    finally:
        set_now(previous)
