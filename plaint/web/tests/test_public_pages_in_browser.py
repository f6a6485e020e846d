"""The public pages in Debian's chromium: each page in each language, the language switcher and
the skip link by keyboard alone, and an axe-core scan. Screenshots are kept as test artefacts
under PLAINT_VAR_DIR/test-reports/screenshots/. SQLite tier only (the browser does not care
about the database)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from plaint.parties.choices import Sector
from plaint.testing import builders

pytestmark = pytest.mark.sqlite_only

LANGUAGES = ["en", "cs", "pl", "ro", "pt-br"]
BLOCKING_IMPACTS = {"serious", "critical"}


def _screenshots() -> Path:
    folder = Path(settings.VAR_DIR) / "test-reports" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _pages(slug: str, name: str) -> list[tuple[str, str, str]]:
    """(artefact name, path, the page's heading in the active language)."""
    return [
        ("home", "/", gettext("Complaints handled on time and by the rules")),
        ("procedure", f"/providers/{slug}/procedure/",
         gettext("How %(name)s handles complaints") % {"name": name}),
        ("complain", f"/providers/{slug}/complain/",
         gettext("Make a complaint to %(name)s") % {"name": name}),
        ("rights-index", "/rights/", gettext("Your rights by country and sector")),
        ("rights", "/rights/cz/telecom/",
         gettext("Your rights: %(sector)s in %(country)s")
         % {"sector": Sector.TELECOM.label, "country": gettext("Czechia")}),
    ]


@pytest.fixture
def provider(live_server):  # noqa: ARG001 -- the live server's database must exist first
    return builders.organisation(name="Síť Praha", slug="sit-praha", country="CZ", sector=Sector.TELECOM)


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_public_page_reads_in_the_chosen_language(browser, live_server, provider, language):
    # given a browser that asks for the language
    context = browser.new_context(locale=language)
    page = context.new_page()
    with translation.override(language):
        pages = _pages(provider.slug, provider.name)
        english = [heading for *_, heading in _pages_in("en", provider)]
    for (name, path, heading), in_english in zip(pages, english, strict=True):
        # when the page is opened
        response = page.goto(live_server.url + path)
        # then it is the page, in that language, with its heading translated
        assert response is not None
        assert response.status == 200
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("h1").inner_text() == heading
        if language != "en":
            assert heading != in_english, f"{name}: the heading is not translated into {language}"
        page.screenshot(path=str(_screenshots() / f"{name}-{language}.png"), full_page=True)
    context.close()


def _pages_in(language: str, provider) -> list[tuple[str, str, str]]:
    with translation.override(language):
        return _pages(provider.slug, provider.name)


def test_language_switcher_works_by_keyboard_alone(page, live_server, provider):
    # given the home page in English
    page.goto(live_server.url + f"/providers/{provider.slug}/procedure/")
    # when the user tabs to the switcher, picks the next language (Czech) and submits
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "language-choice":
            break
    assert page.evaluate("document.activeElement.id") == "language-choice"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # then the same page comes back in Czech
    assert page.url == live_server.url + f"/providers/{provider.slug}/procedure/"
    assert page.locator("html").get_attribute("lang") == "cs"
    with translation.override("cs"):
        assert page.locator("h1").inner_text() == gettext("How %(name)s handles complaints") % {
            "name": provider.name
        }
    page.screenshot(path=str(_screenshots() / "language-switched-cs.png"), full_page=True)


def test_skip_link_moves_focus_to_main(page, live_server, provider):  # noqa: ARG001
    # given the home page
    page.goto(live_server.url + "/")
    # when the first Tab reaches the skip link and it is followed
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    page.screenshot(path=str(_screenshots() / "skip-link-focused.png"))
    page.keyboard.press("Enter")
    # then the main content has the focus
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("language", LANGUAGES)
def test_axe_finds_no_serious_or_critical_violation_on_any_public_page(
    browser, live_server, provider, language
):
    # given every public page
    context = browser.new_context(locale=language)
    page = context.new_page()
    axe = Axe()
    blocking = {}
    for name, path, _heading in _pages_in(language, provider):
        # when axe-core scans it
        page.goto(live_server.url + path)
        violations = axe.run(page).response["violations"]
        found = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
        if found:
            blocking[name] = [
                {"id": v["id"], "impact": v["impact"], "help": v["help"],
                 "nodes": [n["target"] for n in v["nodes"]]}
                for v in found
            ]
    context.close()
    # then nothing serious or critical is found
    assert blocking == {}, json.dumps(blocking, indent=2, ensure_ascii=False)
