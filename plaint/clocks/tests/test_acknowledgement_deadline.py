"""The acknowledgement tells the customer by when the answer is due, under which rule, and what
happens if it does not come."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime

from django.utils import formats, translation

from plaint.channels.models import OutgoingMessage
from plaint.clocks.models import Clock
from plaint.core import clock
from plaint.testing import builders

RECEIVED = datetime(2026, 12, 1, 10, tzinfo=UTC)


def _acknowledgement(complaint) -> str:
    return OutgoingMessage.objects.get(thread_reference=complaint.reference, kind="received").body


def _shown(moment: datetime, time_zone: str, language: str) -> str:
    with translation.override(language):
        return formats.date_format(moment.astimezone(zoneinfo.ZoneInfo(time_zone)), "DATETIME_FORMAT")


def test_a_polish_consumer_learns_the_answer_is_due_in_14_days_or_the_complaint_is_accepted(db):
    # given a Polish shop
    shop = builders.organisation(country="PL", sector="retail", time_zone="Europe/Warsaw",
                                 default_language="pl", languages=["pl"])
    # when a consumer complains
    with clock.frozen_at(RECEIVED):
        complaint = builders.complaint(builders.customer(shop, preferred_language="en"))
    # then the acknowledgement names the statutory answer deadline and its consequence
    due = Clock.objects.get(complaint=complaint, rule_id="PL.consumer.reply").due_at
    body = _acknowledgement(complaint)
    assert f"We must answer by {_shown(due, 'Europe/Warsaw', 'en')}" in body
    assert "If we do not, the complaint is deemed accepted as the customer asked." in body


def test_a_uk_customer_learns_when_the_ombudsman_route_opens(db):
    bank = builders.organisation(country="GB", subdivision="ENG", sector="finance",
                                 time_zone="Europe/London", default_language="en", languages=["en"])
    with clock.frozen_at(RECEIVED):
        complaint = builders.complaint(builders.customer(bank))
    body = _acknowledgement(complaint)
    due = Clock.objects.get(complaint=complaint, rule_id="UK.DISP.final_response").due_at
    assert f"We must answer by {_shown(due, 'Europe/London', 'en')}" in body
    assert "If we do not, the customer may take the case to" in body


def test_an_acknowledgement_without_an_answer_deadline_promises_no_date(db):
    # given an organisation in a country without encoded rules (only the ISO acknowledgement)
    provider = builders.organisation(country="DE", sector="other", time_zone="Europe/Berlin")
    with clock.frozen_at(RECEIVED):
        complaint = builders.complaint(builders.customer(provider))
    assert "We must answer by" not in _acknowledgement(complaint)
