"""Rate limits of the API's intake (``docs/security.md``): complaints and letters taken in are
counted per token, or per client address for a signed-in browser, before anything is written.
A token the operator marked ``rate_limit_exempt`` (the benchmarks') is not counted."""

from __future__ import annotations

from django.http import HttpRequest

from plaint.core.ratelimit import check, client_address
from plaint.parties.actors import Principal


def intake_rate_check(request: HttpRequest, who: Principal) -> None:
    """Raise ``RateLimited`` (429, Retry-After) when the caller took in too many just now."""
    if who.token is not None:
        if not who.token.rate_limit_exempt:
            check(scope="api_intake_token", key=f"token:{who.token.pk}")
        return
    check(scope="api_intake_address", key=client_address(request))
