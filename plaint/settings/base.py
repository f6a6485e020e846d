"""Settings shared by every deployment.

The modules beside this one choose the database, mail and secrets:
``local`` (the embedded SQLite default used by ``make demo`` and small offices),
``production`` (everything from the environment) and ``test``.
"""

import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

INSTALLED_APPS = [
    "plaint.core.admin_site.PlatformAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "csp",
    # Two-factor sign-in (docs/security.md): TOTP devices and one-time recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "plaint.core",
    "plaint.parties",
    "plaint.deadlines",
    "plaint.channels",
    "plaint.complaints",
    "plaint.feedback",
    "plaint.clocks",
    "plaint.webhooks",
    "plaint.interchange",
    "plaint.api",
    "plaint.web",
    "plaint.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The content-security policy (CONTENT_SECURITY_POLICY below) on every response.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Sign-in and sessions (docs/security.md): which device verified the session, sessions
    # ended after idleness, and the second step before any page when one is owed.
    "django_otp.middleware.OTPMiddleware",
    "plaint.web.accounts.middleware.SessionIdleMiddleware",
    "plaint.web.accounts.middleware.TwoFactorMiddleware",
    # A signed-in person's language is their profile's (after LocaleMiddleware's cookie/browser).
    "plaint.web.accounts.middleware.ProfileLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Security headers (docs/security.md "Production settings and headers"). The policy allows only
# our own scripts and styles (no inline script, no inline style, no eval): the pages have no
# inline JavaScript or style (docs/web.md) and htmx is served from our own static files.
# django-csp 4 reads one dict per policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

ROOT_URLCONF = "plaint.urls"
WSGI_APPLICATION = "plaint.wsgi.application"
AUTH_USER_MODEL = "parties.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Argon2 for every new hash; the others stay so that an older hash still checks and is rehashed
# with Argon2 when its owner signs in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("cs", _("Czech")),
    ("pl", _("Polish")),
    ("ro", _("Romanian")),
    ("pt-br", _("Brazilian Portuguese")),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "static/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Static files are served from the installed packages by WhiteNoise without a
# collectstatic step, so that a fresh checkout serves the API docs at once.
WHITENOISE_USE_FINDERS = True
# Front-end packages come from the npm registry at install time (``make install`` runs
# ``npm ci``; package.json pins them) and are served from node_modules, never committed.
NODE_MODULES_DIR = Path(os.environ.get("PLAINT_NODE_MODULES", PACKAGE_DIR.parent / "node_modules"))
STATICFILES_DIRS = [("vendor/htmx.org", NODE_MODULES_DIR / "htmx.org" / "dist")]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Evidence files: limits checked on content, not on names or declared types.
PLAINT_EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
PLAINT_EVIDENCE_ALLOWED_TYPES = [
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "image/heic",
    "text/plain",
    "audio/mpeg",
    "audio/x-wav",
    "audio/ogg",
    "audio/mp4",
    "message/rfc822",
]

# Each uploaded file is written to disk only up to the limit (plaint/core/uploads.py); the
# complaint form takes at most 10 files, the API one per request. Stored files are the service
# account's alone.
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "plaint.core.uploads.BoundedTemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_NUMBER_FILES = 20
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Retention periods are not settings: they are the retention schedule of the rule packs
# (plaint/deadlines/rules/*.toml, ``[[retention]]``; docs/security.md), each with its source.

# Outgoing webhooks (docs/webhooks.md). Private, loopback and link-local addresses (and plain
# http) are refused unless this is on; only tests that run a receiver on 127.0.0.1 turn it on.
PLAINT_WEBHOOKS_ALLOW_PRIVATE = False
# A CA bundle that replaces the system's trust store for webhook TLS (tests: trustme's CA).
PLAINT_WEBHOOKS_CA_BUNDLE: str | None = None
# Seconds to wait for a receiver to connect, and then for each read.
PLAINT_WEBHOOKS_TIMEOUT = 10
# Seconds to wait after the 1st, 2nd, … failed attempt; after one attempt more, give up.
PLAINT_WEBHOOKS_RETRY_DELAYS = [60, 5 * 60, 30 * 60, 2 * 3600, 12 * 3600, 24 * 3600]
# Seconds during which a rotated-out secret still signs deliveries (a second v1), 0 for none.
PLAINT_WEBHOOKS_SECRET_OVERLAP = 24 * 3600

# The store that every web process shares: rate-limit counters (docs/security.md). A table in
# the database by default (``plaint migrate`` creates it); Redis where PLAINT_REDIS_URL is set,
# which needs the ``redis`` package installed beside Plaint (it is not a dependency).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "plaint_cache",
        # Expired rows go first; past this many, a third of the rest is dropped.
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}
if os.environ.get("PLAINT_REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["PLAINT_REDIS_URL"],
    }

# Rate limits: (requests, seconds) per fixed window, counted in the shared cache. Over the
# limit, the API answers 429 ``rate_limited`` and the pages a 429 page, both with Retry-After.
# A token marked ``rate_limit_exempt`` (only the operator sets it) is never counted.
PLAINT_RATE_LIMITS = {
    "api_intake_token": (120, 60),  # complaints and letters taken in through the API, per token
    "api_intake_address": (20, 60),  # the same by a signed-in browser, per client address
    "complaint_form": (10, 600),  # the public complaint form, per client address
    "follow_form": (20, 600),  # the follow-a-complaint form, per client address
}
# Peers (reverse proxies) whose X-Forwarded-For is believed, e.g. "127.0.0.1,10.0.0.2"; the
# client is then the nearest address in that header that is not itself a trusted proxy.
PLAINT_TRUSTED_PROXIES = [
    a.strip() for a in os.environ.get("PLAINT_TRUSTED_PROXIES", "").split(",") if a.strip()
]
# Seconds between two writes of one token's use from one process (docs/security.md).
PLAINT_TOKEN_USE_WRITE_INTERVAL = 60

DEFAULT_FROM_EMAIL = "Plaint <complaints@plaint.localhost>"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}


def sqlite_database(path: Path) -> dict[str, object]:
    """An SQLite database configured as a real embedded database.

    WAL lets readers run beside one writer; IMMEDIATE transactions make writers
    queue for the lock instead of failing when they upgrade; FULL synchronous
    keeps every commit through a power loss (see STACK.md).
    """
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
            ),
        },
    }


def postgresql_options() -> dict[str, object]:
    """psycopg 3 options measured to matter: server-side binding with prepared statements."""
    return {"server_side_binding": True, "prepare_threshold": 5}

# Pages that need a person send them to the sign-in page, and back where they were after it.
LOGIN_URL = "web:sign-in"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

# --- Sign-in and sessions (docs/security.md) ----------------------------------------------------

# Counters of failed sign-ins and of password-reset requests live in the shared cache (CACHES
# above: the database cache, or Redis where PLAINT_REDIS_URL is set).

# Failed sign-ins (a wrong password or a wrong second-step code) before the account, or the
# client address, is refused for PLAINT_SIGNIN_LOCKOUT_MINUTES; failures are counted while they
# come less than that many minutes apart.
PLAINT_SIGNIN_FAILURES_PER_ACCOUNT = 5
PLAINT_SIGNIN_FAILURES_PER_ADDRESS = 20
PLAINT_SIGNIN_LOCKOUT_MINUTES = 15
# Password-reset requests one client address may make in PLAINT_PASSWORD_RESET_WINDOW_MINUTES.
PLAINT_PASSWORD_RESETS_PER_ADDRESS = 5
PLAINT_PASSWORD_RESET_WINDOW_MINUTES = 60

# A signed-in session with no request for this long is ended.
PLAINT_SESSION_IDLE_MINUTES = 60
# The longest a session lives at all (the cookie's age), however busy.
SESSION_COOKIE_AGE = 12 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# No script reads the CSRF cookie: forms carry the token in a hidden field.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# The issuer an authenticator app shows beside the account of a TOTP device.
OTP_TOTP_ISSUER = "Plaint"
