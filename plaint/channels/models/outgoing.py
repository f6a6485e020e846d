from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutgoingState(models.TextChoices):
    QUEUED = "queued", _("Queued")  # waiting for its first attempt or its next retry
    SENT = "sent", _("Sent")  # the mail server took it; ``sent_at`` is the dispatch time
    FAILED = "failed", _("Failed")  # every attempt failed; given up
    UNDELIVERED = "undelivered", _("Undelivered")  # sent, then a bounce said it did not arrive


class OutgoingMessage(models.Model):
    """An e-mail Plaint sends: the outbox row and its delivery log.

    Written in the same transaction as the change it reports, then sent by a
    task after commit. ``thread_reference`` is the public reference of the case
    it belongs to, so that replies can be threaded back without channels
    knowing what a complaint is.
    """

    organisation = models.ForeignKey(
        "parties.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=40)
    thread_reference = models.CharField(max_length=20, blank=True, db_index=True)
    to_address = models.EmailField()
    language = models.CharField(max_length=8)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    message_id = models.CharField(max_length=250, unique=True)
    # The Message-ID of the customer's mail this answers (threads the answer under it).
    in_reply_to = models.CharField(max_length=250, blank=True)
    state = models.CharField(
        max_length=12, choices=OutgoingState.choices, default=OutgoingState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    queued_at = models.DateTimeField()
    # When the next attempt is due (null once sent or given up); the outbox sweep's index.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # A sender holds the message until then (see ``services.outbox``).
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    undelivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["state", "queued_at"]),
            models.Index(
                fields=["next_attempt_at"], name="outgoing_due",
                condition=models.Q(state="queued"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to_address}"
