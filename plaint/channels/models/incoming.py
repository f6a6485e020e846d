"""What comes in by e-mail: the mailboxes Plaint reads, and every message, stored raw first.

A message is stored before anything else happens to it (``IncomingMessage.raw``), so that
nothing that arrived is ever lost: a message that cannot be parsed, that comes to an unknown
address, or whose processing fails is kept and held for a person. Channels does not know what a
complaint is: ``thread_reference`` names the complaint a message joined or opened by its public
reference, as ``OutgoingMessage`` does.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ImapSecurity(models.TextChoices):
    SSL = "ssl", _("TLS from the start (IMAPS, port 993)")
    STARTTLS = "starttls", _("STARTTLS")
    NONE = "none", _("None (loopback and tests only)")


class Mailbox(models.Model):
    """An address of an organisation's complaints desk.

    Mail reaches it either piped by the mail server (``plaint ingest-email``, which finds the
    mailbox by the address) or by polling its IMAP folder (when ``imap_host`` is set).
    """

    organisation = models.ForeignKey(
        "parties.Organisation", on_delete=models.CASCADE, related_name="mailboxes"
    )
    address = models.EmailField(_("address"), unique=True)
    imap_host = models.CharField(_("IMAP server"), max_length=253, blank=True)
    imap_port = models.PositiveIntegerField(_("IMAP port"), default=993)
    imap_security = models.CharField(
        _("IMAP security"), max_length=8, choices=ImapSecurity.choices, default=ImapSecurity.SSL
    )
    imap_username = models.CharField(_("IMAP user name"), max_length=254, blank=True)
    imap_password = models.CharField(_("IMAP password"), max_length=254, blank=True)
    imap_folder = models.CharField(_("IMAP folder"), max_length=200, default="INBOX")
    is_active = models.BooleanField(pgettext_lazy("mailbox", "active"), default=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(address=models.functions.Lower("address")),
                name="%(app_label)s_%(class)s_address_lowercase",
            ),
        ]

    def __str__(self) -> str:
        return self.address


class IncomingState(models.TextChoices):
    STORED = "stored", _("Stored, waiting to be processed")
    PROCESSED = "processed", _("Processed")  # joined or opened a complaint, or recorded a bounce
    IGNORED = "ignored", _("Nothing to do")  # an auto-reply or a report: kept, answered by nobody
    HELD = "held", _("Held for a person")  # cannot be handled automatically; a person decides


class Classification(models.TextChoices):
    NORMAL = "normal", _("A person's message")
    AUTO_REPLY = "auto_reply", _("Automatic reply")
    BOUNCE = "bounce", _("Delivery failure")
    REPORT = "report", _("Report (abuse, read receipt)")
    SPAM = "spam", _("Looks like spam")
    UNPARSEABLE = "unparseable", _("Could not be read")


class IncomingMessage(models.Model):
    """One message as it arrived, with what processing made of it."""

    mailbox = models.ForeignKey(
        Mailbox, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    organisation = models.ForeignKey(
        "parties.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=8)  # pipe, imap
    # The address it was delivered to, lowercased ("" when none of ours could be found).
    recipient = models.CharField(max_length=254, blank=True)
    raw = models.BinaryField()
    raw_sha256 = models.CharField(max_length=64)
    # The Message-ID with a hash of the body, or the content's SHA-256 for a message without
    # one: the same message delivered twice to one address is stored once.
    dedup_key = models.CharField(max_length=255)
    message_id = models.CharField(max_length=255, blank=True, db_index=True)
    from_address = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    received_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=IncomingState.choices, default=IncomingState.STORED)
    classification = models.CharField(max_length=12, choices=Classification.choices, blank=True)
    # Why a person must look at it, or what processing saw (parser defects).
    problem = models.TextField(blank=True)
    thread_reference = models.CharField(max_length=20, blank=True, db_index=True)
    # For a bounce: the message of ours it reports as undelivered.
    outgoing_message = models.ForeignKey(
        "channels.OutgoingMessage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedup_key"], name="%(app_label)s_%(class)s_once_per_address"
            ),
            models.CheckConstraint(
                condition=Q(state__in=IncomingState.values), name="%(app_label)s_%(class)s_state_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "received_at"], name="incoming_state"),
        ]

    def __str__(self) -> str:
        return f"{self.from_address}: {self.subject}"
