"""The shared permission suite for pages: every page of the ``web`` namespace, for every actor of
the canonical set, returns the status its table says and shows nothing of anyone else's; no
customer ever reads an internal note, interaction, evidence file or event."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from plaint.testing.actors import ALL_ACTORS, CUSTOMER_A, CUSTOMER_B, INTERNAL_MARK
from plaint.web import tests as web_tests
from plaint.web.tests.pages import Page, private_texts

pytestmark = pytest.mark.django_db


def _tables() -> list[Page]:
    pages: list[Page] = []
    for module in pkgutil.iter_modules(web_tests.__path__):
        if module.name.startswith("pages_"):
            pages.extend(importlib.import_module(f"{web_tests.__name__}.{module.name}").PAGES)
    return pages


PAGES = _tables()


def _url_names(patterns: list, prefix: str = "") -> set[str]:
    """Every named URL, with its namespaces (``web:home``)."""
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{pattern.namespace}:" if pattern.namespace else ""
            names |= _url_names(pattern.url_patterns, prefix + inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(prefix + pattern.name)
    return names


def test_every_web_url_is_in_the_permission_table():
    # given every named URL of the web namespace
    urls = {name.removeprefix("web:") for name in _url_names(get_resolver().url_patterns)
            if name.startswith("web:")}
    # then each one is in a table of the suite (a new page without its row fails here)
    listed = {page.name for page in PAGES}
    assert urls - listed == set(), "pages missing from plaint/web/tests/pages_*.py"
    assert listed - urls == set(), "rows for URLs that no longer exist"


@pytest.mark.parametrize("who", ALL_ACTORS)
def test_every_page_answers_each_actor_as_its_table_says_and_leaks_nothing(cast, who):
    # given an actor of the canonical set and what they must not read
    private = private_texts(cast, who)
    if who in (CUSTOMER_A, CUSTOMER_B):
        private.add(INTERNAL_MARK)
    wrong = []
    for page in PAGES:
        # when they read (or post to) the page, each in a session of its own (a row that signs
        # out must not sign the rows after it out)
        client = cast.client(who)
        path = page.path(cast)
        response = getattr(client, page.method)(path, page.data(cast))
        # then the status is the table's and nothing private is in the page
        if response.status_code != page.expect[who]:
            wrong.append((page.name, path, response.status_code, page.expect[who]))
            continue
        if page.download and response.status_code == 200:
            # a download is never shown inline, nor sniffed into something that runs
            disposition = response.get("Content-Disposition", "")
            sniffable = response.get("X-Content-Type-Options") != "nosniff"
            if not disposition.startswith("attachment") or sniffable:
                wrong.append((page.name, path, "not an attachment", disposition))
        body = b"".join(response.streaming_content) if response.streaming else response.content
        html = body.decode(errors="replace")
        wrong.extend((page.name, path, "shows", text) for text in private if text in html)
    assert wrong == [], who
