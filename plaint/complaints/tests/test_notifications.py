"""Mail to the customer: in their language, queued with the change, sent after commit."""

from __future__ import annotations

from plaint.channels.models import OutgoingMessage, OutgoingState
from plaint.complaints.actors import SYSTEM_ACTOR
from plaint.complaints.notifications import notify_customer
from plaint.core import references
from plaint.testing import builders
from plaint.testing.actors import AGENT, CUSTOMER_A


def test_a_czech_customer_is_acknowledged_in_czech_after_commit_with_the_reference(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    # given a customer who prefers Czech
    customer = builders.customer(cast.org1, preferred_language="cs", full_name="Jana Dvořáková")
    # when a complaint of theirs is taken in
    with django_capture_on_commit_callbacks(execute=True):
        complaint = builders.complaint(customer, actor=cast.actor(AGENT))
        assert mailoutbox == []
    # then one mail went to them, in Czech, naming the reference and threaded by it
    queued = OutgoingMessage.objects.get(thread_reference=complaint.reference)
    assert (queued.kind, queued.language, queued.to_address, queued.organisation_id) == (
        "received", "cs", customer.email, cast.org1.pk
    )
    assert queued.state == OutgoingState.SENT
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [customer.email]
    shown = references.display(complaint.reference)
    assert shown in mail.subject
    assert shown in mail.body
    assert "Jana Dvořáková" in mail.body
    assert cast.org1.name in mail.body
    assert mail.message()["Message-ID"] == queued.message_id


def test_a_subject_is_one_line_and_a_body_ends_with_one_newline(cast):
    complaint = builders.complaint(cast.customers[CUSTOMER_A])
    queued = OutgoingMessage.objects.get(thread_reference=complaint.reference)
    assert "\n" not in queued.subject
    assert queued.subject == queued.subject.strip()
    assert queued.body.endswith("\n")
    assert not queued.body.endswith("\n\n")


def test_a_customer_without_a_language_is_written_to_in_english(cast):
    customer = builders.customer(cast.org1, preferred_language="")
    complaint = builders.complaint(customer, actor=SYSTEM_ACTOR)
    assert OutgoingMessage.objects.get(thread_reference=complaint.reference).language == "en"


def test_a_customer_without_a_name_is_addressed_by_their_e_mail(cast):
    customer = builders.customer(cast.org1, with_user=False, full_name="",
                                 email="nameless@example.test")
    complaint = builders.complaint(customer, actor=SYSTEM_ACTOR)
    assert "nameless@example.test" in OutgoingMessage.objects.get(
        thread_reference=complaint.reference
    ).body


def test_a_customer_without_an_e_mail_address_is_not_written_to(cast):
    customer = builders.customer(cast.org1, with_user=False, email="", phone="+420 777 000 000")
    before = OutgoingMessage.objects.count()
    notify_customer(customer=customer, organisation_id=cast.org1.pk, kind="received",
                    thread_reference="X", context={})
    builders.complaint(customer, actor=SYSTEM_ACTOR)
    assert OutgoingMessage.objects.count() == before
