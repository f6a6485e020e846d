"""What privacy work leaves behind: the erasure requests and the retention runs.

Neither holds personal data: an erasure request names the account and the customer rows by id
(the account stays, anonymised, because events point to it) and lists what was kept, with the
rule and the date until which it is kept; a retention run lists how many records of each type
it removed under which rule.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ErasureOutcome(models.TextChoices):
    ERASED = "erased", _("Erased")
    PARTLY_KEPT = "partly_kept", _("Erased, except records the law requires to be kept")


class ErasureChannel(models.TextChoices):
    WEB = "web", _("The person, on their data page")
    COMMAND = "command", _("The operator, with plaint erasure")
    API = "api", _("An organisation's admin, through the API")


class ErasureRequest(models.Model):
    """A person's request to be erased (GDPR art. 17, LGPD art. 18 VI), as carried out.

    A refused request (a complaint open or referred: a legal hold) changes nothing and leaves no
    row. ``kept`` lists each complaint record a retention rule still requires, as
    ``{"complaint", "reference", "rule", "until"}``; ``plaint retention run`` removes them when
    their period ends, then anonymises what was kept with them and sets ``completed_at``.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    customer_ids = models.JSONField(default=list)
    channel = models.CharField(max_length=8, choices=ErasureChannel.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField()
    outcome = models.CharField(max_length=12, choices=ErasureOutcome.choices)
    kept = models.JSONField(default=list)
    kept_until = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=ErasureOutcome.values),
                name="%(app_label)s_%(class)s_outcome_valid",
            ),
        ]
        indexes = [models.Index(fields=["completed_at"], name="erasure_pending")]

    def __str__(self) -> str:
        return f"erasure #{self.pk} {self.requested_at:%Y-%m-%d}"


class RetentionRun(models.Model):
    """One applied ``plaint retention run``: when, started by whom (the command or the scheduled
    task), and ``removed``: ``[{"record_type", "rule", "count"}]``."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    started_by = models.CharField(max_length=8)  # command, task
    removed = models.JSONField(default=list)
    removed_count = models.PositiveIntegerField(default=0)
    held_back = models.PositiveIntegerField(default=0)  # due, but another complaint points to it
    erasures_completed = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"retention run {self.started_at:%Y-%m-%d %H:%M}: {self.removed_count} removed"
