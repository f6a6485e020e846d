"""Letters and chat transcripts: what a paper letter or a chat adds to an interaction.

Both hang off an ``Interaction`` (channel ``letter`` or ``chat``), so that they take the
interaction's place in the complaint's record and its visibility. Their free text (what was
said in a chat, who said it) lives in these tables, never in an event's ``data``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from plaint.complaints.choices import ChatRole
from plaint.complaints.models.complaint import Complaint
from plaint.complaints.models.records import Evidence, Interaction
from plaint.parties.actors import ActorKind


class Letter(models.Model):
    """A paper letter from the customer, scanned: its date of receipt and the scan.

    ``opened_complaint`` is True for the letter a complaint was taken in from; the
    complaint's clocks then start at ``received_at``. Written by
    ``services.letters.letter_record``; the scan is an ``Evidence`` of the same complaint.
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="letters")
    interaction = models.OneToOneField(Interaction, on_delete=models.CASCADE, related_name="letter")
    scan = models.OneToOneField(Evidence, on_delete=models.CASCADE, related_name="letter")
    received_at = models.DateTimeField(_("received at"))
    opened_complaint = models.BooleanField(_("the complaint was taken in from this letter"),
                                           default=False)
    recorded_by_kind = models.CharField(max_length=12, choices=ActorKind.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(received_at__lte=F("created_at")),
                name="%(app_label)s_%(class)s_received_before_recorded",
            ),
        ]
        indexes = [models.Index(fields=["complaint", "received_at"])]

    def __str__(self) -> str:
        return f"{_('Letter')} {self.received_at:%Y-%m-%d}"


class ChatTranscript(models.Model):
    """The lines of a chat, attached by an integration to the chat's interaction.

    The interaction holds the start and the duration; ``ended_at`` is kept as sent.
    Written by ``services.transcripts.chat_transcript_attach``.
    """

    interaction = models.OneToOneField(
        Interaction, on_delete=models.CASCADE, related_name="transcript"
    )
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"))
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__gte=F("started_at")),
                name="%(app_label)s_%(class)s_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Chat')} {self.started_at:%Y-%m-%d %H:%M}"


class ChatParticipant(models.Model):
    """Someone in a chat: the customer, an agent (with their position), or a bot."""

    transcript = models.ForeignKey(
        ChatTranscript, on_delete=models.CASCADE, related_name="participants"
    )
    position_in_chat = models.PositiveSmallIntegerField()
    role = models.CharField(_("role"), max_length=8, choices=ChatRole.choices)
    name = models.CharField(_("participant's name"), max_length=200, blank=True)
    staff_position = models.CharField(_("participant's position"), max_length=120, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=ChatRole.values), name="%(app_label)s_%(class)s_role_valid"
            ),
            models.UniqueConstraint(
                fields=["transcript", "position_in_chat"],
                name="%(app_label)s_%(class)s_one_per_position",
            ),
        ]
        ordering = ["position_in_chat"]

    def __str__(self) -> str:
        return self.name or self.get_role_display()


class ChatLine(models.Model):
    """One line of a chat: who wrote what, when."""

    transcript = models.ForeignKey(ChatTranscript, on_delete=models.CASCADE, related_name="lines")
    sequence = models.PositiveIntegerField()
    participant = models.ForeignKey(ChatParticipant, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(_("at"))
    text = models.TextField(_("text"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["transcript", "sequence"], name="%(app_label)s_%(class)s_one_per_sequence"
            ),
        ]
        ordering = ["sequence"]

    def __str__(self) -> str:
        return f"{self.at:%H:%M:%S} #{self.sequence}"
