"""Production: every secret and address comes from the environment; DEBUG is never on.

Required (the process refuses to start without each, naming it):
  PLAINT_SECRET_KEY         at least 50 characters, not a Django default ("django-insecure-…")
  PLAINT_ALLOWED_HOSTS      comma-separated host names the site answers to
  PLAINT_DATABASE_URL       e.g. postgres://plaint:…@db.internal/plaint
  PLAINT_MEDIA_ROOT         where evidence files are kept (outside any web root)
  PLAINT_EMAIL_HOST         the SMTP relay
  PLAINT_DEFAULT_FROM_EMAIL the sender of Plaint's mail, e.g. "Plaint <complaints@example.com>"
Optional: PLAINT_EMAIL_PORT (587), PLAINT_EMAIL_HOST_USER, PLAINT_EMAIL_HOST_PASSWORD,
PLAINT_EMAIL_USE_TLS (1; STARTTLS), PLAINT_STATIC_ROOT, PLAINT_CSRF_TRUSTED_ORIGINS (comma-separated),
PLAINT_TLS_PROXY (1 when a reverse proxy terminates TLS and sets X-Forwarded-Proto),
PLAINT_HSTS_SECONDS (31536000).

A DEBUG variable in the environment changes nothing: nothing here reads it (docs/security.md).
"""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from plaint.settings.base import *  # noqa: F403
from plaint.settings.base import postgresql_options


def _required(name: str) -> str:
    """The variable's value; a missing or empty one stops the process with its name."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"{name} is not set: production settings take it from the environment "
            "(see plaint/settings/production.py)."
        )
    return value


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in ("1", "true", "yes", "on")


def _secret_key() -> str:
    key = _required("PLAINT_SECRET_KEY")
    if len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "PLAINT_SECRET_KEY is too weak: use at least 50 random characters, e.g. "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'."
        )
    return key


# Never on in production, whatever the environment says: a debug page shows settings and data.
DEBUG = False
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [host.strip() for host in _required("PLAINT_ALLOWED_HOSTS").split(",") if host.strip()]
CSRF_TRUSTED_ORIGINS = [
    origin.strip() for origin in os.environ.get("PLAINT_CSRF_TRUSTED_ORIGINS", "").split(",")
    if origin.strip()
]

DATABASES = {
    "default": dj_database_url.parse(
        _required("PLAINT_DATABASE_URL"), conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(postgresql_options())

MEDIA_ROOT = _required("PLAINT_MEDIA_ROOT")
STATIC_ROOT = os.environ.get("PLAINT_STATIC_ROOT", "/var/lib/plaint/static")

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = _required("PLAINT_EMAIL_HOST")
EMAIL_PORT = int(os.environ.get("PLAINT_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("PLAINT_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("PLAINT_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _flag("PLAINT_EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = _required("PLAINT_DEFAULT_FROM_EMAIL")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# HTTPS only: redirect plain http, tell browsers to keep to https (HSTS, with the subdomains and
# the preload list), cookies only over https and never to scripts.
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = int(os.environ.get("PLAINT_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = True
if _flag("PLAINT_TLS_PROXY", default=False):
    # Only behind a proxy that always sets (and never passes on) X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Never call private, loopback or link-local addresses from production (no SSRF).
PLAINT_WEBHOOKS_ALLOW_PRIVATE = False

# Who did what is in the events (the audit trail); the log says what failed, with Django's
# request and security loggers (a refused host, a bad CSRF token, a suspicious file name).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "plaint": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
