"""Staff e-mails (assigned to you, the customer replied, a deadline close or missed) follow each
staff member's notification preferences."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from plaint.channels.models import OutgoingMessage
from plaint.clocks.tests.test_rule_sets import PL_DUE, PL_RECEIVED, _polish_retailer, outbox, sweep
from plaint.complaints.actors import SYSTEM_ACTOR
from plaint.complaints.models import Complaint
from plaint.complaints.notifications import customer_reply_recipients, notify_customer_replied
from plaint.complaints.services.assignment import complaint_assign
from plaint.complaints.services.letters import LetterSpec, letter_record
from plaint.core import clock, references
from plaint.parties.choices import TeamKind
from plaint.parties.models import Membership
from plaint.parties.services import notification_preferences_set
from plaint.testing import builders
from plaint.testing.actors import AGENT, MANAGER, PDF, TEAM_LEADER, Cast


def staff_mail(complaint: Complaint, kind: str) -> list[str]:
    """The addresses a staff notification of ``kind`` about the complaint was queued to."""
    return list(
        OutgoingMessage.objects.filter(thread_reference=complaint.reference, kind=f"staff_{kind}")
        .order_by("pk").values_list("to_address", flat=True)
    )


def switch_off(member: Membership, kind: str) -> None:
    notification_preferences_set(user=member.user, wanted={kind: False})


# ---- assigned to you


def test_a_complaint_assigned_by_someone_else_is_announced_to_its_new_handler(cast: Cast):
    # given the team leader and an agent
    agent = cast.memberships[AGENT]
    # when the team leader assigns customer A's complaint to the agent
    complaint_assign(actor=cast.actor(TEAM_LEADER), complaint=cast.complaint_a, team_id=None,
                     assignee_id=agent.pk)
    # then the agent gets one e-mail, naming the complaint, in their language
    [message] = OutgoingMessage.objects.filter(kind="staff_assigned")
    assert message.to_address == agent.user.email
    assert message.language == agent.user.preferred_language
    assert references.display(cast.complaint_a.reference) in message.subject
    assert cast.complaint_a.subject in message.body


def test_a_handler_who_takes_a_complaint_themselves_gets_no_email(cast: Cast):
    agent = cast.memberships[AGENT]
    complaint_assign(actor=cast.actor(AGENT), complaint=cast.complaint_a, team_id=None,
                     assignee_id=agent.pk)
    assert staff_mail(cast.complaint_a, "assigned") == []


def test_an_integration_or_the_system_assigning_a_complaint_tells_the_handler(cast: Cast):
    agent = cast.memberships[AGENT]
    complaint_assign(actor=SYSTEM_ACTOR, complaint=cast.complaint_a, team_id=None,
                     assignee_id=agent.pk)
    assert staff_mail(cast.complaint_a, "assigned") == [agent.user.email]


def test_a_handler_who_switched_assignments_off_gets_no_email(cast: Cast):
    # given an agent who does not want to hear of assignments
    agent = cast.memberships[AGENT]
    switch_off(agent, "assigned")
    # when the team leader assigns them a complaint
    complaint_assign(actor=cast.actor(TEAM_LEADER), complaint=cast.complaint_a, team_id=None,
                     assignee_id=agent.pk)
    # then nothing is queued for them
    assert staff_mail(cast.complaint_a, "assigned") == []


def test_assigning_the_same_handler_again_or_only_a_team_sends_nothing(cast: Cast):
    agent = cast.memberships[AGENT]
    complaint_assign(actor=SYSTEM_ACTOR, complaint=cast.complaint_a, team_id=None,
                     assignee_id=agent.pk)
    complaint_assign(actor=SYSTEM_ACTOR, complaint=cast.complaint_a, team_id=agent.team_id,
                     assignee_id=agent.pk)
    complaint_assign(actor=SYSTEM_ACTOR, complaint=cast.complaint_b, team_id=agent.team_id,
                     assignee_id=None)
    assert staff_mail(cast.complaint_a, "assigned") == [agent.user.email]
    assert staff_mail(cast.complaint_b, "assigned") == []


# ---- the customer replied


def test_a_reply_goes_to_the_handler(cast: Cast):
    agent = cast.memberships[AGENT]
    complaint_assign(actor=cast.actor(AGENT), complaint=cast.complaint_a, team_id=None,
                     assignee_id=agent.pk)
    notify_customer_replied(cast.complaint_a)
    assert staff_mail(cast.complaint_a, "customer_replied") == [agent.user.email]


def test_a_reply_without_a_handler_goes_to_the_team_leaders_then_to_the_managers(cast: Cast):
    # given a complaint routed to the billing team (with its team leader), and one to no team
    billing = cast.memberships[AGENT].team
    complaint_assign(actor=SYSTEM_ACTOR, complaint=cast.complaint_a, team_id=billing.pk,
                     assignee_id=None)
    # then the team's leader hears of the first, the managers of the second
    assert customer_reply_recipients(cast.complaint_a) == [cast.memberships[TEAM_LEADER]]
    assert customer_reply_recipients(cast.complaint_b) == [cast.memberships[MANAGER]]
    # and a team without a leader falls back to the managers
    technical = builders.team(cast.org1, TeamKind.TECHNICAL)
    complaint_assign(actor=SYSTEM_ACTOR, complaint=cast.complaint_b, team_id=technical.pk,
                     assignee_id=None)
    assert customer_reply_recipients(cast.complaint_b) == [cast.memberships[MANAGER]]


def test_a_handler_who_switched_replies_off_gets_no_email(cast: Cast):
    agent = cast.memberships[AGENT]
    complaint_assign(actor=cast.actor(AGENT), complaint=cast.complaint_a, team_id=None,
                     assignee_id=agent.pk)
    switch_off(agent, "customer_replied")
    notify_customer_replied(cast.complaint_a)
    assert staff_mail(cast.complaint_a, "customer_replied") == []


def test_a_letter_joining_a_complaint_tells_its_handler_unless_they_recorded_it(cast: Cast):
    # given customer A's complaint handled by the agent
    agent = cast.memberships[AGENT]
    complaint_assign(actor=cast.actor(AGENT), complaint=cast.complaint_a, team_id=None,
                     assignee_id=agent.pk)

    def letter(who: str) -> None:
        letter_record(actor=cast.actor(who), complaint=cast.complaint_a, spec=LetterSpec(
            received_at=clock.now(), stream=io.BytesIO(PDF), name="letter.pdf"))

    # when the handler scans a letter in, then the team leader scans another
    letter(AGENT)
    assert staff_mail(cast.complaint_a, "customer_replied") == []
    letter(TEAM_LEADER)
    # then the handler is told once, of the one they did not record
    assert staff_mail(cast.complaint_a, "customer_replied") == [agent.user.email]
    [mail] = OutgoingMessage.objects.filter(kind="staff_customer_replied")
    assert "Letter" in mail.body or "Dopis" in mail.body


# ---- deadlines


@pytest.mark.django_db
@pytest.mark.parametrize("wanted", [True, False])
def test_a_deadline_warning_reaches_a_manager_only_if_they_want_it(wanted):
    # given a Polish consumer complaint whose manager has (or has not) switched warnings off
    setting = _polish_retailer()
    if not wanted:
        switch_off(setting.manager, "clock_at_risk")
    complaint = setting.file(PL_RECEIVED)
    # when the sweep runs at 80 % of the time
    report = sweep(PL_RECEIVED + (PL_DUE - PL_RECEIVED) * 0.8)
    # then the warning is recorded either way, and mailed only to a manager who wants it
    assert report.warned == 1
    assert len(outbox(complaint, "staff_clock_warning")) == (1 if wanted else 0)


@pytest.mark.django_db
def test_a_missed_deadline_is_not_mailed_to_a_manager_who_switched_breaches_off():
    setting = _polish_retailer()
    switch_off(setting.manager, "clock_breached")
    complaint = setting.file(PL_RECEIVED)
    sweep(PL_DUE + timedelta(hours=2))
    assert outbox(complaint, "staff_clock_expired") == []
    assert complaint.clocks.get(key="PL.consumer.reply").state == "breached"
