"""Browser tests drive Debian's chromium through Playwright (never ``playwright install``: it
downloads, and the machines have no network but the package registries). See docs/web.md."""

from __future__ import annotations

import os

import pytest

# Playwright's sync API starts an event loop in the main thread that stays up for the rest of the
# session, where the tests, pytest-django's live_server and every later test use the ORM: Django
# allows that only when told (STACK.md). A per-test setting is not enough: the loop outlives it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}
