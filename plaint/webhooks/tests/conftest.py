from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from plaint.webhooks.tests.receiver import Receiver, RunningReceiver


@pytest.fixture
def receiver(settings: Any, tmp_path: Path) -> Iterator[Receiver]:
    """An HTTPS receiver on 127.0.0.1 that the sender trusts; private addresses allowed, as the
    receiver is on loopback (tests of the refusals turn it off again)."""
    running = RunningReceiver(tmp_path, "127.0.0.1")
    settings.PLAINT_WEBHOOKS_ALLOW_PRIVATE = True
    settings.PLAINT_WEBHOOKS_CA_BUNDLE = str(running.receiver.ca_file)
    settings.PLAINT_WEBHOOKS_TIMEOUT = 5
    try:
        yield running.start()
    finally:
        running.stop()
