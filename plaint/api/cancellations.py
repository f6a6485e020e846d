"""Cancellation endpoints: confirmed at once, executed later."""

from __future__ import annotations

from typing import Literal

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Query, Router, Schema, Status
from pydantic import Field

from plaint.api.auth import principal
from plaint.api.complaint_schemas import CancellationIn, CancellationOut
from plaint.api.errors import errors
from plaint.complaints import selectors
from plaint.complaints.access import access_cancellation_by_protocol, access_organisation_for_intake
from plaint.complaints.error_codes import ComplaintErrorCode
from plaint.complaints.models import CancellationRequest
from plaint.complaints.services.cancellations import cancellation_execute, cancellation_request
from plaint.core import references
from plaint.core.exceptions import ValidationFailed
from plaint.parties.services import CustomerDetails, customer_find_or_create

router = Router(tags=["cancellations"])


def _present(c: CancellationRequest) -> dict[str, object]:
    return {
        "protocol_number": c.protocol_number,
        "protocol_display": references.display(c.protocol_number),
        "service": c.service, "account_number": c.account_number, "channel": c.channel,
        "state": c.state, "requested_at": c.requested_at, "effective_at": c.effective_at,
        "executed_at": c.executed_at,
    }


@router.post("/cancellations", response={201: CancellationOut, **errors(403, 404)},
             summary="Request the cancellation of a service")
def request_cancellation(request: HttpRequest, payload: CancellationIn):  # type: ignore[no-untyped-def]
    """Confirmed at once with a protocol number, effective from this moment,
    whatever the account's balance."""
    who = principal(request)
    organisation, actor = access_organisation_for_intake(
        principal=who, organisation_id=payload.organisation_id
    )
    if actor.is_customer:
        details = CustomerDetails(account_number=payload.account_number)
    elif payload.customer is None:
        message = gettext(
            "Say who the customer is: a name, an e-mail address, a phone number or an account number."
        )
        raise ValidationFailed(ComplaintErrorCode.CUSTOMER_REQUIRED, message,
                               fields={"customer": [message]})
    else:
        c = payload.customer
        details = CustomerDetails(full_name=c.full_name, email=c.email, phone=c.phone,
                                  account_number=c.account_number or payload.account_number,
                                  preferred_language=c.preferred_language)
    with transaction.atomic():
        customer = customer_find_or_create(organisation=organisation, details=details,
                                           user=who.user if actor.is_customer else None)
        cancellation = cancellation_request(actor=actor, customer=customer,
                                            service_name=payload.service,
                                            account_number=payload.account_number,
                                            channel=payload.channel)
    return Status(201, _present(cancellation))


class CancellationPageOut(Schema):
    items: list[CancellationOut]
    next_cursor: str | None


class CancellationFilters(Schema):
    state: Literal["open", "executed"] | None = None
    organisation_id: int | None = None
    cursor: str | None = Field(default=None, max_length=100)
    limit: int = Field(default=50, ge=1, le=200)


@router.get("/cancellations", response={200: CancellationPageOut, **errors()},
            summary="List cancellation requests")
def list_cancellations(request: HttpRequest, filters: Query[CancellationFilters]):  # type: ignore[no-untyped-def]
    """Staff see their organisation's queue (``state=open``: waiting to be executed);
    customers see their own requests. Newest first, a page at a time."""
    rows, next_cursor = selectors.cancellation_list(
        principal=principal(request), state=filters.state, organisation_id=filters.organisation_id,
        cursor=filters.cursor, limit=filters.limit,
    )
    return {"items": [_present(c) for c in rows], "next_cursor": next_cursor}


@router.get("/cancellations/{protocol}", response={200: CancellationOut, **errors(404)},
            summary="Get a cancellation request")
def get_cancellation(request: HttpRequest, protocol: str):  # type: ignore[no-untyped-def]
    cancellation, _actor = access_cancellation_by_protocol(principal=principal(request),
                                                           protocol_number=protocol)
    return _present(cancellation)


@router.post("/cancellations/{protocol}/execution",
             response={200: CancellationOut, **errors(403, 404, 409)},
             summary="Record that the cancellation was executed")
def execute_cancellation(request: HttpRequest, protocol: str):  # type: ignore[no-untyped-def]
    with transaction.atomic():
        cancellation, actor = access_cancellation_by_protocol(
            principal=principal(request), protocol_number=protocol, for_update=True)
        cancellation_execute(actor=actor, cancellation=cancellation)
    return _present(cancellation)
