"""What was said and shown about a complaint: interactions, promises, messages, evidence.

Each record has a visibility; customer-facing reads return only customer-visible ones.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from plaint.complaints.choices import (
    Channel,
    Direction,
    MessageKind,
    PromiseKind,
    PromiseState,
    Visibility,
)
from plaint.complaints.models.complaint import Complaint
from plaint.parties.actors import ActorKind


def _visibility_valid() -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(visibility__in=Visibility.values),
        name="%(app_label)s_%(class)s_visibility_valid",
    )


class Interaction(models.Model):
    """A contact about the complaint by either side: a call, a chat, a visit, a letter.

    The staff member's name, position and location are copied at the time, so the
    record keeps them even if the person later changes job. A customer may log
    their own calls with the provider, with what the agent said their name was.
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="interactions")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    started_at = models.DateTimeField(_("started at"))
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), default=0)
    staff_member = models.ForeignKey(
        "parties.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    staff_name = models.CharField(_("staff member's name"), max_length=200, blank=True)
    staff_position = models.CharField(_("staff member's position"), max_length=120, blank=True)
    staff_location = models.CharField(_("staff member's location"), max_length=120, blank=True)
    references_quoted = models.JSONField(_("reference numbers quoted"), default=list)
    notes = models.TextField(_("notes"), blank=True)
    visibility = models.CharField(max_length=8, choices=Visibility.choices)
    recorded_by_kind = models.CharField(max_length=12, choices=ActorKind.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [_visibility_valid()]
        indexes = [models.Index(fields=["complaint", "started_at"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.started_at:%Y-%m-%d %H:%M}"


class Promise(models.Model):
    """Something promised in an interaction: a callback at an exact time, an action by a date."""

    interaction = models.ForeignKey(Interaction, on_delete=models.CASCADE, related_name="promises")
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="promises")
    kind = models.CharField(_("kind"), max_length=10, choices=PromiseKind.choices)
    due_at = models.DateTimeField(_("due at"))
    description = models.TextField(_("what was promised"), blank=True)
    state = models.CharField(
        max_length=8, choices=PromiseState.choices, default=PromiseState.OPEN
    )

    class Meta:
        indexes = [models.Index(fields=["state", "due_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_at:%Y-%m-%d %H:%M}"


class Message(models.Model):
    """Anything written later by the customer or staff; a note is an internal message.

    ``moved_from`` remembers where a misfiled message first landed.
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=8, choices=MessageKind.choices, default=MessageKind.MESSAGE)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    author_kind = models.CharField(max_length=12, choices=ActorKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("text"))
    visibility = models.CharField(max_length=8, choices=Visibility.choices)
    moved_from = models.ForeignKey(
        Complaint, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The e-mail it came in as (the raw message is kept there).
    incoming_message = models.ForeignKey(
        "channels.IncomingMessage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            _visibility_valid(),
            models.CheckConstraint(
                condition=~Q(kind=MessageKind.NOTE) | Q(visibility=Visibility.INTERNAL),
                name="%(app_label)s_%(class)s_note_is_internal",
            ),
        ]
        indexes = [models.Index(fields=["complaint", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class Evidence(models.Model):
    """A file (a bill, a contract, a photo, a recording, a letter) with its SHA-256.

    The file is stored outside the web root and served only through an access check.
    Its type was detected from its content when it was added.
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="evidence/%Y/%m/", max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("description"), max_length=300, blank=True)
    visibility = models.CharField(max_length=8, choices=Visibility.choices)
    added_by_kind = models.CharField(max_length=12, choices=ActorKind.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [_visibility_valid()]

    def __str__(self) -> str:
        return self.original_name
