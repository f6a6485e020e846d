"""Who may open an organisation's console and managers' pages: the one place a page turns the
organisation's slug in its URL and the signed-in person into an organisation and an ``Actor``.

Every staff page is scoped to one organisation named in its URL (``/console/<org>/…``,
``/manage/<org>/…``), so that a person who works for two providers always knows whose complaints
they are looking at. An unknown organisation is 404; one the person does not work for (or not in
a role the page allows) is 403; a visitor who is not signed in is sent to sign in.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from plaint.complaints.actors import Actor, staff_actor
from plaint.parties.actors import Principal
from plaint.parties.choices import Role
from plaint.parties.models import Organisation

MANAGERS = (Role.MANAGER, Role.ORG_ADMIN)


@dataclass(frozen=True)
class Staff:
    """The organisation a staff page is about and the signed-in person as its staff."""

    organisation: Organisation
    actor: Actor

    @property
    def role(self) -> Role:
        return Role(self.actor.who.value)  # type: ignore[union-attr]


def staff_access(request: HttpRequest, slug: str, *, roles: Collection[Role] | None = None) -> Staff:
    """The ``Staff`` for this request, or 404/403 (see the module's docstring)."""
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise Http404
    actor = staff_actor(Principal(user=request.user), organisation.pk)  # type: ignore[arg-type]
    if actor is None:
        raise PermissionDenied
    staff = Staff(organisation=organisation, actor=actor)
    if roles is not None and staff.role not in roles:
        raise PermissionDenied
    return staff


def staff_page(*, roles: Collection[Role] | None = None) -> Callable:
    """Decorate a view ``view(request, staff, **kwargs)`` reached at a URL with ``<slug:org>``:
    sign-in required, the organisation and role checked, the organisation's time zone active."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, org: str, **kwargs: Any) -> HttpResponse:
            staff = staff_access(request, org, roles=roles)
            with timezone.override(staff.organisation.time_zone):
                return view(request, staff, **kwargs)

        return wrapper

    return decorate
