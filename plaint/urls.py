from django.contrib import admin
from django.urls import include, path

from plaint.api.v1 import api
from plaint.web.accounts.views import set_language

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    # Django's set_language view (POST), which the language switcher on every page uses, wrapped
    # so that a signed-in person's choice is saved in their profile too (the path and the name
    # are Django's, `django.conf.urls.i18n`).
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("plaint.web.urls")),
]
