"""Background work of the complaints domain. Tasks are thin: they call a service.

The mailbox poll lives here rather than in ``channels`` because each poll also processes what
was stored but not yet processed (a crash in between), which is complaints' work.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django_tasks import task

from plaint.core.tasks import task_ensure_scheduled

MAILBOX_POLL_INTERVAL = timedelta(seconds=60)
logger = logging.getLogger(__name__)


@task()
def incoming_message_process(message_id: int) -> str:
    """Work out what a stored e-mail means (a reply, a new complaint, a bounce…)."""
    from plaint.complaints.services.inbound import incoming_message_process as process

    message = process(message_id=message_id)
    return message.state if message is not None else ""


def incoming_message_enqueue(message_id: int) -> None:
    """``channels``' observer: process each message after the transaction that stored it."""
    incoming_message_process.enqueue(message_id=message_id)


@task()
def mailbox_poll() -> dict[str, int]:
    """Poll every IMAP mailbox, process what is left stored, then queue the next poll."""
    from plaint.channels.services.imap import mailboxes_poll
    from plaint.complaints.services.inbound import incoming_messages_process_stored

    try:
        reports = mailboxes_poll()
        for report in reports:
            if report.error:
                logger.warning("mailbox %s: %s", report.mailbox, report.error)
        processed = incoming_messages_process_stored()
        return {"mailboxes": len(reports), "stored": sum(r.stored for r in reports), "processed": processed}
    finally:
        mailbox_poll_ensure_scheduled(delay=MAILBOX_POLL_INTERVAL)


def mailbox_poll_ensure_scheduled(*, delay: timedelta = timedelta(0)) -> bool:
    return task_ensure_scheduled(mailbox_poll, delay=delay)


RETENTION_RUN_INTERVAL = timedelta(days=1)


@task()
def retention_run_task() -> dict[str, int]:
    """``plaint retention run --apply`` once a day (it records itself as a ``RetentionRun``),
    then queue the next one."""
    from plaint.complaints.retention import retention_run

    try:
        report = retention_run(apply=True, started_by="task")
        return {"removed": len(report.removed), "held_back": len(report.kept),
                "erasures_completed": report.erasures_completed}
    finally:
        retention_run_ensure_scheduled(delay=RETENTION_RUN_INTERVAL)


def retention_run_ensure_scheduled(*, delay: timedelta = timedelta(0)) -> bool:
    return task_ensure_scheduled(retention_run_task, delay=delay)
