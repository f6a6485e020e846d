"""Reads of the parties domain."""

from __future__ import annotations

from django.db.models import Q

from plaint.core import clock
from plaint.core.memo import memo
from plaint.parties.models import ApiToken, NotificationPreferences, User
from plaint.parties.services import api_token_hash


def api_token_by_secret(secret: str) -> ApiToken | None:
    """The live token with this secret, looked up by its SHA-256, or None."""
    now = clock.now()
    return (
        ApiToken.objects.filter(key_sha256=api_token_hash(secret), revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )


def notification_preferences_of(user: User) -> dict[str, bool]:
    """Which notifications ``user`` gets by e-mail: every kind, True unless switched off."""
    row = NotificationPreferences.objects.filter(user=user).first()
    return {kind: row is None or getattr(row, kind) for kind in NotificationPreferences.KINDS}


def users_not_wanting(user_ids: list[int], kind: str) -> set[int]:
    """Of these users, those who switched notifications of ``kind`` off (one query)."""
    if kind not in NotificationPreferences.KINDS:
        raise ValueError(kind)
    if not user_ids:
        return set()
    return memo(("users_not_wanting", kind, frozenset(user_ids)), lambda: set(
        NotificationPreferences.objects.filter(user_id__in=user_ids, **{kind: False})
        .values_list("user_id", flat=True)
    ))
