"""``plaint retention run``: complaints past their retention period go, with a tombstone that
``plaint audit verify`` accepts; open complaints and complaints still pointed to stay."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection

from plaint.complaints.audit import audit_verify
from plaint.complaints.models import Complaint, ComplaintRead, Event, EventChainTombstone, Reason
from plaint.complaints.models import Message as MessageRow
from plaint.complaints.reads import complaint_read_log
from plaint.complaints.retention import retention_run
from plaint.complaints.services.records import message_move
from plaint.core import clock
from plaint.testing.actors import AGENT


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
    assert stone.rule == "retention:CZ:3y"
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
