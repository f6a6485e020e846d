"""Background work of the channels domain. Tasks are thin: they call a service."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from plaint.channels import services
from plaint.core.tasks import task_ensure_scheduled

OUTBOX_SWEEP_INTERVAL = timedelta(seconds=30)


@task()
def outgoing_messages_send(message_ids: list[int]) -> None:
    """Send the messages one transaction queued (each at most once at a time)."""
    services.outgoing_messages_send(message_ids=message_ids)


@task()
def outbox_sweep() -> int:
    """Send what is still queued (retries, rows whose task was lost), then queue the next sweep."""
    try:
        return services.outbox_sweep()
    finally:
        outbox_sweep_ensure_scheduled(delay=OUTBOX_SWEEP_INTERVAL)


def outbox_sweep_ensure_scheduled(*, delay: timedelta = timedelta(0)) -> bool:
    return task_ensure_scheduled(outbox_sweep, delay=delay)
