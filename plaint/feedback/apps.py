from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    """Ratings of a complaint's handling and feedback cards (compliments, suggestions)."""

    name = "plaint.feedback"
    label = "feedback"
    verbose_name = _("Feedback")

    def ready(self) -> None:
        from plaint.complaints.erasure import complaint_anonymisers

        complaint_anonymisers.append(_rating_comments_anonymise)


def _rating_comments_anonymise(complaint_ids: list[int]) -> None:
    """Erasure on request: the customer's comment on the handling is their own words."""
    from plaint.feedback.models import HandlingRating

    HandlingRating.objects.filter(complaint_id__in=complaint_ids).update(comment="")
