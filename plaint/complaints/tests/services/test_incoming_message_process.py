"""What an incoming e-mail becomes: a new complaint, a reply on one, a bounce, or nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import pytest

from plaint.channels.models import (
    Classification,
    IncomingMessage,
    IncomingState,
    Mailbox,
    OutgoingMessage,
    OutgoingState,
)
from plaint.channels.services import incoming_message_store, outgoing_message_send
from plaint.complaints.choices import EventKind, Visibility
from plaint.complaints.lifecycle import State
from plaint.complaints.models import Complaint, Event, Evidence, Message
from plaint.complaints.services.inbound import incoming_message_process, incoming_messages_process_stored
from plaint.core import clock, references
from plaint.testing import builders
from plaint.testing.database import row_counts

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def mailbox(db) -> Mailbox:
    organisation = builders.organisation()
    return Mailbox.objects.create(organisation=organisation, address="stiznosti@provider.test")


def mail(
    *,
    subject="Nefunguje internet",
    body="Od pondělí mi nejde internet.",
    sender="jana@example.test",
    to="stiznosti@provider.test",
    headers=None,
    attachment: bytes | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = f"Jana Nováková <{sender}>"
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(NOW)
    message["Message-ID"] = make_msgid(domain="example.test")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    if attachment is not None:
        message.add_attachment(attachment, maintype="application", subtype="pdf", filename="vyuctovani.pdf")
    return message.as_bytes()


def take(raw: bytes, recipient: str = "") -> IncomingMessage:
    """Store the message as the pipe does and process it (the task, run in the test)."""
    with clock.frozen_at(NOW):
        stored, _ = incoming_message_store(raw=raw, source="pipe", recipient=recipient)
        return incoming_message_process(message_id=stored.pk)


def test_a_new_matter_opens_a_complaint_with_demands_unspecified_and_is_acknowledged(mailbox, mailoutbox):
    # when a customer mails the desk
    raw = mail(attachment=PDF)
    incoming = take(raw)
    # then a complaint is open for them, by e-mail, with their words and their bill
    complaint = Complaint.objects.get(reference=incoming.thread_reference)
    assert (incoming.state, incoming.classification) == (IncomingState.PROCESSED, Classification.NORMAL)
    assert (complaint.organisation, complaint.channel, complaint.subject) == (
        mailbox.organisation,
        "email",
        "Nefunguje internet",
    )
    assert complaint.description == "Od pondělí mi nejde internet."
    assert complaint.demands_recorded is False
    assert complaint.received_at == NOW
    assert (complaint.customer.email, complaint.customer.full_name) == ("jana@example.test", "Jana Nováková")
    assert list(
        Evidence.objects.filter(complaint=complaint).values_list("original_name", "content_type")
    ) == [("vyuctovani.pdf", "application/pdf")]
    # and the acknowledgement answers their mail, with the reference in the subject
    acknowledgement = OutgoingMessage.objects.get(thread_reference=complaint.reference, kind="received")
    assert acknowledgement.in_reply_to == IncomingMessage.objects.get(pk=incoming.pk).message_id
    assert references.display(complaint.reference) in acknowledgement.subject


def test_a_reply_joins_its_complaint_by_the_message_it_answers(mailbox, mailoutbox):
    # given a complaint opened by e-mail and acknowledged
    first = take(mail())
    complaint = Complaint.objects.get(reference=first.thread_reference)
    acknowledgement = OutgoingMessage.objects.get(thread_reference=complaint.reference, kind="received")
    # when the customer answers the acknowledgement (a subject without the reference)
    reply = mail(
        subject="Re: doplnění",
        body="Posílám číslo smlouvy 123.\n\nDne 1. 12. 2026 v 10:00 "
        "Provider napsal(a):\n> Vaše stížnost byla přijata\n",
        headers={"In-Reply-To": acknowledgement.message_id, "References": acknowledgement.message_id},
    )
    second = take(reply)
    # then it joins the complaint as the customer's message, without the quoted text
    assert second.thread_reference == complaint.reference
    assert Complaint.objects.count() == 1
    message = Message.objects.get(complaint=complaint)
    assert message.body == "Posílám číslo smlouvy 123."
    assert (message.channel, message.visibility, message.author_kind) == (
        "email",
        Visibility.CUSTOMER,
        "customer",
    )
    assert message.incoming_message_id == second.pk
    assert Event.objects.filter(complaint=complaint, kind=EventKind.MESSAGE_ADDED).count() == 1


def test_a_mail_naming_the_reference_in_its_subject_joins_that_complaint(mailbox):
    complaint = builders.complaint(builders.customer(mailbox.organisation, email="jana@example.test"))
    # when the customer writes a fresh mail quoting the reference
    incoming = take(mail(subject=f"Stížnost {references.display(complaint.reference)} – ještě jedna věc"))
    # then it joins it
    assert incoming.thread_reference == complaint.reference
    assert Message.objects.filter(complaint=complaint, visibility=Visibility.CUSTOMER).count() == 1


def test_the_customers_answer_to_a_request_for_information_hands_the_complaint_back(mailbox):
    # given a complaint waiting for the customer's answer
    complaint = builders.reach(
        builders.complaint(builders.customer(mailbox.organisation, email="jana@example.test")),
        State.AWAITING_CUSTOMER,
    )
    # when the customer answers by e-mail
    take(mail(subject=f"Re: {references.display(complaint.reference)}", body="Faktura 2026-10-0042."))
    # then the answer joins it and the complaint is the provider's again, as the customer did it
    complaint.refresh_from_db()
    assert complaint.state == State.INVESTIGATING
    resumed = Event.objects.filter(complaint=complaint, kind=EventKind.TRANSITIONED).latest("id")
    assert (resumed.data["action"], resumed.actor_kind) == ("resume", "customer")


def test_a_strangers_mail_does_not_hand_a_waiting_complaint_back(mailbox):
    complaint = builders.reach(builders.complaint(builders.customer(mailbox.organisation)),
                               State.AWAITING_CUSTOMER)
    take(mail(subject=f"Re: {references.display(complaint.reference)}", sender="someone@else.test"))
    complaint.refresh_from_db()
    assert complaint.state == State.AWAITING_CUSTOMER


def test_a_reply_from_another_address_is_kept_internal_for_a_person(mailbox):
    complaint = builders.complaint(builders.customer(mailbox.organisation))
    # when a stranger quotes the reference
    incoming = take(
        mail(subject=f"Re: {references.display(complaint.reference)}", sender="someone@else.test")
    )
    # then it joins as an internal message, and says why
    message = Message.objects.get(complaint=complaint)
    assert message.visibility == Visibility.INTERNAL
    assert "other than the customer" in incoming.problem


def test_a_bounce_marks_our_message_undelivered_and_opens_nothing(mailbox, mailoutbox):
    # given an acknowledgement that was sent
    first = take(mail())
    complaint = Complaint.objects.get(reference=first.thread_reference)
    acknowledgement = OutgoingMessage.objects.get(thread_reference=complaint.reference, kind="received")
    outgoing_message_send(message_id=acknowledgement.pk)
    before = Complaint.objects.count()
    # when the mail server's delivery report comes back
    report = (
        "From: Mail Delivery System <MAILER-DAEMON@mx.provider.test>\r\n"
        "To: stiznosti@provider.test\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        f"Message-ID: {make_msgid(domain='mx.provider.test')}\r\nAuto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.provider.test\r\n\r\n"
        "Final-Recipient: rfc822; jana@example.test\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 no such user\r\n"
        "--B\r\nContent-Type: message/rfc822\r\n\r\n"
        f"Message-ID: {acknowledgement.message_id}\r\nSubject: acknowledgement\r\n\r\n...\r\n"
        "--B--\r\n"
    ).encode()
    incoming = take(report)
    # then
    assert incoming.classification == Classification.BOUNCE
    assert Complaint.objects.count() == before
    assert OutgoingMessage.objects.get(pk=acknowledgement.pk).state == OutgoingState.UNDELIVERED
    assert incoming.outgoing_message_id == acknowledgement.pk
    assert Event.objects.filter(complaint=complaint, kind=EventKind.MESSAGE_UNDELIVERED).exists()


def test_an_out_of_office_reply_opens_nothing_and_is_not_answered(mailbox, mailoutbox):
    before = row_counts()
    incoming = take(
        mail(subject="Automatická odpověď: Nefunguje internet", headers={"Auto-Submitted": "auto-replied"})
    )
    assert (incoming.state, incoming.classification) == (IncomingState.IGNORED, Classification.AUTO_REPLY)
    after = row_counts()
    assert {k: v for k, v in after.items() if after[k] != before.get(k)} == {"channels.IncomingMessage": 1}


def test_spam_opens_a_complaint_held_for_a_person_with_no_acknowledgement(mailbox):
    incoming = take(mail(subject="Cheap pills", headers={"X-Spam-Flag": "YES"}))
    complaint = Complaint.objects.get(reference=incoming.thread_reference)
    assert (incoming.state, incoming.classification, complaint.held_reason) == (
        IncomingState.HELD,
        Classification.SPAM,
        "spam",
    )
    assert not OutgoingMessage.objects.exists()


def test_a_message_for_no_mailbox_of_ours_is_kept_and_held(db):
    incoming = take(mail(to="nobody@elsewhere.test"))
    assert incoming.state == IncomingState.HELD
    assert not Complaint.objects.exists()


def test_garbage_is_stored_raw_and_held(mailbox):
    raw = b"\x00\xff\xfe garbage that is no e-mail at all \x00"
    incoming = take(raw, recipient="stiznosti@provider.test")
    stored = IncomingMessage.objects.get(pk=incoming.pk)
    assert bytes(stored.raw) == raw
    assert stored.state == IncomingState.HELD
    assert not Complaint.objects.exists()


def test_the_same_message_delivered_twice_is_stored_once(mailbox):
    raw = mail()
    with clock.frozen_at(NOW):
        first, created = incoming_message_store(raw=raw, source="pipe")
        again, created_again = incoming_message_store(raw=b"Received: from relay\r\n" + raw, source="imap")
    assert (created, created_again, first.pk) == (True, False, again.pk)
    assert IncomingMessage.objects.count() == 1


def test_a_message_left_stored_by_a_crash_is_processed_later(mailbox, django_capture_on_commit_callbacks):
    # given a message stored whose processing never ran
    with clock.frozen_at(NOW):
        stored, _ = incoming_message_store(raw=mail(), source="pipe")
    assert IncomingMessage.objects.get(pk=stored.pk).state == IncomingState.STORED
    # when the poll's catch-up runs
    with clock.frozen_at(NOW):
        assert incoming_messages_process_stored() == 1
    # then it opened its complaint, once
    assert IncomingMessage.objects.get(pk=stored.pk).state == IncomingState.PROCESSED
    assert Complaint.objects.count() == 1
    with clock.frozen_at(NOW):
        assert incoming_messages_process_stored() == 0


def test_a_failure_while_processing_holds_the_message_with_the_error(mailbox, monkeypatch):
    # given a processing step that fails (a bug, a database constraint…)
    from plaint.complaints.services import inbound

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(inbound, "_open", broken)
    incoming = take(mail())
    assert incoming.state == IncomingState.HELD
    assert "RuntimeError: boom" in incoming.problem
    assert not Complaint.objects.exists()
