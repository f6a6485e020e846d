"""The `plaint` command line."""

import io

import pytest
from django.core.management import CommandError, call_command

from plaint.core import references


def test_complaint_show_prints_the_complaint_and_its_whole_timeline(cast):
    # given customer A's complaint, with internal items
    complaint = cast.complaint_a
    out = io.StringIO()
    # when staff look at it from the terminal, typing the reference loosely
    call_command("complaint", "show", references.display(complaint.reference).lower(), stdout=out)
    # then the header and every event are there, internal ones marked
    text = out.getvalue()
    assert references.display(complaint.reference) in text
    assert complaint.subject in text
    assert "Received" in text
    assert text.count("[internal]") == 3  # the note, the internal call, the internal file
    assert "Complaint received" in text


def test_complaint_show_refuses_an_unknown_reference(db):
    with pytest.raises(CommandError, match="No complaint"):
        call_command("complaint", "show", "NOT-A-REF")


def test_the_console_script_runs_plaints_commands(capsys, monkeypatch):
    # given the `plaint` console script asked for help on a Plaint command
    from plaint import cli

    monkeypatch.setattr("sys.argv", ["plaint", "help", "complaint"])
    # when it runs
    cli.main()
    # then Django's command machinery answered with the command's own help
    assert "Show a complaint and its timeline." in capsys.readouterr().out


def test_ingest_email_stores_the_piped_message_and_says_so(db, monkeypatch):
    from plaint.channels.models import IncomingMessage, Mailbox
    from plaint.testing import builders

    # given a mailbox and a message piped in by the mail server
    Mailbox.objects.create(organisation=builders.organisation(), address="desk@provider.test")
    raw = b"From: jana@example.test\r\nTo: desk@provider.test\r\nMessage-ID: <p1@example.test>\r\n\r\nHi\r\n"
    out = io.StringIO()
    # when the pipe runs twice (the mail server retried)
    for _ in range(2):
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(raw)))
        call_command("ingest-email", stdout=out)
    # then the message is stored once, for the mailbox, byte for byte
    stored = IncomingMessage.objects.get()
    assert (bytes(stored.raw), stored.recipient, stored.source) == (raw, "desk@provider.test", "pipe")
    assert out.getvalue().splitlines() == [
        f"stored as incoming message {stored.pk}", f"already stored as incoming message {stored.pk}"
    ]


def test_ingest_email_fails_for_the_mail_server_to_retry_only_when_nothing_came(db, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"")))
    with pytest.raises(CommandError) as refused:
        call_command("ingest-email")
    assert refused.value.returncode == 75
