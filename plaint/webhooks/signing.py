"""PURE: how a delivery is signed, so that its receiver knows it came from Plaint unchanged.

``Plaint-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>``, as Stripe
does it: the timestamp is inside the signed text, so a receiver that refuses old timestamps also
refuses a captured delivery replayed later. ``docs/webhooks.md`` shows the receiver's side; its
snippet is run by the tests.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from typing import Any

SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix that shows what the string is, not a secret
SECRET_BYTES = 32


def secret_generate() -> str:
    """A new signing secret: 32 random bytes, URL-safe, with a prefix people recognise."""
    return SECRET_PREFIX + secrets.token_urlsafe(SECRET_BYTES)


def body_render(payload: dict[str, Any]) -> bytes:
    """The body of a delivery: compact JSON with sorted keys, the same bytes on every attempt."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of ``"<timestamp>.<body>"`` under ``secret``."""
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes, *, previous: str = "") -> str:
    """The value of the ``Plaint-Signature`` header; while a rotated-out secret is still honoured,
    a second ``v1`` signs with it, so that a receiver that has not switched yet still verifies."""
    header = f"t={timestamp},v1={signature(secret, timestamp, body)}"
    if previous:
        header += f",v1={signature(previous, timestamp, body)}"
    return header
