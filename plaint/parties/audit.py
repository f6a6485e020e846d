"""Writing the organisation's set-up log (``AdminEvent``).

Every service that changes how an organisation handles complaints (its staff and roles, teams,
hours, closing days, categories, public details, mailboxes, API tokens) calls
``admin_event_record`` inside its own transaction, so that the change and its record commit or
roll back together: there is no change without its line in the log, and no line without its
change.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from plaint.core import clock
from plaint.parties.models import AdminEvent, AdminEventKind, ApiToken, Membership, Organisation, User


def admin_event_record(
    *,
    organisation: Organisation,
    kind: AdminEventKind,
    subject: models.Model | None,
    by: Membership | User | ApiToken | None,
    label: str = "",
    subject_user: User | None = None,
    data: dict[str, Any] | None = None,
) -> AdminEvent:
    """Record one change. ``by`` is the acting admin's membership or user, the token of an
    integration, or None for the operator's command line; ``label`` names the subject when it
    is not a person (a team, a category, a token) and must never hold personal data."""
    by_user = by.user if isinstance(by, Membership) else by if isinstance(by, User) else None
    by_token = by if isinstance(by, ApiToken) else None
    return AdminEvent.objects.create(
        organisation=organisation,
        at=clock.now(),
        kind=kind,
        by_user=by_user,
        by_token=by_token,
        subject_type=subject._meta.model_name if subject is not None else "organisation",
        subject_id=subject.pk if subject is not None else organisation.pk,
        subject_label=label[:200],
        subject_user=subject_user,
        data=data or {},
    )


def changed_fields(before: dict[str, Any], after: models.Model) -> list[str]:
    """The names of the fields whose value differs from ``before`` (taken before the change)."""
    return sorted(name for name, value in before.items() if getattr(after, name) != value)
