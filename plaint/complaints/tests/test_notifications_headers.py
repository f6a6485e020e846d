"""User text never becomes a mail header (docs/security.md): a complaint's subject or a customer's
name with line breaks and header lines stays text; mail is built only through Django's
EmailMessage, which refuses a header with a line break, and is sent as text/plain."""

from __future__ import annotations

import pytest
from django.core.mail import BadHeaderError, EmailMessage

from plaint.channels.models import OutgoingMessage, OutgoingState
from plaint.channels.services.outbox import outgoing_message_queue, outgoing_message_send
from plaint.testing import builders
from plaint.testing.actors import AGENT

INJECTION = "Internet down\r\nBcc: attacker@example.test\r\nX-Injected: yes\r\n\r\n<b>fake body</b>"


def _header_names(mail) -> set[str]:  # type: ignore[no-untyped-def]
    return {name.lower() for name in mail.message()}


def test_a_subject_and_a_name_with_header_lines_stay_text_in_the_acknowledgement(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    # given a customer whose name carries header lines
    customer = builders.customer(cast.org1, full_name="Jana\r\nCc: attacker@example.test",
                                 email="jana@example.test")
    # when a complaint of theirs with such a subject is taken in and acknowledged
    with django_capture_on_commit_callbacks(execute=True):
        builders.complaint(customer, actor=cast.actor(AGENT), subject=INJECTION)
    # then one plain-text mail went to the customer alone, with no header the text tried to add
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.recipients() == ["jana@example.test"]
    assert {"bcc", "cc", "x-injected"}.isdisjoint(_header_names(mail))
    assert "\n" not in mail.subject
    assert "\r" not in mail.subject
    assert mail.message().get_content_type() == "text/plain"
    # and the text is in the body, as text
    assert "Bcc: attacker@example.test" in mail.body


def test_a_queued_subject_with_a_line_break_is_sent_on_one_line(cast, mailoutbox):
    # given a message queued with a subject made of user text with line breaks
    queued = outgoing_message_queue(
        organisation_id=cast.org1.pk, kind="message", to_address="jana@example.test", language="en",
        subject=INJECTION, body="Hello\n",
    )
    # when it is sent
    outgoing_message_send(message_id=queued.pk)
    # then it went, to its one recipient, its subject on one line and no header added
    assert OutgoingMessage.objects.get(pk=queued.pk).state == OutgoingState.SENT
    mail = mailoutbox[-1]
    assert mail.recipients() == ["jana@example.test"]
    assert mail.subject == "Internet down Bcc: attacker@example.test X-Injected: yes <b>fake body</b>"
    assert {"bcc", "x-injected"}.isdisjoint(_header_names(mail))


def test_djangos_message_refuses_a_header_with_a_line_break():
    # the library every mail goes through refuses what would start a new header
    with pytest.raises(BadHeaderError):
        EmailMessage(subject="Hi\r\nBcc: attacker@example.test", body="x", to=["a@example.test"]).message()
