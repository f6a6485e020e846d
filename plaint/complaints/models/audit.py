"""Append-only records beside the event log: removed chains and who read which complaint."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from plaint.parties.actors import ActorKind


class EventChainTombstone(models.Model):
    """What is left of a complaint's event chain after its retention period: no personal data,
    only enough to show that the chain existed, how long it was and how it ended.

    Written by ``plaint retention run`` in the transaction that deletes the complaint; on
    PostgreSQL a trigger refuses every UPDATE and DELETE (migration 0009). ``hash`` covers the
    other fields (``plaint.complaints.chain.tombstone_hash``), so ``plaint audit verify`` notices
    a tombstone changed where no trigger guards it (SQLite).
    """

    complaint_id = models.BigIntegerField(unique=True)
    organisation = models.ForeignKey("parties.Organisation", on_delete=models.PROTECT, related_name="+")
    last_hash = models.CharField(max_length=64)
    event_count = models.PositiveIntegerField()
    rule = models.CharField(max_length=64)
    removed_at = models.DateTimeField()
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"complaint {self.complaint_id} removed {self.removed_at:%Y-%m-%d}"


class ReadChannel(models.TextChoices):
    API = "api", _("API")
    WEB = "web", _("web")
    CONSOLE = "console", _("console")


class ComplaintRead(models.Model):
    """Staff (a person or an API token) read a complaint's detail: one row per read.

    Kept apart from the complaint's events: reading changes nothing, and the timeline would drown
    in reads. Append-only (on PostgreSQL a trigger refuses UPDATE, and DELETE outside a retention
    run, which removes a complaint's reads with it).
    """

    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    token = models.ForeignKey(
        "parties.ApiToken", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_kind = models.CharField(max_length=12, choices=ActorKind.choices)
    channel = models.CharField(max_length=8, choices=ReadChannel.choices)
    occurred_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["complaint", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.complaint_id} read via {self.channel} @ {self.occurred_at:%Y-%m-%d %H:%M}"
