"""Choices of the parties domain."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """A staff member's role in one organisation, from the frontline up."""

    AGENT = "agent", _("Agent")
    TEAM_LEADER = "team_leader", _("Team leader")
    COMPLAINTS_OFFICER = "complaints_officer", _("Complaints officer")
    MANAGER = "manager", _("Manager")
    ORG_ADMIN = "org_admin", _("Organisation admin")


class Sector(models.TextChoices):
    TELECOM = "telecom", _("Telecommunications")
    INTERNET = "internet", _("Internet access")
    ENERGY = "energy", _("Energy")
    RETAIL = "retail", _("Retail")
    FINANCE = "finance", _("Financial services")
    OTHER = "other", _("Other")


class TeamKind(models.TextChoices):
    BILLING = "billing", _("Billing")
    TECHNICAL = "technical", _("Technical")
    COMPLAINTS = "complaints", _("Complaints")
    MANAGEMENT = "management", _("Management")
    OTHER = "other", _("Other")


class ContactChannel(models.TextChoices):
    """How a customer prefers to be contacted."""

    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    LETTER = "letter", _("Letter")
    SMS = "sms", _("SMS")
    PORTAL = "portal", _("Web portal")


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")
