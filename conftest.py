"""Test tiers: each test runs where it matters.

PLAINT_TEST_TIER selects what runs:
- ``nodb``: tests that use no database (run once);
- ``sqlite`` / ``postgresql``: tests that use the ORM, on that database
  (PLAINT_TEST_DB is set to match by ``scripts/test_tiers.py``);
- unset: everything, on the database PLAINT_TEST_DB names (default SQLite).

A test that needs only one database says so with ``@pytest.mark.sqlite_only``
or ``@pytest.mark.postgresql_only``.
"""

from __future__ import annotations

import os

import pytest

pytest_plugins = ["plaint.testing.actors", "plaint.testing.mailservers"]

DB_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server"}


def _uses_database(item: pytest.Item) -> bool:
    if item.get_closest_marker("django_db") is not None:
        return True
    return bool(DB_FIXTURES & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    tier = os.environ.get("PLAINT_TEST_TIER", "")
    database = os.environ.get("PLAINT_TEST_DB", "sqlite")
    keep, drop = [], []
    for item in items:
        uses_db = _uses_database(item)
        if tier == "nodb":
            wanted = not uses_db
        elif tier in ("sqlite", "postgresql"):
            wanted = uses_db
        else:
            wanted = True
        if uses_db and item.get_closest_marker("postgresql_only") and database != "postgresql":
            wanted = False
        if uses_db and item.get_closest_marker("sqlite_only") and database != "sqlite":
            wanted = False
        (keep if wanted else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(autouse=True)
def _language_of_the_thread_reset():
    """Each test starts in the default language: a request through the test client activates
    its page's language in this thread (LocaleMiddleware) and leaves it active afterwards."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_organisation_rules_cache():
    """Each test starts without the process's cache of organisations' rules: a rolled-back test
    gives the next one the same organisation ids (SQLite) with different rules."""
    yield
    from plaint.clocks.context import forget_loaded_rules

    forget_loaded_rules()


@pytest.fixture(autouse=True)
def _shared_cache_emptied(request):
    """Each test that uses the database starts with an empty shared cache: the rate-limit and
    sign-in counters live in the database cache's table, which Django's flush between
    transactional tests does not empty, so a browser test's failed sign-ins from 127.0.0.1 would
    lock out the next test's client."""
    if not _uses_database(request.node):
        yield
        return
    request.getfixturevalue("django_db_setup")
    blocker = request.getfixturevalue("django_db_blocker")
    from django.core.cache import cache

    with blocker.unblock():
        cache.clear()
    yield
