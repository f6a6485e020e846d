"""Fixed-window rate limits in the shared cache, and the client address they count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import RequestFactory

from plaint.core import clock
from plaint.core.ratelimit import RateLimited, check, client_address, hit

START = datetime(2026, 12, 1, 10, 0, 0, tzinfo=UTC)


def _request(peer: str, forwarded: str | None = None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=peer, **headers)


def test_the_client_is_the_peer_when_no_proxy_is_trusted(settings):
    settings.PLAINT_TRUSTED_PROXIES = []
    assert client_address(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_a_forwarded_address_from_an_untrusted_peer_is_ignored(settings):
    settings.PLAINT_TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_address(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_behind_a_trusted_proxy_the_client_is_the_nearest_untrusted_hop(settings):
    # given two trusted proxies (one as a network) and a client that wrote a false first hop
    settings.PLAINT_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    request = _request("127.0.0.1", "1.2.3.4, 198.51.100.7, 10.1.2.3")
    # then the address the first trusted proxy saw is the client
    assert client_address(request) == "198.51.100.7"


def test_a_garbled_forwarded_header_leaves_the_peer_as_the_client(settings):
    settings.PLAINT_TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_address(_request("127.0.0.1", "not-an-address")) == "127.0.0.1"
    assert client_address(_request("127.0.0.1", "")) == "127.0.0.1"


@pytest.fixture
def frozen():
    clock.set_now(START + timedelta(seconds=15))
    yield
    clock.set_now(None)


@pytest.mark.django_db
def test_requests_past_the_limit_are_refused_until_the_window_ends(settings, frozen):
    # given a limit of 3 a minute, 15 seconds into a minute
    settings.PLAINT_RATE_LIMITS = {"test": (3, 60)}
    # when a client sends 4 requests
    verdicts = [hit(scope="test", key="198.51.100.7") for _ in range(4)]
    # then the 4th is refused, to be retried when the minute ends
    assert [v.allowed for v in verdicts] == [True, True, True, False]
    assert verdicts[-1].retry_after == 45
    # and another client is counted apart
    assert hit(scope="test", key="198.51.100.8").allowed
    # and in the next window the first may send again
    clock.advance(timedelta(seconds=45))
    assert hit(scope="test", key="198.51.100.7").allowed


@pytest.mark.django_db
def test_check_raises_rate_limited_with_the_seconds_to_wait(settings, frozen):
    settings.PLAINT_RATE_LIMITS = {"test": (1, 600)}
    check(scope="test", key="k")
    with pytest.raises(RateLimited) as refused:
        check(scope="test", key="k")
    assert (refused.value.status, refused.value.code, refused.value.retry_after) == (429, "rate_limited", 585)


@pytest.mark.django_db
def test_the_counters_live_in_the_shared_database_cache(settings, frozen):
    # given the default cache, a table in the database that every web process reads
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    settings.PLAINT_RATE_LIMITS = {"test": (5, 60)}
    # when a client is counted twice
    hit(scope="test", key="198.51.100.7")
    hit(scope="test", key="198.51.100.7")
    # then the count is in that table
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM plaint_cache WHERE cache_key LIKE %s", ["%plaint:rl:test:%"])
        assert cursor.fetchone()[0] == 1
