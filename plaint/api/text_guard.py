"""No NUL character gets into the API's input.

PostgreSQL cannot store U+0000 in a text column: a string that holds one reached the database as
a 500 (found by the schemathesis run, ``docs/api.md``). Django's form fields refuse it
(``ProhibitNullCharactersValidator``); the API's schemas did not. Every operation now refuses it
first, in any path parameter, query parameter, JSON body (at any depth), form field, file name
or the ``Idempotency-Key`` header, with 422 ``validation_error`` naming each field, as any other
invalid input.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext

NUL = "\x00"
NUL_ESCAPE = b"\\u0000"
HEADERS = ("Idempotency-Key",)


def _nul_paths(value: Any, path: tuple[str, ...] = ()) -> Iterator[str]:
    """The dotted paths of every string (key or value) in ``value`` that holds a NUL."""
    if isinstance(value, str):
        if NUL in value:
            yield ".".join(path) or "body"
    elif isinstance(value, dict):
        for key, item in value.items():
            if NUL in str(key):
                yield ".".join(path) or "body"
            else:
                yield from _nul_paths(item, (*path, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_paths(item, (*path, str(index)))


def _body(request: HttpRequest) -> Any:
    """The request's body as data, or None where there is none to check. A body that cannot be
    read (not JSON, too large, a broken multipart) is left to ninja, which answers as before."""
    if request.method in ("GET", "HEAD", "OPTIONS", "DELETE"):
        return None
    try:
        if request.content_type == "application/json":
            # JSON cannot carry a raw NUL in a string, only the escape: without the escape in the
            # bytes there is nothing to find, and the body is not parsed twice (ninja parses it).
            return json.loads(request.body) if NUL_ESCAPE in request.body else None
        if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
            fields: dict[str, Any] = {key: request.POST.getlist(key) for key in request.POST}
            for key, files in request.FILES.lists():
                fields[key] = [f.name or "" for f in files]
            return fields
    except (ValueError, SuspiciousOperation, MultiPartParserError):
        return None
    return None


def nul_fields(request: HttpRequest, path_params: dict[str, Any]) -> list[str]:
    """Every input field of ``request`` that holds a NUL character."""
    found = list(_nul_paths({k: v for k, v in path_params.items() if isinstance(v, str)}))
    for key, values in request.GET.lists():
        if NUL in key or any(NUL in value for value in values):
            found.append(key.replace(NUL, "") or "query")
    found += [name for name in HEADERS if NUL in request.headers.get(name, "")]
    found += _nul_paths(_body(request))
    return list(dict.fromkeys(found))


def refuse_nul_characters(render: Callable[..., HttpResponse]) -> Callable:
    """The API-wide view decorator (``api.add_decorator(..., mode="view")``); ``render`` draws
    the error in the API's one shape."""

    def decorator(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(run)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            fields = nul_fields(request, kwargs)
            if fields:
                message = gettext("Text may not contain the NUL character (U+0000).")
                return render(request, 422, "validation_error", gettext("The request is not valid."),
                              {field: [message] for field in fields})
            return run(request, *args, **kwargs)

        return guarded

    return decorator
