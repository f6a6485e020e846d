"""``plaint audit verify``: every chain written by the services verifies; a changed, removed or
reordered event is found and named."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from plaint.complaints.audit import audit_verify
from plaint.complaints.chain import event_hash
from plaint.complaints.models import Event
from plaint.complaints.services.cancellations import cancellation_request
from plaint.testing.actors import AGENT, CUSTOMER_A


def _raw(sql: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_events_the_services_write_form_one_chain_per_complaint(cast):
    # given the cast's complaints, written through the services
    events = list(Event.objects.filter(complaint=cast.complaint_a).order_by("position"))
    # then positions run 1, 2, 3… and each event names the hash of the one before
    assert [e.position for e in events] == list(range(1, len(events) + 1))
    assert len(events) >= 5
    previous = ""
    for event in events:
        assert event.previous_hash == previous
        fields = {f.attname: getattr(event, f.attname) for f in Event._meta.concrete_fields}
        assert event.hash == event_hash(fields, position=event.position, previous_hash=previous)
        previous = event.hash


def test_a_cancellations_events_form_a_chain_of_their_own(cast):
    # when a cancellation is requested
    cancellation = cancellation_request(actor=cast.actor(AGENT), customer=cast.customers[CUSTOMER_A],
                                        service_name="Internet 100")
    # then its event starts its own chain
    event = Event.objects.get(cancellation=cancellation)
    assert (event.position, event.previous_hash) == (1, "")
    assert audit_verify().chains["cancellation"] == 1


def test_verify_accepts_the_untouched_log_and_exits_0(cast):
    # when
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    # then
    assert "all chains verify" in out.getvalue()
    report = audit_verify()
    assert report.ok
    assert report.events == Event.objects.count()
    assert report.chains["complaint"] == 3


@pytest.mark.sqlite_only
def test_an_event_changed_with_raw_sql_is_named_by_verify_which_exits_non_zero(cast):
    # given an event whose data is changed behind the application's back (SQLite has no trigger)
    event = Event.objects.filter(complaint=cast.complaint_a).order_by("position")[2]
    _raw("UPDATE complaints_event SET data = %s WHERE id = %s", ['{"state": "forged"}', event.pk])
    # when
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("audit", "verify", stdout=io.StringIO(), stderr=err)
    # then the first broken link is named: complaint reference, event id, expected vs found
    message = str(refused.value)
    assert cast.complaint_a.reference in message
    assert f"event {event.pk}" in message
    assert f"found {event.hash}" in message
    assert "content hash" in err.getvalue()


@pytest.mark.sqlite_only
def test_an_event_removed_from_the_middle_of_a_chain_is_found(cast):
    # given the second event of complaint A deleted
    second = Event.objects.get(complaint=cast.complaint_a, position=2)
    _raw("DELETE FROM complaints_event WHERE id = %s", [second.pk])
    # when
    report = audit_verify()
    # then the third is out of sequence
    [broken] = report.broken
    assert broken.event_id == Event.objects.get(complaint=cast.complaint_a, position=3).pk
    assert broken.problem == "position out of sequence"
    assert broken.reference == cast.complaint_a.reference


@pytest.mark.sqlite_only
def test_an_event_moved_to_another_complaint_with_its_hash_recomputed_breaks_the_link_after(cast):
    # given an attacker who rewrites an event and its own hash, but not the next event's link
    event = Event.objects.get(complaint=cast.complaint_a, position=2)
    fields = {f.attname: getattr(event, f.attname) for f in Event._meta.concrete_fields}
    fields["actor_role"] = "manager"
    forged = event_hash(fields, position=2, previous_hash=event.previous_hash)
    _raw("UPDATE complaints_event SET actor_role = 'manager', hash = %s WHERE id = %s",
         [forged, event.pk])
    # when
    [broken] = audit_verify().broken
    # then the next event no longer names it as previous
    assert broken.event_id == Event.objects.get(complaint=cast.complaint_a, position=3).pk
    assert broken.problem == "previous hash"
    assert broken.expected == forged
