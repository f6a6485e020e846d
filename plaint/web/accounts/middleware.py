"""Middleware of a person's session: their language, the session's end after idleness, and the
second factor owed before any page (the last two: docs/security.md).

The language of a signed-in person is the one in their profile.

Django's ``LocaleMiddleware`` chooses first (the language cookie, then the browser's
``Accept-Language``); this middleware, placed after ``AuthenticationMiddleware``, overrides that
choice for a signed-in person with ``User.preferred_language``, so that the pages follow them
from browser to browser. Visitors keep Django's choice. ``LocaleMiddleware`` then sends the
language that is active in ``Content-Language``.

The API (``/api/``) is left to Django's choice: a program calling it says in each request's
``Accept-Language`` which language it wants the texts in (a portal may show a complaint in the
language its reader picked), and that is honoured as it is.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils import translation

from plaint.parties.two_factor import SecondFactor, second_factor_owed

API_PREFIX = "/api/"


class ProfileLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and not request.path_info.startswith(API_PREFIX) and user.is_authenticated:
            language = profile_language(user.preferred_language)
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        return self.get_response(request)


def profile_language(code: str) -> str | None:
    """The supported language for a profile's code, or None (then Django's choice stands)."""
    try:
        return translation.get_supported_language_variant(code or "")
    except LookupError:
        return None


# --- Sessions ending after idleness -----------------------------------------------------------

#: The Unix time of the session's last request (written at most once a minute).
SEEN_KEY = "plaint_seen"
SEEN_WRITE_EVERY = 60


def session_seen(request: HttpRequest) -> None:
    request.session[SEEN_KEY] = int(time.time())


class SessionIdleMiddleware:
    """Ends a signed-in session that made no request for ``PLAINT_SESSION_IDLE_MINUTES``.

    The time of the last request is kept in the session and written at most once a minute, so
    that reading pages does not write the session each time (as ``SESSION_SAVE_EVERY_REQUEST``
    would). Wall-clock time, like Django's own session expiry. Signing in stamps the session
    (``session_signed_in``), so the first page after it writes nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            seen = request.session.get(SEEN_KEY)
            if seen is not None and now - seen > settings.PLAINT_SESSION_IDLE_MINUTES * 60:
                logout(request)  # the session is flushed: a new, empty one
            elif seen is None or now - seen >= SEEN_WRITE_EVERY:
                request.session[SEEN_KEY] = now
        return self.get_response(request)


# --- The second factor ------------------------------------------------------------------------

#: What the signed-in person still owes (``SecondFactor``) and until when that answer holds.
OWED_KEY = "plaint_2fa_owed"
OWED_RECHECK = 300
#: Pages a person who still owes the second step may open: the step itself, setting it up,
#: signing out, the language.
OPEN_URL_NAMES = {"two-factor-verify", "two-factor-setup", "two-factor-qr", "sign-out", "set_language"}


def owed_remember(request: HttpRequest, owed: SecondFactor) -> None:
    request.session[OWED_KEY] = [str(owed), int(time.time()) + OWED_RECHECK]


def second_factor_owed_by(request: HttpRequest) -> SecondFactor:
    """What the signed-in person of this request still owes before any page (NONE once their
    session is verified). The answer is kept in the session for a few minutes so that a page
    costs no query for it; a new role (or a device added elsewhere) counts within those minutes."""
    user = request.user
    # ``otp_device`` is set by OTPMiddleware (None when unverified); a user just signed in by
    # this request has none yet.
    if not user.is_authenticated or getattr(user, "otp_device", None) is not None:
        return SecondFactor.NONE
    remembered = request.session.get(OWED_KEY)
    if remembered and remembered[1] > time.time():
        return SecondFactor(remembered[0])
    owed = second_factor_owed(user)  # type: ignore[arg-type]
    owed_remember(request, owed)
    return owed


class TwoFactorMiddleware:
    """Sends a signed-in person who still owes a second factor to give it (or to set it up, when
    their role requires one and they have none) before any other page.

    Placed after django-otp's ``OTPMiddleware``. The API is not redirected: its session
    authentication refuses such a session (``request.second_factor_owed``), and token
    authentication is not about people at all."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        owed = second_factor_owed_by(request)
        request.second_factor_owed = owed  # type: ignore[attr-defined]
        if owed is SecondFactor.NONE or request.path_info.startswith(API_PREFIX) \
                or request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return self.get_response(request)
        try:
            name = resolve(request.path_info).url_name
        except Resolver404:
            name = None
        if name in OPEN_URL_NAMES:
            return self.get_response(request)
        target = "web:two-factor-verify" if owed is SecondFactor.VERIFY else "web:two-factor-setup"
        url = reverse(target)
        if request.method in ("GET", "HEAD"):
            url += "?" + urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
        return HttpResponseRedirect(url)


def session_signed_in(sender: object, request: HttpRequest, user: object, **kwargs: object) -> None:
    """On every sign-in (the ``user_logged_in`` signal): stamp the session as seen now and note
    what the person still owes, so that the first pages after it cost no write or query."""
    if request is None or not hasattr(request, "session"):
        return
    session_seen(request)
    if getattr(getattr(request, "user", None), "otp_device", None) is None:
        owed_remember(request, second_factor_owed(user))  # type: ignore[arg-type]
