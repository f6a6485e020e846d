"""Filing a complaint from the public form: the form's cleaned data becomes an intake draft.

The person has no account, so the intake runs as the system (as an e-mail that opens a complaint
does) and the customer is found or created by the e-mail address or phone number given."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from plaint.complaints.actors import SYSTEM_ACTOR, customer_actor
from plaint.complaints.choices import Channel
from plaint.complaints.models import Complaint
from plaint.complaints.services.demands import DemandSpec
from plaint.complaints.services.evidence import evidence_add
from plaint.complaints.services.intake import ComplaintDraft, Idempotency, complaint_create
from plaint.parties.actors import Principal
from plaint.parties.choices import ContactChannel
from plaint.parties.models import Organisation
from plaint.parties.services import CustomerDetails, customer_find_or_create


def complaint_file(*, organisation: Organisation, data: dict[str, Any]) -> Complaint:
    """Take in one complaint from the form (one transaction, through the normal intake), with
    its evidence files (``evidence_add`` as the complaint's customer, as an e-mail's attachments).

    The same form sent twice returns the first complaint (its files are not added twice); sent
    again changed, it raises ``Conflict`` and nothing is written."""
    details = CustomerDetails(
        full_name=data["full_name"].strip(), email=data["email"], phone=data["phone"].strip(),
        preferred_language=data["language"],
        preferred_channel=data.get("preferred_channel")
        or (ContactChannel.EMAIL if data["email"] else ContactChannel.PHONE),
        accessibility_needs=data.get("accessibility_needs", "").strip(),
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
        # On the complaint, never used to find the customer: anyone can type someone's number.
        product=data.get("product", "").strip(), account_number=data.get("account_number", "").strip(),
    )
    files = data.get("evidence") or []
    idempotency = None
    if data.get("submission"):
        digested = {k: v for k, v in data.items() if k not in ("submission", "evidence")}
        if files:  # the files by name and size: a form sent again with other files is another one
            digested["evidence"] = [[f.name, f.size] for f in files]
        idempotency = Idempotency(
            scope=f"web-form:{organisation.pk}", key=data["submission"],
            request_sha256=Idempotency.digest(digested),
        )
    with transaction.atomic():
        complaint, created = complaint_create(
            actor=SYSTEM_ACTOR, organisation=organisation, draft=draft, idempotency=idempotency,
            customer=lambda: customer_find_or_create(organisation=organisation, details=details),
        )
        if created and files:
            filer = customer_actor(Principal(user=complaint.customer.user), organisation.pk)
            for upload in files:
                evidence_add(actor=filer, complaint=complaint, stream=upload, name=upload.name or "file")
    return complaint
