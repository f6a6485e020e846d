"""Every provider rule in the rule files, when its clock runs out, does what its file says.

The cases come from the rule book itself, so a rule added to a file is tested here without a new
row: a complaint is filed where the rule applies, the sweep runs one second after the rule's due
time, and each expiry action of the rule is found in the database.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from plaint.channels.models import OutgoingMessage
from plaint.clocks.sweep import clocks_sweep
from plaint.complaints.choices import EventKind
from plaint.complaints.models import Decision, Event
from plaint.core import clock
from plaint.deadlines.rules import ClockRule, ExpiryAction, Party, RuleKind, Start, statutory_rules
from plaint.parties.choices import Role
from plaint.testing import builders

pytestmark = pytest.mark.django_db

TIME_ZONES = {"CZ": "Europe/Prague", "PL": "Europe/Warsaw", "RO": "Europe/Bucharest",
              "BR": "America/Sao_Paulo", "GB": "Europe/London", "US": "America/New_York"}
SUBDIVISIONS = {"GB": "ENG"}
RECEIVED_DAY = date(2026, 4, 1)  # a Wednesday; every rule version in force


def _provider_rules() -> list[ClockRule]:
    day = RECEIVED_DAY
    return [
        rule for rule in statutory_rules().rules
        if rule.kind is RuleKind.STATUTORY and rule.party is Party.PROVIDER
        and rule.start is Start.RECEIVED and rule.in_force_on(day) and rule.on_expiry
    ]


@pytest.mark.parametrize("rule", _provider_rules(), ids=lambda r: r.id)
def test_a_rule_that_runs_out_does_what_its_file_says(rule: ClockRule):
    # given an organisation where the rule applies, and a complaint received there
    country = sorted(rule.countries)[0]
    zone = ZoneInfo(TIME_ZONES[country])
    organisation = builders.organisation(
        country=country, subdivision=SUBDIVISIONS.get(country, ""), time_zone=TIME_ZONES[country],
        sector=sorted(rule.sectors)[0] if rule.sectors else "other", languages=["en"],
        default_language="en",
    )
    builders.staff(organisation, Role.MANAGER)
    received = datetime.combine(RECEIVED_DAY, time(10), tzinfo=zone)
    with clock.frozen_at(received):
        complaint = builders.complaint(
            builders.customer(organisation), channel=sorted(rule.channels)[0] if rule.channels else "web",
        )
    due = complaint.clocks.get(key=rule.id).due_at
    # when the sweep runs one second after the rule's due time
    after = due + timedelta(seconds=1)
    with clock.frozen_at(after):
        report = clocks_sweep(now=after)
    assert report.failed == 0
    # then the clock is breached and its expiry event lists every action of the rule, none skipped
    assert complaint.clocks.get(key=rule.id).state == "breached"
    expired = Event.objects.get(complaint=complaint, kind=EventKind.CLOCK_EXPIRED, data__clock=rule.id)
    assert expired.data["actions"] == [a.value for a in rule.on_expiry]
    assert expired.data["skipped"] == []
    assert expired.data["untimely"] == (ExpiryAction.MARK_UNTIMELY in rule.on_expiry)
    assert expired.data["sanction_risk"] == (ExpiryAction.SANCTION_RISK in rule.on_expiry)
    # and each action left its mark
    mine = Event.objects.filter(complaint=complaint, data__rule=rule.id)
    for action in rule.on_expiry:
        if action is ExpiryAction.DEEMED_ACCEPTED:
            assert Decision.objects.get(complaint=complaint, deemed_by_rule=rule.id).outcome == "upheld"
        elif action is ExpiryAction.OPEN_EXTERNAL_ROUTE:
            assert mine.filter(kind=EventKind.EXTERNAL_ROUTE_OPENED).count() == 1
            letter = OutgoingMessage.objects.get(kind="external_route_opened",
                                                 thread_reference=complaint.reference)
            assert rule.external_body in letter.body
        elif action is ExpiryAction.CONSUMER_RIGHTS:
            opened = mine.get(kind=EventKind.CONSUMER_RIGHTS_OPENED)
            assert opened.data["rights"] == list(rule.consumer_rights)
        elif action is ExpiryAction.NOTIFY_MANAGER:
            assert OutgoingMessage.objects.filter(kind="staff_clock_expired",
                                                  thread_reference=complaint.reference).exists()
        elif action is ExpiryAction.ESCALATE:
            assert mine.filter(kind=EventKind.ESCALATED).count() == 1
