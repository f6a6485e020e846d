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
