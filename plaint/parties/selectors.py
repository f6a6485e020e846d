"""Reads of the parties domain."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from plaint.core import clock
from plaint.core.memo import memo
from plaint.parties.models import ApiToken, ApiTokenUse, NotificationPreferences, Organisation, User
from plaint.parties.services import api_token_hash


def api_token_by_secret(secret: str) -> ApiToken | None:
    """The live token with this secret, looked up by its SHA-256, or None."""
    now = clock.now()
    return (
        ApiToken.objects.filter(key_sha256=api_token_hash(secret), revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )


def api_token_with_secret(secret: str) -> ApiToken | None:
    """The token with this secret, live, revoked or expired (the caller tells them apart)."""
    return ApiToken.objects.filter(key_sha256=api_token_hash(secret)).first()


def api_token_list(*, organisation: Organisation) -> QuerySet[ApiToken]:
    """The organisation's tokens, newest first, each with ``last_used_at`` and
    ``last_address`` of its latest use and ``uses_30_days`` (one query)."""
    latest = ApiTokenUse.objects.filter(token=OuterRef("pk")).order_by("-last_used_at")
    since = clock.now() - timedelta(days=30)
    recent = (ApiTokenUse.objects.filter(token=OuterRef("pk"), hour__gte=since)
              .values("token").annotate(total=Sum("count")).values("total"))
    return (
        ApiToken.objects.filter(organisation=organisation)
        .annotate(
            last_used_at=Max("uses__last_used_at"),
            last_address=Subquery(latest.values("last_address")[:1]),
            uses_30_days=Coalesce(Subquery(recent), 0),
        )
        .order_by("-created_at", "-pk")
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
