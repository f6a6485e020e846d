"""E-mail end to end against real servers on loopback: dovecot (IMAP) and aiosmtpd (SMTP).

A customer mails the desk; the poller fetches it from dovecot; Plaint opens the complaint and
sends the acknowledgement through aiosmtpd; the customer answers that acknowledgement and the
answer joins the complaint. Bounces, auto-replies, and an IMAP server that goes away in the middle
of a poll are tried the same way. PostgreSQL tier (these are fault and integration tests).
"""

from __future__ import annotations

import email
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import default
from email.utils import format_datetime, make_msgid

import pytest

from plaint.channels.models import IncomingMessage, IncomingState, Mailbox, OutgoingMessage, OutgoingState
from plaint.channels.models.incoming import ImapSecurity
from plaint.channels.services import imap, outbox_sweep
from plaint.channels.services.imap import DONE_KEYWORD, mailbox_poll
from plaint.complaints.models import Complaint, Message
from plaint.complaints.services.inbound import incoming_messages_process_stored
from plaint.core import clock, references
from plaint.testing import builders

pytestmark = pytest.mark.postgresql_only

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
DESK = "complaints@provider.test"


@pytest.fixture
def mailbox(db, dovecot) -> Mailbox:
    organisation = builders.organisation()
    return Mailbox.objects.create(
        organisation=organisation,
        address=DESK,
        imap_host="127.0.0.1",
        imap_port=dovecot.port,
        imap_security=ImapSecurity.NONE,
        imap_username="complaints",
        imap_password=dovecot.users["complaints"],
    )


def customer_mail(subject: str, body: str, **headers: str) -> bytes:
    message = EmailMessage()
    message["From"] = "Jana Nováková <jana@example.test>"
    message["To"] = DESK
    message["Subject"] = subject
    message["Date"] = format_datetime(NOW)
    message["Message-ID"] = make_msgid(domain="example.test")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message.as_bytes()


def poll(mailbox: Mailbox) -> imap.PollReport:
    """What the worker's mailbox poll does: fetch and store, then process."""
    with clock.frozen_at(NOW):
        report = mailbox_poll(mailbox)
        incoming_messages_process_stored()
    return report


def test_a_customer_mails_in_is_acknowledged_and_their_reply_joins_the_complaint(mailbox, dovecot, smtp_sink):
    # given a customer's mail in the desk's IMAP inbox
    dovecot.deliver("complaints", customer_mail("Internet nejde", "Od pondělí nejde internet."))
    # when the poller runs and the outbox sends
    report = poll(mailbox)
    with clock.frozen_at(NOW):
        assert outbox_sweep() >= 1
    # then a complaint is open, and the customer got the acknowledgement by SMTP
    assert (report.fetched, report.stored, report.error) == (1, 1, "")
    complaint = Complaint.objects.get()
    assert complaint.channel == "email"
    sent = [email.message_from_bytes(raw, policy=default) for raw in smtp_sink.messages]
    acknowledgement = next(m for m in sent if m["To"] == "jana@example.test")
    assert references.display(complaint.reference) in acknowledgement["Subject"]
    assert acknowledgement["In-Reply-To"] == IncomingMessage.objects.get().message_id
    # and the message is marked done on the server, so the next poll fetches nothing
    assert dovecot.flagged("complaints", DONE_KEYWORD) == 1
    assert poll(mailbox).fetched == 0
    # when the customer answers the acknowledgement they received
    dovecot.deliver(
        "complaints",
        customer_mail(
            f"Re: {acknowledgement['Subject']}",
            "Číslo smlouvy je 4455.\n\n> Vaše stížnost byla přijata",
            In_Reply_To=acknowledgement["Message-ID"],
            References=acknowledgement["Message-ID"],
        ),
    )
    poll(mailbox)
    # then the answer joins the same complaint
    assert Complaint.objects.count() == 1
    assert list(Message.objects.filter(complaint=complaint).values_list("body", flat=True)) == [
        "Číslo smlouvy je 4455."
    ]


def test_a_bounce_from_the_mailbox_marks_the_acknowledgement_undelivered(mailbox, dovecot, smtp_sink):
    dovecot.deliver("complaints", customer_mail("Reklamace", "Vadný router."))
    poll(mailbox)
    with clock.frozen_at(NOW):
        outbox_sweep()
    acknowledgement = OutgoingMessage.objects.get(kind="received")
    assert acknowledgement.state == OutgoingState.SENT
    # when the customer's server bounces it back into the desk's mailbox
    bounce = (
        "From: MAILER-DAEMON@example.test\r\n"
        f"To: {DESK}\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        f"Message-ID: {make_msgid(domain='example.test')}\r\nAuto-Submitted: auto-replied\r\n"
        'MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="XYZ"\r\n'
        "\r\n--XYZ\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n"
        "--XYZ\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; example.test\r\n\r\n"
        "Final-Recipient: rfc822; jana@example.test\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "--XYZ\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {acknowledgement.message_id}\r\nSubject: acknowledgement\r\n"
        "--XYZ--\r\n"
    ).encode()
    dovecot.deliver("complaints", bounce)
    poll(mailbox)
    # then
    assert OutgoingMessage.objects.get(pk=acknowledgement.pk).state == OutgoingState.UNDELIVERED
    assert Complaint.objects.count() == 1


def test_an_auto_reply_opens_nothing_and_gets_no_answer(mailbox, dovecot, smtp_sink):
    dovecot.deliver(
        "complaints", customer_mail("Out of office", "I am away until Monday.", Auto_Submitted="auto-replied")
    )
    poll(mailbox)
    with clock.frozen_at(NOW):
        outbox_sweep()
    assert not Complaint.objects.exists()
    assert smtp_sink.messages == []
    assert IncomingMessage.objects.get().state == IncomingState.IGNORED


def test_the_poller_survives_the_imap_server_going_away_and_loses_nothing(mailbox, dovecot, monkeypatch):
    # given five customers' mails waiting
    for n in range(5):
        dovecot.deliver("complaints", customer_mail(f"Stížnost {n}", f"Text {n}."))
    # when the IMAP server stops right after the second message was stored
    stored = []
    real_store = imap.incoming_message_store

    def store_then_crash_the_server(**kwargs):
        result = real_store(**kwargs)
        stored.append(result[0].pk)
        if len(stored) == 2:
            dovecot.stop()
        return result

    monkeypatch.setattr(imap, "incoming_message_store", store_then_crash_the_server)
    first = poll(mailbox)
    # then the poll ends with the error recorded, keeping what it stored
    assert first.error
    assert Mailbox.objects.get(pk=mailbox.pk).last_error == first.error
    assert IncomingMessage.objects.count() == 2
    # when the server is back and the next poll runs
    dovecot.start()
    second = poll(mailbox)
    # then every message is stored exactly once, and each opened one complaint
    assert second.error == ""
    assert IncomingMessage.objects.count() == 5
    assert sorted(Complaint.objects.values_list("subject", flat=True)) == [f"Stížnost {n}" for n in range(5)]
    assert dovecot.flagged("complaints", DONE_KEYWORD) == 5
