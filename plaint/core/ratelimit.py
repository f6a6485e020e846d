"""Rate limits: fixed windows counted in the cache that every web process shares.

A limit is ``(requests, seconds)`` from ``settings.PLAINT_RATE_LIMITS``. The window is the
clock's time divided into periods of ``seconds``; a request is counted in the current window
and refused when the count passes the limit, with the seconds left in the window as
``Retry-After``. Fixed windows let a client send up to twice the limit across a window's edge;
that is the price of one counter (one cache key) per client and window, and it is enough to
stop a flood. Counting is atomic on Redis (INCR); on the database cache two processes may
both read the same count and lose one increment under contention, so a flood is stopped a few
requests late, never early.

The client's address is ``REMOTE_ADDR``, unless that peer is one of
``settings.PLAINT_TRUSTED_PROXIES``: then it is the nearest address in ``X-Forwarded-For``
that is not a trusted proxy itself (the addresses further left were written by the client and
prove nothing).
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext

from plaint.core import clock
from plaint.core.exceptions import ApplicationError

RATE_LIMITED = "rate_limited"


class RateLimited(ApplicationError):
    """Too many requests from this client in this window; ``retry_after`` seconds to wait."""

    status = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__(RATE_LIMITED,
                         gettext("Too many requests. Try again in %(seconds)d seconds.")
                         % {"seconds": retry_after})
        self.retry_after = retry_after


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    count: int
    limit: int
    retry_after: int  # seconds until the window ends (at least 1)


def hit(*, scope: str, key: str) -> Verdict:
    """Count one request of ``key`` (a client: address, token) under the limit ``scope``."""
    limit, period = settings.PLAINT_RATE_LIMITS[scope]
    timestamp = int(clock.now().timestamp())
    window, elapsed = divmod(timestamp, period)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"plaint:rl:{scope}:{period}:{window}:{digest}"
    # The key outlives its window a little, so that a late increment never finds it gone.
    cache.add(cache_key, 0, timeout=period + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr (a slow request at a window's end)
        cache.set(cache_key, 1, timeout=period + 5)
        count = 1
    return Verdict(allowed=count <= limit, count=count, limit=limit,
                   retry_after=max(1, period - elapsed))


def check(*, scope: str, key: str) -> None:
    """Count the request, and raise ``RateLimited`` if it is over the limit."""
    verdict = hit(scope=scope, key=key)
    if not verdict.allowed:
        raise RateLimited(verdict.retry_after)


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.PLAINT_TRUSTED_PROXIES)))


def client_address(request: HttpRequest) -> str:
    """The address the request came from, believing ``X-Forwarded-For`` only from a trusted
    proxy (see the module's docstring)."""
    peer = request.META.get("REMOTE_ADDR", "") or ""
    if not settings.PLAINT_TRUSTED_PROXIES or not _is_trusted(peer):
        return peer
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([h for h in hops if h]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return peer  # a garbled header: the proxy is the client as far as we know
        if not _is_trusted(hop):
            return hop
    return peer
