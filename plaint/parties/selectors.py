"""Reads of the parties domain."""

from __future__ import annotations

from django.db.models import Q

from plaint.core import clock
from plaint.parties.models import ApiToken
from plaint.parties.services import api_token_hash


def api_token_by_secret(secret: str) -> ApiToken | None:
    """The live token with this secret, looked up by its SHA-256, or None."""
    now = clock.now()
    return (
        ApiToken.objects.filter(key_sha256=api_token_hash(secret), revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
