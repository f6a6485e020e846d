"""What an incoming e-mail means for the complaints: a reply, a new complaint, or nothing.

``incoming_message_process`` runs after ``channels`` has stored the raw message (the complaints
app registers it as an ``incoming_observer``, and the mailbox poll picks up anything left
behind). It decides, in this order, because a bounce or an auto-reply must never open a complaint
or be answered (that would be backscatter, or a mail loop):

1. unreadable → held for a person;
2. a bounce → the message of ours it names is marked undelivered; nothing else;
3. a report or an automatic reply → nothing (kept, counted);
4. a message for no mailbox of ours → held;
5. a reply (the reference in the subject, or In-Reply-To/References naming a message of ours or
   one we received) → joins that complaint as a message from the customer, attachments as
   evidence;
6. anything else opens a new complaint through the normal intake, demands unspecified; one that
   looks like spam opens it held for a person, and gets no acknowledgement.

Processing runs in a savepoint: when it fails, the message is held with the error, never lost.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext

from plaint.channels.mail import ParsedMessage, parse_message, references_in
from plaint.channels.models import Classification, IncomingMessage, IncomingState, OutgoingMessage
from plaint.channels.services import outgoing_message_mark_undelivered
from plaint.complaints.actors import SYSTEM_ACTOR, Actor, customer_actor
from plaint.complaints.choices import Channel, EventKind, MessageKind, Visibility
from plaint.complaints.lifecycle import Action, State
from plaint.complaints.models import Complaint, Message
from plaint.complaints.notifications import notify_customer_replied
from plaint.complaints.services.common import event_record, service, touch
from plaint.complaints.services.evidence import evidence_add
from plaint.complaints.services.intake import ComplaintDraft, complaint_create
from plaint.complaints.services.transitions import complaint_transition
from plaint.core import clock
from plaint.core.exceptions import ApplicationError
from plaint.parties.actors import ActorKind, Principal
from plaint.parties.services import CustomerDetails, customer_find_or_create

logger = logging.getLogger(__name__)

SUBJECT_MAX = 200
HELD_SPAM = "spam"


@dataclass(frozen=True)
class Outcome:
    state: str
    classification: str
    thread_reference: str = ""
    problem: str = ""
    outgoing_message: OutgoingMessage | None = None


def incoming_message_process(*, message_id: int) -> IncomingMessage:
    """Process a stored message once; a message already processed is left as it is."""
    with transaction.atomic():
        message = IncomingMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.state != IncomingState.STORED:
            return message  # type: ignore[return-value]
        message.attempts += 1
        try:
            with transaction.atomic():
                outcome = _process(message)
        except Exception as exc:  # noqa: BLE001 - whatever it is, the message is kept for a person
            logger.exception("processing incoming message %s failed", message.pk)
            outcome = Outcome(
                IncomingState.HELD, message.classification or Classification.NORMAL,
                problem=f"processing failed: {type(exc).__name__}: {exc}",
            )
        message.state = outcome.state
        message.classification = outcome.classification
        message.thread_reference = outcome.thread_reference
        message.outgoing_message = outcome.outgoing_message
        message.problem = "; ".join(p for p in (message.problem, outcome.problem) if p)[:4000]
        message.processed_at = clock.now()
        message.save(update_fields=[
            "state", "classification", "thread_reference", "outgoing_message", "problem",
            "processed_at", "attempts", "from_address", "subject",
        ])
    return message


def incoming_messages_process_stored(*, limit: int = 500) -> int:
    """Process messages left stored (a crash between storing and processing); how many."""
    ids = list(
        IncomingMessage.objects.filter(state=IncomingState.STORED)
        .order_by("received_at", "pk").values_list("pk", flat=True)[:limit]
    )
    for message_id in ids:
        incoming_message_process(message_id=message_id)
    return len(ids)


def _kind(parsed: ParsedMessage) -> str:
    return str(parsed.kind.value)


def _process(message: IncomingMessage) -> Outcome:
    parsed = parse_message(bytes(message.raw))
    kind = _kind(parsed)
    message.from_address = (parsed.from_address or message.from_address)[:254]
    message.subject = (parsed.subject or message.subject)[:300]
    if parsed.problems:
        message.problem = "; ".join(parsed.problems)[:2000]
    if kind == Classification.UNPARSEABLE:
        return Outcome(IncomingState.HELD, kind, problem=gettext("The message could not be read."))
    if kind == Classification.BOUNCE:
        return _bounce(parsed)
    if kind in (Classification.REPORT, Classification.AUTO_REPLY):
        return Outcome(IncomingState.IGNORED, kind)
    if message.organisation_id is None:
        return Outcome(IncomingState.HELD, kind, problem=gettext("Sent to no mailbox of ours."))
    complaint = _thread(message, parsed)
    if complaint is not None:
        _join(complaint, message, parsed)
        return Outcome(IncomingState.PROCESSED, kind, thread_reference=complaint.reference)
    if not parsed.from_address:
        return Outcome(IncomingState.HELD, kind, problem=gettext("The message has no sender address."))
    complaint = _open(message, parsed, spam=kind == Classification.SPAM)
    state = IncomingState.HELD if kind == Classification.SPAM else IncomingState.PROCESSED
    return Outcome(state, kind, thread_reference=complaint.reference)


def _bounce(parsed: ParsedMessage) -> Outcome:
    """Mark the message of ours that the bounce answers as undelivered."""
    bounce = parsed.bounce
    ids = list(bounce.original_message_ids) if bounce is not None else []
    ids += parsed.in_reply_to + parsed.references
    original = OutgoingMessage.objects.filter(message_id__in=[i for i in ids if i]).first()
    if original is None:
        return Outcome(IncomingState.IGNORED, Classification.BOUNCE,
                       problem="a bounce for no message of ours")
    diagnosis = ", ".join(bounce.failed_recipients) if bounce is not None else ""
    outgoing_message_mark_undelivered(message=original, diagnosis=diagnosis or parsed.subject)
    # Locked: the event joins the complaint's chain (plaint.complaints.chain).
    complaint = Complaint.objects.select_for_update().filter(reference=original.thread_reference).first()
    if complaint is not None:
        event_record(
            actor=SYSTEM_ACTOR, kind=EventKind.MESSAGE_UNDELIVERED, complaint=complaint,
            visibility=Visibility.INTERNAL, data={"outgoing_message": original.pk, "kind": original.kind},
        )
    return Outcome(IncomingState.PROCESSED, Classification.BOUNCE,
                   thread_reference=original.thread_reference, outgoing_message=original)


def _thread(message: IncomingMessage, parsed: ParsedMessage) -> Complaint | None:
    """The complaint this message answers, by the reference in its subject, else its thread."""
    complaints = Complaint.objects.filter(organisation_id=message.organisation_id)
    for reference in references_in(parsed.subject or ""):
        found = complaints.filter(reference=reference).first()
        if found is not None:
            return _surviving(found)
    ids = [i for i in [*parsed.in_reply_to, *reversed(parsed.references)] if i]
    if not ids:
        return None
    reference = (
        OutgoingMessage.objects.filter(message_id__in=ids, organisation_id=message.organisation_id)
        .exclude(thread_reference="").values_list("thread_reference", flat=True).first()
        or IncomingMessage.objects.filter(message_id__in=ids, organisation_id=message.organisation_id)
        .exclude(thread_reference="").exclude(pk=message.pk)
        .values_list("thread_reference", flat=True).first()
    )
    found = complaints.filter(reference=reference).first() if reference else None
    return _surviving(found) if found is not None else None


def _surviving(complaint: Complaint) -> Complaint:
    """A complaint merged into another one: its messages go to the one it was merged into."""
    seen = set()
    while complaint.merged_into_id is not None and complaint.pk not in seen:
        seen.add(complaint.pk)
        complaint = Complaint.objects.get(pk=complaint.merged_into_id)
    return complaint


def _customer_actor(complaint: Complaint) -> Actor:
    return customer_actor(Principal(user=complaint.customer.user), complaint.organisation_id)


def _body(parsed: ParsedMessage) -> str:
    return (parsed.new_text or parsed.text or "").strip() or gettext("(The message has no text.)")


@service
def _join(complaint: Complaint, message: IncomingMessage, parsed: ParsedMessage) -> Message:
    """The reply becomes a message on the complaint. From the customer's own address it is
    visible to them; from anyone else it is kept internal until a person looks at it."""
    complaint = Complaint.objects.select_for_update().select_related("organisation", "customer").get(
        pk=complaint.pk
    )
    own = (complaint.customer.email or "").lower() == (parsed.from_address or "").lower()
    visibility = Visibility.CUSTOMER if own else Visibility.INTERNAL
    actor = _customer_actor(complaint) if own else SYSTEM_ACTOR
    record = Message.objects.create(
        complaint=complaint, kind=MessageKind.MESSAGE, channel=Channel.EMAIL,
        author_kind=ActorKind.CUSTOMER if own else ActorKind.SYSTEM,
        author=complaint.customer.user if own else None,
        body=_body(parsed), visibility=visibility, created_at=clock.now(), incoming_message=message,
    )
    touch(complaint)
    event_record(
        actor=actor, kind=EventKind.MESSAGE_ADDED, complaint=complaint, visibility=visibility,
        data={"message": record.pk, "incoming_message": message.pk, "channel": Channel.EMAIL.value},
    )
    if not own:
        message.problem = gettext("The reply came from an address other than the customer's.")
    _attach(complaint, actor, parsed, message, internal=not own)
    notify_customer_replied(complaint, channel=Channel.EMAIL)
    if own and complaint.state == State.AWAITING_CUSTOMER:
        # The customer answered the provider's question: the complaint goes back to the provider
        # and the clocks that paused for the answer run again.
        complaint_transition(actor=actor, complaint=complaint, action=Action.RESUME)
    return record


def _attach(complaint: Complaint, actor: Actor, parsed: ParsedMessage, message: IncomingMessage,
            *, internal: bool) -> None:
    """Attachments become evidence; one that breaks the limits is noted, not fatal."""
    refused = []
    for attachment in parsed.attachments:
        try:
            with transaction.atomic():
                evidence_add(
                    actor=actor, complaint=complaint, stream=io.BytesIO(attachment.data),
                    name=attachment.filename or "attachment", internal=internal,
                )
        except ApplicationError as exc:
            refused.append(f"{attachment.filename}: {exc}")
    if refused:
        note = gettext("Attachments not taken: %(list)s") % {"list": "; ".join(refused)}
        message.problem = "; ".join(p for p in (message.problem, note) if p)[:4000]


def _open(message: IncomingMessage, parsed: ParsedMessage, *, spam: bool) -> Complaint:
    """A new matter: a new complaint through the normal intake, demands left unspecified."""
    organisation = message.organisation
    assert organisation is not None
    details = CustomerDetails(full_name=(parsed.from_name or "")[:200], email=parsed.from_address)
    subject = " ".join((parsed.subject or "").split())[:SUBJECT_MAX] or gettext("(no subject)")
    draft = ComplaintDraft(
        channel=Channel.EMAIL, subject=subject, description=_body(parsed), demands=None,
        received_at=message.received_at, in_reply_to=parsed.message_id,
        acknowledge=not spam, held_reason=HELD_SPAM if spam else "",
    )
    complaint, _ = complaint_create(
        actor=SYSTEM_ACTOR, organisation=organisation,
        customer=lambda: customer_find_or_create(organisation=organisation, details=details),
        draft=draft,
    )
    _attach(complaint, SYSTEM_ACTOR, parsed, message, internal=spam)
    return complaint
