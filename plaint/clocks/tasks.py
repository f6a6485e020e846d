"""The clock sweep as a task that schedules its own next run: nothing needs cron.

``plaint worker`` queues the first sweep when it starts (``sweep_ensure_scheduled``); every sweep
queues the next one ``SWEEP_INTERVAL`` later, unless one is already waiting (a second worker, a
restart), so the chain stays single however often workers start. Backends that cannot defer a
task (the immediate backend of the tests) get no chain: tests call the sweep themselves.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import default_task_backend, task

from plaint.clocks.sweep import clocks_sweep

SWEEP_INTERVAL = timedelta(seconds=30)
logger = logging.getLogger(__name__)


def _sweep_waiting() -> bool:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=clock_sweep.module_path, status=TaskResultStatus.READY
    ).exists()


def sweep_ensure_scheduled(*, delay: timedelta = timedelta(0)) -> bool:
    """Queue a sweep unless one is waiting; True if one was queued."""
    if not default_task_backend.supports_defer or _sweep_waiting():
        return False
    clock_sweep.using(run_after=timezone.now() + delay).enqueue()
    return True


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
