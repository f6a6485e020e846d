"""Tasks that schedule their own next run, so that nothing needs cron.

A sweep (the clock sweep, the outbox sweep, the mailbox poller) queues its next run when it
ends. ``task_ensure_scheduled`` queues a run unless one is already waiting (a second worker, a
restart), so that each chain stays single however often workers start. Backends that cannot
defer a task (the immediate backend of the tests) get no chain: tests call the sweeps themselves.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django_tasks import default_task_backend


def task_waiting(task: Any) -> bool:
    """Whether a run of ``task`` is queued and not yet taken by a worker."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=task.module_path, status=TaskResultStatus.READY
    ).exists()


def task_ensure_scheduled(task: Any, *, delay: timedelta = timedelta(0)) -> bool:
    """Queue ``task`` to run after ``delay`` unless a run is waiting; True if one was queued."""
    if not default_task_backend.supports_defer or task_waiting(task):
        return False
    task.using(run_after=timezone.now() + delay).enqueue()
    return True
