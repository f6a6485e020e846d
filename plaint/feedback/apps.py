from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    """Ratings of a complaint's handling and feedback cards (compliments, suggestions)."""

    name = "plaint.feedback"
    label = "feedback"
    verbose_name = _("Feedback")
