"""URLs of the agent console, under ``/console/<org>/``. Included by ``plaint/web/urls.py`` into the
``web`` namespace, so names are ``web:<name>``; every page here must also be listed in
``plaint/web/tests/pages_console.py``. A complaint's own page and its actions are in ``case/``."""

from django.urls import include, path

urlpatterns: list = [
    path("<slug:org>/complaints/<str:reference>/", include("plaint.web.console.case.urls")),
]
