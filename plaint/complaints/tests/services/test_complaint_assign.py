"""Routing a complaint to a team and a staff member of its organisation."""

from __future__ import annotations

import pytest

from plaint.complaints.choices import EventKind, Visibility
from plaint.complaints.selectors import complaint_timeline
from plaint.complaints.services.assignment import complaint_assign
from plaint.complaints.tests.helpers import (
    NOW,
    assert_recorded_by,
    last_event_id,
    load,
    only_new_event,
    refused,
)
from plaint.core import clock
from plaint.core.exceptions import ValidationFailed
from plaint.parties.choices import Role, TeamKind
from plaint.testing import builders
from plaint.testing.actors import AGENT, CUSTOMER_A, ORG_ADMIN, OTHER_ORG_AGENT, TEAM_LEADER


def _assign(cast, team_id=None, assignee_id=None, who=TEAM_LEADER, complaint=None):
    return complaint_assign(actor=cast.actor(who), complaint=load((complaint or cast.complaint_a).pk),
                            team_id=team_id, assignee_id=assignee_id)


def test_a_complaint_is_assigned_to_a_team_and_a_member_with_one_internal_event(cast):
    # given
    technical = builders.team(cast.org1, TeamKind.TECHNICAL)
    agent = cast.memberships[AGENT]
    after = last_event_id()
    # when
    with clock.frozen_at(NOW):
        _assign(cast, team_id=technical.pk, assignee_id=agent.pk)
    # then
    stored = load(cast.complaint_a.pk)
    assert (stored.team, stored.assignee, stored.updated_at) == (technical, agent, NOW)
    event = only_new_event(after)
    assert (event.kind, event.visibility) == (EventKind.ASSIGNED, Visibility.INTERNAL)
    assert event.data == {"team_from": None, "team_to": technical.pk,
                          "assignee_from": None, "assignee_to": agent.pk}
    assert_recorded_by(event, cast.actor(TEAM_LEADER))


def test_an_assignee_without_a_team_named_brings_their_own_team(cast):
    agent = cast.memberships[AGENT]
    _assign(cast, assignee_id=agent.pk)
    assert load(cast.complaint_a.pk).team_id == agent.team_id is not None


def test_a_complaint_can_be_given_back_to_nobody(cast):
    # given an assigned complaint
    agent = cast.memberships[AGENT]
    _assign(cast, assignee_id=agent.pk)
    after = last_event_id()
    # when
    _assign(cast)
    # then
    stored = load(cast.complaint_a.pk)
    assert (stored.team, stored.assignee) == (None, None)
    assert only_new_event(after).data == {"team_from": agent.team_id, "team_to": None,
                                          "assignee_from": agent.pk, "assignee_to": None}


def test_another_organisations_team_is_refused(cast):
    foreign = builders.team(cast.org2, TeamKind.BILLING)
    with refused(ValidationFailed, "invalid_assignee") as refusal:
        _assign(cast, team_id=foreign.pk)
    assert list(refusal.value.fields) == ["team_id"]


@pytest.mark.parametrize("who", [OTHER_ORG_AGENT, ORG_ADMIN])
def test_another_organisations_staff_or_an_organisation_admin_cannot_be_the_assignee(cast, who):
    with refused(ValidationFailed, "invalid_assignee") as refusal:
        _assign(cast, assignee_id=cast.memberships[who].pk)
    assert list(refusal.value.fields) == ["assignee_id"]


def test_a_former_member_cannot_be_the_assignee(cast):
    former = builders.staff(cast.org1, Role.AGENT, is_active=False)
    with refused(ValidationFailed, "invalid_assignee"):
        _assign(cast, assignee_id=former.pk)


def test_an_unknown_assignee_is_refused(cast):
    with refused(ValidationFailed, "invalid_assignee"):
        _assign(cast, assignee_id=10**9)


def test_the_customer_does_not_see_the_assignment_on_their_timeline(cast):
    _assign(cast, assignee_id=cast.memberships[AGENT].pk)
    kinds = [e.kind for e in complaint_timeline(complaint=load(cast.complaint_a.pk),
                                                actor=cast.actor(CUSTOMER_A))]
    assert EventKind.ASSIGNED not in kinds
