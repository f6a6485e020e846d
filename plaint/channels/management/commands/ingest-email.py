"""``plaint ingest-email``: take one RFC 822 message on standard input, as a mail server pipes it.

Postfix, for example: ``complaints: "|/srv/plaint/.venv/bin/plaint ingest-email"`` in
``/etc/aliases``; the receiving address comes from ``$ORIGINAL_RECIPIENT`` (or ``--recipient``),
else from the message's delivery headers. The exit status is non-zero only when the message could
not even be stored (the mail server then keeps it and tries again); everything else about the
message, even that it cannot be parsed, is for Plaint to sort out afterwards.
"""

from __future__ import annotations

import os
import sys
from argparse import ArgumentParser

from django.core.management.base import BaseCommand, CommandError

from plaint.channels.services import incoming_message_store

TEMPFAIL = 75  # EX_TEMPFAIL (sysexits.h): the mail server retries later


class Command(BaseCommand):
    help = "Store one e-mail read from standard input (for a mail server's pipe)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--recipient", default="", help="the address it was delivered to")

    def handle(self, *args: object, **options: object) -> None:
        raw = sys.stdin.buffer.read()
        if not raw:
            raise CommandError("No message on standard input.", returncode=TEMPFAIL)
        recipient = str(options["recipient"] or os.environ.get("ORIGINAL_RECIPIENT", "")
                        or os.environ.get("RECIPIENT", ""))
        try:
            message, created = incoming_message_store(raw=raw, source="pipe", recipient=recipient)
        except Exception as exc:  # the database is away: let the mail server keep it
            raise CommandError(f"The message could not be stored: {exc}", returncode=TEMPFAIL) from exc
        verb = "stored" if created else "already stored"
        self.stdout.write(f"{verb} as incoming message {message.pk}")
