"""URLs of this area. Included by `plaint/web/urls.py` into the `web` namespace, so names are
`web:<name>`; every page here must also be listed in `plaint/web/tests/pages_accounts.py`."""

from django.contrib.auth import views as auth_views
from django.urls import path

urlpatterns = [
    path("sign-in/", auth_views.LoginView.as_view(template_name="web/accounts/sign_in.html"), name="sign-in"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="sign-out"),
]
