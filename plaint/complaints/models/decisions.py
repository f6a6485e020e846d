"""The provider's answers: decisions, final responses, and referrals to external bodies."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from plaint.complaints.choices import Outcome, RemedyKind
from plaint.complaints.models.complaint import CURRENCY_RE, Complaint
from plaint.parties.actors import ActorKind


class Decision(models.Model):
    """The provider's decision on the complaint, with remedy and reasoning.

    A complaint may collect several decisions over its life (after a rejection
    or a reopening); the latest one counts. ``customer_response`` records what
    the customer said to it.
    """

    class CustomerResponse(models.TextChoices):
        PENDING = "pending", pgettext_lazy("customer's response to a decision", "Not answered yet")
        ACCEPTED = "accepted", pgettext_lazy("customer's response to a decision", "Accepted")
        REJECTED = "rejected", pgettext_lazy("customer's response to a decision", "Rejected")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    remedy_kind = models.CharField(
        _("remedy"), max_length=24, choices=RemedyKind.choices, default=RemedyKind.NONE
    )
    remedy_amount = models.DecimalField(
        _("remedy amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    remedy_currency = models.CharField(_("currency"), max_length=3, blank=True)
    remedy_detail = models.TextField(_("remedy detail"), blank=True)
    reasoning = models.TextField(_("reasoning"))
    decided_by_kind = models.CharField(max_length=12, choices=ActorKind.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField()
    customer_response = models.CharField(
        max_length=8, choices=CustomerResponse.choices, default=CustomerResponse.PENDING
    )
    # Set when the law decided: the complaint was deemed accepted when this rule's clock ran
    # out (PL). A later decision may not go against it.
    deemed_by_rule = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=Outcome.values),
                name="%(app_label)s_%(class)s_outcome_valid",
            ),
            models.CheckConstraint(
                condition=(
                    Q(remedy_amount__isnull=True, remedy_currency="")
                    | (Q(remedy_amount__isnull=False, remedy_amount__gt=0)
                       & Q(remedy_currency__regex=CURRENCY_RE))
                ),
                name="%(app_label)s_%(class)s_amount_has_currency",
            ),
        ]
        get_latest_by = "decided_at"

    def __str__(self) -> str:
        return self.get_outcome_display()


class FinalResponse(models.Model):
    """The provider's last word ("deadlock letter"), naming the external body and time limit."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="final_responses"
    )
    text = models.TextField(_("text"))
    external_body = models.CharField(_("external body"), max_length=200, blank=True)
    referral_deadline = models.DateField(
        _("deadline for referral to the external body"), null=True, blank=True
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.complaint} {self.issued_at:%Y-%m-%d}"


class ExternalReferral(models.Model):
    """A case taken to an external body (ADR, ombudsman, regulator) and what it decided."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="referrals")
    body = models.CharField(_("external body"), max_length=200)
    body_reference = models.CharField(
        _("the external body's reference"), max_length=120, blank=True
    )
    referred_at = models.DateTimeField()
    outcome = models.TextField(_("outcome"), blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.body
