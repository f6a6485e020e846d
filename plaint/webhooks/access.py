"""The only way an adapter turns a webhook id from a request into an object.

Whoever is not staff of the organisation gets the same ``NotFound`` as for an id that does not
exist; staff who are not admins are refused by ``policy.authorise`` (403) in the service or
selector, after the lookup.
"""

from __future__ import annotations

from plaint.complaints.actors import Actor, staff_actor
from plaint.core.exceptions import NotFound
from plaint.parties.actors import Principal
from plaint.parties.models import Organisation
from plaint.webhooks.models import WebhookDelivery, WebhookEndpoint


def access_webhook_organisation(*, principal: Principal, organisation_id: int) -> tuple[Organisation, Actor]:
    """The organisation and the caller as its staff."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise NotFound
    actor = staff_actor(principal, organisation.pk)
    if actor is None:
        raise NotFound
    return organisation, actor


def access_webhook_endpoint(
    *, principal: Principal, organisation_id: int, endpoint_id: int, for_update: bool = False
) -> tuple[WebhookEndpoint, Actor]:
    """One of the organisation's endpoints, and the caller as its staff."""
    organisation, actor = access_webhook_organisation(principal=principal, organisation_id=organisation_id)
    queryset = WebhookEndpoint.objects.all()
    if for_update:
        queryset = queryset.select_for_update()
    endpoint = queryset.filter(pk=endpoint_id, organisation=organisation).first()
    if endpoint is None:
        raise NotFound
    endpoint.organisation = organisation
    return endpoint, actor


def access_webhook_delivery(
    *, principal: Principal, organisation_id: int, endpoint_id: int, delivery_id: int
) -> tuple[WebhookDelivery, Actor]:
    """One delivery of one of the organisation's endpoints, and the caller as its staff."""
    endpoint, actor = access_webhook_endpoint(principal=principal, organisation_id=organisation_id,
                                              endpoint_id=endpoint_id)
    delivery = WebhookDelivery.objects.filter(pk=delivery_id, endpoint=endpoint).first()
    if delivery is None:
        raise NotFound
    delivery.endpoint = endpoint
    return delivery, actor
