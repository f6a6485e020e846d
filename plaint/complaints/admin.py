"""Complaints in the platform admin are read-only: every change goes through the services,
which check the lifecycle and write the events."""

from django.contrib import admin

from plaint.complaints.models import (
    CancellationRequest,
    Complaint,
    ErasureRequest,
    Event,
    RetentionRun,
)
from plaint.core.admin import ReadOnlyAdmin


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ("reference", "organisation", "subject", "state", "level", "created_at")
    list_filter = ("state", "level", "organisation")
    search_fields = ("reference", "subject")
    list_select_related = ("organisation",)


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("occurred_at", "kind", "complaint", "actor_kind", "actor_role")
    list_filter = ("kind", "actor_kind")
    list_select_related = ("complaint",)


@admin.register(CancellationRequest)
class CancellationAdmin(ReadOnlyAdmin):
    list_display = ("protocol_number", "organisation", "service", "state", "requested_at")
    list_filter = ("state", "organisation")


@admin.register(ErasureRequest)
class ErasureRequestAdmin(ReadOnlyAdmin):
    """What each erasure on request did, and what it still keeps until when (no personal data)."""

    list_display = ("requested_at", "channel", "outcome", "kept_until", "completed_at")
    list_filter = ("outcome", "channel")


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin):
    list_display = ("started_at", "started_by", "removed_count", "held_back", "erasures_completed")
