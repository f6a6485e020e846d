"""Background work of the channels domain. Tasks are thin: they call a service."""

from __future__ import annotations

from django_tasks import task

from plaint.channels import services


@task()
def outgoing_message_send(message_id: int) -> None:
    """Send a queued outgoing message (idempotent)."""
    services.outgoing_message_send(message_id=message_id)
