"""``plaint mailbox``: the mailboxes Plaint reads, and what came in.

- ``plaint mailbox add ADDRESS --organisation SLUG [--imap-host H --imap-port P --imap-user U
  --imap-password-env VAR --imap-security ssl|starttls|none --imap-folder F]``
- ``plaint mailbox list``: each mailbox with its last poll and what its messages became
- ``plaint mailbox poll [ADDRESS]``: fetch new mail over IMAP now, then process what is stored
"""

from __future__ import annotations

import os
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from plaint.channels.models import IncomingMessage, Mailbox
from plaint.channels.models.incoming import ImapSecurity
from plaint.channels.services.imap import mailbox_poll
from plaint.parties.models import Organisation


class Command(BaseCommand):
    help = "Manage and poll the mailboxes that take complaints by e-mail."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="add a mailbox for an organisation")
        add.add_argument("address")
        add.add_argument("--organisation", required=True, help="the organisation's slug")
        add.add_argument("--imap-host", default="")
        add.add_argument("--imap-port", type=int, default=993)
        add.add_argument("--imap-security", choices=ImapSecurity.values, default=ImapSecurity.SSL)
        add.add_argument("--imap-user", default="")
        add.add_argument("--imap-password-env", default="", help="environment variable with the password")
        add.add_argument("--imap-folder", default="INBOX")
        sub.add_parser("list", help="mailboxes and what their messages became")
        poll = sub.add_parser("poll", help="fetch new mail over IMAP and process it")
        poll.add_argument("address", nargs="?", default="")

    def handle(self, *args: object, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _add(self, options: dict[str, Any]) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation {options['organisation']!r}.")
        password = os.environ.get(options["imap_password_env"], "") if options["imap_password_env"] else ""
        mailbox, _ = Mailbox.objects.update_or_create(
            address=options["address"].strip().lower(),
            defaults={
                "organisation": organisation, "imap_host": options["imap_host"],
                "imap_port": options["imap_port"], "imap_security": options["imap_security"],
                "imap_username": options["imap_user"], "imap_password": password,
                "imap_folder": options["imap_folder"], "is_active": True,
            },
        )
        self.stdout.write(f"mailbox {mailbox.address} for {organisation.name}")

    def _list(self, options: dict[str, Any]) -> None:
        counts: dict[str, dict[tuple[str, str], int]] = {}
        rows = IncomingMessage.objects.values("recipient", "state", "classification").annotate(n=Count("pk"))
        for row in rows:
            counts.setdefault(row["recipient"], {})[(row["state"], row["classification"])] = row["n"]
        for mailbox in Mailbox.objects.select_related("organisation").order_by("address"):
            self.stdout.write(
                f"{mailbox.address}  {mailbox.organisation.slug}  "
                f"imap={mailbox.imap_host or '-'}  last poll={mailbox.last_polled_at or '-'}"
                + (f"  error={mailbox.last_error}" if mailbox.last_error else "")
            )
            for (state, classification), n in sorted(counts.pop(mailbox.address, {}).items()):
                self.stdout.write(f"    {n:6d}  {state:10s} {classification or '-'}")
        for recipient, rows in sorted(counts.items()):
            self.stdout.write(f"{recipient or '(no mailbox of ours)'}")
            for (state, classification), n in sorted(rows.items()):
                self.stdout.write(f"    {n:6d}  {state:10s} {classification or '-'}")

    def _poll(self, options: dict[str, Any]) -> None:
        from plaint.complaints.services.inbound import incoming_messages_process_stored

        mailboxes = Mailbox.objects.filter(is_active=True).exclude(imap_host="")
        if options["address"]:
            mailboxes = mailboxes.filter(address=options["address"].strip().lower())
        failed = False
        for mailbox in mailboxes.order_by("pk"):
            report = mailbox_poll(mailbox)
            failed |= bool(report.error)
            self.stdout.write(
                f"{mailbox.address}: fetched {report.fetched}, new {report.stored}, left {report.left}"
                + (f", error: {report.error}" if report.error else "")
            )
        self.stdout.write(f"processed {incoming_messages_process_stored()} stored message(s)")
        if failed:
            raise CommandError("Some mailboxes could not be polled.")
