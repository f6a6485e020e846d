"""axe-core scans every page of the permission table (``pages_*.py``) in Debian's chromium, as
each actor of the canonical set who may read it, and fails on any serious or critical violation.

A page that is the same for everyone (the public pages) is scanned as a visitor, a customer and
an agent, whose headers differ; every other page as every actor the table lets read it. The
browser gets the actor's session cookie from Django's test client, so no sign-in form is driven
here (the accounts tests do that). SQLite tier only."""

from __future__ import annotations

import json

import pytest
from axe_playwright_python.sync_playwright import Axe

from plaint.testing.actors import AGENT, ALL_ACTORS, ANONYMOUS, CUSTOMER_A, TOKEN, build_cast
from plaint.web.tests.pages import Page
from plaint.web.tests.test_page_permissions import PAGES

pytestmark = [pytest.mark.sqlite_only, pytest.mark.django_db(transaction=True)]

BLOCKING_IMPACTS = {"serious", "critical"}
PUBLIC_READERS = (ANONYMOUS, CUSTOMER_A, AGENT)


def _scanned_by(page: Page, who: str) -> bool:
    if page.method != "get" or page.download or page.expect[who] != 200:
        return False
    if all(status == 200 for status in page.expect.values()):
        return who in PUBLIC_READERS
    return True


@pytest.fixture
def browser_cast(settings, tmp_path, live_server):  # noqa: ARG001 -- the server must share the data
    settings.MEDIA_ROOT = tmp_path / "files"
    return build_cast()


# The API token is no browser session: it reads no page that a visitor could not.
@pytest.mark.parametrize("who", [who for who in ALL_ACTORS if who != TOKEN])
def test_axe_finds_no_serious_or_critical_violation_on_any_page_an_actor_reads(
    browser, live_server, browser_cast, who
):
    # given the actor's session in a browser
    pages = [page for page in PAGES if _scanned_by(page, who)]
    context = browser.new_context(locale="en")
    if who != ANONYMOUS:
        client = browser_cast.client(who)
        context.add_cookies([{
            "name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url,
        }])
    tab = context.new_page()
    axe = Axe()
    blocking = {}
    for page in pages:
        # when axe-core scans each page they may read
        path = page.path(browser_cast)
        response = tab.goto(live_server.url + path)
        assert response is not None
        assert response.status == 200, (who, path)
        assert tab.url == live_server.url + path, f"{who} was sent from {path} to {tab.url}"
        found = [v for v in axe.run(tab).response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
        if found:
            blocking[path] = [
                {"id": v["id"], "impact": v["impact"], "help": v["help"],
                 "nodes": [n["target"] for n in v["nodes"]]}
                for v in found
            ]
    context.close()
    # then nothing serious or critical is found on any of them
    assert blocking == {}, json.dumps(blocking, indent=2, ensure_ascii=False)
