"""The embedded default: SQLite and files under one folder (``var/`` unless PLAINT_VAR_DIR).

Used by ``make demo`` and by a small office that needs no database server.
Outgoing mail is written to files under ``var/mail/`` unless PLAINT_EMAIL_HOST is set.
"""

import os
import secrets
from pathlib import Path

import dj_database_url

from plaint.settings.base import *  # noqa: F403
from plaint.settings.base import postgresql_options, sqlite_database

VAR_DIR = Path(os.environ.get("PLAINT_VAR_DIR", "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """Read the instance's secret key, creating it on first start."""
    if key := os.environ.get("PLAINT_SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

if database_url := os.environ.get("PLAINT_DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(database_url, conn_max_age=60,
                                                 conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        DATABASES["default"].setdefault("OPTIONS", {}).update(postgresql_options())
else:
    DATABASES = {"default": sqlite_database(VAR_DIR / "plaint.sqlite3")}

MEDIA_ROOT = VAR_DIR / "files"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)

if email_host := os.environ.get("PLAINT_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = email_host
    EMAIL_PORT = int(os.environ.get("PLAINT_EMAIL_PORT", "25"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
