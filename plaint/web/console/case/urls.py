"""URLs of one complaint in the console, under ``/console/<org>/complaints/<reference>/``.
Included into the ``web`` namespace; every page here must also be listed in
``plaint/web/tests/pages_case.py``."""

from django.urls import path  # noqa: F401 -- used as pages are added

urlpatterns: list = []
