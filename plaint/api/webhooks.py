"""Webhooks in the API: an organisation's admins register the HTTPS endpoints that Plaint POSTs
its events to, rotate their secrets and read the delivery log (see ``docs/webhooks.md``)."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import AwareDatetime, Field, StringConstraints

from plaint.api.auth import principal
from plaint.api.errors import errors
from plaint.complaints.actors import Actor
from plaint.webhooks import selectors
from plaint.webhooks.access import (
    access_webhook_delivery,
    access_webhook_endpoint,
    access_webhook_organisation,
)
from plaint.webhooks.event_types import PUBLIC_TYPES
from plaint.webhooks.models import WebhookDelivery, WebhookEndpoint
from plaint.webhooks.services import (
    webhook_delivery_redeliver,
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_rotate_secret,
    webhook_endpoint_update,
)

router = Router(tags=["webhooks"])

W = "/organisations/{organisation_id}/webhooks"
EventTypeName = Annotated[str, StringConstraints(min_length=1, max_length=64)]


class EndpointIn(Schema):
    url: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    event_types: list[EventTypeName] = Field(max_length=len(PUBLIC_TYPES))
    description: Annotated[str, StringConstraints(max_length=200)] = ""
    is_active: bool = True


class EndpointPatch(Schema):
    url: Annotated[str, StringConstraints(min_length=1, max_length=2000)] | None = None
    event_types: list[EventTypeName] | None = Field(default=None, max_length=len(PUBLIC_TYPES))
    description: Annotated[str, StringConstraints(max_length=200)] | None = None
    is_active: bool | None = None


class EndpointOut(Schema):
    id: int
    url: str
    event_types: list[str]
    description: str
    is_active: bool
    created_at: AwareDatetime
    updated_at: AwareDatetime
    secret_rotated_at: AwareDatetime | None


class EndpointWithSecretOut(EndpointOut):
    secret: str = Field(description="The signing secret. Shown only now: store it.")


class SecretOut(Schema):
    secret: str = Field(description="The new signing secret. Shown only now: store it.")


class AttemptOut(Schema):
    number: int
    attempted_at: AwareDatetime
    status_code: int | None
    error: str
    duration_ms: int
    outcome: str


class DeliveryOut(Schema):
    id: int
    delivery_id: UUID
    event_type: str
    state: str
    attempts: int
    next_attempt_at: AwareDatetime | None
    last_status_code: int | None
    last_error: str
    created_at: AwareDatetime
    delivered_at: AwareDatetime | None
    payload: dict[str, object]
    attempt_log: list[AttemptOut]


class DeliveryFilters(Schema):
    state: Literal["queued", "delivered", "failed", "given_up"] | None = None
    before_id: int | None = Field(default=None, ge=1)
    limit: int = Field(default=50, ge=1, le=200)


class DeliveryPageOut(Schema):
    items: list[DeliveryOut]
    next_before_id: int | None


def _present_endpoint(endpoint: WebhookEndpoint) -> dict[str, object]:
    return {f: getattr(endpoint, f) for f in EndpointOut.model_fields}


def _present_delivery(delivery: WebhookDelivery) -> dict[str, object]:
    return {**{f: getattr(delivery, f) for f in DeliveryOut.model_fields if f != "attempt_log"},
            "attempt_log": list(delivery.attempt_log.all())}


@router.get("/webhook-event-types", response={200: list[str], **errors()},
            summary="List the event types a webhook can subscribe to")
def list_event_types(request: HttpRequest):  # type: ignore[no-untyped-def]
    return list(PUBLIC_TYPES)


@router.get(W, response={200: list[EndpointOut], **errors(403, 404)}, summary="List webhook endpoints")
def list_endpoints(request: HttpRequest, organisation_id: int):  # type: ignore[no-untyped-def]
    organisation, actor = access_webhook_organisation(principal=principal(request),
                                                      organisation_id=organisation_id)
    return selectors.webhook_endpoint_list(actor=actor, organisation=organisation)


@router.post(W, response={201: EndpointWithSecretOut, **errors(403, 404)},
             summary="Register a webhook endpoint")
def create_endpoint(request: HttpRequest, organisation_id: int, payload: EndpointIn):  # type: ignore[no-untyped-def]
    """The answer holds the signing secret, which is never shown again (rotate it if lost).
    Refused (422) for a URL that is not https or names a private, loopback or link-local
    address."""
    organisation, actor = access_webhook_organisation(principal=principal(request),
                                                      organisation_id=organisation_id)
    with transaction.atomic():
        endpoint, secret = webhook_endpoint_create(
            actor=actor, organisation=organisation, url=payload.url, event_types=payload.event_types,
            description=payload.description, is_active=payload.is_active)
    return Status(201, {**_present_endpoint(endpoint), "secret": secret})


def _endpoint(request: HttpRequest, organisation_id: int, endpoint_id: int,
              for_update: bool = False) -> tuple[WebhookEndpoint, Actor]:
    return access_webhook_endpoint(principal=principal(request), organisation_id=organisation_id,
                                   endpoint_id=endpoint_id, for_update=for_update)


@router.get(W + "/{endpoint_id}", response={200: EndpointOut, **errors(403, 404)},
            summary="Get a webhook endpoint")
def get_endpoint(request: HttpRequest, organisation_id: int, endpoint_id: int):  # type: ignore[no-untyped-def]
    endpoint, actor = _endpoint(request, organisation_id, endpoint_id)
    return selectors.webhook_endpoint_detail(actor=actor, endpoint=endpoint)


@router.patch(W + "/{endpoint_id}", response={200: EndpointOut, **errors(403, 404)},
              summary="Change a webhook endpoint")
def update_endpoint(request: HttpRequest, organisation_id: int, endpoint_id: int,  # type: ignore[no-untyped-def]
                    payload: EndpointPatch):
    """Change its URL, event types, description or whether it is active; what is left out stays."""
    with transaction.atomic():
        endpoint, actor = _endpoint(request, organisation_id, endpoint_id, for_update=True)
        webhook_endpoint_update(actor=actor, endpoint=endpoint, url=payload.url,
                                event_types=payload.event_types, is_active=payload.is_active,
                                description=payload.description)
    return endpoint


@router.delete(W + "/{endpoint_id}", response={204: None, **errors(403, 404)},
               summary="Delete a webhook endpoint")
def delete_endpoint(request: HttpRequest, organisation_id: int, endpoint_id: int):  # type: ignore[no-untyped-def]
    """Deliveries still waiting are dropped with it."""
    with transaction.atomic():
        endpoint, actor = _endpoint(request, organisation_id, endpoint_id, for_update=True)
        webhook_endpoint_delete(actor=actor, endpoint=endpoint)
    return Status(204, None)


@router.post(W + "/{endpoint_id}/secret", response={200: SecretOut, **errors(403, 404)},
             summary="Rotate a webhook endpoint's signing secret")
def rotate_secret(request: HttpRequest, organisation_id: int, endpoint_id: int):  # type: ignore[no-untyped-def]
    """Every attempt from now on is signed with the new secret, which is shown only now."""
    with transaction.atomic():
        endpoint, actor = _endpoint(request, organisation_id, endpoint_id, for_update=True)
        secret = webhook_endpoint_rotate_secret(actor=actor, endpoint=endpoint)
    return {"secret": secret}


@router.get(W + "/{endpoint_id}/deliveries", response={200: DeliveryPageOut, **errors(403, 404)},
            summary="List a webhook endpoint's deliveries, with every attempt")
def list_deliveries(request: HttpRequest, organisation_id: int, endpoint_id: int,  # type: ignore[no-untyped-def]
                    filters: Query[DeliveryFilters]):
    """Newest first, a page at a time (``before_id``: the ``next_before_id`` of the last page)."""
    endpoint, actor = _endpoint(request, organisation_id, endpoint_id)
    rows, next_before_id = selectors.webhook_delivery_list(
        actor=actor, endpoint=endpoint, state=filters.state,
        before_id=filters.before_id, limit=filters.limit)
    return {"items": [_present_delivery(d) for d in rows], "next_before_id": next_before_id}


@router.post(W + "/{endpoint_id}/deliveries/{delivery_id}/redelivery",
             response={202: DeliveryOut, **errors(403, 404)}, summary="Send a delivery again")
def redeliver(request: HttpRequest, organisation_id: int, endpoint_id: int, delivery_id: int):  # type: ignore[no-untyped-def]
    """With the same ``Plaint-Delivery`` id, so that a receiver that has it already drops it."""
    with transaction.atomic():
        delivery, actor = access_webhook_delivery(principal=principal(request),
                                                  organisation_id=organisation_id,
                                                  endpoint_id=endpoint_id, delivery_id=delivery_id)
        webhook_delivery_redeliver(actor=actor, delivery=delivery)
    return Status(202, _present_delivery(delivery))
