"""The customer's demands: validated, stored, and recorded as one event."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext

from plaint.complaints.actors import Actor
from plaint.complaints.choices import DEMANDS_WITH_AMOUNT, DemandKind, EventKind
from plaint.complaints.error_codes import ComplaintErrorCode
from plaint.complaints.lifecycle import OPEN_BEFORE_DECISION
from plaint.complaints.models import Complaint, Demand
from plaint.complaints.policy import Operation
from plaint.complaints.services.common import authorise, event_record, service, touch
from plaint.core.exceptions import Conflict, ValidationFailed

CURRENCY = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class DemandSpec:
    kind: str
    amount: Decimal | None = None
    currency: str = ""
    detail: str = ""


def demands_validate(demands: list[DemandSpec], field: str = "demands") -> None:
    """Refuse demands that break the rules, naming the field of each fault."""
    errors: dict[str, list[str]] = {}
    for index, demand in enumerate(demands):
        where = f"{field}.{index}"
        if demand.kind not in DemandKind.values:
            errors[f"{where}.kind"] = [gettext("Unknown kind of demand.")]
            continue
        if demand.kind in DEMANDS_WITH_AMOUNT and demand.amount is None:
            errors[f"{where}.amount"] = [gettext("This demand needs an amount.")]
        if demand.amount is not None:
            if demand.amount <= 0:
                errors[f"{where}.amount"] = [gettext("The amount must be more than zero.")]
            if not CURRENCY.match(demand.currency):
                errors[f"{where}.currency"] = [gettext("Give the currency as a three-letter code.")]
        elif demand.currency:
            errors[f"{where}.amount"] = [gettext("A currency needs an amount.")]
    if errors:
        raise ValidationFailed(
            ComplaintErrorCode.INVALID_DEMAND, gettext("Some demands are not valid."), fields=errors
        )


def demands_store(complaint: Complaint, demands: list[DemandSpec]) -> None:
    Demand.objects.bulk_create(
        [
            Demand(
                complaint=complaint,
                kind=d.kind,
                amount=d.amount,
                currency=d.currency if d.amount is not None else "",
                detail=d.detail,
            )
            for d in demands
        ]
    )


@service
def complaint_demands_record(
    *, actor: Actor, complaint: Complaint, demands: list[DemandSpec]
) -> Complaint:
    """Record (or replace) what the customer asks for; allowed until a decision is made."""
    authorise(actor, Operation.RECORD_DEMANDS, complaint)
    if complaint.state not in OPEN_BEFORE_DECISION:
        raise Conflict(
            ComplaintErrorCode.INVALID_DEMAND,
            gettext("Demands can no longer be changed at this stage."),
        )
    if not demands:
        raise ValidationFailed(
            ComplaintErrorCode.INVALID_DEMAND,
            gettext("Record at least one demand."),
            fields={"demands": [gettext("Record at least one demand.")]},
        )
    demands_validate(demands)
    complaint.demands.all().delete()
    demands_store(complaint, demands)
    complaint.demands_recorded = True
    touch(complaint, "demands_recorded")
    event_record(
        actor=actor,
        kind=EventKind.DEMANDS_RECORDED,
        complaint=complaint,
        data={"kinds": [d.kind for d in demands]},
    )
    return complaint
