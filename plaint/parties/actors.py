"""Who is calling: a signed-in user, an integration's API token, or the system itself.

A ``Principal`` is resolved once per request by the adapter. How the principal
stands towards one complaint (its customer, staff of its organisation with a
role, or nothing) is decided by the access functions of each domain.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from plaint.parties.choices import Role

if TYPE_CHECKING:
    from plaint.parties.models import ApiToken, Membership, User


class ActorKind(models.TextChoices):
    """Who did something, as recorded on events and records."""

    CUSTOMER = "customer", _("Customer")
    STAFF = "staff", _("Staff")
    INTEGRATION = "integration", _("Integration")
    SYSTEM = "system", _("System")


@dataclass(eq=False)
class Principal:
    """The caller of a service: at most one of ``user`` and ``token``; neither for
    an anonymous caller; ``is_system`` for Plaint's own tasks."""

    user: User | None = None
    token: ApiToken | None = None
    is_system: bool = False
    _cache: dict[str, object] = field(default_factory=dict, repr=False)

    @property
    def is_anonymous(self) -> bool:
        return self.user is None and self.token is None and not self.is_system

    @cached_property
    def memberships(self) -> dict[int, Membership]:
        """The user's active memberships by organisation id (one query, cached)."""
        if self.user is None:
            return {}
        from plaint.parties.models import Membership

        rows = Membership.objects.filter(user=self.user, is_active=True).select_related("team")
        return {m.organisation_id: m for m in rows}

    def staff_role(self, organisation_id: int) -> Role | None:
        """The role the principal holds in the organisation, or None."""
        if self.token is not None:
            return Role(self.token.role) if self.token.organisation_id == organisation_id else None
        membership = self.memberships.get(organisation_id)
        return Role(membership.role) if membership else None

    def staff_organisation_ids(self) -> list[int]:
        if self.token is not None:
            return [self.token.organisation_id]
        return list(self.memberships)

    @property
    def staff_actor_kind(self) -> ActorKind:
        return ActorKind.INTEGRATION if self.token is not None else ActorKind.STAFF


SYSTEM = Principal(is_system=True)
ANONYMOUS = Principal()
