"""Erasure on request (GDPR art. 17, LGPD art. 18 VI): anonymise a person's data in the ordinary
tables, keep what a retention rule still requires, and say until when and why.

Refused while any complaint of theirs is open or referred to an external body (a legal hold,
GDPR art. 17(3)(b) and (e)): ``ErasureRefused`` lists the references and nothing changes.

Otherwise, in one transaction:

- the **account** (when the person asked with it): e-mail replaced by ``erased-<id>@erased.invalid``,
  name emptied, password unusable, deactivated; it stays as a row because events point to it;
- each **complaint record** that a retention entry still requires (``retention.complaint_keep``)
  is kept whole, with the customer's contact details as the provider recorded them, and listed on
  the ``ErasureRequest`` with the rule and the date; ``plaint retention run`` removes it when
  the period ends and then anonymises the customer row (``erasures_complete``);
- every other complaint is **anonymised in place**: its free text (subject, description,
  demands' details, messages and the e-mails they came in as, contact notes, promises, chat
  lines, decisions' reasoning, final responses, external outcomes, reasons, rating comment),
  its files (deleted), the e-mails sent about it; and the customer row, once none of its
  complaints is kept: name, e-mail, phone, address, accessibility needs, account numbers.

Events are never changed (they hold no personal data; a reason's text is outside the hash), so
the chains keep verifying; each complaint gets a ``personal_data_erased`` event naming the request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from plaint.channels.models import IncomingMessage, OutgoingMessage, OutgoingState
from plaint.complaints.actors import SYSTEM_ACTOR
from plaint.complaints.choices import ChatRole, EventKind, Visibility
from plaint.complaints.error_codes import ComplaintErrorCode
from plaint.complaints.models import (
    CancellationRequest,
    ChatLine,
    ChatParticipant,
    Complaint,
    Decision,
    Demand,
    ErasureChannel,
    ErasureOutcome,
    ErasureRequest,
    Event,
    Evidence,
    ExternalReferral,
    FinalResponse,
    Interaction,
    Message,
    Promise,
    Reason,
)
from plaint.complaints.retention import complaint_keep, under_legal_hold
from plaint.core import clock
from plaint.core.exceptions import Conflict
from plaint.parties.models import Customer, CustomerAccountNumber, User

ERASED_DOMAIN = "erased.invalid"
#: Called with the ids of the complaints being anonymised, in the erasure's transaction: the apps
#: above this one that keep a person's words about a complaint (``feedback``'s rating comment,
#: ``interchange``'s imported source cells) register here in their ``ready``, so that this app
#: does not import them.
complaint_anonymisers: list[Callable[[list[int]], None]] = []


class ErasureRefused(Conflict):
    """A legal hold (or a staff account): nothing was changed. ``references`` names the
    complaints that hold it."""

    def __init__(self, code: ComplaintErrorCode, message: str, references: list[str]) -> None:
        super().__init__(code, message)
        self.references = references


@dataclass(frozen=True)
class Kept:
    complaint_id: int
    reference: str
    rule: str
    until: datetime | None


def erased_email(user_id: int) -> str:
    return f"erased-{user_id}@{ERASED_DOMAIN}"


def _customers(user: User | None, customer: Customer | None) -> list[Customer]:
    rows = Customer.objects.select_for_update()
    if customer is not None:
        return list(rows.filter(pk=customer.pk))
    return list(rows.filter(user=user).order_by("pk"))


def _refuse_holds(complaints: list[Complaint]) -> None:
    held = sorted(Complaint.objects.filter(under_legal_hold(), pk__in=[c.pk for c in complaints])
                  .values_list("reference", flat=True))
    if held:
        raise ErasureRefused(
            ComplaintErrorCode.ERASURE_LEGAL_HOLD,
            gettext("Your data cannot be erased while a complaint is open or with an external body: "
                    "%(references)s. Ask again once it is over.") % {"references": ", ".join(held)},
            held,
        )


def _outgoing_blank(messages: QuerySet[OutgoingMessage]) -> None:
    """Blank e-mails to the person; one still waiting to be sent is given up, not sent blank."""
    messages.filter(state=OutgoingState.QUEUED).update(
        state=OutgoingState.FAILED, next_attempt_at=None, last_error="erased on request")
    messages.update(to_address="", subject="", body="")


def complaints_anonymise(complaint_ids: list[int]) -> None:
    """Empty every free text and personal value of these complaints, delete their files, and
    blank the e-mails that came in or went out about them. Events are left as they are."""
    ids = complaint_ids
    if not ids:
        return
    references = list(Complaint.objects.filter(pk__in=ids).values_list("reference", flat=True))
    Complaint.objects.filter(pk__in=ids).update(subject="", description="", account_number="")
    Demand.objects.filter(complaint_id__in=ids).update(detail="")
    incoming = Message.objects.filter(complaint_id__in=ids, incoming_message__isnull=False)
    IncomingMessage.objects.filter(pk__in=incoming.values("incoming_message_id")).update(
        raw=b"", from_address="", subject="", problem="")
    IncomingMessage.objects.filter(thread_reference__in=references).update(
        raw=b"", from_address="", subject="", problem="")
    _outgoing_blank(OutgoingMessage.objects.filter(thread_reference__in=references))
    Message.objects.filter(complaint_id__in=ids).update(body="")
    Interaction.objects.filter(complaint_id__in=ids).update(notes="", references_quoted=[])
    Promise.objects.filter(complaint_id__in=ids).update(description="")
    transcripts = Q(transcript__interaction__complaint_id__in=ids)
    ChatLine.objects.filter(transcripts).update(text="")
    ChatParticipant.objects.filter(transcripts, role=ChatRole.CUSTOMER).update(name="")
    Decision.objects.filter(complaint_id__in=ids).update(reasoning="", remedy_detail="")
    FinalResponse.objects.filter(complaint_id__in=ids).update(text="")
    ExternalReferral.objects.filter(complaint_id__in=ids).update(outcome="")
    for anonymiser in complaint_anonymisers:
        anonymiser(ids)
    Reason.objects.filter(pk__in=Event.objects.filter(complaint_id__in=ids, reason__isnull=False)
                          .values("reason_id")).update(text="")
    files = list(Evidence.objects.filter(complaint_id__in=ids).values_list("file", flat=True))
    Evidence.objects.filter(complaint_id__in=ids).delete()
    storage = Evidence._meta.get_field("file").storage  # type: ignore[attr-defined]
    transaction.on_commit(lambda: [storage.delete(name) for name in files if name])


def customers_anonymise(customers: list[Customer]) -> None:
    """Empty the customer rows' contact details and needs, their account numbers and the
    account numbers of their cancellation requests, and the e-mails sent to them."""
    emails = [c.email for c in customers if c.email]
    ids = [c.pk for c in customers]
    Customer.objects.filter(pk__in=ids).update(
        full_name="", email="", phone="", postal_address="", accessibility_needs="",
        is_vulnerable=False)
    CustomerAccountNumber.objects.filter(customer_id__in=ids).delete()
    CancellationRequest.objects.filter(customer_id__in=ids).update(account_number="")
    if emails:
        _outgoing_blank(OutgoingMessage.objects.filter(to_address__in=emails))


def account_anonymise(user: User) -> None:
    """The account stays (events point to it) but holds nothing of the person and opens for
    nobody."""
    user.email = erased_email(user.pk)
    user.full_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["email", "full_name", "is_active", "password"])
    from plaint.parties.models import NotificationPreferences

    NotificationPreferences.objects.filter(user=user).delete()


def _kept(complaints: list[Complaint], now: datetime) -> tuple[list[Kept], list[int]]:
    kept: list[Kept] = []
    anonymise: list[int] = []
    for complaint in complaints:
        keep = complaint_keep(complaint)
        if keep is not None and (keep.until is None or keep.until > now):
            kept.append(Kept(complaint.pk, complaint.reference, keep.entry.label, keep.until))
        else:
            anonymise.append(complaint.pk)
    return kept, anonymise


def erasure_request(
    *, user: User | None = None, customer: Customer | None = None, channel: ErasureChannel,
    requested_by: User | None = None,
) -> ErasureRequest:
    """Erase a person: by their account (``user``: every customer row of theirs and the
    account) or one customer row (``customer``, e.g. a provider's admin or the operator).
    ``ErasureRefused`` while a complaint is open or referred, or for a staff member's account."""
    if (user is None) == (customer is None):
        raise ValueError("erase by account or by customer, not both")
    with transaction.atomic():
        now = clock.now()
        if user is not None and (user.is_staff or user.memberships.exists()):
            raise ErasureRefused(ComplaintErrorCode.ERASURE_STAFF_ACCOUNT,
                                 gettext("A staff member's or a platform admin's account is closed "
                                         "by their organisation or the operator."),
                                 [])
        customers = _customers(user, customer)
        complaints = list(Complaint.objects.select_for_update(of=("self",))
                          .filter(customer__in=customers).select_related("organisation").order_by("pk"))
        _refuse_holds(complaints)
        kept, anonymise = _kept(complaints, now)
        kept_customers = set(Complaint.objects.filter(pk__in=[k.complaint_id for k in kept])
                             .values_list("customer_id", flat=True))
        complaints_anonymise(anonymise)
        customers_anonymise([c for c in customers if c.pk not in kept_customers])
        if user is not None:
            account_anonymise(user)
        until = [k.until for k in kept if k.until is not None]
        request = ErasureRequest.objects.create(
            user=user if user is not None else customer.user, customer_ids=[c.pk for c in customers],  # type: ignore[union-attr]
            channel=channel, requested_by=requested_by, requested_at=now,
            outcome=ErasureOutcome.PARTLY_KEPT if kept else ErasureOutcome.ERASED,
            kept=[_kept_json(k) for k in kept], kept_until=max(until) if until else None,
            completed_at=None if kept else now,
        )
        _events(request, complaints, kept)
        return request


def _kept_json(kept: Kept) -> dict[str, Any]:
    return {"complaint": kept.complaint_id, "reference": kept.reference, "rule": kept.rule,
            "until": kept.until.isoformat() if kept.until else None}


def _events(request: ErasureRequest, complaints: list[Complaint], kept: list[Kept]) -> None:
    from plaint.complaints.services.common import event_record

    by_id = {k.complaint_id: k for k in kept}
    for complaint in complaints:
        item = by_id.get(complaint.pk)
        data: dict[str, Any] = {"erasure_request": request.pk, "kept": item is not None}
        if item is not None:
            data |= {"rule": item.rule, "until": item.until.isoformat() if item.until else None}
        event_record(actor=SYSTEM_ACTOR, kind=EventKind.PERSONAL_DATA_ERASED, complaint=complaint,
                     visibility=Visibility.CUSTOMER, data=data)


def erasures_complete(*, now: datetime) -> int:
    """Finish the erasure requests whose kept complaint records are gone (removed by the
    retention run): anonymise the customer rows kept with them. In the caller's transaction;
    the number completed."""
    done = 0
    for request in ErasureRequest.objects.select_for_update().filter(completed_at__isnull=True):
        kept_ids = [item["complaint"] for item in request.kept]
        if Complaint.objects.filter(pk__in=kept_ids).exists():
            continue
        customers = list(Customer.objects.filter(pk__in=request.customer_ids))
        if Complaint.objects.filter(under_legal_hold(), customer__in=customers).exists():
            continue  # a complaint received since is open: its record needs the contact details
        # Anything the customer row still has (a complaint received since) is anonymised too:
        # the person asked for erasure and no rule keeps it.
        complaints_anonymise(list(Complaint.objects.filter(customer__in=customers)
                                  .exclude(under_legal_hold()).values_list("pk", flat=True)))
        customers_anonymise(customers)
        request.completed_at = now
        request.save(update_fields=["completed_at"])
        done += 1
    return done
