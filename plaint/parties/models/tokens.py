from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from plaint.parties.choices import Role, TokenScope
from plaint.parties.models.organisations import Organisation


class ApiToken(models.Model):
    """A credential for an integration acting for one organisation with one role.

    The token is 32 random bytes shown once; only its SHA-256 is stored and
    looked up (a password hasher would make every API call slow for no gain:
    the token has full entropy). Written by ``services.api_token_create``.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="tokens")
    name = models.CharField(_("name"), max_length=120)
    key_sha256 = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text=_("first characters, to recognise it"))
    role = models.CharField(_("role"), max_length=24, choices=Role.choices, default=Role.AGENT)
    scope = models.CharField(
        _("scope"), max_length=8, choices=TokenScope.choices, default=TokenScope.WRITE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Set by the operator only (``plaint token create --rate-limit-exempt``, the admin site),
    # never through the API: benchmarks and trusted bulk imports are not counted.
    rate_limit_exempt = models.BooleanField(_("exempt from rate limits"), default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name="%(app_label)s_%(class)s_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ApiTokenUse(models.Model):
    """How much a token was used in one hour, when last, and from where.

    Written by ``services.api_token_use_record``, which adds a process's uses at most once a
    minute per token (one UPDATE, an INSERT for a new hour), so that logging use costs the
    API next to nothing; the uses of a process's last minute are lost if it is killed.
    """

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="uses")
    hour = models.DateTimeField(help_text=_("the hour the uses fell in (UTC, on the hour)"))
    count = models.PositiveIntegerField(default=0)
    last_used_at = models.DateTimeField()
    last_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "hour"], name="parties_apitokenuse_one_per_hour"),
        ]

    def __str__(self) -> str:
        return f"{self.token_id} {self.hour:%Y-%m-%d %H}h: {self.count}"
