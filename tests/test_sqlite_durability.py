"""SQLite keeps a complaint that was acknowledged to a client through a crash of the process.

The connection runs in WAL mode with ``synchronous=FULL`` (every commit is on the disk before it
returns, so a power loss keeps it too; STACK.md) and foreign keys on. A child process files a
complaint through the API, prints the reference of its 201 and is killed with SIGKILL at once;
the complaint is there afterwards, with its events. SQLite tier only (PostgreSQL's durability is
its own, and the fault tests of issue 6 cover it)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from django.db import connection

from plaint.complaints.models import Complaint, Event
from plaint.parties.choices import Role
from plaint.parties.services import api_token_create
from plaint.testing import builders

pytestmark = pytest.mark.sqlite_only

CHILD = textwrap.dedent("""
    import os, signal, sys, json
    import django
    django.setup()
    from django.test import Client
    token, organisation = sys.argv[1], int(sys.argv[2])
    response = Client(HTTP_HOST="127.0.0.1", headers={"Authorization": f"Bearer {token}"}).post(
        "/api/v1/complaints", {"organisation_id": organisation, "channel": "phone",
        "subject": "No internet", "description": "Down since Monday.",
        "customer": {"full_name": "Jan Novák", "email": "jan@example.test"}},
        content_type="application/json")
    print(response.status_code, json.loads(response.content)["reference"], flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
""")


@pytest.mark.django_db
def test_the_connection_is_in_wal_mode_with_full_synchronous_commits_and_foreign_keys():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2  # FULL
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1


@pytest.mark.django_db(transaction=True)
def test_a_complaint_answered_with_201_survives_the_process_being_killed_right_after():
    # given a provider and an integration's token
    organisation = builders.organisation()
    _, secret = api_token_create(organisation=organisation, name="CRM", role=Role.AGENT)
    # when a process files a complaint, gets its 201 and is killed at once with SIGKILL
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "plaint.settings.test",
           "PLAINT_TEST_USE_TEST_DATABASE": "1"}
    child = subprocess.run(  # noqa: S603
        [sys.executable, "-c", CHILD, secret, str(organisation.pk)],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert child.returncode == -9, child.stderr[-2000:]
    status, reference = child.stdout.split()
    # then the complaint the client was told about is in the database, with its events
    assert status == "201"
    complaint = Complaint.objects.get(reference=reference)
    assert complaint.subject == "No internet"
    assert Event.objects.filter(complaint=complaint, kind="received").count() == 1
