"""Reads of the feedback domain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Avg, Count, Q

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


@dataclass(frozen=True)
class FeedbackSummary:
    """What customers told an organisation over a period, apart from their complaints."""

    compliments: int
    suggestions: int
    ratings: int  # handling ratings given in the period
    resolved_percent: Decimal | None  # of the ratings, the share that said "resolved"; None if none
    satisfaction: Decimal | None  # average, 1 (very dissatisfied) to 5 (very satisfied)
    effort: Decimal | None  # average, 1 (very little) to 5 (a great deal)


def _one_decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.1"))


def feedback_summary(organisation: Organisation, since: datetime) -> FeedbackSummary:
    """Feedback cards and handling ratings received since ``since``: two aggregate queries,
    whatever the data. Ratings of imported history are left out, as from every dashboard
    figure."""
    cards = FeedbackCard.objects.filter(organisation=organisation, created_at__gte=since).aggregate(
        compliments=Count("id", filter=Q(kind=FeedbackKind.COMPLIMENT)),
        suggestions=Count("id", filter=Q(kind=FeedbackKind.SUGGESTION)),
    )
    ratings = HandlingRating.objects.filter(
        complaint__organisation=organisation, complaint__is_historical=False, created_at__gte=since
    ).aggregate(n=Count("id"), resolved=Count("id", filter=Q(resolved=True)),
                satisfaction=Avg("satisfaction"), effort=Avg("effort"))
    n = ratings["n"]
    return FeedbackSummary(
        compliments=cards["compliments"],
        suggestions=cards["suggestions"],
        ratings=n,
        resolved_percent=_one_decimal(100 * ratings["resolved"] / n) if n else None,
        satisfaction=_one_decimal(ratings["satisfaction"]),
        effort=_one_decimal(ratings["effort"]),
    )
