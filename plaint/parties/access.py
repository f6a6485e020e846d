"""The only way an adapter turns an organisation's or a token's id from a request into an object
for managing API tokens, or a customer row for erasure on request.

Whoever is not staff of the organisation gets the same ``NotFound`` as for an id that does not
exist; staff who are not its admins are refused (403): a token acts for the organisation, so
handing one out is an admin's decision, like a webhook.
"""

from __future__ import annotations

from django.utils.translation import gettext

from plaint.core.exceptions import NotFound, PermissionDenied
from plaint.parties.actors import Principal
from plaint.parties.choices import Role
from plaint.parties.models import ApiToken, Customer, Organisation

NOT_PERMITTED = "not_permitted"


def access_token_organisation(*, principal: Principal, organisation_id: int) -> Organisation:
    """The organisation, if the caller is one of its admins (a person, or an admin token)."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise NotFound
    role = principal.staff_role(organisation.pk)
    if role is None:
        raise NotFound
    if role != Role.ORG_ADMIN:
        raise PermissionDenied(NOT_PERMITTED,
                               gettext("Only the organisation's admins manage its API tokens."))
    return organisation


def access_token(*, principal: Principal, organisation_id: int, token_id: int) -> ApiToken:
    """One of the organisation's tokens, if the caller is one of its admins."""
    organisation = access_token_organisation(principal=principal, organisation_id=organisation_id)
    token = ApiToken.objects.filter(pk=token_id, organisation=organisation).first()
    if token is None:
        raise NotFound
    token.organisation = organisation
    return token


def access_customer_as_admin(*, principal: Principal, organisation_id: int, customer_id: int) -> Customer:
    """One of the organisation's customer rows, if the caller is one of its admins (a person, or
    an admin token): for erasure on the customer's request. Other staff 403, anybody else 404."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    role = principal.staff_role(organisation.pk) if organisation is not None else None
    if role is None:
        raise NotFound
    if role != Role.ORG_ADMIN:
        raise PermissionDenied(NOT_PERMITTED,
                               gettext("Only the organisation's admins erase a customer's data."))
    customer = Customer.objects.filter(pk=customer_id, organisation=organisation).first()
    if customer is None:
        raise NotFound
    return customer
