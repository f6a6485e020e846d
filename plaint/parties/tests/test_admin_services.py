"""The organisation admins' services refuse anyone but an active admin of that organisation,
and change nothing when they refuse."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.db import transaction

from plaint.channels.models import Mailbox
from plaint.channels.services.mailboxes import MailboxSpec, mailbox_add
from plaint.clocks.closing_days import closing_day_add
from plaint.clocks.models import ClosingDay
from plaint.core.exceptions import PermissionDenied, ValidationFailed
from plaint.parties import admin_services
from plaint.parties.admin_services import MemberSpec
from plaint.parties.choices import Role, TeamKind
from plaint.parties.models import Category, Membership, Team
from plaint.testing import builders

pytestmark = pytest.mark.django_db


def _writes(by, org):  # type: ignore[no-untyped-def]
    """One call of each service, made by ``by`` on ``org``."""
    return {
        "team": lambda: admin_services.team_create(by=by, organisation=org, name="New", kind=TeamKind.OTHER),
        "member": lambda: admin_services.membership_add(
            by=by, organisation=org, email="x@example.test", full_name="X", spec=MemberSpec(role="agent")
        ),
        "hours": lambda: admin_services.organisation_hours_set(
            by=by, organisation=org, hours=[(time(8), time(16))] * 7
        ),
        "category": lambda: admin_services.category_create(by=by, organisation=org, code="new", name="New"),
        "closing day": lambda: closing_day_add(by=by, organisation=org, day=date(2031, 1, 2)),
        "mailbox": lambda: mailbox_add(
            by=by, organisation=org, address="new@example.test", spec=MailboxSpec()
        ),
    }


@pytest.mark.parametrize("who", ["manager", "other org admin", "inactive admin"])
def test_only_an_active_admin_of_the_organisation_may_change_it(who):
    # given an organisation and someone who is not its active admin
    org = builders.organisation()
    by = {
        "manager": lambda: builders.staff(org, Role.MANAGER),
        "other org admin": lambda: builders.staff(builders.organisation(), Role.ORG_ADMIN),
        "inactive admin": lambda: builders.staff(org, Role.ORG_ADMIN, is_active=False),
    }[who]()
    hours_before = list(org.working_hours)
    not_refused = []
    for name, write in _writes(by, org).items():
        # when they call each service
        try:
            with transaction.atomic():
                write()
        except PermissionDenied:
            continue
        not_refused.append(name)
    # then each is refused
    assert not_refused == []
    # and nothing was written
    org.refresh_from_db()
    assert org.working_hours == hours_before
    assert not Team.objects.filter(organisation=org).exists()
    assert not Category.objects.filter(organisation=org).exists()
    assert not ClosingDay.objects.filter(organisation=org).exists()
    assert not Mailbox.objects.filter(organisation=org).exists()
    assert not Membership.objects.filter(organisation=org, user__email="x@example.test").exists()


def test_an_admin_may_make_each_change():
    org = builders.organisation()
    admin = builders.staff(org, Role.ORG_ADMIN)
    for write in _writes(admin, org).values():
        write()
    assert Team.objects.filter(organisation=org, name="New").exists()
    assert org.working_hours == [["08:00", "16:00"]] * 7


def test_a_member_cannot_be_put_in_another_organisations_team():
    org, other = builders.organisation(), builders.organisation()
    admin = builders.staff(org, Role.ORG_ADMIN)
    foreign = builders.team(other, TeamKind.BILLING)
    with pytest.raises(ValidationFailed) as refused, transaction.atomic():
        admin_services.membership_add(
            by=admin,
            organisation=org,
            email="y@example.test",
            full_name="Y",
            spec=MemberSpec(role="agent", team=foreign),
        )
    assert "team" in refused.value.fields


def test_an_organisation_closed_every_day_is_refused():
    org = builders.organisation()
    admin = builders.staff(org, Role.ORG_ADMIN)
    with pytest.raises(ValidationFailed), transaction.atomic():
        admin_services.organisation_hours_set(by=admin, organisation=org, hours=[None] * 7)
