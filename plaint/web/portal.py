"""Filing a complaint from the public form: the form's cleaned data becomes an intake draft.

The person has no account, so the intake runs as the system (as an e-mail that opens a complaint
does) and the customer is found or created by the e-mail address or phone number given."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from plaint.complaints.actors import SYSTEM_ACTOR
from plaint.complaints.choices import Channel
from plaint.complaints.models import Complaint
from plaint.complaints.services.demands import DemandSpec
from plaint.complaints.services.intake import ComplaintDraft, Idempotency, complaint_create
from plaint.parties.choices import ContactChannel
from plaint.parties.models import Organisation
from plaint.parties.services import CustomerDetails, customer_find_or_create


def complaint_file(*, organisation: Organisation, data: dict[str, Any]) -> Complaint:
    """Take in one complaint from the form (one transaction, through the normal intake).

    The same form sent twice returns the first complaint; sent again changed, it raises
    ``Conflict`` and nothing is written."""
    details = CustomerDetails(
        full_name=data["full_name"].strip(), email=data["email"], phone=data["phone"].strip(),
        preferred_language=data["language"],
        preferred_channel=ContactChannel.EMAIL if data["email"] else ContactChannel.PHONE,
    )
    description = data["description"].strip()
    if data.get("since"):
        description += "\n\n" + gettext("Since: %(date)s") % {"date": data["since"].isoformat()}
    amount = data.get("amount")
    draft = ComplaintDraft(
        channel=Channel.WEB, subject=data["subject"].strip(), description=description,
        demands=[DemandSpec(kind=data["demand"], amount=amount,
                            currency=data["currency"] if amount is not None else "")],
        language=data["language"],
    )
    idempotency = None
    if data.get("submission"):
        idempotency = Idempotency(
            scope=f"web-form:{organisation.pk}", key=data["submission"],
            request_sha256=Idempotency.digest({k: v for k, v in data.items() if k != "submission"}),
        )
    complaint, _ = complaint_create(
        actor=SYSTEM_ACTOR, organisation=organisation, draft=draft, idempotency=idempotency,
        customer=lambda: customer_find_or_create(organisation=organisation, details=details),
    )
    return complaint
