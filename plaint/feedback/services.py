"""Writes of the feedback domain: a customer rates a finished complaint's handling; anybody
leaves a feedback card (a compliment or a suggestion) for a provider."""

from __future__ import annotations

from enum import StrEnum

from django.db import transaction
from django.utils.translation import gettext

from plaint.complaints.actors import Actor
from plaint.complaints.choices import EventKind
from plaint.complaints.error_codes import ComplaintErrorCode
from plaint.complaints.lifecycle import OPEN_STATES, State
from plaint.complaints.models import Complaint
from plaint.complaints.services.common import event_record, service
from plaint.core import clock
from plaint.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from plaint.feedback.models import FeedbackCard, FeedbackKind, HandlingRating
from plaint.parties.models import Organisation

MAX_TEXT = 2000


class FeedbackErrorCode(StrEnum):
    RATING_NOT_OPEN = "rating_not_open"
    ALREADY_RATED = "already_rated"


def rating_open(complaint: Complaint) -> bool:
    """Whether the handling can be rated: the complaint is over (closed, withdrawn or resolved
    by an external body). Whether it was rated already is the caller's other question."""
    return State(complaint.state) not in OPEN_STATES


def _scale(value: int, name: str, errors: dict[str, list[str]]) -> None:
    if not 1 <= value <= 5:
        errors[name] = [gettext("Choose a number from 1 to 5.")]


@service
def handling_rate(
    *,
    actor: Actor,
    complaint: Complaint,
    resolved: bool,
    satisfaction: int,
    effort: int,
    comment: str = "",
) -> HandlingRating:
    """Record the customer's rating of a finished complaint (once), with one event.

    Only the complaint's own customer rates (staff rating their own work would mean nothing).
    The comment is free text: it stays on the rating, never in the event."""
    if not actor.is_customer or actor.organisation_id != complaint.organisation_id:
        raise PermissionDenied(ComplaintErrorCode.NOT_PERMITTED, gettext("Not permitted."))
    if not rating_open(complaint):
        raise Conflict(FeedbackErrorCode.RATING_NOT_OPEN,
                       gettext("The handling can be rated once the complaint is closed."))
    if HandlingRating.objects.filter(complaint=complaint).exists():
        raise Conflict(FeedbackErrorCode.ALREADY_RATED,
                       gettext("You have already rated the handling of this complaint."))
    errors: dict[str, list[str]] = {}
    _scale(satisfaction, "satisfaction", errors)
    _scale(effort, "effort", errors)
    if len(comment) > MAX_TEXT:
        errors["comment"] = [gettext("Keep the comment under 2000 characters.")]
    if errors:
        raise ValidationFailed("validation_error", gettext("Some fields are not valid."),
                               fields=errors)
    rating = HandlingRating.objects.create(
        complaint=complaint, resolved=resolved, satisfaction=satisfaction, effort=effort,
        comment=comment.strip(), created_at=clock.now(),
    )
    event_record(
        actor=actor, kind=EventKind.HANDLING_RATED, complaint=complaint,
        data={"rating": rating.pk, "resolved": resolved, "satisfaction": satisfaction,
              "effort": effort},
    )
    return rating


def feedback_card_add(
    *, organisation: Organisation, kind: str, text: str, contact: str = "", language: str
) -> FeedbackCard:
    """Keep a compliment or a suggestion for the provider. No account, no event: a card is not
    about a complaint and changes nothing but the count."""
    errors: dict[str, list[str]] = {}
    if kind not in FeedbackKind.values:
        errors["kind"] = [gettext("Choose a compliment or a suggestion.")]
    if not text.strip():
        errors["text"] = [gettext("Write your compliment or suggestion.")]
    elif len(text) > MAX_TEXT:
        errors["text"] = [gettext("Keep it under 2000 characters.")]
    if errors:
        raise ValidationFailed("validation_error", gettext("Some fields are not valid."),
                               fields=errors)
    with transaction.atomic():
        return FeedbackCard.objects.create(
            organisation=organisation, kind=kind, text=text.strip(), contact=contact.strip(),
            language=language, created_at=clock.now(),
        )
