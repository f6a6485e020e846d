from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from plaint.core import clock
from plaint.parties.choices import ContactChannel
from plaint.parties.models.organisations import Organisation


class Customer(models.Model):
    """A person's customer account with one organisation.

    The person may have a user (then they can sign in and see their complaints)
    or not (a caller logged by an agent, someone who mailed in). Contact details
    are personal data and live here, never in events.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="customers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="customer_accounts",
    )
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=8, default="en")
    preferred_channel = models.CharField(
        _("preferred channel"),
        max_length=10,
        choices=ContactChannel.choices,
        default=ContactChannel.EMAIL,
    )
    accessibility_needs = models.TextField(_("accessibility needs"), blank=True)
    is_vulnerable = models.BooleanField(_("vulnerable customer"), default=False)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(user__isnull=False),
                name="%(app_label)s_%(class)s_one_account_per_user",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "email"]),
            models.Index(fields=["organisation", "phone"]),
            # customer_find_or_create looks the e-mail up case-insensitively (UPPER = UPPER)
            models.Index("organisation", Upper("email"), name="customer_org_email_upper"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email or self.phone or f"#{self.pk}"


class CustomerAccountNumber(models.Model):
    """An account or contract number the customer has at the organisation."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="account_numbers")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    number = models.CharField(_("account number"), max_length=64)
    label = models.CharField(_("service"), max_length=120, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="%(app_label)s_%(class)s_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return self.number
