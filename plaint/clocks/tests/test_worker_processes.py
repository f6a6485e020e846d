"""Two real ``plaint worker`` processes against one PostgreSQL share the sweep of 1,000 expiring
clocks, and each clock is acted on exactly once.

The workers read the time from ``PLAINT_TEST_CLOCK_FILE`` and work on this test's database with
the real task queue (``PLAINT_TEST_USE_TEST_DATABASE``, ``PLAINT_TEST_TASKS``). Each worker runs
one task and exits (``--max-tasks 1``); two sweeps are queued, so both run at the same time.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.test import override_settings

from plaint.clocks.models import Clock
from plaint.complaints.models import Complaint, Event
from plaint.core import clock
from plaint.parties.choices import Role
from plaint.testing import builders

COMPLAINTS = 1000
RECEIVED = datetime(2026, 3, 2, 9, tzinfo=UTC)  # a Monday: the acknowledgement is due Tuesday
AFTER = RECEIVED + timedelta(days=3)
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
WORKER_TIMEOUT = 600


def _file_complaints() -> None:
    # Germany, "other" sector: only the ISO 10002 acknowledgement clock (escalate, tell managers).
    with clock.frozen_at(RECEIVED):
        organisation = builders.organisation(country="DE", sector="other", time_zone="Europe/Berlin")
        builders.staff(organisation, Role.MANAGER)
        customer = builders.customer(organisation, email="")
        for n in range(COMPLAINTS):
            builders.complaint(customer, subject=f"Complaint {n}")


def _start_worker(clock_file: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "plaint.settings.test",
        "PLAINT_TEST_CLOCK_FILE": str(clock_file),
        "PLAINT_TEST_USE_TEST_DATABASE": "1",
        "PLAINT_TEST_TASKS": "database",
    }
    command = [sys.executable, "-m", "plaint.cli", "worker", "--no-startup-delay", "--max-tasks", "1",
               "--interval", "0.2", "--no-sweeps"]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # noqa: S603


@pytest.mark.postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_act_on_each_of_a_thousand_expiring_clocks_exactly_once(tmp_path):
    from django_tasks_db.models import DBTaskResult

    from plaint.clocks.tasks import clock_sweep

    # given 1,000 complaints whose acknowledgement clocks have all run out by the workers' time
    _file_complaints()
    assert Clock.objects.filter(state="running").count() == COMPLAINTS
    clock_file = tmp_path / "now"
    clock_file.write_text(AFTER.isoformat())
    # and two sweeps queued
    with override_settings(TASKS=DATABASE_TASKS):
        clock_sweep.enqueue()
        clock_sweep.enqueue()
    # when two worker processes each run one task at the same time
    workers = [_start_worker(clock_file) for _ in range(2)]
    outputs = [w.communicate(timeout=WORKER_TIMEOUT)[0].decode(errors="replace") for w in workers]
    assert [w.returncode for w in workers] == [0, 0], outputs
    # then both sweeps succeeded, in different workers
    sweeps = list(DBTaskResult.objects.filter(task_path=clock_sweep.module_path, status="SUCCESSFUL"))
    assert len(sweeps) == 2, outputs
    assert len({tuple(s.worker_ids) for s in sweeps}) == 2
    # and every clock was acted on, exactly once: one expiry, one escalation per complaint
    assert Clock.objects.filter(state="breached").count() == COMPLAINTS
    expired = Counter(Event.objects.filter(kind="clock_expired").values_list("complaint_id", flat=True))
    escalated = Counter(Event.objects.filter(kind="escalated").values_list("complaint_id", flat=True))
    assert len(expired) == len(escalated) == COMPLAINTS
    assert set(expired.values()) == set(escalated.values()) == {1}
    assert Complaint.objects.filter(level=2).count() == COMPLAINTS
    # and the two sweeps together handled each complaint once
    handled = [s.return_value["acted_on"] for s in sweeps]
    print("complaints acted on by each sweep:", handled)  # noqa: T201 - shown with -s
    assert sum(handled) == COMPLAINTS, handled
    # and each sweep queued its successor; only one waits (the chain stays single)
    assert DBTaskResult.objects.filter(task_path=clock_sweep.module_path, status="READY").count() == 1
