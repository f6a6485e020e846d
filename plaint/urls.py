from django.contrib import admin
from django.urls import include, path

from plaint.api.v1 import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    # Django's set_language view (POST), which the language switcher on every page uses.
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("plaint.web.urls")),
]
