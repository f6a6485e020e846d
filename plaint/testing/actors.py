"""The canonical set of actors that every permission suite uses.

``cast`` builds two organisations and, in the first, customer A and customer B
and one staff member of every role; an agent of the second organisation; a
platform admin; and an API token of organisation 1. Customer A has a complaint
with an internal note, an internal interaction and an internal evidence file
beside customer-visible ones, so that suites can check nothing internal leaks.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from plaint.complaints.actors import SYSTEM_ACTOR, Actor, staff_actor
from plaint.complaints.models import Complaint
from plaint.complaints.services.evidence import evidence_add
from plaint.complaints.services.records import InteractionSpec, interaction_log, message_add
from plaint.core import clock
from plaint.parties.actors import Principal
from plaint.parties.choices import Role, Sector, TeamKind
from plaint.parties.models import Customer, Membership, Organisation, User
from plaint.parties.services import api_token_create
from plaint.testing import builders
from plaint.testing.auth import force_login

ANONYMOUS = "anonymous"
CUSTOMER_A = "customer_a"
CUSTOMER_B = "customer_b"
AGENT = "agent"
TEAM_LEADER = "team_leader"
COMPLAINTS_OFFICER = "complaints_officer"
MANAGER = "manager"
ORG_ADMIN = "org_admin"
OTHER_ORG_AGENT = "other_org_agent"
PLATFORM_ADMIN = "platform_admin"
TOKEN = "token"  # noqa: S105 - the name of an actor, not a secret

STAFF_ROLES = {
    AGENT: Role.AGENT,
    TEAM_LEADER: Role.TEAM_LEADER,
    COMPLAINTS_OFFICER: Role.COMPLAINTS_OFFICER,
    MANAGER: Role.MANAGER,
    ORG_ADMIN: Role.ORG_ADMIN,
}
ALL_ACTORS = [
    ANONYMOUS, CUSTOMER_A, CUSTOMER_B, *STAFF_ROLES, OTHER_ORG_AGENT, PLATFORM_ADMIN, TOKEN,
]
#: Actors who see organisation 1's complaints as staff.
ORG1_STAFF = [*STAFF_ROLES, TOKEN]

INTERNAL_MARK = "INTERNAL-ONLY-7f3a"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Cast:
    org1: Organisation
    org2: Organisation
    users: dict[str, User]
    memberships: dict[str, Membership]
    customers: dict[str, Customer]
    token_secret: str
    complaint_a: Complaint
    complaint_b: Complaint
    complaint_other_org: Complaint
    extra: dict[str, Any] = field(default_factory=dict)

    def client(self, who: str) -> Client:
        """A test client signed in as ``who`` (or carrying the API token)."""
        if who == TOKEN:
            return Client(headers={"Authorization": f"Bearer {self.token_secret}"})
        client = Client()
        if who != ANONYMOUS:
            force_login(client, self.users[who])  # with the second factor a manager owes
        return client

    def actor(self, who: str) -> Actor:
        """The domain actor for ``who`` towards organisation 1."""
        if who in (CUSTOMER_A, CUSTOMER_B):
            from plaint.complaints.actors import customer_actor

            return customer_actor(Principal(user=self.users[who]), self.org1.pk)
        if who == "system":
            return SYSTEM_ACTOR
        actor = staff_actor(Principal(user=self.users[who]), self.org1.pk)
        assert actor is not None, who
        return actor


def build_cast() -> Cast:
    org1 = builders.organisation(name="Rychlonet s.r.o.", country="CZ", sector=Sector.INTERNET)
    org2 = builders.organisation(
        name="Telefonia Polska", country="PL", sector=Sector.TELECOM,
        time_zone="Europe/Warsaw", languages=["pl"], default_language="pl",
    )
    billing = builders.team(org1, TeamKind.BILLING)
    memberships = {
        name: builders.staff(org1, role, team=billing if role != Role.ORG_ADMIN else None)
        for name, role in STAFF_ROLES.items()
    }
    memberships[OTHER_ORG_AGENT] = builders.staff(org2, Role.AGENT)
    customers = {CUSTOMER_A: builders.customer(org1), CUSTOMER_B: builders.customer(org1)}
    admin = User.objects.create_superuser("root@plaint.test", "pw", full_name="Platform Admin")
    users: dict[str, User] = {name: m.user for name, m in memberships.items()}
    users.update({name: c.user for name, c in customers.items()})  # type: ignore[misc]
    users[PLATFORM_ADMIN] = admin
    _, secret = api_token_create(organisation=org1, name="CRM", role=Role.AGENT)

    complaint_a = builders.complaint(customers[CUSTOMER_A])
    complaint_b = builders.complaint(customers[CUSTOMER_B], subject="Router never arrived")
    other_customer = builders.customer(org2)
    complaint_other = builders.complaint(other_customer, subject="Roaming charges", demands=False)

    agent = staff_actor(Principal(user=users[AGENT]), org1.pk)
    assert agent is not None
    message_add(actor=agent, complaint=complaint_a, body=f"Note {INTERNAL_MARK}", internal=True)
    message_add(actor=agent, complaint=complaint_a, body="We are looking into it.")
    interaction_log(actor=agent, complaint=complaint_a, spec=InteractionSpec(
        channel="phone", direction="outbound",
        started_at=clock.now() - timedelta(minutes=30), duration_seconds=120,
        notes=f"Call {INTERNAL_MARK}", visibility="internal",
    ))
    interaction_log(actor=agent, complaint=complaint_a, spec=InteractionSpec(
        channel="phone", direction="inbound",
        started_at=clock.now() - timedelta(minutes=20), duration_seconds=300,
        notes="Customer called about the invoice.",
    ))
    evidence_add(actor=agent, complaint=complaint_a, stream=io.BytesIO(PDF),
                 name=f"{INTERNAL_MARK}.pdf", internal=True)
    return Cast(
        org1=org1, org2=org2, users=users, memberships=memberships, customers=customers,
        token_secret=secret, complaint_a=complaint_a, complaint_b=complaint_b,
        complaint_other_org=complaint_other,
    )


@pytest.fixture
def cast(db: None, settings: Any, tmp_path: Any) -> Cast:
    settings.MEDIA_ROOT = tmp_path / "files"
    return build_cast()
