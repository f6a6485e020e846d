"""Production: every secret and address comes from the environment; DEBUG is never on.

Required: PLAINT_SECRET_KEY, PLAINT_DATABASE_URL, PLAINT_ALLOWED_HOSTS, PLAINT_MEDIA_ROOT.
"""

import os

import dj_database_url

from plaint.settings.base import *  # noqa: F403
from plaint.settings.base import postgresql_options

DEBUG = False
SECRET_KEY = os.environ["PLAINT_SECRET_KEY"]
ALLOWED_HOSTS = os.environ["PLAINT_ALLOWED_HOSTS"].split(",")
DATABASES = {
    "default": dj_database_url.parse(
        os.environ["PLAINT_DATABASE_URL"], conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(postgresql_options())
MEDIA_ROOT = os.environ["PLAINT_MEDIA_ROOT"]
STATIC_ROOT = os.environ.get("PLAINT_STATIC_ROOT", "/var/lib/plaint/static")
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("PLAINT_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("PLAINT_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("PLAINT_DEFAULT_FROM_EMAIL", DEFAULT_FROM_EMAIL)  # noqa: F405
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Never call private, loopback or link-local addresses from production (no SSRF).
PLAINT_WEBHOOKS_ALLOW_PRIVATE = False
