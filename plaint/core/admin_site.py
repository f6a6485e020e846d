from django.contrib.admin.apps import AdminConfig


class PlatformAdminConfig(AdminConfig):
    """Replaces Django's default admin site with one only superusers may enter."""

    default_site = "plaint.core.admin.PlatformAdminSite"
