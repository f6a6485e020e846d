"""Messages to the customer, written in their language and queued in the outbox.

Each kind has a body template ``complaints/email/<kind>.txt`` and a subject
template ``<kind>_subject.txt``. Called by services inside their transaction;
the outbox sends after commit.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable, Iterable
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from plaint.channels.services import outgoing_message_queue
from plaint.complaints.choices import Channel
from plaint.complaints.models import Complaint, StaffNotification
from plaint.core import clock, references
from plaint.parties.choices import Role
from plaint.parties.models import Customer, Membership
from plaint.parties.selectors import users_not_wanting

#: Functions that add to the context of an e-mail to a customer, called with the complaint and
#: the e-mail's kind. ``plaint.clocks`` registers one (in ``ClocksConfig.ready``) that says, in
#: the acknowledgement, by when the answer is due and under which rule: this app cannot import
#: the one above it.
customer_context_providers: list[Callable[[Complaint, str], dict[str, Any]]] = []

#: The preference (``parties.NotificationPreferences``) that lets each kind of staff
#: notification through; a kind not listed is always sent.
PREFERENCE_OF_KIND = {
    "assigned": "assigned",
    "customer_replied": "customer_replied",
    "clock_warning": "clock_at_risk",
    "clock_expired": "clock_breached",
}

#: The console notice (``StaffNotification.kind``) written for each kind of staff e-mail.
CONSOLE_KIND = {
    "assigned": "assigned",
    "customer_replied": "customer_replied",
    "clock_warning": "clock_at_risk",
    "clock_expired": "clock_breached",
}


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
    if not complaint.customer.email:
        return
    provided: dict[str, Any] = {}
    for provider in customer_context_providers:
        provided.update(provider(complaint, kind))
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
            **provided,
            **context,
        },
    )


def notify_staff(complaint: Complaint, members: Iterable[Membership], kind: str, **context: Any) -> None:
    """Queue a message of ``kind`` about ``complaint`` to each staff member, in their language.

    Templates are ``complaints/email/staff_<kind>.txt`` and ``staff_<kind>_subject.txt``.
    A member who switched this kind off in their preferences gets no e-mail (one query
    for all of them); every member gets the console's notice (``StaffNotification``).
    """
    organisation = complaint.organisation
    members = list(members)
    _console_notices(complaint, members, kind)
    preference = PREFERENCE_OF_KIND.get(kind)
    if preference is not None:
        unwanted = users_not_wanting([m.user_id for m in members], preference)
        members = [m for m in members if m.user_id not in unwanted]
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


def _console_notices(complaint: Complaint, members: list[Membership], kind: str) -> None:
    """The console's notices for the same people, whatever their e-mail preferences: one insert
    for all of them, in the caller's transaction."""
    console_kind = CONSOLE_KIND.get(kind)
    if console_kind is None or not members:
        return
    now = clock.now()
    StaffNotification.objects.bulk_create([
        StaffNotification(recipient_id=user_id, organisation_id=complaint.organisation_id,
                          complaint=complaint, kind=console_kind, created_at=now)
        for user_id in dict.fromkeys(m.user_id for m in members)
    ])


def notify_assigned(complaint: Complaint, assignee: Membership, *, by_user_id: int | None) -> None:
    """Tell ``assignee`` that the complaint is now theirs, unless they took it themselves.

    ``by_user_id``: the person who assigned it (None for an integration or the system).
    """
    if assignee.user_id == by_user_id:
        return
    notify_staff(complaint, [assignee], "assigned", priority=complaint.get_priority_display(),
                 due=complaint.next_due_at)


def customer_reply_recipients(complaint: Complaint) -> list[Membership]:
    """Who hears of a customer's reply: the handler; with none, the team leaders of the
    complaint's team; with no team (or no leader in it), the organisation's managers."""
    if complaint.assignee_id is not None and complaint.assignee is not None and complaint.assignee.is_active:
        return [complaint.assignee]
    active = Membership.objects.filter(
        organisation_id=complaint.organisation_id, is_active=True
    ).select_related("user")
    if complaint.team_id is not None:
        leaders = list(active.filter(team_id=complaint.team_id, role=Role.TEAM_LEADER))
        if leaders:
            return leaders
    return list(active.filter(role=Role.MANAGER))


def notify_customer_replied(
    complaint: Complaint, *, channel: str = "email", skip_user_id: int | None = None
) -> None:
    """Tell the staff who handle the complaint that the customer wrote to it (an e-mail or a
    letter joined it). ``skip_user_id``: a staff member who recorded the reply themselves
    and needs no e-mail about it."""
    recipients = [m for m in customer_reply_recipients(complaint) if m.user_id != skip_user_id]
    if not recipients:
        return
    label = Channel(channel).label if channel in Channel.values else channel
    notify_staff(complaint, recipients, "customer_replied", channel=label)
