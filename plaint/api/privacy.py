"""Erasure on request through the API: an organisation's admins (signed in, or with an admin
token) carry out a customer's request to be erased (``plaint.complaints.erasure``). A complaint
of the customer that is open or with an external body refuses it: ``409 erasure_legal_hold``,
the references in the message, nothing changed."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import AwareDatetime, Field

from plaint.api.auth import principal
from plaint.api.errors import errors
from plaint.complaints.erasure import erasure_request
from plaint.complaints.models import ErasureChannel
from plaint.parties.access import access_customer_as_admin

router = Router(tags=["privacy"])


class KeptOut(Schema):
    reference: str
    rule: str = Field(description="The retention entry that keeps it, with its period.")
    until: AwareDatetime | None = Field(description="When the record goes (plaint retention run).")


class ErasureOut(Schema):
    id: int
    outcome: str = Field(description="erased, or partly_kept: the complaint records in kept stay "
                                     "until their date")
    requested_at: AwareDatetime
    kept: list[KeptOut]
    completed_at: AwareDatetime | None


@router.post("/organisations/{organisation_id}/customers/{customer_id}/erasure",
             response={201: ErasureOut, **errors(403, 404, 409)}, summary="Erase a customer's data")
def erase_customer(request: HttpRequest, organisation_id: int, customer_id: int):  # type: ignore[no-untyped-def]
    """Anonymise the customer row and their complaints, except the records a retention rule of
    the organisation's country still requires; only this organisation's row (the person's
    account, if they have one, is theirs to erase on their data page)."""
    who = principal(request)
    customer = access_customer_as_admin(principal=who, organisation_id=organisation_id,
                                        customer_id=customer_id)
    done = erasure_request(customer=customer, channel=ErasureChannel.API, requested_by=who.user)
    return Status(201, {"id": done.pk, "outcome": done.outcome, "requested_at": done.requested_at,
                        "kept": done.kept, "completed_at": done.completed_at})
