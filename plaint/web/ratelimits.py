"""Rate limits of the public forms (``docs/security.md``): a POST over the limit gets a 429 page
in the visitor's language with ``Retry-After``, before the form is read, so nothing is saved."""

from __future__ import annotations

import math

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from plaint.core.ratelimit import client_address, hit


def limited(request: HttpRequest, scope: str) -> HttpResponse | None:
    """Count a POST of the client under ``scope``; the 429 page if it is over, else None."""
    if request.method != "POST":
        return None
    verdict = hit(scope=scope, key=client_address(request))
    if verdict.allowed:
        return None
    context = {"minutes": max(1, math.ceil(verdict.retry_after / 60)), "back": request.path}
    response = render(request, "web/rate_limited.html", context, status=429)
    response["Retry-After"] = str(verdict.retry_after)
    return response
