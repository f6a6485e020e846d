"""The console's notices are written where staff are told by e-mail (``notify_staff``): on
assignment, on a customer's reply, when a clock is at risk and when it runs out; whatever the
person's e-mail preferences, in the same transaction, one insert for all recipients."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from plaint.channels.models import OutgoingMessage
from plaint.clocks.sweep import clocks_sweep
from plaint.complaints.actors import customer_actor, staff_actor
from plaint.complaints.lifecycle import Action
from plaint.complaints.models import StaffNotification
from plaint.complaints.services.assignment import complaint_assign
from plaint.complaints.services.records import message_add
from plaint.core import clock
from plaint.parties.actors import Principal
from plaint.parties.choices import Role
from plaint.parties.models import NotificationPreferences
from plaint.testing import builders

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")
RECEIVED = datetime(2026, 10, 28, 10, tzinfo=WARSAW)
DUE = datetime.combine(date(2026, 11, 12), time.max, tzinfo=WARSAW)  # PL.consumer.reply: 14 days


def notices(complaint) -> list[tuple[int, str]]:  # noqa: ANN001
    return sorted(StaffNotification.objects.filter(complaint=complaint).values_list("recipient_id", "kind"))


def test_an_assignment_notifies_the_new_handler_even_with_the_e_mail_switched_off():
    # given an agent who wants no e-mail about assignments
    org = builders.organisation()
    agent = builders.staff(org, Role.AGENT)
    manager = builders.staff(org, Role.MANAGER)
    NotificationPreferences.objects.create(user=agent.user, assigned=False)
    complaint = builders.complaint(builders.customer(org))
    # when the manager assigns the complaint to them
    with clock.frozen_at(RECEIVED):
        complaint_assign(actor=staff_actor(Principal(user=manager.user), org.pk), complaint=complaint,
                         team_id=None, assignee_id=agent.pk)
    # then no e-mail goes out, and the console has the notice, unread, at that time
    assert not OutgoingMessage.objects.filter(kind="staff_assigned", to_address=agent.user.email).exists()
    [notice] = StaffNotification.objects.filter(complaint=complaint)
    assert (notice.recipient_id, notice.organisation_id, notice.kind) == (agent.user_id, org.pk, "assigned")
    assert (notice.created_at, notice.read_at) == (RECEIVED, None)


def test_taking_a_complaint_oneself_writes_no_notice():
    org = builders.organisation()
    agent = builders.staff(org, Role.AGENT)
    complaint = builders.complaint(builders.customer(org))
    complaint_assign(actor=staff_actor(Principal(user=agent.user), org.pk), complaint=complaint,
                     team_id=None, assignee_id=agent.pk)
    assert notices(complaint) == []


def test_a_refused_change_leaves_no_notice_behind():
    # given a notice written inside a transaction that then fails
    org = builders.organisation()
    agent, manager = builders.staff(org, Role.AGENT), builders.staff(org, Role.MANAGER)
    complaint = builders.complaint(builders.customer(org))

    def assign_then_fail() -> None:
        with transaction.atomic():
            complaint_assign(actor=staff_actor(Principal(user=manager.user), org.pk), complaint=complaint,
                             team_id=None, assignee_id=agent.pk)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        assign_then_fail()
    # then the notice went with it
    assert notices(complaint) == []


def test_a_customers_reply_notifies_the_team_leaders_in_one_insert():
    # given an unassigned complaint of a team with two team leaders
    org = builders.organisation()
    team = builders.team(org)
    leaders = [builders.staff(org, Role.TEAM_LEADER, team=team) for _ in range(2)]
    customer = builders.customer(org)
    complaint = builders.complaint(customer)
    complaint.team = team
    complaint.save(update_fields=["team"])
    # when the customer writes to it
    with CaptureQueriesContext(connection) as queries:
        message_add(actor=customer_actor(Principal(user=customer.user), org.pk), complaint=complaint,
                    body="Any news?")
    # then both leaders have a notice, written in one insert
    assert notices(complaint) == sorted((m.user_id, "customer_replied") for m in leaders)
    inserts = [q for q in queries.captured_queries
               if q["sql"].startswith("INSERT") and "staffnotification" in q["sql"]]
    assert len(inserts) == 1


def test_a_clock_at_risk_and_then_breached_notifies_the_managers():
    # given a Polish consumer complaint, acknowledged, with no handler, and a manager who wants no e-mail
    org = builders.organisation(country="PL", sector="retail", time_zone="Europe/Warsaw",
                                languages=["en"], default_language="en")
    manager = builders.staff(org, Role.MANAGER)
    NotificationPreferences.objects.create(user=manager.user, clock_at_risk=False, clock_breached=False)
    with clock.frozen_at(RECEIVED):
        complaint = builders.complaint(builders.customer(org))
    with clock.frozen_at(RECEIVED + timedelta(hours=1)):
        builders.move(complaint, Action.ACKNOWLEDGE)
    # when the sweep runs at 80 % of the time, then just after the due time
    for moment in (RECEIVED + (DUE - RECEIVED) * 0.8, DUE + timedelta(seconds=1)):
        with clock.frozen_at(moment):
            assert clocks_sweep(now=moment).failed == 0
    # then the manager has a notice for each, in that order
    kinds = list(StaffNotification.objects.filter(complaint=complaint, recipient=manager.user)
                 .order_by("id").values_list("kind", flat=True))
    assert kinds == ["clock_at_risk", "clock_breached"]
