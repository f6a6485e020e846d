"""Builders for test data. They go through the services where a service exists,
so that tests start from states the product can really reach."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from itertools import count
from typing import Any

from plaint.complaints.actors import SYSTEM_ACTOR, Actor, customer_actor
from plaint.complaints.lifecycle import Action
from plaint.complaints.models import Complaint
from plaint.complaints.services.demands import DemandSpec
from plaint.complaints.services.intake import ComplaintDraft, complaint_create
from plaint.complaints.services.transitions import complaint_transition
from plaint.parties.actors import Principal
from plaint.parties.choices import Role, Sector, TeamKind
from plaint.parties.models import Customer, Membership, Organisation, Team, User

_serial = count(1)


def organisation(**fields: Any) -> Organisation:
    n = next(_serial)
    defaults: dict[str, Any] = {
        "name": f"Provider {n}",
        "slug": f"provider-{n}",
        "country": "CZ",
        "sector": Sector.INTERNET,
        "time_zone": "Europe/Prague",
        "languages": ["cs", "en"],
        "default_language": "cs",
        "complaint_email": f"complaints{n}@provider.test",
    }
    return Organisation.objects.create(**{**defaults, **fields})


def team(org: Organisation, kind: str = TeamKind.BILLING, name: str | None = None) -> Team:
    return Team.objects.create(organisation=org, kind=kind, name=name or kind.title())


def user(**fields: Any) -> User:
    n = next(_serial)
    email = fields.pop("email", f"person{n}@example.test")
    return User.objects.create_user(email, "pw-not-secret", full_name=fields.pop(
        "full_name", f"Person {n}"), **fields)


def staff(org: Organisation, role: Role, **fields: Any) -> Membership:
    person = user(full_name=fields.pop("full_name", f"{role.label} of {org.name}"))
    return Membership.objects.create(
        user=person, organisation=org, role=role,
        position=fields.pop("position", str(role.label)),
        location=fields.pop("location", "Prague"), **fields,
    )


def customer(org: Organisation, *, with_user: bool = True, **fields: Any) -> Customer:
    person = user() if with_user else None
    defaults: dict[str, Any] = {
        "full_name": person.full_name if person else "Walk-in Customer",
        "email": person.email if person else f"walkin{next(_serial)}@example.test",
        "preferred_language": "en",
    }
    return Customer.objects.create(organisation=org, user=person, **{**defaults, **fields})


def complaint(
    cust: Customer,
    *,
    actor: Actor | None = None,
    demands: list[DemandSpec] | None | bool = True,
    **draft: Any,
) -> Complaint:
    """A new complaint of ``cust``, filed by the customer unless an actor is given."""
    if demands is True:
        demands = [DemandSpec(kind="refund", amount=Decimal("25.00"), currency="CZK")]
    elif demands is False:
        demands = None
    filer = actor or customer_actor(Principal(user=cust.user), cust.organisation_id)
    created, _ = complaint_create(
        actor=filer,
        organisation=cust.organisation,
        customer=cust,
        draft=ComplaintDraft(
            channel=draft.pop("channel", "web"),
            subject=draft.pop("subject", "Charged twice for October"),
            description=draft.pop("description", "The October invoice was charged twice."),
            demands=demands,  # type: ignore[arg-type]
            **draft,
        ),
    )
    return created


def move(complaint_: Complaint, *actions: Action, actor: Actor = SYSTEM_ACTOR,
         reason: str = "because") -> Complaint:
    """Walk a complaint through generic transitions as the system."""
    for action in actions:
        complaint_transition(actor=actor, complaint=complaint_, action=action, reason=reason)
    return complaint_


HOUR = timedelta(hours=1)
