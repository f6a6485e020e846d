"""URLs of one complaint in the console, under ``/console/<org>/complaints/<reference>/``.
Included into the ``web`` namespace; every page here must also be listed in
``plaint/web/tests/pages_case.py``. Each action posts to ``<action>/`` and is named
``console-complaint-<action>`` (``console-complaint-acknowledge`` …)."""

from django.urls import path

from plaint.web.console.case import views
from plaint.web.console.case.actions import CaseAction

urlpatterns: list = [
    path("", views.complaint_page, name="console-complaint"),
    path("evidence/<int:evidence_id>/", views.evidence_download, name="console-complaint-evidence"),
    *(path(f"{action.value}/", views.action_view(action), name=f"console-complaint-{action.value}")
      for action in CaseAction),
]
