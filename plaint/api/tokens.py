"""API tokens in the API: an organisation's admins (signed in, or with an admin token) list the
organisation's tokens with their last use, create one (its secret shown only in that answer)
and revoke one. Whether a token is exempt from rate limits is the operator's to say
(``plaint token create --rate-limit-exempt``), never the API's."""

from __future__ import annotations

from typing import Annotated, Literal

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Router, Schema, Status
from pydantic import AwareDatetime, Field, StringConstraints

from plaint.api.auth import principal
from plaint.api.errors import errors
from plaint.core import clock
from plaint.core.exceptions import ValidationFailed
from plaint.parties.access import access_token, access_token_organisation
from plaint.parties.choices import Role, TokenScope
from plaint.parties.models import ApiToken
from plaint.parties.selectors import api_token_list
from plaint.parties.services import api_token_create, api_token_revoke

router = Router(tags=["tokens"])

T = "/organisations/{organisation_id}/tokens"
RoleName = Literal["agent", "team_leader", "complaints_officer", "manager", "org_admin"]


class TokenIn(Schema):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    role: RoleName = "agent"
    scope: Literal["read", "write"] = "write"
    expires_at: AwareDatetime | None = Field(
        default=None, description="When it stops working; never, if left out.")


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="The secret's first characters, to recognise it.")
    role: str
    scope: str
    state: Literal["active", "expired", "revoked"]
    created_at: AwareDatetime
    expires_at: AwareDatetime | None
    revoked_at: AwareDatetime | None
    rate_limit_exempt: bool
    last_used_at: AwareDatetime | None = Field(
        description="Its latest use as last written (uses are written at most once a minute).")
    last_address: str | None
    uses_30_days: int


class TokenWithSecretOut(TokenOut):
    secret: str = Field(description="The token. Shown only now: store it.")


def _state(token: ApiToken) -> str:
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at is not None and token.expires_at <= clock.now():
        return "expired"
    return "active"


def _present(token: ApiToken) -> dict[str, object]:
    return {
        **{f: getattr(token, f) for f in ("id", "name", "prefix", "role", "scope", "created_at",
                                          "expires_at", "revoked_at", "rate_limit_exempt")},
        "state": _state(token),
        "last_used_at": getattr(token, "last_used_at", None),
        "last_address": getattr(token, "last_address", None),
        "uses_30_days": getattr(token, "uses_30_days", 0),
    }


@router.get(T, response={200: list[TokenOut], **errors(403, 404)}, summary="List API tokens")
def list_tokens(request: HttpRequest, organisation_id: int):  # type: ignore[no-untyped-def]
    """Every token of the organisation, newest first, revoked and expired ones too, with when
    and from which address it was last used and how often in the last 30 days."""
    organisation = access_token_organisation(principal=principal(request),
                                             organisation_id=organisation_id)
    return [_present(t) for t in api_token_list(organisation=organisation)]


@router.post(T, response={201: TokenWithSecretOut, **errors(403, 404)},
             summary="Create an API token")
def create_token(request: HttpRequest, organisation_id: int, payload: TokenIn):  # type: ignore[no-untyped-def]
    """The answer holds the token's secret, which is never shown again (Plaint keeps only its
    SHA-256): create another and revoke this one if it is lost."""
    who = principal(request)
    organisation = access_token_organisation(principal=who, organisation_id=organisation_id)
    if payload.expires_at is not None and payload.expires_at <= clock.now():
        message = gettext("The expiry must be in the future.")
        raise ValidationFailed("expiry_in_past", message, fields={"expires_at": [message]})
    token, secret = api_token_create(
        organisation=organisation, name=payload.name, role=Role(payload.role),
        scope=TokenScope(payload.scope), created_by=who.user, created_by_token=who.token,
        expires_at=payload.expires_at)
    return Status(201, {**_present(token), "secret": secret})


@router.post(T + "/{token_id}/revocation", response={200: TokenOut, **errors(403, 404)},
             summary="Revoke an API token")
def revoke_token(request: HttpRequest, organisation_id: int, token_id: int):  # type: ignore[no-untyped-def]
    """From now on the token is refused (401 ``token_revoked``). Revoking it again changes
    nothing. A token may revoke itself."""
    who = principal(request)
    token = access_token(principal=who, organisation_id=organisation_id, token_id=token_id)
    token = api_token_revoke(token=token, by=who.user or who.token)
    return _present(token)
