"""Migration 0009 chains the events stored before it, as ``event_record`` would have."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from plaint.complaints.audit import audit_verify
from plaint.complaints.models import Event
from plaint.testing.actors import build_cast

BEFORE = [("complaints", "0008_staff_notifications")]
LATEST = None  # every app's latest migration: the schema the other tests expect


def _migrate(targets: list[tuple[str, str]] | None) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets if targets is not None else executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_stored_events_the_hashes_event_record_gives(settings, tmp_path):
    # given events written through the services, and their chain
    settings.MEDIA_ROOT = tmp_path
    build_cast()
    written = list(Event.objects.order_by("id").values_list("id", "position", "previous_hash", "hash"))
    # when the schema goes back to before the chain and forward again
    _migrate(BEFORE)
    try:
        _migrate(LATEST)
    finally:
        _migrate(LATEST)
    # then every event has the same position and hashes as before, and the log verifies
    again = list(Event.objects.order_by("id").values_list("id", "position", "previous_hash", "hash"))
    assert again == written
    assert audit_verify().ok
