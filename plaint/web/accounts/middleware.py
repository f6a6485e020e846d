"""The language of a signed-in person is the one in their profile.

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

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

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
