"""The stored side of deadlines: each complaint's clock rows and organisations' own rules.

A ``Clock`` row is derived data: ``refresh.clocks_refresh`` recomputes it from the complaint's
events in the same transaction as every event that can change it, so that due clocks can be found
and sorted with an index. The events stay the source of truth (``plaint clocks rebuild``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from plaint.deadlines.durations import Unit
from plaint.deadlines.engine import ClockState
from plaint.deadlines.rules import ExpiryAction, Party, RuleKind, Start


class Clock(models.Model):
    """Where one clock of one complaint stands, as ``deadlines.engine.derive_clocks`` says.

    ``next_action_at`` is when the sweep must look at the clock next (its warning, then its due
    time); it is null when there is nothing left to do, which keeps the sweep's index small.
    Only written while the complaint's row is locked.
    """

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="clocks"
    )
    organisation = models.ForeignKey(
        "parties.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=[(k.value, k.value) for k in RuleKind])
    party = models.CharField(max_length=10, choices=[(p.value, p.value) for p in Party])
    rule_id = models.CharField(max_length=100)
    rule_version = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=[(s.value, s.value) for s in ClockState])
    started_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True)
    warn_at = models.DateTimeField(null=True, blank=True)
    paused_since = models.DateTimeField(null=True, blank=True)
    pauses = models.JSONField(default=list)
    extended_to = models.DateTimeField(null=True, blank=True)
    warned = models.BooleanField(default=False)
    met_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    next_action_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["complaint", "key"], name="clocks_clock_unique_key"),
        ]
        indexes = [
            models.Index(
                fields=["next_action_at"],
                name="clock_next_action",
                condition=Q(next_action_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.state}"


class PolicyRule(models.Model):
    """One version of an organisation's own deadline: a service target or an escalation tier.

    Versions are never edited: a change closes the version in force (``effective_to``) and adds
    the next, so a clock keeps the version in force when it started and ``plaint clocks
    rebuild`` gives the same answer later. Written only by ``services.policy_rule_set``.
    """

    organisation = models.ForeignKey(
        "parties.Organisation", on_delete=models.CASCADE, related_name="policy_rules"
    )
    code = models.SlugField(_("code"), max_length=60)
    version = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=200)
    start = models.CharField(
        _("starts when"), max_length=20, choices=[(s.value, s.value) for s in Start]
    )
    channel = models.CharField(_("channel"), max_length=10, blank=True)
    duration_value = models.PositiveIntegerField(_("duration"))
    duration_unit = models.CharField(
        _("unit"), max_length=20, choices=[(u.value, u.value) for u in Unit]
    )
    pauses_awaiting_customer = models.BooleanField(
        _("pauses while waiting for the customer"), default=False
    )
    warning_at = models.FloatField(_("warning at (fraction of the time)"), null=True, blank=True)
    on_expiry = models.JSONField(_("on expiry"), default=list)
    is_active = models.BooleanField(default=True)
    effective_from = models.DateTimeField()
    effective_to = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code", "version"], name="clocks_policyrule_unique_version"
            ),
            models.CheckConstraint(
                condition=Q(warning_at__isnull=True) | Q(warning_at__gt=0, warning_at__lt=1),
                name="clocks_policyrule_warning_fraction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    @property
    def expiry_actions(self) -> tuple[ExpiryAction, ...]:
        return tuple(ExpiryAction(a) for a in self.on_expiry)


class ClosingDay(models.Model):
    """A day an organisation is closed beyond the public holidays (a company holiday)."""

    organisation = models.ForeignKey(
        "parties.Organisation", on_delete=models.CASCADE, related_name="closing_days"
    )
    day = models.DateField(_("day"))
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "day"], name="clocks_closingday_unique"),
        ]

    def __str__(self) -> str:
        return str(self.day)
