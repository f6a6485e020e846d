"""Sending deliveries: one attempt at a time, retried with backoff, every attempt logged.

At least once. An attempt first *claims* its delivery with one conditional UPDATE (the delivery
is waiting and due; its ``next_attempt_at`` moves to the end of a lease and its attempt count
goes up), then talks to the receiver with no transaction open, then records the outcome only if
the claim is still its own. Two workers cannot both claim one attempt; a worker that dies
mid-attempt leaves the delivery to be claimed again by the sweep when the lease ends. A receiver
may therefore see a delivery twice and drops the repeat by its ``Plaint-Delivery`` id.

The request goes to the address the SSRF check approved just before (``addresses.Target``),
with TLS verified against the URL's host name; redirects are not followed (a 3xx is a failure).
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext

from plaint.core import clock
from plaint.webhooks.addresses import Resolver, Target, UrlRefused, check_url, system_resolver
from plaint.webhooks.models import (
    WAITING_STATES,
    DeliveryState,
    WebhookAttempt,
    WebhookDelivery,
)
from plaint.webhooks.signing import body_render, signature_header

USER_AGENT = "Plaint-Webhooks/1"
#: How much of a receiver's answer is read (and thrown away) before the connection is closed.
MAX_RESPONSE_BYTES = 64 * 1024


@dataclass(frozen=True)
class Response:
    status_code: int | None
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def retry_delays() -> list[timedelta]:
    """The waits after the first, second, … failed attempt; one attempt more than delays."""
    return [timedelta(seconds=s) for s in settings.PLAINT_WEBHOOKS_RETRY_DELAYS]


def max_attempts() -> int:
    return len(settings.PLAINT_WEBHOOKS_RETRY_DELAYS) + 1


def lease() -> timedelta:
    """How long a claimed attempt may take before the sweep may claim the delivery again."""
    return timedelta(seconds=3 * settings.PLAINT_WEBHOOKS_TIMEOUT + 30)


def tls_context() -> ssl.SSLContext:
    """The system's trust store, or only ``PLAINT_WEBHOOKS_CA_BUNDLE`` when it is set (tests)."""
    return ssl.create_default_context(cafile=settings.PLAINT_WEBHOOKS_CA_BUNDLE or None)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to the checked address, with SNI and the certificate check on the URL's host."""

    def __init__(self, target: Target, timeout: float, context: ssl.SSLContext) -> None:
        super().__init__(target.host, target.port, timeout=timeout, context=context)
        self._address = target.address
        self._tls = context

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Plain HTTP to the checked address: only when private addresses are allowed (development)."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def post(url: str, body: bytes, headers: dict[str, str], *, resolve: Resolver = system_resolver) -> Response:
    """POST ``body`` to ``url`` if the SSRF check lets it; never raises for the receiver's faults.
    ``resolve`` is the name resolver (tests give one that never asks DNS)."""
    started = time.monotonic()
    try:
        target = check_url(url, allow_private=settings.PLAINT_WEBHOOKS_ALLOW_PRIVATE, resolve=resolve)
    except UrlRefused as refusal:
        return Response(None, refusal.message, 0)
    timeout = float(settings.PLAINT_WEBHOOKS_TIMEOUT)
    connection: http.client.HTTPConnection = (
        _PinnedHTTPSConnection(target, timeout, tls_context()) if target.scheme == "https"
        else _PinnedHTTPConnection(target, timeout)
    )
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        answer = connection.getresponse()
        answer.read(MAX_RESPONSE_BYTES)
        status, error = answer.status, "" if 200 <= answer.status < 300 else f"HTTP {answer.status}"
    except (OSError, http.client.HTTPException) as exc:
        status, error = None, f"{type(exc).__name__}: {exc}"
    finally:
        connection.close()
    return Response(status, error[:500], int((time.monotonic() - started) * 1000))


def _claim(delivery_id: str, now: datetime) -> WebhookDelivery | None:
    claimed = WebhookDelivery.objects.filter(
        delivery_id=delivery_id, state__in=WAITING_STATES, next_attempt_at__lte=now
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + lease(), last_attempt_at=now)
    if not claimed:
        return None
    return WebhookDelivery.objects.select_related("endpoint").get(delivery_id=delivery_id)


def delivery_attempt(*, delivery_id: str, now: datetime | None = None) -> WebhookDelivery | None:
    """Make the next attempt of a delivery if it is waiting and due; None if it is not (already
    delivered, given up, not yet due, or in another worker's hands)."""
    now = now or clock.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return None
    endpoint = delivery.endpoint
    if endpoint.is_active:
        body = body_render(delivery.payload)
        honoured = endpoint.previous_secret_until is not None and now < endpoint.previous_secret_until
        previous = endpoint.previous_secret if honoured else ""
        response = post(endpoint.url, body, {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "Plaint-Delivery": str(delivery.delivery_id),
            "Plaint-Event": delivery.event_type,
            "Plaint-Signature": signature_header(endpoint.secret, int(now.timestamp()), body,
                                                 previous=previous),
        })
    else:
        response = Response(None, gettext("The endpoint is not active."), 0)
    _record(delivery, now, response, give_up=not endpoint.is_active)
    return delivery


def _record(delivery: WebhookDelivery, now: datetime, response: Response, *, give_up: bool) -> None:
    """Write the attempt's outcome and log it, if the claim is still this attempt's."""
    number = delivery.attempts
    if response.ok:
        state, next_at = DeliveryState.DELIVERED, None
    elif give_up or number >= max_attempts():
        state, next_at = DeliveryState.GIVEN_UP, None
    else:
        state, next_at = DeliveryState.FAILED, now + retry_delays()[number - 1]
    fields = {"state": state, "next_attempt_at": next_at, "last_status_code": response.status_code,
              "last_error": response.error, "delivered_at": now if response.ok else delivery.delivered_at}
    with transaction.atomic():
        if not WebhookDelivery.objects.filter(pk=delivery.pk, attempts=number).update(**fields):
            return  # the lease ran out and another attempt took over; it will log itself
        WebhookAttempt.objects.create(
            delivery=delivery, number=number, attempted_at=now, status_code=response.status_code,
            error=response.error, duration_ms=response.duration_ms, outcome=state,
        )
    for name, value in fields.items():
        setattr(delivery, name, value)


@dataclass
class SweepReport:
    attempted: int = 0
    delivered: int = 0
    failed: int = 0
    given_up: int = 0
    more: bool = False  # due deliveries were left for the next sweep


def webhooks_sweep(*, now: datetime | None = None, limit: int = 50) -> SweepReport:
    """Attempt every waiting delivery that is due (at most ``limit``), earliest first: retries,
    and first attempts whose task was lost in a crash."""
    now = now or clock.now()
    due = list(
        WebhookDelivery.objects.filter(state__in=WAITING_STATES, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk").values_list("delivery_id", flat=True)[: limit + 1]
    )
    report = SweepReport(more=len(due) > limit)
    for delivery_id in due[:limit]:
        delivery = delivery_attempt(delivery_id=str(delivery_id), now=now)
        if delivery is None:
            continue
        report.attempted += 1
        if delivery.state == DeliveryState.DELIVERED:
            report.delivered += 1
        elif delivery.state == DeliveryState.GIVEN_UP:
            report.given_up += 1
        else:
            report.failed += 1
    return report
