"""The task worker sends what the outbox queued, after the transaction committed."""

import pytest
from django.core.management import call_command

from plaint.channels.models import OutgoingMessage, OutgoingState
from plaint.testing import builders


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_the_worker_sends_the_acknowledgement_queued_by_an_intake(
    transactional_db, database_tasks, mailoutbox
):
    # given a complaint filed for real (committed; its mail task waits in the database queue)
    organisation = builders.organisation()
    complaint = builders.complaint(builders.customer(organisation))
    queued = OutgoingMessage.objects.get(thread_reference=complaint.reference)
    assert queued.state == OutgoingState.QUEUED
    assert mailoutbox == []
    # when the worker runs the queue once
    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)
    # then the acknowledgement went out, with its Message-ID, and the outbox says so
    queued.refresh_from_db()
    assert queued.state == OutgoingState.SENT
    assert queued.sent_at is not None
    assert [m.to for m in mailoutbox] == [[complaint.customer.email]]
    assert mailoutbox[0].extra_headers["Message-ID"] == queued.message_id
