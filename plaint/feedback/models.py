"""A rating of how a complaint was handled, and a feedback card that is not a complaint."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from plaint.core import clock

SCALE = (MinValueValidator(1), MaxValueValidator(5))


class HandlingRating(models.Model):
    """The customer's rating of the handling once the complaint is over (one per complaint):
    whether it was resolved, how satisfied they are and how much effort it cost them (1–5)."""

    complaint = models.OneToOneField(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="handling_rating"
    )
    resolved = models.BooleanField(_("resolved"))
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction"), validators=SCALE)
    effort = models.PositiveSmallIntegerField(_("effort"), validators=SCALE)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("handling rating")
        constraints = [
            models.CheckConstraint(condition=Q(satisfaction__gte=1, satisfaction__lte=5),
                                   name="feedback_rating_satisfaction_1_5"),
            models.CheckConstraint(condition=Q(effort__gte=1, effort__lte=5),
                                   name="feedback_rating_effort_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.satisfaction}/5"


class FeedbackKind(models.TextChoices):
    COMPLIMENT = "compliment", _("A compliment")
    SUGGESTION = "suggestion", _("A suggestion")


class FeedbackCard(models.Model):
    """A short compliment or suggestion for a provider. Not a complaint: no clock, no handling,
    counted apart from complaints (``selectors.feedback_card_counts``)."""

    organisation = models.ForeignKey(
        "parties.Organisation", on_delete=models.CASCADE, related_name="feedback_cards"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=FeedbackKind.choices)
    text = models.TextField(_("text"))
    contact = models.CharField(_("contact"), max_length=254, blank=True)
    language = models.CharField(_("language"), max_length=8)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("feedback card")
        indexes = [models.Index(fields=["organisation", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"
