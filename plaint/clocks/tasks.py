"""The clock sweep as a task that schedules its own next run: nothing needs cron.

``plaint worker`` queues the first sweep when it starts (``sweep_ensure_scheduled``); every sweep
queues the next one ``SWEEP_INTERVAL`` later (``core.tasks.task_ensure_scheduled``).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django_tasks import task

from plaint.clocks.sweep import clocks_sweep
from plaint.core.tasks import task_ensure_scheduled

SWEEP_INTERVAL = timedelta(seconds=30)
logger = logging.getLogger(__name__)


def sweep_ensure_scheduled(*, delay: timedelta = timedelta(0)) -> bool:
    """Queue a sweep unless one is waiting; True if one was queued."""
    return task_ensure_scheduled(clock_sweep, delay=delay)


@task()
def clock_sweep() -> dict[str, int]:
    """Act on every due clock, then queue the next sweep."""
    try:
        report = clocks_sweep()
        if report.warned or report.expired or report.failed:
            logger.info("clock sweep: %s", report)
        return {"complaints": report.complaints, "acted_on": report.acted_on, "warned": report.warned,
                "expired": report.expired, "failed": report.failed}
    finally:
        sweep_ensure_scheduled(delay=SWEEP_INTERVAL)
