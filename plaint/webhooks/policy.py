"""Who may manage an organisation's webhooks: its organisation admins (people, or API tokens
given the admin role), and Plaint itself. A webhook sends the organisation's events to any
system its holder names, so it is an admin's decision, like the organisation's settings."""

from __future__ import annotations

from django.utils.translation import gettext

from plaint.complaints.actors import Actor
from plaint.complaints.policy import Who
from plaint.core.exceptions import PermissionDenied
from plaint.webhooks.error_codes import WebhookErrorCode


def authorise(actor: Actor, organisation_id: int) -> None:
    """Refuse unless the actor is Plaint itself or an admin of the organisation."""
    if actor.is_system:
        return
    if actor.organisation_id != organisation_id or actor.who != Who.ORG_ADMIN:
        raise PermissionDenied(WebhookErrorCode.NOT_PERMITTED,
                               gettext("Only the organisation's admins manage its webhooks."))
