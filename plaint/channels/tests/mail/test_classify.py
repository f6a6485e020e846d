"""What kind a message is: auto-replies, bounces, reports and spam must never open a complaint."""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import SMTP

import pytest

from plaint.channels.mail import MessageKind, parse_message
from plaint.channels.tests.mail.builders import mail, raw

OUR_MESSAGE_ID = "<7K3MQ9XD4.1@plaint.test>"


@pytest.mark.parametrize(("subject", "headers", "language"), [
    ("Out of Office: Reklamace 7K3M-Q9XD-4", {}, "en subject"),
    ("Automatic reply: Complaint", {"X-Auto-Response-Suppress": "All"}, "en Outlook"),
    ("Re: Complaint", {"Auto-Submitted": "auto-replied"}, "RFC 3834"),
    ("Re: Complaint", {"Auto-Submitted": "auto-generated"}, "RFC 3834 generated"),
    ("Re: Complaint", {"X-Autoreply": "yes"}, "X-Autoreply"),
    ("Re: Complaint", {"X-Autorespond": "Out of office"}, "X-Autorespond"),
    ("Re: Complaint", {"Precedence": "auto_reply"}, "Precedence"),
    ("Re: Complaint", {"Precedence": "bulk"}, "Precedence bulk"),
    ("Automatická odpověď: Reklamace", {}, "cs Outlook"),
    ("Nepřítomnost: Reklamace", {}, "cs"),
    ("Odpowiedź automatyczna: Reklamacja", {}, "pl Outlook"),
    ("Răspuns automat: Reclamație", {}, "ro Outlook"),
    ("Resposta automática: Reclamação", {}, "pt Outlook"),
    ("Ausente", {}, "pt"),
    ("Abwesenheitsnotiz: Reklamation", {}, "de"),
])
def test_out_of_office_replies_in_every_language_are_auto_replies(subject, headers, language):
    # given an automatic reply to one of our messages
    message = mail("Jsem mimo kancelář do 10. 12.", subject=subject, headers=headers)
    # when
    parsed = parse_message(message)
    # then
    assert parsed.kind == MessageKind.AUTO_REPLY, language
    assert parsed.kind_reasons


@pytest.mark.parametrize("subject", [
    "Auto - nefunkční klimatizace", "Ausente o produto na entrega", "Undeliverable parcel",
    "Re: Out of stock", "Absence of a refund",
])
def test_a_customer_subject_that_merely_looks_automatic_is_normal(subject):
    assert parse_message(mail("Zboží nedorazilo.", subject=subject)).kind == MessageKind.NORMAL


def test_a_customer_writing_through_a_mailing_list_is_a_person():
    # given a desk address routed through a group that stamps every message "Precedence: list"
    parsed = parse_message(mail("Zboží nedorazilo.", headers={"Precedence": "list"}))
    # then the customer's mail still opens a complaint
    assert parsed.kind == MessageKind.NORMAL


def test_auto_submitted_no_is_a_person():
    parsed = parse_message(mail("Ahoj", headers={"Auto-Submitted": "no"}))
    assert parsed.kind == MessageKind.NORMAL


def _dsn(status: str = "5.1.1", action: str = "failed", with_original: str = "message") -> bytes:
    """A delivery status notification (RFC 3464) for one of our messages."""
    original = (f"From: stiznosti@plaint.test\r\nTo: jana@example.test\r\nSubject: Reklamace\r\n"
                f"Message-ID: {OUR_MESSAGE_ID}\r\n\r\nVaše reklamace.\r\n")
    if with_original == "message":
        returned = f"Content-Type: message/rfc822\r\n\r\n{original}"
    else:
        returned = "Content-Type: text/rfc822-headers\r\n\r\n" + original.split("\r\n\r\n")[0] + "\r\n"
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.test>\r\nTo: stiznosti@plaint.test\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\nAuto-Submitted: auto-replied\r\n"
        "Message-ID: <bounce-1@mx.example.test>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.test\r\n\r\n"
        f"Final-Recipient: rfc822; jana@example.test\r\nAction: {action}\r\nStatus: {status}\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 <jana@example.test>: Recipient address rejected\r\n"
        f"\r\n--B\r\n{returned}--B--\r\n"
    ).encode()


@pytest.mark.parametrize("with_original", ["message", "headers"])
def test_a_dsn_is_a_bounce_that_names_our_message_and_the_failed_recipient(with_original):
    # when
    parsed = parse_message(_dsn(with_original=with_original))
    # then it is a bounce (even with an Auto-Submitted header) about our message
    assert parsed.kind == MessageKind.BOUNCE
    assert parsed.bounce is not None
    assert parsed.bounce.original_message_ids[0] == OUR_MESSAGE_ID
    assert parsed.bounce.failed_recipients == ["jana@example.test"]
    assert parsed.bounce.permanent is True
    assert parsed.bounce.status == "5.1.1"
    assert "550" in parsed.bounce.diagnostic


def test_a_delayed_delivery_notice_is_a_temporary_bounce():
    parsed = parse_message(_dsn(status="4.4.7", action="delayed"))
    assert parsed.kind == MessageKind.BOUNCE
    assert parsed.bounce.permanent is False


def test_a_plain_text_bounce_from_a_mailer_daemon_is_found_and_names_the_original():
    # given an old-style bounce with the returned message pasted into the text
    message = raw(
        "Return-Path: <>\nFrom: MAILER-DAEMON@mx.example.test\nTo: stiznosti@plaint.test\n"
        "Subject: failure notice\n\nHi. This is the qmail-send program at mx.example.test.\n"
        "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
        "This is a permanent error; I've given up. Sorry it didn't work out.\n\n"
        "<jana@example.test>:\nSorry, no mailbox here by that name. (#5.1.1)\n\n"
        "--- Below this line is a copy of the message.\n\n"
        f"From: stiznosti@plaint.test\nMessage-ID: {OUR_MESSAGE_ID}\nSubject: Reklamace\n\nText.\n"
    )
    # when
    parsed = parse_message(message)
    # then
    assert parsed.kind == MessageKind.BOUNCE
    assert OUR_MESSAGE_ID in parsed.bounce.original_message_ids
    assert "jana@example.test" in parsed.bounce.failed_recipients
    assert parsed.bounce.permanent is True


def test_a_bounce_of_a_reply_finds_our_message_through_its_threading_headers():
    # given a bounce without the returned message but answering ours
    message = mail("Delivery has failed to these recipients: jana@example.test",
                   sender="postmaster@example.test", subject="Undeliverable: Reklamace",
                   headers={"In-Reply-To": OUR_MESSAGE_ID})
    # when
    parsed = parse_message(message)
    # then
    assert parsed.kind == MessageKind.BOUNCE
    assert parsed.bounce.original_message_ids == [OUR_MESSAGE_ID]


def test_an_arf_abuse_report_is_a_report_about_our_message():
    # given an abuse report (RFC 5965) with our message attached
    report = EmailMessage()
    report["From"] = "abuse@isp.example.test"
    report["To"] = "abuse@plaint.test"
    report["Subject"] = "Abuse report"
    report.set_content("This is an abuse report.")
    feedback = ("Feedback-Type: abuse\r\nUser-Agent: Example/1.0\r\nVersion: 1\r\n"
                "Original-Rcpt-To: <jana@example.test>\r\n")
    report.add_attachment(feedback.encode(), maintype="message", subtype="feedback-report")
    original = EmailMessage()
    original["From"] = "stiznosti@plaint.test"
    original["Message-ID"] = OUR_MESSAGE_ID
    original.set_content("Vaše reklamace.")
    report.add_attachment(original)
    report.set_type("multipart/report")
    report.set_param("report-type", "feedback-report")
    # when
    parsed = parse_message(report.as_bytes(policy=SMTP))
    # then
    assert parsed.kind == MessageKind.REPORT
    assert OUR_MESSAGE_ID in parsed.bounce.original_message_ids
    assert "jana@example.test" in parsed.bounce.failed_recipients


def test_a_read_receipt_is_a_report():
    # given a message disposition notification (RFC 8098)
    message = raw(
        "From: jana@example.test\nTo: stiznosti@plaint.test\nSubject: Read: Reklamace\nMIME-Version: 1.0\n"
        'Content-Type: multipart/report; report-type=disposition-notification; boundary="R"\n\n'
        "--R\nContent-Type: text/plain\n\nYour message was displayed.\n"
        "--R\nContent-Type: message/disposition-notification\n\n"
        f"Reporting-UA: mail.example.test\nOriginal-Message-ID: {OUR_MESSAGE_ID}\n"
        "Disposition: manual-action/MDN-sent-manually; displayed\n--R--\n"
    )
    # when
    parsed = parse_message(message)
    # then
    assert parsed.kind == MessageKind.REPORT
    assert parsed.bounce.original_message_ids == [OUR_MESSAGE_ID]


@pytest.mark.parametrize("headers", [
    {"X-Spam-Flag": "YES"},
    {"X-Spam-Status": "Yes, score=12.3 required=5.0 tests=GTUBE"},
    {"X-Spam-Status": "No, score=7.1 required=8.0"},
    {"X-Spam-Score": "6.2"},
    {"X-Spam-Level": "*******"},
    {"X-MS-Exchange-Organization-SCL": "9"},
])
def test_a_message_marked_as_spam_upstream_is_spam(headers):
    assert parse_message(mail("Cheap watches", headers=headers)).kind == MessageKind.SPAM


@pytest.mark.parametrize("headers", [
    {"X-Spam-Flag": "NO"}, {"X-Spam-Status": "No, score=1.2 required=5.0"}, {"X-Spam-Score": "-0.1"},
    {"X-Spam-Level": "**"}, {"X-MS-Exchange-Organization-SCL": "1"},
])
def test_a_message_filters_let_through_is_normal(headers):
    assert parse_message(mail("Zboží nedorazilo.", headers=headers)).kind == MessageKind.NORMAL


def test_a_subject_tagged_by_a_filter_is_spam():
    assert parse_message(mail("Win", subject="***SPAM*** Win a prize")).kind == MessageKind.SPAM


def test_precedence_a_bounce_beats_report_auto_reply_and_spam():
    # given a DSN that also carries auto-reply and spam marks
    message = _dsn().replace(b"Auto-Submitted: auto-replied\r\n",
                             b"Auto-Submitted: auto-replied\r\nX-Spam-Flag: YES\r\nPrecedence: bulk\r\n")
    # then
    assert parse_message(message).kind == MessageKind.BOUNCE


def test_precedence_an_auto_reply_beats_spam():
    message = mail("Mimo kancelář", subject="Automatická odpověď: x", headers={"X-Spam-Flag": "YES"})
    assert parse_message(message).kind == MessageKind.AUTO_REPLY


def test_quotes_are_not_split_out_of_machine_messages():
    # a bounce's text is kept whole in new_text: it is not a reply with quotes
    parsed = parse_message(_dsn())
    assert parsed.new_text == parsed.text
    assert parsed.quoted_text == ""


def test_machine_mail_is_automatic_and_a_persons_mail_and_spam_are_not():
    assert parse_message(_dsn()).is_automatic
    assert parse_message(mail("x", subject="Automatic reply: y")).is_automatic
    assert not parse_message(mail("Zboží nedorazilo.")).is_automatic
    assert not parse_message(mail("x", headers={"X-Spam-Flag": "YES"})).is_automatic
