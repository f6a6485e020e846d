from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from plaint.core import clock
from plaint.parties.choices import Role, Sector, TeamKind


def default_working_hours() -> list[list[str] | None]:
    """Monday to Friday, 09:00 to 17:00."""
    return [["09:00", "17:00"]] * 5 + [None, None]


class Organisation(models.Model):
    """A provider that customers complain about: the tenant.

    An *unmanaged* organisation is only known by name, country, sector and
    complaint address: it has no staff on Plaint, and customers keep their own
    case files against it. Written by ``services.organisation_create``.
    """

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2"))
    subdivision = models.CharField(_("subdivision"), max_length=10, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    languages = models.JSONField(_("languages"), default=list)
    default_language = models.CharField(_("default language"), max_length=8, default="en")
    is_managed = models.BooleanField(_("handles its complaints on Plaint"), default=True)
    complaint_address = models.TextField(_("postal address for complaints"), blank=True)
    complaint_email = models.EmailField(_("e-mail address for complaints"), blank=True)
    # ISO 10002 asks for the complaints-handling process to have an owner whom the public
    # procedure names: a person or a post, with their position.
    complaints_owner = models.CharField(
        _("responsible for complaints handling"), max_length=200, blank=True,
        help_text=_("A name and position, for example: Jana Nováková, Head of Customer Care."),
    )
    reopen_period_days = models.PositiveIntegerField(
        _("days within which a closed complaint may be reopened"), default=30
    )
    working_hours = models.JSONField(
        _("working hours"),
        default=default_working_hours,
        help_text=_("Seven entries, Monday first: [opening, closing] as HH:MM, or null if closed."),
    )
    # Bumped whenever the organisation's policy rules or closing days change: the key under
    # which their loaded copy is cached (``clocks.context``).
    rules_version = models.PositiveIntegerField(default=0, editable=False)
    clock_warning_at = models.FloatField(
        _("warn when this fraction of a deadline's time has passed"), default=0.75
    )
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(clock_warning_at__gt=0, clock_warning_at__lt=1),
                name="%(app_label)s_%(class)s_warning_fraction",
            ),
            models.CheckConstraint(
                condition=Q(sector__in=Sector.values), name="%(app_label)s_%(class)s_sector_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A group of staff that complaints are routed to (billing, technical, …)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=TeamKind.choices)
    # A team that is wound up is kept (its complaints and members still name it) but switched off:
    # ``admin_services.team_change``.
    is_active = models.BooleanField(pgettext_lazy("team", "active"), default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="%(app_label)s_%(class)s_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=TeamKind.values), name="%(app_label)s_%(class)s_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """One of the organisation's complaint categories, by which complaints are routed and counted.

    ``Complaint.category`` holds the ``code``, which never changes (analytics compare it over
    time and across providers); the ``name`` is what people read and may be renamed. A category
    no longer used is switched off, not deleted. Written by ``admin_services.category_*``.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="categories"
    )
    code = models.SlugField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=120)
    is_active = models.BooleanField(pgettext_lazy("category", "active"), default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="%(app_label)s_%(class)s_unique_code"
            ),
            models.CheckConstraint(condition=~Q(code=""), name="%(app_label)s_%(class)s_code_given"),
        ]
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """One user's one role in one organisation, with where they sit and what they are called.

    The position and location are copied onto each interaction the member logs,
    so that the record shows them as they were at the time.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    position = models.CharField(_("position"), max_length=120, blank=True)
    location = models.CharField(_("location"), max_length=120, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="%(app_label)s_%(class)s_one_role_per_org"
            ),
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name="%(app_label)s_%(class)s_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.organisation})"
