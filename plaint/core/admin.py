"""The platform admin: Django's admin, for superusers only.

Organisation admins manage their own organisation through Plaint's own pages and
API, never here: Django's admin sees every organisation.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest


class PlatformAdminSite(admin.AdminSite):
    site_header = "Plaint platform admin"
    site_title = "Plaint platform admin"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_superuser)
