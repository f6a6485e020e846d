"""Reads of the feedback domain."""

from __future__ import annotations

from django.db.models import Count

from plaint.complaints.models import Complaint
from plaint.feedback.models import FeedbackCard, FeedbackKind, HandlingRating
from plaint.parties.models import Organisation


def rating_of(complaint: Complaint) -> HandlingRating | None:
    return HandlingRating.objects.filter(complaint=complaint).first()


def feedback_card_counts(organisation: Organisation) -> dict[str, int]:
    """How many compliments and suggestions the organisation received (every kind listed, 0 if
    none), apart from its complaints: one query."""
    counts = dict.fromkeys(FeedbackKind.values, 0)
    rows = (FeedbackCard.objects.filter(organisation=organisation)
            .values("kind").annotate(n=Count("id")).order_by())
    counts.update({row["kind"]: row["n"] for row in rows})
    return counts
