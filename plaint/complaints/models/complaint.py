from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from plaint.complaints.choices import (
    DEMANDS_WITH_AMOUNT,
    LEVEL_CHOICES,
    STATE_CHOICES,
    Channel,
    DemandKind,
    Priority,
)
from plaint.complaints.lifecycle import Level, State

CURRENCY_RE = r"^[A-Z]{3}$"


class Complaint(models.Model):
    """A customer's complaint against an organisation.

    The state and level change only through the services in
    ``complaints.services`` (see ``lifecycle.TRANSITIONS``); every change writes
    an ``Event``. ``demands_recorded`` is False while the customer's demands are
    unspecified (a call, an e-mail, a letter): such a complaint can be handled
    but not decided.
    """

    reference = models.CharField(_("reference"), max_length=9, unique=True)
    organisation = models.ForeignKey(
        "parties.Organisation", on_delete=models.PROTECT, related_name="complaints"
    )
    customer = models.ForeignKey(
        "parties.Customer", on_delete=models.PROTECT, related_name="complaints"
    )
    account_number = models.CharField(_("account number"), max_length=64, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=8)
    category = models.CharField(_("category"), max_length=64, blank=True)
    subcategory = models.CharField(_("sub-category"), max_length=64, blank=True)
    product = models.CharField(_("product or service"), max_length=120, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("what happened"))
    demands_recorded = models.BooleanField(_("demands recorded"), default=False)
    amount_in_dispute = models.DecimalField(
        _("amount in dispute"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    state = models.CharField(
        _("state"), max_length=24, choices=STATE_CHOICES, default=State.RECEIVED.value
    )
    level = models.PositiveSmallIntegerField(
        _("escalation level"), choices=LEVEL_CHOICES, default=Level.FRONTLINE.value
    )
    final_response_due = models.BooleanField(_("final response due"), default=False)
    team = models.ForeignKey(
        "parties.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assignee = models.ForeignKey(
        "parties.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_complaints"
    )
    is_historical = models.BooleanField(_("imported history"), default=False)
    # Why the complaint waits for a person before anything is sent ("spam": an e-mail that
    # looked like spam opened it, and got no acknowledgement). Empty for the others.
    held_reason = models.CharField(_("why it is held for a person"), max_length=20, blank=True)
    received_at = models.DateTimeField(_("received at"))
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    state_changed_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    # Kept by ``clocks.refresh`` from the complaint's clocks, for sorting and filtering lists.
    next_due_at = models.DateTimeField(_("next deadline"), null=True, blank=True)
    overdue_since = models.DateTimeField(_("overdue since"), null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in State]),
                name="%(app_label)s_%(class)s_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=4),
                name="%(app_label)s_%(class)s_level_valid",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values),
                name="%(app_label)s_%(class)s_channel_valid",
            ),
            models.CheckConstraint(
                condition=(
                    Q(amount_in_dispute__isnull=True, currency="")
                    | (Q(amount_in_dispute__isnull=False, amount_in_dispute__gte=0)
                       & Q(currency__regex=CURRENCY_RE))
                ),
                name="%(app_label)s_%(class)s_amount_has_currency",
            ),
            models.CheckConstraint(
                condition=~Q(state=State.CLOSED.value) | Q(closed_at__isnull=False),
                name="%(app_label)s_%(class)s_closed_has_closed_at",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "-id"], name="complaint_org_recent"),
            models.Index(fields=["organisation", "state", "-id"], name="complaint_org_state"),
            models.Index(fields=["assignee", "-id"], name="complaint_assignee"),
            models.Index(fields=["customer", "-id"], name="complaint_customer"),
            models.Index(fields=["organisation", "next_due_at", "id"], name="complaint_org_due"),
            # The console's queue: late first (by when), then the next deadline, then id.
            models.Index(F("organisation"), Coalesce("overdue_since", "next_due_at"), F("id"),
                         name="complaint_org_queue"),
        ]

    def __str__(self) -> str:
        return self.reference


class Demand(models.Model):
    """One thing the customer asks for; an amount where the kind needs one."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="demands")
    kind = models.CharField(_("kind"), max_length=24, choices=DemandKind.choices)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DemandKind.values), name="%(app_label)s_%(class)s_kind_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(amount__isnull=True, currency="")
                    | (Q(amount__isnull=False, amount__gt=0) & Q(currency__regex=CURRENCY_RE))
                ),
                name="%(app_label)s_%(class)s_amount_has_currency",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=sorted(k.value for k in DEMANDS_WITH_AMOUNT))
                | Q(amount__isnull=False),
                name="%(app_label)s_%(class)s_money_demand_has_amount",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class IdempotencyRecord(models.Model):
    """Remembers an ``Idempotency-Key`` so that a retried intake returns the same complaint.

    ``scope`` says whose key it is (a token, a user, or an anonymous client), so
    that two callers cannot collide; ``request_sha256`` tells a true retry from a
    different request reusing a key.
    """

    scope = models.CharField(max_length=64)
    key = models.CharField(max_length=200)
    request_sha256 = models.CharField(max_length=64)
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "key"], name="%(app_label)s_%(class)s_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return self.key
