"""``plaint retention run``: complaints past their retention period go, with a tombstone that
``plaint audit verify`` accepts; open complaints and complaints still pointed to stay."""

from __future__ import annotations

import io
import wave
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from plaint.complaints.actors import customer_actor
from plaint.complaints.audit import audit_verify
from plaint.complaints.choices import EventKind
from plaint.complaints.lifecycle import State
from plaint.complaints.models import (
    Complaint,
    ComplaintRead,
    Event,
    EventChainTombstone,
    Evidence,
    Reason,
    RetentionRun,
)
from plaint.complaints.models import Message as MessageRow
from plaint.complaints.reads import complaint_read_log
from plaint.complaints.retention import retention_run
from plaint.complaints.services.evidence import evidence_add
from plaint.complaints.services.records import message_move
from plaint.core import clock
from plaint.parties.actors import Principal
from plaint.parties.choices import Sector
from plaint.testing import builders
from plaint.testing.actors import AGENT, PDF


def _closed_years_ago(complaint: Complaint, years: float) -> None:
    moment = clock.now() - timedelta(days=int(365.25 * years))
    Complaint.objects.filter(pk=complaint.pk).update(state="closed", closed_at=moment,
                                                     state_changed_at=moment)


def test_a_dry_run_lists_the_due_complaints_and_changes_nothing(cast):
    # given complaint B (Czech organisation: 3 years) closed 4 years ago, complaint A open
    _closed_years_ago(cast.complaint_b, 4)
    events = Event.objects.count()
    # when
    out = io.StringIO()
    call_command("retention", "run", "--dry-run", stdout=out)
    # then B is listed, nothing is removed
    assert f"would remove {cast.complaint_b.reference}" in out.getvalue()
    assert cast.complaint_a.reference not in out.getvalue()
    assert Event.objects.count() == events
    assert not EventChainTombstone.objects.exists()


def test_a_complaint_inside_its_period_or_open_is_not_due(cast):
    # given B closed 2 years ago (CZ keeps 3) and A open
    _closed_years_ago(cast.complaint_b, 2)
    # then
    assert retention_run(apply=False).due == []


def test_applying_removes_the_chain_and_leaves_a_tombstone_that_verify_accepts(cast):
    # given B closed 4 years ago and read once by staff
    _closed_years_ago(cast.complaint_b, 4)
    complaint_read_log(actor=cast.actor(AGENT), complaint=cast.complaint_b, channel="api")
    last = Event.objects.filter(complaint=cast.complaint_b).order_by("-position").first()
    reasons = list(Event.objects.filter(complaint=cast.complaint_b, reason__isnull=False)
                   .values_list("reason_id", flat=True))
    # when
    out = io.StringIO()
    call_command("retention", "run", "--apply", stdout=out)
    # then the complaint, its events, its reasons and its reads are gone
    assert f"removed {cast.complaint_b.reference}" in out.getvalue()
    assert not Complaint.objects.filter(pk=cast.complaint_b.pk).exists()
    assert not Event.objects.filter(complaint_id=cast.complaint_b.pk).exists()
    assert not Reason.objects.filter(pk__in=reasons).exists()
    assert not ComplaintRead.objects.filter(complaint_id=cast.complaint_b.pk).exists()
    # and a tombstone keeps the end of its chain
    stone = EventChainTombstone.objects.get()
    assert (stone.complaint_id, stone.organisation_id) == (cast.complaint_b.pk, cast.org1.pk)
    assert (stone.last_hash, stone.event_count) == (last.hash, last.position)
    assert stone.rule == "CZ.limitation:3y"
    # and the log still verifies, tombstone included
    report = audit_verify()
    assert report.ok, [b.describe() for b in report.broken]
    assert report.tombstones == 1
    # and complaint A is untouched
    assert Complaint.objects.filter(pk=cast.complaint_a.pk).exists()


def test_a_complaint_another_kept_complaint_points_to_is_kept(cast):
    # given a message moved from A (open) to B: A's event names B
    message = MessageRow.objects.filter(complaint=cast.complaint_a).first()
    message_move(actor=cast.actor(AGENT), message=message, to_complaint=cast.complaint_b)
    _closed_years_ago(cast.complaint_b, 4)
    # when
    report = retention_run(apply=True)
    # then B stays, and so does A's chain
    assert [d.complaint_id for d in report.kept] == [cast.complaint_b.pk]
    assert Complaint.objects.filter(pk=cast.complaint_b.pk).exists()
    assert audit_verify().ok


@pytest.mark.sqlite_only
def test_a_changed_tombstone_is_found_by_verify(cast):
    # given a removed chain whose tombstone is then changed (SQLite: no trigger)
    _closed_years_ago(cast.complaint_b, 4)
    retention_run(apply=True)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE complaints_eventchaintombstone SET event_count = event_count - 1")
    # when
    [broken] = audit_verify().broken
    # then
    assert (broken.chain, broken.owner_id, broken.problem) == (
        "tombstone", cast.complaint_b.pk, "tombstone hash")


# ---- call recordings (BR: kept 90 days, and no longer without a reason)


def _wav() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(8000)
        sound.writeframes(b"\x00\x00" * 800)
    return buffer.getvalue()


@pytest.fixture
def brazil(db, settings, tmp_path):  # noqa: ANN001, ANN201
    settings.MEDIA_ROOT = tmp_path / "files"
    with clock.frozen_at(datetime(2026, 3, 2, 12, 0, tzinfo=UTC)):
        org = builders.organisation(country="BR", sector=Sector.TELECOM, time_zone="America/Sao_Paulo",
                                    languages=["pt-br", "en"], default_language="pt-br")
        customer = builders.customer(org)
        complaint = builders.complaint(customer)
        actor = customer_actor(Principal(user=customer.user), org.pk)
        recording = evidence_add(actor=actor, complaint=complaint, stream=io.BytesIO(_wav()),
                                 name="call.wav")
        document = evidence_add(actor=actor, complaint=complaint, stream=io.BytesIO(PDF), name="bill.pdf")
        yield complaint, recording, document


def test_a_brazilian_call_recording_goes_after_90_days_once_the_complaint_is_over(
        brazil, django_capture_on_commit_callbacks):
    complaint, recording, document = brazil
    assert recording.content_type.startswith("audio/")
    # given the complaint is open 91 days after the call: a legal hold keeps the recording
    clock.advance(timedelta(days=91))
    assert retention_run(apply=False).due == []
    # when the complaint is withdrawn
    builders.reach(complaint, State.WITHDRAWN)
    # then, 91 days after the call, the recording is due under the SAC rule, not the PDF
    [due] = retention_run(apply=False).due
    assert (due.evidence_id, due.rule, due.record_type) == (
        recording.pk, "BR.SAC.recording:90d", "call_recording")
    storage = Evidence._meta.get_field("file").storage
    with django_capture_on_commit_callbacks(execute=True):
        report = retention_run(apply=True)
    # and applying removes the file and its row, keeps the complaint and its other file
    assert [d.evidence_id for d in report.removed] == [recording.pk]
    assert not Evidence.objects.filter(pk=recording.pk).exists()
    assert not storage.exists(recording.file.name)
    assert Evidence.objects.filter(pk=document.pk).exists()
    # and the complaint's chain says what went, under which rule, with no personal data
    event = Event.objects.get(complaint=complaint, kind=EventKind.RECORD_REMOVED)
    assert event.data == {"record_type": "call_recording", "evidence": recording.pk,
                          "rule": "BR.SAC.recording:90d"}
    # and the run is recorded, and the chains verify
    run = RetentionRun.objects.get()
    assert run.removed == [{"record_type": "call_recording", "rule": "BR.SAC.recording:90d", "count": 1}]
    assert audit_verify().ok


def test_a_brazilian_recording_younger_than_90_days_stays(brazil):
    complaint, _, _ = brazil
    builders.reach(complaint, State.WITHDRAWN)
    clock.advance(timedelta(days=89))
    assert retention_run(apply=False).due == []


# ---- the scheduled task


def test_the_daily_task_applies_the_run_and_queues_the_next_one_a_day_later(cast):
    from django_tasks_db.models import DBTaskResult

    from plaint.complaints.tasks import retention_run_ensure_scheduled, retention_run_task

    # given B closed 4 years ago
    _closed_years_ago(cast.complaint_b, 4)
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        waiting = DBTaskResult.objects.filter(task_path=retention_run_task.module_path, status="READY")
        # when the worker starts twice, one run waits
        assert retention_run_ensure_scheduled() is True
        assert retention_run_ensure_scheduled() is False
        waiting.delete()
        # when the task runs
        result = retention_run_task.call()
        # then B is removed, the run recorded as the task's, and the next run queued a day later
        assert result == {"removed": 1, "held_back": 0, "erasures_completed": 0}
        assert not Complaint.objects.filter(pk=cast.complaint_b.pk).exists()
        assert RetentionRun.objects.get().started_by == "task"
        successor = waiting.get()
        delay = successor.run_after - successor.enqueued_at
        assert timedelta(hours=23) < delay <= timedelta(days=1, minutes=1)
