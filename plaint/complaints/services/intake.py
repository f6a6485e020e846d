"""Taking a complaint in: the reference number, the record, the acknowledgement."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from plaint.complaints.actors import Actor
from plaint.complaints.choices import Channel, EventKind, Priority
from plaint.complaints.error_codes import ComplaintErrorCode
from plaint.complaints.lifecycle import Level, State
from plaint.complaints.models import Complaint, IdempotencyRecord
from plaint.complaints.notifications import notify_complaint_customer
from plaint.complaints.services.common import event_record
from plaint.complaints.services.demands import (
    CURRENCY,
    DemandSpec,
    demands_store,
    demands_validate,
)
from plaint.core import clock, references
from plaint.core.exceptions import Conflict, ValidationFailed
from plaint.parties.models import Customer, Organisation

REFERENCE_ATTEMPTS = 5
CENT = Decimal("0.01")


@dataclass(frozen=True)
class ComplaintDraft:
    """What an intake channel knows about a new complaint.

    ``demands`` is None when the channel had no structure for them (a call, an
    e-mail, a letter): the complaint is then taken with its demands unspecified.
    """

    channel: str
    subject: str
    description: str
    demands: list[DemandSpec] | None = None
    language: str = ""
    category: str = ""
    subcategory: str = ""
    product: str = ""
    account_number: str = ""
    amount_in_dispute: Decimal | None = None
    currency: str = ""
    priority: str = Priority.NORMAL
    level: int = Level.FRONTLINE
    received_at: datetime | None = None
    extra: dict[str, str] = field(default_factory=dict)
    # The customer's e-mail that opened the complaint: the acknowledgement answers it.
    in_reply_to: str = ""
    # False when nothing may be sent before a person looks (``held_reason``).
    acknowledge: bool = True
    held_reason: str = ""


@dataclass(frozen=True)
class Idempotency:
    """An ``Idempotency-Key`` with whose key it is and a digest of the request."""

    scope: str
    key: str
    request_sha256: str

    @staticmethod
    def digest(payload: object) -> str:
        canonical = json.dumps(payload, sort_keys=True, default=str, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


def complaint_create(
    *,
    actor: Actor,
    organisation: Organisation,
    customer: Customer | Callable[[], Customer],
    draft: ComplaintDraft,
    idempotency: Idempotency | None = None,
) -> tuple[Complaint, bool]:
    """Take a complaint in and return it with ``created`` (False for a replayed key).

    ``customer`` is the customer, or a function that finds or creates them: it
    is called inside the intake's transaction, so that a replayed or failed
    intake leaves no customer record behind.

    The same idempotency key with the same request returns the first complaint;
    with a different request it is refused. Two racing requests with one key
    create one complaint: the loser's transaction rolls back and it returns the
    winner's. Called outside a transaction (as the API does), the intake is one
    transaction with no savepoint.
    """
    _validate(draft)
    if idempotency is not None:
        existing = _replay(idempotency)
        if existing is not None:
            return existing, False
    for attempt in range(REFERENCE_ATTEMPTS):
        try:
            with transaction.atomic():
                resolved = customer() if callable(customer) else customer
                complaint = _create(actor, organisation, resolved, draft)
                if idempotency is not None:
                    IdempotencyRecord.objects.create(
                        scope=idempotency.scope,
                        key=idempotency.key,
                        request_sha256=idempotency.request_sha256,
                        complaint=complaint,
                        created_at=complaint.created_at,
                    )
        except IntegrityError:
            # Either another request with the same key won the race, or (once in a
            # trillion) the random reference was taken: replay, or draw again.
            if idempotency is not None and (existing := _replay(idempotency)) is not None:
                return existing, False
            if attempt == REFERENCE_ATTEMPTS - 1:
                raise
        else:
            return complaint, True
    raise AssertionError("unreachable")  # pragma: no cover


def _replay(idempotency: Idempotency) -> Complaint | None:
    record = (
        IdempotencyRecord.objects.filter(scope=idempotency.scope, key=idempotency.key)
        .select_related("complaint")
        .first()
    )
    if record is None:
        return None
    if record.request_sha256 != idempotency.request_sha256:
        raise Conflict(
            ComplaintErrorCode.IDEMPOTENCY_KEY_REUSED,
            gettext("This Idempotency-Key was already used for a different request."),
        )
    return record.complaint


def _validate(draft: ComplaintDraft) -> None:
    errors: dict[str, list[str]] = {}
    if draft.channel not in Channel.values:
        errors["channel"] = [gettext("Unknown channel.")]
    if not draft.subject.strip():
        errors["subject"] = [gettext("Say in a few words what the complaint is about.")]
    if not draft.description.strip():
        errors["description"] = [gettext("Describe what happened.")]
    if draft.level not in (Level.FRONTLINE, Level.FORMAL):
        errors["level"] = [gettext("A complaint starts at the frontline or as a formal complaint.")]
    if (draft.amount_in_dispute is None) != (not draft.currency):
        errors["currency"] = [gettext("An amount needs a currency, and a currency an amount.")]
    elif draft.currency and not CURRENCY.match(draft.currency):
        errors["currency"] = [gettext("Give the currency as a three-letter code.")]
    if draft.amount_in_dispute is not None and draft.amount_in_dispute < 0:
        errors["amount_in_dispute"] = [gettext("The amount cannot be negative.")]
    if draft.priority not in Priority.values:
        errors["priority"] = [gettext("Unknown priority.")]
    if errors:
        raise ValidationFailed(
            "validation_error", gettext("The complaint could not be filed."), fields=errors
        )
    if draft.demands:
        demands_validate(draft.demands)


def _create(
    actor: Actor, organisation: Organisation, customer: Customer, draft: ComplaintDraft
) -> Complaint:
    now = clock.now()
    complaint = Complaint(
        organisation=organisation,
        customer=customer,
        account_number=draft.account_number,
        channel=draft.channel,
        language=draft.language or customer.preferred_language or organisation.default_language,
        category=draft.category,
        subcategory=draft.subcategory,
        product=draft.product,
        subject=draft.subject.strip(),
        description=draft.description,
        demands_recorded=bool(draft.demands),
        amount_in_dispute=(
            None if draft.amount_in_dispute is None else draft.amount_in_dispute.quantize(CENT)
        ),
        currency=draft.currency,
        priority=draft.priority,
        state=State.RECEIVED,
        level=draft.level,
        received_at=draft.received_at.astimezone(UTC) if draft.received_at else now,
        created_at=now,
        updated_at=now,
        state_changed_at=now,
        held_reason=draft.held_reason,
    )
    complaint.reference = references.generate()
    complaint.save(force_insert=True)
    if draft.demands:
        demands_store(complaint, draft.demands)
    event_record(
        actor=actor,
        kind=EventKind.RECEIVED,
        complaint=complaint,
        data={"channel": draft.channel, "level": int(draft.level),
              "demands_recorded": bool(draft.demands),
              "received_at": complaint.received_at.isoformat()},
    )
    if draft.acknowledge:
        notify_complaint_customer(complaint, "received", in_reply_to=draft.in_reply_to)
    return complaint
