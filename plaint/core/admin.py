"""The platform admin: Django's admin, for superusers only.

Organisation admins manage their own organisation through Plaint's own pages and
API, never here: Django's admin sees every organisation.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse


class PlatformAdminSite(admin.AdminSite):
    site_header = "Plaint platform admin"
    site_title = "Plaint platform admin"

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        """The admin is entered through the site's own sign-in, which refuses repeated failures
        and asks for the second factor (docs/security.md), not through a form of its own."""
        target = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index", current_app=self.name)
        return HttpResponseRedirect(reverse("web:sign-in") + "?" + urlencode({REDIRECT_FIELD_NAME: target}))

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_superuser)


class ReadOnlyAdmin(admin.ModelAdmin):
    """A model the platform admin may list and read but never add, change or delete: records
    that only the services write (complaints and their events, logs of what happened)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
