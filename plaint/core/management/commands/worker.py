"""``plaint worker``: runs queued tasks (outgoing mail, webhooks, the mailbox poll, the clock sweep).

On start it makes sure each self-scheduling sweep is queued: the clock sweep (``clocks.tasks``),
the outbox sweep (``channels.tasks``: retries, and messages whose task was lost), the mailbox poll
and the daily retention run (``complaints.tasks``) and the webhook sweep (``webhooks.tasks``); each
queues its next run.
``--no-sweeps`` starts a worker that only runs what is queued.

It is django-tasks-db's ``db_worker`` with Plaint's defaults: every queue, no
autoreload, and a quiet log at the default verbosity (only warnings and errors,
so that a running demo's terminal is not flooded with a line per e-mail);
``-v 2`` shows every task.
"""

from __future__ import annotations

import logging
from argparse import ArgumentParser

from django_tasks_db.compat import TASKS_LOGGER
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand


class Command(DatabaseWorkerCommand):
    help = "Run the task worker (every queue)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(queue_name="*", reload=False)
        parser.add_argument(
            "--no-sweeps", action="store_true",
            help="only run queued tasks; do not queue the self-scheduling sweeps on start",
        )

    def handle(self, *args: object, **options: object) -> None:
        if not options.pop("no_sweeps", False):
            from plaint.channels.tasks import outbox_sweep_ensure_scheduled
            from plaint.clocks.tasks import sweep_ensure_scheduled
            from plaint.complaints.tasks import mailbox_poll_ensure_scheduled, retention_run_ensure_scheduled
            from plaint.webhooks.tasks import SWEEP_INTERVAL as WEBHOOK_SWEEP_INTERVAL
            from plaint.webhooks.tasks import sweep_ensure_scheduled as webhook_sweep_ensure_scheduled

            sweep_ensure_scheduled()
            outbox_sweep_ensure_scheduled()
            mailbox_poll_ensure_scheduled()
            retention_run_ensure_scheduled()
            webhook_sweep_ensure_scheduled(delay=WEBHOOK_SWEEP_INTERVAL)
        super().handle(*args, **options)

    def configure_logging(self, verbosity: int) -> None:
        super().configure_logging(verbosity)
        if verbosity <= 1:
            for name in (TASKS_LOGGER, "django_tasks_db"):
                logging.getLogger(name).setLevel(logging.WARNING)
