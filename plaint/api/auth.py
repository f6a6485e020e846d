"""Who is calling the API: an integration's bearer token, or a browser session.

Both resolve to a ``Principal``, which endpoints find in ``request.auth``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja.security import HttpBearer, SessionAuth

from plaint.core import clock
from plaint.core.exceptions import ApplicationError, ErrorCode, PermissionDenied
from plaint.core.ratelimit import client_address
from plaint.parties.actors import Principal
from plaint.parties.choices import TokenScope
from plaint.parties.selectors import api_token_with_secret
from plaint.parties.services import api_token_use_record

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
TOKEN_REVOKED = "token_revoked"  # noqa: S105 - an error code, not a secret
TOKEN_EXPIRED = "token_expired"  # noqa: S105 - an error code, not a secret


class TokenRefused(ApplicationError):
    """A token that exists but no longer works: 401 with a code that says why, so that an
    integration's operator knows to ask for a new one rather than to check the header."""

    status = 401


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; the token is looked up by its SHA-256.
    A revoked or expired token is refused (401 ``token_revoked``/``token_expired``), a
    read-only one (403) on every method that writes. Each use is counted
    (``api_token_use_record``)."""

    def authenticate(self, request: HttpRequest, token: str) -> Principal | None:
        if not token or len(token) > 200:
            return None
        api_token = api_token_with_secret(token)
        if api_token is None:
            return None
        if api_token.revoked_at is not None:
            raise TokenRefused(TOKEN_REVOKED, gettext("This API token has been revoked."))
        if api_token.expires_at is not None and api_token.expires_at <= clock.now():
            raise TokenRefused(TOKEN_EXPIRED, gettext("This API token has expired."))
        api_token_use_record(token=api_token, address=client_address(request))
        if api_token.scope != TokenScope.WRITE and request.method not in SAFE_METHODS:
            raise PermissionDenied(ErrorCode.PERMISSION_DENIED,
                                   gettext("This API token may only read."))
        return Principal(token=api_token)


class SessionPrincipalAuth(SessionAuth):
    """A signed-in browser session (with Django's CSRF check on unsafe methods)."""

    def __call__(self, request: HttpRequest) -> Any:
        # No signed-in session, nothing for the CSRF check to protect: the caller is not
        # authenticated (401), rather than refused for a missing CSRF token (403).
        if not request.user.is_authenticated:
            return None
        # A session still owing its second factor (TwoFactorMiddleware) is not signed in yet.
        if getattr(request, "second_factor_owed", "none") != "none":
            return None
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if not user:
            return None
        return Principal(user=user)


def principal(request: HttpRequest) -> Principal:
    """The authenticated principal of a request (set by the auth classes above)."""
    auth = request.auth  # type: ignore[attr-defined]
    assert isinstance(auth, Principal)
    return auth
