"""Background work of the webhooks domain. Tasks are thin: they call ``sending``.

A delivery's first attempt is queued when its event commits. Retries, and first attempts whose
task a crash lost, are made by the webhook sweep, which queues its own next run like the clock
sweep (``plaint worker`` queues the first one when it starts): nothing needs cron. Backends that
cannot defer a task (the immediate backend of the tests) get no chain: tests call the sweep.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import default_task_backend, task

from plaint.webhooks.sending import delivery_attempt, webhooks_sweep

SWEEP_INTERVAL = timedelta(seconds=30)
logger = logging.getLogger(__name__)


@task()
def webhook_delivery_send(delivery_id: str) -> None:
    """Make a delivery's attempt if it is due (idempotent: a second run finds nothing to do)."""
    delivery_attempt(delivery_id=delivery_id)


def _sweep_waiting() -> bool:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=webhook_sweep.module_path, status=TaskResultStatus.READY
    ).exists()


def sweep_ensure_scheduled(*, delay: timedelta = timedelta(0)) -> bool:
    """Queue a webhook sweep unless one is waiting; True if one was queued."""
    if not default_task_backend.supports_defer or _sweep_waiting():
        return False
    webhook_sweep.using(run_after=timezone.now() + delay).enqueue()
    return True


@task()
def webhook_sweep() -> dict[str, int]:
    """Attempt the due deliveries, then queue the next sweep (at once if some were left)."""
    more = False
    try:
        report = webhooks_sweep()
        more = report.more
        if report.attempted:
            logger.info("webhook sweep: %s", report)
        return {"attempted": report.attempted, "delivered": report.delivered,
                "failed": report.failed, "given_up": report.given_up}
    finally:
        sweep_ensure_scheduled(delay=timedelta(0) if more else SWEEP_INTERVAL)
