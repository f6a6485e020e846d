"""Counting failed sign-ins and password-reset requests, per account and per client address.

The counters live in Django's default cache, which settings make a store every web process
shares (the database cache, or Redis where configured): a limit kept in one process's memory
would be multiplied by the number of processes and forgotten at each restart.

A counter is a small record ``{"count": n, "until": t}`` that expires a window after its last
hit; once ``count`` reaches the limit, ``until`` (a Unix time) says when the refusal ends. The
account's key is a hash of the address as typed (lower-cased), whether or not an account has it,
so a refusal says nothing about which addresses have accounts.

Wall-clock time (``time.time()``) rather than ``clock.now()``: like Django's own session expiry,
this is about the seconds a browser waits, not about a complaint's deadlines, and the cache's own
expiry is in real seconds anyway.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

PREFIX = "plaint:throttle"


@dataclass(frozen=True)
class Refusal:
    """A refusal in force, and for how much longer."""

    seconds: int

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.seconds / 60))


def client_address(request: HttpRequest) -> str:
    """The address the connection came from. Behind a reverse proxy, the proxy must pass the
    client's address as REMOTE_ADDR (docs/security.md); a header the client sets is not trusted."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(kind: str, value: str) -> str:
    return f"{PREFIX}:{kind}:{hashlib.sha256(value.encode()).hexdigest()}"


def _refusal(record: dict | None, now: float) -> Refusal | None:
    if record and record.get("until", 0) > now:
        return Refusal(seconds=math.ceil(record["until"] - now))
    return None


def refused(counters: list[tuple[str, str, int]]) -> Refusal | None:
    """The longest refusal in force among ``(kind, value, limit)`` counters, if any."""
    now = time.time()
    records = cache.get_many([_key(kind, value) for kind, value, _limit in counters])
    refusals = [r for r in (_refusal(rec, now) for rec in records.values()) if r is not None]
    return max(refusals, key=lambda r: r.seconds, default=None)


def hit(counters: list[tuple[str, str, int]], *, window_minutes: int) -> Refusal | None:
    """Count one more for each counter; returns the refusal that starts now, if one does.

    Not atomic across processes (a read and a write): two requests at the same instant may count
    as one, which lets a few more attempts through, never fewer; the limits are far below what a
    guessing attack needs."""
    now = time.time()
    window = window_minutes * 60
    refusal = None
    for kind, value, limit in counters:
        key = _key(kind, value)
        record = cache.get(key) or {"count": 0, "until": 0}
        record["count"] += 1
        if record["count"] >= limit:
            record["until"] = now + window
            refusal = Refusal(seconds=window)
        cache.set(key, record, timeout=window)
    return refusal


def clear(kind: str, value: str) -> None:
    cache.delete(_key(kind, value))


# --- Sign-in ----------------------------------------------------------------------------------


def _sign_in_counters(account: str, address: str) -> list[tuple[str, str, int]]:
    counters = [("sign-in-address", address, settings.PLAINT_SIGNIN_FAILURES_PER_ADDRESS)]
    if account:
        counters.append(("sign-in-account", account.strip().lower(),
                         settings.PLAINT_SIGNIN_FAILURES_PER_ACCOUNT))
    return counters


def sign_in_refused(*, account: str, address: str) -> Refusal | None:
    return refused(_sign_in_counters(account, address))


def sign_in_failed(*, account: str, address: str) -> Refusal | None:
    return hit(_sign_in_counters(account, address), window_minutes=settings.PLAINT_SIGNIN_LOCKOUT_MINUTES)


def sign_in_succeeded(*, account: str) -> None:
    """The account's count starts again; the address's does not (one good password of the
    attacker's own must not buy more guesses at other accounts)."""
    clear("sign-in-account", account.strip().lower())


# --- Password reset ---------------------------------------------------------------------------


def password_reset_requested(*, address: str) -> Refusal | None:
    """Count a request; the refusal in force (or starting with this request), if any."""
    counters = [("password-reset-address", address, settings.PLAINT_PASSWORD_RESETS_PER_ADDRESS + 1)]
    return refused(counters) or hit(counters, window_minutes=settings.PLAINT_PASSWORD_RESET_WINDOW_MINUTES)
