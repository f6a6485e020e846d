"""Writes of the webhooks domain: endpoints, redeliveries, and the deliveries events queue.

Each service runs in one transaction and appends one ``EndpointChange`` (Plaint's ``Event`` is
about complaints, cancellations and deadline policy; an endpoint is none of these). Sending is in
``sending.py``; it runs outside any transaction, because nobody should hold a lock while a
stranger's server takes its time to answer.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext

from plaint.complaints.actors import Actor
from plaint.complaints.models import Event
from plaint.complaints.services.common import service
from plaint.core import clock
from plaint.core.exceptions import ValidationFailed
from plaint.core.memo import memo
from plaint.parties.models import Organisation
from plaint.webhooks.addresses import UrlRefused, check_url
from plaint.webhooks.error_codes import WebhookErrorCode
from plaint.webhooks.event_types import public_type, unknown_types
from plaint.webhooks.models import (
    DeliveryState,
    EndpointChange,
    WebhookDelivery,
    WebhookEndpoint,
)
from plaint.webhooks.policy import authorise
from plaint.webhooks.signing import secret_generate

# ---- endpoints


def _validated(*, url: str | None, event_types: list[str] | None) -> tuple[str | None, list[str] | None]:
    """The URL and event types as stored, or ``ValidationFailed`` naming every bad field."""
    fields: dict[str, list[str]] = {}
    codes: list[str] = []
    if url is not None:
        url = url.strip()
        try:
            check_url(url, allow_private=settings.PLAINT_WEBHOOKS_ALLOW_PRIVATE)
        except UrlRefused as refusal:
            fields["url"] = [refusal.message]
            codes.append(refusal.code)
    if event_types is not None:
        event_types = list(dict.fromkeys(event_types))
        unknown = unknown_types(event_types)
        if not event_types:
            fields["event_types"] = [gettext("Choose at least one event type.")]
            codes.append(WebhookErrorCode.EVENT_TYPES_REQUIRED)
        elif unknown:
            fields["event_types"] = [
                gettext("Unknown event type: %(name)s.") % {"name": name} for name in unknown
            ]
            codes.append(WebhookErrorCode.UNKNOWN_EVENT_TYPE)
    if fields:
        code = codes[0] if len(codes) == 1 else "validation_error"
        raise ValidationFailed(code, gettext("The webhook endpoint is not valid."), fields=fields)
    return url, event_types


def _log(actor: Actor, endpoint: WebhookEndpoint, action: str, **data: Any) -> EndpointChange:
    return EndpointChange.objects.create(
        organisation_id=endpoint.organisation_id,
        endpoint=endpoint if action != EndpointChange.Action.DELETED else None,
        url=endpoint.url, action=action, occurred_at=clock.now(), actor_kind=actor.kind,
        actor_user=actor.user, actor_token=actor.token, data=data,
    )


@service
def webhook_endpoint_create(
    *,
    actor: Actor,
    organisation: Organisation,
    url: str,
    event_types: list[str],
    description: str = "",
    is_active: bool = True,
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint; return it with its signing secret, which is shown only now."""
    authorise(actor, organisation.pk)
    checked_url, checked_types = _validated(url=url, event_types=event_types)
    now = clock.now()
    secret = secret_generate()
    endpoint = WebhookEndpoint.objects.create(
        organisation=organisation, url=checked_url, event_types=checked_types, secret=secret,
        is_active=is_active, description=description.strip(), created_by=actor.user,
        created_by_token=actor.token, created_at=now, updated_at=now,
    )
    _log(actor, endpoint, EndpointChange.Action.CREATED, event_types=checked_types,
         is_active=is_active)
    return endpoint, secret


@service
def webhook_endpoint_update(
    *,
    actor: Actor,
    endpoint: WebhookEndpoint,
    url: str | None = None,
    event_types: list[str] | None = None,
    is_active: bool | None = None,
    description: str | None = None,
) -> WebhookEndpoint:
    """Change what is given (None leaves a field as it is); deliveries already queued keep going
    to the endpoint, to its new URL if it changed."""
    authorise(actor, endpoint.organisation_id)
    checked_url, checked_types = _validated(url=url, event_types=event_types)
    wanted = {"url": checked_url, "event_types": checked_types, "is_active": is_active,
              "description": description.strip() if description is not None else None}
    changed = [name for name, value in wanted.items()
               if value is not None and getattr(endpoint, name) != value]
    if not changed:
        return endpoint
    for name in changed:
        setattr(endpoint, name, wanted[name])
    endpoint.updated_at = clock.now()
    endpoint.save(update_fields=[*changed, "updated_at"])
    _log(actor, endpoint, EndpointChange.Action.UPDATED, fields=changed,
         event_types=endpoint.event_types, is_active=endpoint.is_active)
    return endpoint


@service
def webhook_endpoint_delete(*, actor: Actor, endpoint: WebhookEndpoint) -> None:
    """Delete the endpoint with its deliveries and their log; the change log keeps its URL."""
    authorise(actor, endpoint.organisation_id)
    _log(actor, endpoint, EndpointChange.Action.DELETED, endpoint_id=endpoint.pk)
    endpoint.delete()


@service
def webhook_endpoint_rotate_secret(*, actor: Actor, endpoint: WebhookEndpoint) -> str:
    """Replace the signing secret and return the new one (shown only now). Every attempt from
    now on, retries of older deliveries too, is signed with it, and for
    ``PLAINT_WEBHOOKS_SECRET_OVERLAP`` seconds with the old one as well, so that the receiver
    can switch without refusing deliveries meanwhile."""
    authorise(actor, endpoint.organisation_id)
    now = clock.now()
    overlap = timedelta(seconds=settings.PLAINT_WEBHOOKS_SECRET_OVERLAP)
    endpoint.previous_secret = endpoint.secret if overlap else ""
    endpoint.previous_secret_until = now + overlap if overlap else None
    endpoint.secret = secret_generate()
    endpoint.secret_rotated_at = endpoint.updated_at = now
    endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_until",
                                 "secret_rotated_at", "updated_at"])
    _log(actor, endpoint, EndpointChange.Action.SECRET_ROTATED)
    return endpoint.secret


@service
def webhook_delivery_redeliver(*, actor: Actor, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again now, whatever its state, with the same ``Plaint-Delivery`` id.

    A delivery that had used up its attempts gets one more: if it fails, it is given up again.
    """
    endpoint = delivery.endpoint
    authorise(actor, endpoint.organisation_id)
    delivery.state = DeliveryState.QUEUED
    delivery.next_attempt_at = clock.now()
    delivery.save(update_fields=["state", "next_attempt_at"])
    _log(actor, endpoint, EndpointChange.Action.REDELIVERED, delivery=str(delivery.delivery_id))
    _send_after_commit([str(delivery.delivery_id)])
    return delivery


# ---- deliveries queued by events


def payload_build(event: Event, event_type: str) -> dict[str, Any]:
    """What a receiver is told about an event: ids, codes and times, as the event holds them;
    never a name, an address or a customer's words."""
    return {
        "event_id": event.pk,
        "type": event_type,
        "occurred_at": event.occurred_at.isoformat(),
        "organisation_id": event.organisation_id,
        "complaint": event.complaint.reference if event.complaint_id else None,
        "related_complaint": event.related_complaint.reference if event.related_complaint_id else None,
        "cancellation": event.cancellation.protocol_number if event.cancellation_id else None,
        "visibility": event.visibility,
        "data": event.data,
    }


def webhooks_observe_event(event: Event) -> None:
    """Queue a delivery of the event to each of its organisation's active endpoints that
    subscribed to its type, in the event's transaction: a change rolled back sends nothing.
    The first attempt is queued after commit; the sweep catches any that a crash lost."""
    event_type = public_type(event.kind, event.data)
    if event_type is None:
        return
    active = memo(("webhook_endpoints", event.organisation_id), lambda: list(
        WebhookEndpoint.objects.filter(organisation_id=event.organisation_id, is_active=True)
        .only("pk", "event_types").order_by("pk")
    ))
    endpoints = [endpoint for endpoint in active if event_type in endpoint.event_types]
    if not endpoints:
        return
    now = clock.now()
    payload = payload_build(event, event_type)
    deliveries = [
        WebhookDelivery.objects.create(endpoint=endpoint, event=event, event_type=event_type,
                                       payload=payload, next_attempt_at=now, created_at=now)
        for endpoint in endpoints
    ]
    _send_after_commit([str(d.delivery_id) for d in deliveries])


def _send_after_commit(delivery_ids: list[str]) -> None:
    from plaint.webhooks.tasks import webhook_delivery_send

    for delivery_id in delivery_ids:
        transaction.on_commit(partial(webhook_delivery_send.enqueue, delivery_id=delivery_id))
