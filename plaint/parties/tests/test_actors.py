"""The principal: who is calling, and which roles they hold where."""

from __future__ import annotations

from plaint.parties.actors import ANONYMOUS, SYSTEM, ActorKind, Principal
from plaint.parties.choices import Role
from plaint.parties.models import Membership
from plaint.parties.services import api_token_create
from plaint.testing import builders


def test_anonymous_system_user_and_token_principals_are_told_apart(db):
    organisation = builders.organisation()
    token, _ = api_token_create(organisation=organisation, name="CRM")
    assert ANONYMOUS.is_anonymous
    assert not SYSTEM.is_anonymous
    assert not Principal(user=builders.user()).is_anonymous
    assert not Principal(token=token).is_anonymous


def test_a_user_holds_the_roles_of_their_active_memberships_only(db, django_assert_num_queries):
    # given a manager of one organisation, formerly an agent of another
    first, second, third = (builders.organisation() for _ in range(3))
    manager = builders.staff(first, Role.MANAGER)
    Membership.objects.create(user=manager.user, organisation=second, role=Role.AGENT,
                              is_active=False)
    principal = Principal(user=manager.user)
    # when / then (the memberships are read once)
    with django_assert_num_queries(1):
        roles = [principal.staff_role(org.pk) for org in (first, second, third)]
        organisations = principal.staff_organisation_ids()
    assert roles == [Role.MANAGER, None, None]
    assert organisations == [first.pk]
    assert principal.staff_actor_kind == ActorKind.STAFF


def test_a_token_holds_its_role_in_its_own_organisation_only(db, django_assert_num_queries):
    organisation, other = builders.organisation(), builders.organisation()
    token, _ = api_token_create(organisation=organisation, name="CRM", role=Role.TEAM_LEADER)
    principal = Principal(token=token)
    with django_assert_num_queries(0):
        assert principal.staff_role(organisation.pk) is Role.TEAM_LEADER
        assert principal.staff_role(other.pk) is None
        assert principal.staff_organisation_ids() == [organisation.pk]
    assert principal.staff_actor_kind == ActorKind.INTEGRATION


def test_nobody_and_the_system_hold_no_staff_role(db):
    organisation = builders.organisation()
    for principal in (ANONYMOUS, SYSTEM):
        assert principal.staff_role(organisation.pk) is None
        assert principal.staff_organisation_ids() == []
        assert principal.memberships == {}
