"""How a principal stands towards one organisation's complaints: the ``Actor``.

Services take an ``Actor``; the access functions build it. The actor's ``who``
is the role the policy table knows (``customer`` or a staff role); the system
has none and is limited by the lifecycle alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from plaint.complaints.policy import Who
from plaint.parties.actors import SYSTEM, ActorKind, Principal

if TYPE_CHECKING:
    from plaint.parties.models import ApiToken, Membership, User


@dataclass(frozen=True)
class Actor:
    principal: Principal
    kind: ActorKind
    who: Who | None
    organisation_id: int | None
    membership: Membership | None = None

    @property
    def user(self) -> User | None:
        return self.principal.user

    @property
    def token(self) -> ApiToken | None:
        return self.principal.token

    @property
    def is_customer(self) -> bool:
        return self.kind == ActorKind.CUSTOMER

    @property
    def is_system(self) -> bool:
        return self.kind == ActorKind.SYSTEM


SYSTEM_ACTOR = Actor(principal=SYSTEM, kind=ActorKind.SYSTEM, who=None, organisation_id=None)


def staff_actor(principal: Principal, organisation_id: int) -> Actor | None:
    """The principal as staff of the organisation, or None if they are not."""
    role = principal.staff_role(organisation_id)
    if role is None:
        return None
    return Actor(
        principal=principal,
        kind=principal.staff_actor_kind,
        who=Who(role.value),
        organisation_id=organisation_id,
        membership=principal.memberships.get(organisation_id) if principal.user else None,
    )


def customer_actor(principal: Principal, organisation_id: int) -> Actor:
    return Actor(
        principal=principal,
        kind=ActorKind.CUSTOMER,
        who=Who.CUSTOMER,
        organisation_id=organisation_id,
    )
