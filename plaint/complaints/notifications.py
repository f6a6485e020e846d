"""Messages to the customer, written in their language and queued in the outbox.

Each kind has a body template ``complaints/email/<kind>.txt`` and a subject
template ``<kind>_subject.txt``. Called by services inside their transaction;
the outbox sends after commit.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from plaint.channels.services import outgoing_message_queue
from plaint.complaints.models import Complaint
from plaint.core import references
from plaint.parties.models import Customer, Membership


def notify_customer(
    *,
    customer: Customer,
    organisation_id: int,
    kind: str,
    thread_reference: str,
    context: dict[str, Any],
    time_zone: str = "UTC",
    in_reply_to: str = "",
) -> None:
    """Queue a message of ``kind`` to the customer, if they have an e-mail address.

    Dates and times in ``context`` are shown in the customer's language and the
    organisation's time zone.
    """
    if not customer.email:
        return
    language = customer.preferred_language or "en"
    with translation.override(language), timezone.override(zoneinfo.ZoneInfo(time_zone)):
        full_context = {"customer_name": customer.full_name or customer.email, **context}
        subject = render_to_string(f"complaints/email/{kind}_subject.txt", full_context)
        body = render_to_string(f"complaints/email/{kind}.txt", full_context)
    outgoing_message_queue(
        organisation_id=organisation_id,
        kind=kind,
        to_address=customer.email,
        language=language,
        subject=" ".join(subject.split()),
        body=body.strip() + "\n",
        thread_reference=thread_reference,
        in_reply_to=in_reply_to,
    )


def notify_complaint_customer(
    complaint: Complaint, kind: str, *, in_reply_to: str = "", **context: Any
) -> None:
    """Queue a message about ``complaint`` to its customer (answering ``in_reply_to``)."""
    notify_customer(
        customer=complaint.customer,
        organisation_id=complaint.organisation_id,
        kind=kind,
        thread_reference=complaint.reference,
        time_zone=complaint.organisation.time_zone,
        in_reply_to=in_reply_to,
        context={
            "reference": references.display(complaint.reference),
            "organisation": complaint.organisation.name,
            "subject": complaint.subject,
            **context,
        },
    )


def notify_staff(complaint: Complaint, members: Iterable[Membership], kind: str, **context: Any) -> None:
    """Queue a message of ``kind`` about ``complaint`` to each staff member, in their language.

    Templates are ``complaints/email/staff_<kind>.txt`` and ``staff_<kind>_subject.txt``.
    """
    organisation = complaint.organisation
    for member in members:
        person = member.user
        language = person.preferred_language or organisation.default_language
        with translation.override(language), timezone.override(zoneinfo.ZoneInfo(organisation.time_zone)):
            full_context = {
                "staff_name": person.full_name or person.email,
                "reference": references.display(complaint.reference),
                "organisation": organisation.name,
                "subject": complaint.subject,
                **context,
            }
            subject = render_to_string(f"complaints/email/staff_{kind}_subject.txt", full_context)
            body = render_to_string(f"complaints/email/staff_{kind}.txt", full_context)
        outgoing_message_queue(
            organisation_id=organisation.pk,
            kind=f"staff_{kind}",
            to_address=person.email,
            language=language,
            subject=" ".join(subject.split()),
            body=body.strip() + "\n",
            thread_reference=complaint.reference,
        )
