"""Every real message of the shared corpus goes through the whole intake: stored, processed.

None crashes the intake, none is lost, bounces and reports open no complaint. The test prints
how each was classified and what became of it (``-s``).
"""

from __future__ import annotations

from collections import Counter

from plaint.channels.models import Classification, IncomingMessage, IncomingState, Mailbox
from plaint.channels.services import incoming_message_store
from plaint.channels.tests.mail.corpus import emails_folder
from plaint.complaints.models import Complaint
from plaint.complaints.services.inbound import incoming_message_process
from plaint.testing import builders

DESK = "stiznosti@provider.test"
NO_COMPLAINT = {Classification.BOUNCE, Classification.REPORT, Classification.AUTO_REPLY,
                Classification.UNPARSEABLE}


def test_every_real_message_is_stored_and_processed_and_none_that_is_automatic_opens_a_complaint(db):
    folder = emails_folder()
    Mailbox.objects.create(organisation=builders.organisation(), address=DESK)
    files = sorted(p for p in folder.rglob("*.eml") if p.is_file())
    outcomes = {}
    for path in files:
        raw = path.read_bytes()
        # the recipient is the desk, as a pipe for that address would say
        stored, _ = incoming_message_store(raw=raw, source="pipe", recipient=DESK)
        processed = incoming_message_process(message_id=stored.pk)
        outcomes[path.relative_to(folder)] = processed
        assert bytes(IncomingMessage.objects.get(pk=stored.pk).raw) == raw
    for name, message in outcomes.items():
        reference = message.thread_reference or "-"
        print(f"{message.classification:12s} {message.state:10s} {reference:10s} {name}")  # noqa: T201
    # nothing lost: every distinct message is stored (a file repeated byte for byte, or with the
    # same Message-ID, is one message), and none is left unprocessed or failed in processing
    assert IncomingMessage.objects.count() == len({m.pk for m in outcomes.values()})
    assert not IncomingMessage.objects.filter(state=IncomingState.STORED).exists()
    assert not IncomingMessage.objects.filter(problem__contains="processing failed").exists()
    # automatic mail opened nothing
    opened = set(Complaint.objects.values_list("reference", flat=True))
    for message in outcomes.values():
        if message.classification in NO_COMPLAINT:
            assert message.thread_reference not in opened or message.thread_reference == ""
    kinds = Counter(m.classification for m in outcomes.values())
    assert kinds[Classification.BOUNCE] >= 5, kinds
    assert kinds[Classification.NORMAL] >= 20, kinds
    # and each person's message opened exactly one complaint
    people = [m for m in outcomes.values()
              if m.classification == Classification.NORMAL and m.thread_reference]
    assert len({m.thread_reference for m in people}) <= Complaint.objects.count()
