"""``plaint complaint show REF``: a complaint and its whole timeline, for staff at a terminal."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from plaint.complaints import selectors
from plaint.complaints.actors import SYSTEM_ACTOR
from plaint.complaints.choices import LEVEL_LABELS, STATE_LABELS
from plaint.complaints.lifecycle import Level, State
from plaint.complaints.models import Complaint
from plaint.core import references


class Command(BaseCommand):
    help = "Show a complaint and its timeline."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("show", help="show one complaint by its reference")
        show.add_argument("reference")

    def handle(self, *args: Any, **options: Any) -> None:
        normalised = references.normalise(options["reference"])
        complaint = (
            Complaint.objects.filter(reference=normalised).first() if normalised else None
        )
        if complaint is None:
            raise CommandError(f"No complaint with reference {options['reference']!r}.")
        detail = selectors.complaint_detail(complaint=complaint, actor=SYSTEM_ACTOR)
        out = self.stdout.write
        out(f"{references.display(detail.reference)}  {detail.subject}")
        out(f"  organisation: {detail.organisation.name}")
        out(f"  customer:     {detail.customer}")
        out(f"  state:        {STATE_LABELS[State(detail.state)]}")
        out(f"  level:        {detail.level} ({LEVEL_LABELS[Level(detail.level)]})")
        out(f"  channel:      {detail.get_channel_display()}")
        out(f"  received:     {detail.received_at:%Y-%m-%d %H:%M %Z}")
        demands = ", ".join(
            f"{d.get_kind_display()}{f' {d.amount} {d.currency}' if d.amount else ''}"
            for d in detail.demands.all()
        )
        out(f"  demands:      {demands or 'unspecified'}")
        out("")
        out("Timeline:")
        for event in selectors.complaint_timeline(complaint=detail, actor=SYSTEM_ACTOR):
            who = event.actor_user or event.actor_kind
            line = f"  {event.occurred_at:%Y-%m-%d %H:%M}  {event.get_kind_display():<28} {who}"
            if event.visibility == "internal":
                line += "  [internal]"
            out(line)
            if event.reason:
                out(f"      reason: {event.reason.text}")
