"""Scanned letters: the date of receipt, the scan's type, who may record one."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from plaint.complaints.models import Event, Letter
from plaint.complaints.services.letters import (
    MAX_AGE,
    LetterSpec,
    letter_record,
    received_at_errors,
    received_at_parse,
)
from plaint.complaints.tests.helpers import refused
from plaint.core.exceptions import PermissionDenied, ValidationFailed
from plaint.testing.actors import AGENT, CUSTOMER_A, ORG_ADMIN, PDF, Cast
from plaint.testing.database import row_counts

NOW = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)
PRAGUE = ZoneInfo("Europe/Prague")


# ---- pure


def test_a_date_of_receipt_is_the_start_of_that_day_where_the_organisation_is():
    assert received_at_parse("2026-03-09", time_zone="Europe/Prague") == datetime(
        2026, 3, 9, tzinfo=PRAGUE)


def test_a_time_of_receipt_keeps_its_offset():
    parsed = received_at_parse("2026-03-09T14:05:00+01:00", time_zone="UTC")
    assert parsed == datetime(2026, 3, 9, 13, 5, tzinfo=UTC)


@pytest.mark.parametrize("text", ["2026-03-09T14:05:00", "09.03.2026", "yesterday", "2026-02-30"])
def test_a_date_of_receipt_that_cannot_be_read_is_refused_naming_the_field(text):
    with pytest.raises(ValidationFailed) as refusal:
        received_at_parse(text, time_zone="Europe/Prague")
    assert set(refusal.value.fields) == {"received_at"}


@pytest.mark.parametrize(("received", "ok"), [
    (NOW, True),
    (NOW - timedelta(days=3), True),
    (NOW - MAX_AGE, True),
    (NOW + timedelta(seconds=1), False),
    (NOW - MAX_AGE - timedelta(seconds=1), False),
])
def test_a_letter_is_received_at_most_a_year_ago_and_never_in_the_future(received, ok):
    assert (received_at_errors(received, NOW) == []) is ok


# ---- the service


def spec(**changes) -> LetterSpec:  # type: ignore[no-untyped-def]
    fields = {"received_at": datetime.now(UTC) - timedelta(days=1), "stream": io.BytesIO(PDF),
              "name": "../../etc/letter.pdf", "summary": "Asks for a refund."}
    return LetterSpec(**{**fields, **changes})


def test_a_letter_is_one_interaction_one_scan_and_one_event(cast: Cast):
    # when the agent records a letter on customer A's complaint
    letter = letter_record(actor=cast.actor(AGENT), complaint=cast.complaint_a, spec=spec())
    # then the scan's name is cleaned, and the interaction and the scan are the complaint's
    stored = Letter.objects.select_related("interaction", "scan").get(pk=letter.pk)
    assert stored.scan.original_name == "letter.pdf"
    assert stored.interaction.complaint_id == stored.scan.complaint_id == cast.complaint_a.pk
    assert (stored.interaction.channel, stored.interaction.staff_member_id) == ("letter", None)
    assert stored.interaction.recorded_by == cast.users[AGENT]
    # and one event, with ids only
    [event] = Event.objects.filter(complaint=cast.complaint_a, data__letter=letter.pk)
    assert "Asks for a refund." not in str(event.data)


@pytest.mark.parametrize("who", [CUSTOMER_A, ORG_ADMIN])
def test_customers_and_organisation_admins_may_not_record_letters(cast: Cast, who):
    before = row_counts()
    with refused(PermissionDenied, "not_permitted"):
        letter_record(actor=cast.actor(who), complaint=cast.complaint_a, spec=spec())
    assert row_counts() == before


def test_a_sound_recording_is_no_scanned_letter(cast: Cast):
    before = row_counts()
    mp3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 200
    with refused(ValidationFailed, "evidence_type_not_allowed"):
        letter_record(actor=cast.actor(AGENT), complaint=cast.complaint_a,
                      spec=spec(stream=io.BytesIO(mp3)))
    assert row_counts() == before
