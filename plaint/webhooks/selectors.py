"""Reads of the webhooks domain, for the organisation's admins only."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from plaint.complaints.actors import Actor
from plaint.parties.models import Organisation
from plaint.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from plaint.webhooks.policy import authorise


def webhook_endpoint_list(*, actor: Actor, organisation: Organisation) -> QuerySet[WebhookEndpoint]:
    """The organisation's endpoints, oldest first."""
    authorise(actor, organisation.pk)
    return WebhookEndpoint.objects.filter(organisation=organisation).order_by("created_at", "pk")


def webhook_endpoint_detail(*, actor: Actor, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    authorise(actor, endpoint.organisation_id)
    return endpoint


def webhook_delivery_list(
    *, actor: Actor, endpoint: WebhookEndpoint, state: str | None = None,
    before_id: int | None = None, limit: int = 50,
) -> tuple[list[WebhookDelivery], int | None]:
    """A page of the endpoint's deliveries, newest first, with their attempts (two queries);
    and the ``before_id`` of the next page, or None."""
    authorise(actor, endpoint.organisation_id)
    rows = WebhookDelivery.objects.filter(endpoint=endpoint)
    if state:
        rows = rows.filter(state=state)
    if before_id:
        rows = rows.filter(pk__lt=before_id)
    page = list(rows.order_by("-pk").prefetch_related(
        Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("number")))[: limit + 1])
    next_before_id = page[limit - 1].pk if len(page) > limit else None
    return page[:limit], next_before_id
