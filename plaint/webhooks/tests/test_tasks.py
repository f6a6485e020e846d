"""The webhook sweep as a task: it keeps exactly one successor waiting, and ``plaint worker``
queues the first one, so retries need no cron."""

from __future__ import annotations

from datetime import timedelta

from django.core.management import call_command
from django.test import override_settings

from plaint.webhooks.tasks import sweep_ensure_scheduled, webhook_sweep

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def waiting_sweeps():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=webhook_sweep.module_path, status="READY")


def test_the_sweep_task_keeps_exactly_one_successor_waiting(db):
    with override_settings(TASKS=DATABASE_TASKS):
        # given no sweep queued, when the worker starts twice
        assert sweep_ensure_scheduled() is True
        assert sweep_ensure_scheduled() is False
        assert waiting_sweeps().count() == 1
        # when a sweep runs while another waits, it queues no second one
        webhook_sweep.call()
        assert waiting_sweeps().count() == 1
        # and when it runs alone, it queues its successor about 30 seconds later
        waiting_sweeps().delete()
        webhook_sweep.call()
        successor = waiting_sweeps().get()
        assert timedelta(seconds=25) < successor.run_after - successor.enqueued_at <= timedelta(seconds=31)


def test_with_the_immediate_backend_the_sweep_schedules_nothing(db):
    assert sweep_ensure_scheduled() is False


def test_the_worker_queues_the_first_webhook_sweep(transactional_db):
    with override_settings(TASKS=DATABASE_TASKS):
        # when the worker starts and runs what is due
        call_command("worker", "--batch", "--no-startup-delay", verbosity=0)
        # then a webhook sweep waits for its turn, one interval later (the clock sweep goes first)
        waiting = waiting_sweeps().get()
        assert timedelta(seconds=25) < waiting.run_after - waiting.enqueued_at <= timedelta(seconds=31)
