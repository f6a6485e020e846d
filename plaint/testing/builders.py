"""Builders for test data. They go through the services where a service exists,
so that tests start from states the product can really reach."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from itertools import count
from typing import Any

from plaint.complaints.actors import SYSTEM_ACTOR, Actor, customer_actor
from plaint.complaints.lifecycle import Action, State
from plaint.complaints.models import Complaint, Decision
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


def escalate_to(complaint_: Complaint, level: int, *, actor: Actor = SYSTEM_ACTOR,
                reason: str = "escalated for the test") -> Complaint:
    """Escalate a complaint one level at a time until it reaches ``level``."""
    from plaint.complaints.services.escalation import complaint_escalate

    while complaint_.level < level:
        complaint_escalate(actor=actor, complaint=complaint_, reason=reason)
    return complaint_


def decide(complaint_: Complaint, *, actor: Actor = SYSTEM_ACTOR, outcome: str = "upheld",
           reasoning: str = "The invoice shows the double charge.", **spec: Any) -> Decision:
    """Record a decision on a complaint whose demands are recorded."""
    from plaint.complaints.services.decisions import DecisionSpec, complaint_decide

    return complaint_decide(actor=actor, complaint=complaint_,
                            spec=DecisionSpec(outcome=outcome, reasoning=reasoning, **spec))


def _final_response(complaint_: Complaint, actor: Actor) -> None:
    from plaint.complaints.services.decisions import complaint_final_response_issue

    complaint_final_response_issue(actor=actor, complaint=complaint_, text="Our final response.",
                                   external_body="The ombudsman")


def _refer(complaint_: Complaint, actor: Actor) -> None:
    from plaint.complaints.services.decisions import complaint_refer

    complaint_refer(actor=actor, complaint=complaint_, body="The ombudsman")


def _record_external_outcome(complaint_: Complaint, actor: Actor) -> None:
    from plaint.complaints.services.decisions import complaint_external_outcome_record

    complaint_external_outcome_record(actor=actor, complaint=complaint_,
                                      outcome_text="The ombudsman upheld it.")


def _decide(complaint_: Complaint, actor: Actor) -> None:
    decide(complaint_, actor=actor)


_A = Action
#: How a new complaint reaches each state: generic actions, or steps with data of their own.
_PATHS: dict[State, tuple[Any, ...]] = {
    State.RECEIVED: (),
    State.ACKNOWLEDGED: (_A.ACKNOWLEDGE,),
    State.INVESTIGATING: (_A.ACKNOWLEDGE, _A.START_INVESTIGATION),
    State.AWAITING_CUSTOMER: (_A.ACKNOWLEDGE, _A.REQUEST_INFORMATION),
    State.DECIDED: (_A.ACKNOWLEDGE, _A.START_INVESTIGATION, _decide),
    State.FINAL_RESPONSE_ISSUED: (_A.ACKNOWLEDGE, _A.START_INVESTIGATION, _decide, _final_response),
    State.REFERRED_EXTERNALLY: (
        _A.ACKNOWLEDGE, _A.START_INVESTIGATION, _decide, _final_response, _refer,
    ),
    State.EXTERNALLY_RESOLVED: (
        _A.ACKNOWLEDGE, _A.START_INVESTIGATION, _decide, _final_response, _refer,
        _record_external_outcome,
    ),
    State.CLOSED: (_A.ACKNOWLEDGE, _A.START_INVESTIGATION, _decide, _A.CLOSE),
    State.REOPENED: (_A.ACKNOWLEDGE, _A.START_INVESTIGATION, _decide, _A.CLOSE, _A.REOPEN),
    State.WITHDRAWN: (_A.ACKNOWLEDGE, _A.WITHDRAW),
}


def reach(complaint_: Complaint, state: State, *, level: int = 1,
          actor: Actor = SYSTEM_ACTOR) -> Complaint:
    """Bring a new complaint (demands recorded) to ``level``, then to ``state``, through the
    services, as the system unless an actor is given."""
    escalate_to(complaint_, level, actor=actor)
    for step in _PATHS[state]:
        if isinstance(step, Action):
            move(complaint_, step, actor=actor)
        else:
            step(complaint_, actor)
    return complaint_
