"""Who is calling the API: an integration's bearer token, or a browser session.

Both resolve to a ``Principal``, which endpoints find in ``request.auth``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from plaint.parties.actors import Principal
from plaint.parties.selectors import api_token_by_secret


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; the token is looked up by its SHA-256."""

    def authenticate(self, request: HttpRequest, token: str) -> Principal | None:
        if not token or len(token) > 200:
            return None
        api_token = api_token_by_secret(token)
        if api_token is None:
            return None
        return Principal(token=api_token)


class SessionPrincipalAuth(SessionAuth):
    """A signed-in browser session (with Django's CSRF check on unsafe methods)."""

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
