"""URLs of this area. Included by `plaint/web/urls.py` into the `web` namespace, so names are
`web:<name>`; every page here must also be listed in `plaint/web/tests/pages_accounts.py`."""

from django.urls import path  # noqa: F401 -- used as pages are added

urlpatterns: list = []
