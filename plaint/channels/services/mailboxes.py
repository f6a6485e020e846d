"""Writes of an organisation's mailboxes, made by its admins in their console pages (the
``plaint mailbox add`` command does the same for a platform admin).

The IMAP password is written here and read only by ``imap.mailbox_poll``: no page shows it back.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext

from plaint.channels.models import Mailbox
from plaint.channels.models.incoming import ImapSecurity
from plaint.core.exceptions import ValidationFailed
from plaint.parties.admin_services import require_org_admin
from plaint.parties.audit import admin_event_record, changed_fields
from plaint.parties.models import AdminEventKind, Membership, Organisation


@dataclass(frozen=True)
class MailboxSpec:
    """Where to fetch a mailbox's mail; an empty ``imap_host`` means the mail server pipes it."""

    imap_host: str = ""
    imap_port: int = 993
    imap_security: str = ImapSecurity.SSL
    imap_username: str = ""
    imap_folder: str = "INBOX"


def _invalid(field: str, message: str, code: str = "validation_error") -> ValidationFailed:
    return ValidationFailed(code, message, fields={field: [message]})


def _check(spec: MailboxSpec) -> None:
    if spec.imap_security not in ImapSecurity.values:
        raise _invalid("imap_security", gettext("Choose how the connection is secured."))
    if not 0 < spec.imap_port < 65536:  # noqa: PLR2004 - the TCP port range
        raise _invalid("imap_port", gettext("Give a port between 1 and 65535."))
    if spec.imap_host and not spec.imap_username:
        raise _invalid("imap_username", gettext("Give the user name to sign in to the IMAP server."))


def _apply(mailbox: Mailbox, spec: MailboxSpec) -> None:
    mailbox.imap_host = spec.imap_host.strip()
    mailbox.imap_port = spec.imap_port
    mailbox.imap_security = spec.imap_security
    mailbox.imap_username = spec.imap_username.strip()
    mailbox.imap_folder = spec.imap_folder.strip() or "INBOX"


def _spec_data(mailbox: Mailbox) -> dict[str, object]:
    """What the log keeps of a mailbox: where it is fetched from (never the password)."""
    return {"imap_host": mailbox.imap_host, "imap_port": mailbox.imap_port,
            "imap_security": mailbox.imap_security, "imap_folder": mailbox.imap_folder,
            "is_active": mailbox.is_active}


@transaction.atomic(savepoint=False)
def mailbox_add(
    *,
    by: Membership,
    organisation: Organisation,
    address: str,
    spec: MailboxSpec,
    password: str = "",
) -> Mailbox:
    """A new mailbox of the organisation, active at once. An address is Plaint-wide unique (the
    mail server's pipe finds the mailbox by it), so one in use anywhere is refused."""
    require_org_admin(by, organisation)
    address = address.strip().lower()
    if not address:
        raise _invalid("address", gettext("Give the mailbox's address."))
    _check(spec)
    if Mailbox.objects.filter(address=address).exists():
        raise _invalid("address", gettext("This address is already used by a mailbox."), "address_taken")
    mailbox = Mailbox(organisation=organisation, address=address, imap_password=password)
    _apply(mailbox, spec)
    mailbox.save(force_insert=True)
    admin_event_record(organisation=organisation, kind=AdminEventKind.MAILBOX_CREATED, subject=mailbox, by=by,
                       label=mailbox.address, data=_spec_data(mailbox))
    return mailbox


@transaction.atomic(savepoint=False)
def mailbox_change(
    *,
    by: Membership,
    mailbox: Mailbox,
    spec: MailboxSpec,
    is_active: bool,
    password: str | None = None,
) -> Mailbox:
    """Change where a mailbox is fetched from, or switch it off (its messages stay) or on.
    ``password=None`` keeps the stored password; a new one replaces it."""
    require_org_admin(by, mailbox.organisation)
    _check(spec)
    fields = ["imap_host", "imap_port", "imap_security", "imap_username", "imap_folder", "is_active"]
    before = {name: getattr(mailbox, name) for name in fields}
    _apply(mailbox, spec)
    mailbox.is_active = is_active
    if password is not None:
        mailbox.imap_password = password
        fields.append("imap_password")
    mailbox.save(update_fields=fields)
    changed = changed_fields(before, mailbox) + (["imap_password"] if password is not None else [])
    admin_event_record(organisation=mailbox.organisation, kind=AdminEventKind.MAILBOX_CHANGED,
                       subject=mailbox, by=by, label=mailbox.address,
                       data={**_spec_data(mailbox), "fields": changed})
    return mailbox
