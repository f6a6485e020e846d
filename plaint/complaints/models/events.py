from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from plaint.complaints.choices import EventKind, Visibility
from plaint.parties.actors import ActorKind

# Events about the organisation itself rather than one complaint (its deadline policy).
ORGANISATION_EVENT_KINDS = [EventKind.POLICY_RULE_SET.value]


class Reason(models.Model):
    """Free text that an event points to: a reason, a customer's own words.

    Kept out of the event so that personal data can be anonymised here without
    rewriting the event log.
    """

    text = models.TextField()
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.text[:60]


class Event(models.Model):
    """One change to a complaint, a cancellation request or an organisation's policy.

    Append-only and written by the services, one per service call. ``data``
    holds only ids, codes and field names, never personal values; free text is
    a ``Reason``. An event about two complaints (a merge, a moved message)
    names the second in ``related_complaint`` and shows on both timelines.

    Each event is a link of a hash chain (``plaint.complaints.chain``): its
    ``position`` in its chain, the ``previous_hash`` and its own ``hash``. On
    PostgreSQL a trigger refuses every UPDATE and every DELETE outside a
    retention run (migration 0009); the foreign keys that would rewrite an
    event when their row goes (user, token, reason, related complaint) protect
    it instead.
    """

    organisation = models.ForeignKey("parties.Organisation", on_delete=models.PROTECT, related_name="+")
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, null=True, blank=True,
        related_name="events",
    )
    related_complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancellation = models.ForeignKey(
        "complaints.CancellationRequest", on_delete=models.CASCADE, null=True, blank=True,
        related_name="events",
    )
    kind = models.CharField(max_length=32, choices=EventKind.choices)
    occurred_at = models.DateTimeField()
    actor_kind = models.CharField(max_length=12, choices=ActorKind.choices)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_token = models.ForeignKey(
        "parties.ApiToken", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_role = models.CharField(max_length=24, blank=True)
    visibility = models.CharField(max_length=8, choices=Visibility.choices)
    data = models.JSONField(default=dict)
    reason = models.ForeignKey(
        Reason, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    position = models.PositiveIntegerField(default=0)
    previous_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(complaint__isnull=False)
                | Q(cancellation__isnull=False)
                | Q(kind__in=ORGANISATION_EVENT_KINDS),
                name="%(app_label)s_%(class)s_has_subject",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=EventKind.values), name="%(app_label)s_%(class)s_kind_valid"
            ),
            # One event per position in each chain: a second writer fails instead of forking it.
            # The first index also finds a complaint's last event (the previous of the next).
            models.UniqueConstraint(
                fields=["complaint", "position"], condition=Q(complaint__isnull=False),
                name="%(app_label)s_%(class)s_complaint_chain",
            ),
            models.UniqueConstraint(
                fields=["cancellation", "position"],
                condition=Q(complaint__isnull=True, cancellation__isnull=False),
                name="%(app_label)s_%(class)s_cancellation_chain",
            ),
            models.UniqueConstraint(
                fields=["organisation", "position"],
                condition=Q(complaint__isnull=True, cancellation__isnull=True),
                name="%(app_label)s_%(class)s_organisation_chain",
            ),
        ]
        indexes = [models.Index(fields=["complaint", "occurred_at", "id"])]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.occurred_at:%Y-%m-%d %H:%M}"
