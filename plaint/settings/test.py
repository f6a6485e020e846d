"""Test settings: the local settings with the database chosen by the test tier.

PLAINT_TEST_DB selects the tier's database: ``sqlite`` (a file database with the
production SQLite options, never in-memory) or ``postgresql`` (the throwaway
cluster that ``make test`` starts; PLAINT_TEST_PG_PORT names its port).
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("PLAINT_VAR_DIR", str(Path(tempfile.gettempdir()) / "plaint-test-var"))

from plaint.settings.base import postgresql_options, sqlite_database  # noqa: E402
from plaint.settings.local import *  # noqa: E402, F403
from plaint.settings.local import VAR_DIR  # noqa: E402

TEST_DB = os.environ.get("PLAINT_TEST_DB", "sqlite")

if TEST_DB == "postgresql":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "plaint",
            "USER": "postgres",
            "HOST": "127.0.0.1",
            "PORT": os.environ.get("PLAINT_TEST_PG_PORT", "55432"),
            "OPTIONS": postgresql_options(),
            "TEST": {"NAME": "plaint_test"},
        }
    }
else:
    DATABASES = {"default": sqlite_database(VAR_DIR / "plaint.sqlite3")}
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "plaint_test.sqlite3")}

# Hashing is slow on purpose; tests that test hashing override this.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# A process that a test starts (a worker) works on the test's own database and, if asked, with
# the real task queue in it.
if os.environ.get("PLAINT_TEST_USE_TEST_DATABASE"):
    DATABASES["default"]["NAME"] = DATABASES["default"]["TEST"]["NAME"]
if os.environ.get("PLAINT_TEST_TASKS") == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# ... and sends webhooks to the test's HTTPS receiver on loopback, trusting the test's CA.
if os.environ.get("PLAINT_TEST_WEBHOOKS_CA_BUNDLE"):
    PLAINT_WEBHOOKS_ALLOW_PRIVATE = True
    PLAINT_WEBHOOKS_CA_BUNDLE = os.environ["PLAINT_TEST_WEBHOOKS_CA_BUNDLE"]
MEDIA_ROOT = VAR_DIR / "files"
PLAINT_ALLOW_TEST_CLOCK = True
# The browser tests' server keeps its counters for the whole run (the cache table is not emptied
# between them), so the limits are out of reach here; the rate-limit tests set their own.
PLAINT_RATE_LIMITS = {scope: (10_000, period) for scope, (_n, period) in PLAINT_RATE_LIMITS.items()}  # noqa: F405
