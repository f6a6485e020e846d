from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils.translation import gettext_lazy as _

from plaint.core import clock


class UserManager(BaseUserManager["User"]):
    def create_user(self, email: str, password: str | None = None, **fields: object) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who can sign in. Global: one user may be a customer of one
    organisation and staff of another.

    ``is_staff`` is Django's admin flag and means *platform* admin; roles in an
    organisation come from ``Membership``.
    """

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    preferred_language = models.CharField(_("preferred language"), max_length=8, default="en")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(_("platform admin"), default=False)
    date_joined = models.DateTimeField(default=clock.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email


class NotificationPreferences(models.Model):
    """Which notifications a staff member wants by e-mail. No row: every one of them.

    One row per person, for all the organisations they work for. Written by
    ``services.notification_preferences_set``; read by ``complaints.notifications``.
    """

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    assigned = models.BooleanField(_("a complaint is assigned to me"), default=True)
    customer_replied = models.BooleanField(_("a customer replied"), default=True)
    clock_at_risk = models.BooleanField(_("a deadline is close"), default=True)
    clock_breached = models.BooleanField(_("a deadline was missed"), default=True)
    updated_at = models.DateTimeField(default=clock.now)

    #: The preferences, in the order the API lists them.
    KINDS: ClassVar[tuple[str, ...]] = (
        "assigned", "customer_replied", "clock_at_risk", "clock_breached",
    )

    def __str__(self) -> str:
        return str(self.user)
