"""The one API object; routers are mounted here."""

from __future__ import annotations

from ninja import NinjaAPI

from plaint.api import (
    cancellations,
    complaints,
    correspondence,
    deadlines,
    incoming,
    me,
    privacy,
    tokens,
    webhooks,
)
from plaint.api.auth import BearerTokenAuth, SessionPrincipalAuth
from plaint.api.errors import install

api = NinjaAPI(
    title="Plaint API",
    version="1",
    description=(
        "Complaint handling and escalation. Authenticate with `Authorization: Bearer <token>` "
        "(an organisation's API token) or a signed-in session. Errors are "
        '`{"code", "message", "fields"}`.'
    ),
    auth=[BearerTokenAuth(), SessionPrincipalAuth()],
    urls_namespace="api-v1",
)
install(api)
api.add_router("/", complaints.router)
api.add_router("/", cancellations.router)
api.add_router("/", deadlines.router)
api.add_router("/", correspondence.router)
api.add_router("/", me.router)
api.add_router("/", webhooks.router)
api.add_router("/", incoming.router)
api.add_router("/", tokens.router)
api.add_router("/", privacy.router)
