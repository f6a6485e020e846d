"""Webhook endpoints an organisation registers, the deliveries queued for them, and their logs.

Written by ``plaint.webhooks.services`` (endpoints, redeliveries, the change log) and
``plaint.webhooks.sending`` (attempts).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from plaint.parties.actors import ActorKind


class WebhookEndpoint(models.Model):
    """An HTTPS URL of an organisation's system that Plaint POSTs events to.

    ``secret`` signs every delivery; it must be kept readable (HMAC needs it), and the API
    shows it only when it is created or rotated. ``event_types`` holds public type names
    (``plaint.webhooks.event_types``).
    """

    organisation = models.ForeignKey(
        "parties.Organisation", on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.CharField(_("URL"), max_length=2000)
    event_types = models.JSONField(_("event types"), default=list)
    secret = models.CharField(max_length=100)
    # After a rotation the old secret also signs until ``previous_secret_until``.
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by_token = models.ForeignKey(
        "parties.ApiToken", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    secret_rotated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "is_active"])]

    def __str__(self) -> str:
        return self.url


class DeliveryState(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("webhook delivery", "Queued")
    DELIVERED = "delivered", pgettext_lazy("webhook delivery", "Delivered")
    FAILED = "failed", pgettext_lazy("webhook delivery", "Failed; will be retried")
    GIVEN_UP = "given_up", pgettext_lazy("webhook delivery", "Given up")


#: The states in which a delivery waits for an attempt at ``next_attempt_at``.
WAITING_STATES = (DeliveryState.QUEUED.value, DeliveryState.FAILED.value)


class WebhookDelivery(models.Model):
    """One event to send to one endpoint, until it is delivered or given up.

    At least once: ``delivery_id`` is sent as the ``Plaint-Delivery`` header and stays the same
    on every attempt, so that receivers can drop a repeat. ``payload`` holds ids and codes only,
    like the event it comes from. ``next_attempt_at`` is set while the delivery waits (queued or
    failed) and is pushed ahead while an attempt is in flight (a lease), so that a crashed
    attempt is retried by the sweep and a live one is not made twice.
    """

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(
        "complaints.Event", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    event_type = models.CharField(max_length=64)
    delivery_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    payload = models.JSONField()
    state = models.CharField(max_length=10, choices=DeliveryState.choices, default=DeliveryState.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=DeliveryState.values), name="%(app_label)s_%(class)s_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=WAITING_STATES, next_attempt_at__isnull=False)
                | (~Q(state__in=WAITING_STATES) & Q(next_attempt_at__isnull=True)),
                name="%(app_label)s_%(class)s_waiting_has_next_attempt",
            ),
            models.CheckConstraint(
                condition=~Q(state=DeliveryState.DELIVERED) | Q(delivered_at__isnull=False),
                name="%(app_label)s_%(class)s_delivered_has_time",
            ),
        ]
        indexes = [
            # The sweep's question: which waiting deliveries are due?
            models.Index(fields=["next_attempt_at"], condition=Q(state__in=WAITING_STATES),
                         name="webhooks_delivery_due"),
            # An endpoint's log, newest first.
            models.Index(fields=["endpoint", "-id"], name="webhooks_delivery_log"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.endpoint_id} ({self.state})"


class WebhookAttempt(models.Model):
    """One attempt to deliver: when, what came back, how long it took. Append-only."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveIntegerField()
    attempted_at = models.DateTimeField()
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=10, choices=DeliveryState.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"],
                                    name="%(app_label)s_%(class)s_one_per_number"),
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.outcome}"


class EndpointChange(models.Model):
    """Who registered, changed, rotated, deleted or redelivered what, and when. Append-only.

    Plaint's ``Event`` is about a complaint, a cancellation or an organisation's deadline policy;
    endpoint changes are recorded here instead. ``data`` holds field names, event types and ids.
    """

    class Action(models.TextChoices):
        CREATED = "created", pgettext_lazy("webhook endpoint", "Registered")
        UPDATED = "updated", pgettext_lazy("webhook endpoint", "Changed")
        SECRET_ROTATED = "secret_rotated", pgettext_lazy("webhook endpoint", "Secret rotated")
        DELETED = "deleted", pgettext_lazy("webhook endpoint", "Deleted")
        REDELIVERED = "redelivered", pgettext_lazy("webhook endpoint", "Delivery sent again")

    organisation = models.ForeignKey("parties.Organisation", on_delete=models.CASCADE, related_name="+")
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes"
    )
    url = models.CharField(max_length=2000)
    action = models.CharField(max_length=16, choices=Action.choices)
    occurred_at = models.DateTimeField()
    actor_kind = models.CharField(max_length=12, choices=ActorKind.choices)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_token = models.ForeignKey(
        "parties.ApiToken", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["organisation", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.action} {self.url}"
