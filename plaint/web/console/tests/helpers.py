"""A small organisation for the console's tests: a team of two agents, an agent of another team,
a manager, and an organisation next door that must never show through."""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client

from plaint.complaints.actors import Actor, staff_actor
from plaint.complaints.models import Complaint
from plaint.complaints.services.assignment import complaint_assign
from plaint.parties.actors import Principal
from plaint.parties.choices import Role, TeamKind
from plaint.parties.models import Membership, Organisation
from plaint.testing import builders
from plaint.testing.auth import force_login


@dataclass
class Desk:
    org: Organisation
    other_org: Organisation
    me: Membership
    mate: Membership
    elsewhere: Membership
    manager: Membership

    def client(self, member: Membership | None = None) -> Client:
        client = Client()
        force_login(client, (member or self.me).user)
        return client

    def actor(self, member: Membership) -> Actor:
        actor = staff_actor(Principal(user=member.user), member.organisation_id)
        assert actor is not None
        return actor

    def complaint(self, *, to: Membership | None = None, **draft: object) -> Complaint:
        """A complaint of a new customer, assigned by the manager to ``to``."""
        fields = {k: draft.pop(k) for k in ("full_name", "email", "phone") if k in draft}
        complaint = builders.complaint(builders.customer(self.org, **fields), **draft)
        if to is not None:
            complaint_assign(actor=self.actor(self.manager), complaint=complaint, team_id=None,
                             assignee_id=to.pk)
        return Complaint.objects.get(pk=complaint.pk)


def desk() -> Desk:
    org = builders.organisation(name="Rychlonet s.r.o.")
    billing = builders.team(org, TeamKind.BILLING)
    technical = builders.team(org, TeamKind.TECHNICAL, name="Technical")
    other_org = builders.organisation(name="Telefonia Polska", country="PL", time_zone="Europe/Warsaw")
    return Desk(
        org=org, other_org=other_org,
        me=builders.staff(org, Role.AGENT, team=billing, full_name="Alice Agent"),
        mate=builders.staff(org, Role.AGENT, team=billing, full_name="Bob Mate"),
        elsewhere=builders.staff(org, Role.AGENT, team=technical, full_name="Carol Elsewhere"),
        manager=builders.staff(org, Role.MANAGER, full_name="Dana Manager"),
    )
