"""PostgreSQL refuses to rewrite the record: UPDATE and DELETE on events (outside a retention
run), on tombstones and on the read log; and concurrent writers do not fork a chain."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction

from plaint.complaints.audit import audit_verify
from plaint.complaints.models import Complaint, ComplaintRead, Event, EventChainTombstone
from plaint.complaints.reads import complaint_read_log
from plaint.complaints.retention import retention_run
from plaint.complaints.services.records import message_add
from plaint.core import clock
from plaint.testing.actors import AGENT, build_cast

pytestmark = pytest.mark.postgresql_only


def _raw(sql: str, params: list[object]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_an_update_of_an_event_is_refused(cast):
    event = Event.objects.filter(complaint=cast.complaint_a).first()
    # when / then
    with pytest.raises(DatabaseError, match="cannot be rewritten"):
        _raw("UPDATE complaints_event SET data = '{}' WHERE id = %s", [event.pk])
    assert Event.objects.get(pk=event.pk).data == event.data


def test_a_delete_of_an_event_is_refused(cast):
    event = Event.objects.filter(complaint=cast.complaint_a).first()
    # when / then
    with pytest.raises(DatabaseError, match="cannot be rewritten"):
        _raw("DELETE FROM complaints_event WHERE id = %s", [event.pk])
    assert Event.objects.filter(pk=event.pk).exists()


def test_deleting_a_complaint_outside_retention_is_refused_by_its_events(cast):
    # when / then the cascade to its events is refused
    complaints = Complaint.objects.filter(pk=cast.complaint_b.pk)
    with pytest.raises(DatabaseError, match="cannot be rewritten"), transaction.atomic():
        complaints.delete()
    assert Complaint.objects.filter(pk=cast.complaint_b.pk).exists()


def test_the_setting_is_local_to_the_retention_transaction(cast):
    # given a retention run that removed one complaint
    moment = clock.now() - timedelta(days=4 * 366)
    Complaint.objects.filter(pk=cast.complaint_b.pk).update(
        state="closed", closed_at=moment, state_changed_at=moment)
    assert len(retention_run(apply=True).removed) == 1
    # then afterwards, in the same session, a delete is refused again
    event = Event.objects.filter(complaint=cast.complaint_a).first()
    with pytest.raises(DatabaseError, match="cannot be rewritten"):
        _raw("DELETE FROM complaints_event WHERE id = %s", [event.pk])
    # and the tombstone cannot be changed or removed
    with pytest.raises(DatabaseError, match="cannot be rewritten"):
        _raw("UPDATE complaints_eventchaintombstone SET rule = 'x'", [])
    with pytest.raises(DatabaseError, match="cannot be rewritten"):
        _raw("SET LOCAL plaint.retention = 'on'; DELETE FROM complaints_eventchaintombstone", [])
    assert EventChainTombstone.objects.count() == 1
    assert audit_verify().ok


def test_the_read_log_is_append_only(cast):
    read = complaint_read_log(actor=cast.actor(AGENT), complaint=cast.complaint_a, channel="web")
    # when / then
    with pytest.raises(DatabaseError, match="cannot be rewritten"):
        _raw("UPDATE complaints_complaintread SET channel = 'api' WHERE id = %s", [read.pk])
    with pytest.raises(DatabaseError, match="cannot be rewritten"):
        _raw("DELETE FROM complaints_complaintread WHERE id = %s", [read.pk])
    assert ComplaintRead.objects.get(pk=read.pk).channel == "web"


WRITERS = 2
WRITES = 5


def test_concurrent_writers_do_not_fork_a_chain(transactional_db, settings, tmp_path):
    # given a complaint and two threads that each add messages to it, as the API does
    settings.MEDIA_ROOT = tmp_path
    cast = build_cast()
    actor = cast.actor(AGENT)
    start = threading.Barrier(WRITERS)
    failures: list[BaseException] = []

    def write() -> None:
        try:
            start.wait()
            for n in range(WRITES):
                with transaction.atomic():
                    complaint = Complaint.objects.select_for_update().get(pk=cast.complaint_a.pk)
                    message_add(actor=actor, complaint=complaint, body=f"message {n}")
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(WRITERS)]
    before = Event.objects.filter(complaint=cast.complaint_a).count()
    # when
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then every write is one more link of the one chain
    assert failures == []
    positions = list(Event.objects.filter(complaint=cast.complaint_a)
                     .order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, before + WRITERS * WRITES + 1))
    report = audit_verify()
    assert report.ok, [b.describe() for b in report.broken]


def test_two_writers_that_skip_the_lock_never_fork_the_chain(transactional_db, settings, tmp_path):
    # given two transactions that both read the same chain tail without the complaint's lock
    settings.MEDIA_ROOT = tmp_path
    cast = build_cast()
    actor = cast.actor(AGENT)
    inside = threading.Barrier(2)
    outcomes: list[str] = []

    def write() -> None:
        try:
            with transaction.atomic():
                complaint = Complaint.objects.get(pk=cast.complaint_a.pk)
                Event.objects.filter(complaint=complaint).count()
                inside.wait()
                message_add(actor=actor, complaint=complaint, body="unlocked")
            outcomes.append("written")
        except DatabaseError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then the second is refused by the unique position, or came after the first: no fork
    assert "written" in outcomes
    assert audit_verify().ok
