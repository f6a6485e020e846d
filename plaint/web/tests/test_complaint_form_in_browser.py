"""The complaint form in Debian's chromium: filed by keyboard alone in Czech, and scanned by
axe-core empty, with its errors shown, and on the confirmation. Screenshots are kept under
PLAINT_VAR_DIR/test-reports/screenshots/. SQLite tier only."""

from __future__ import annotations

import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import translation
from django.utils.translation import gettext

from plaint.complaints.models import Complaint
from plaint.core import references
from plaint.parties.choices import Sector
from plaint.testing import builders
from plaint.web.tests.test_public_pages_in_browser import BLOCKING_IMPACTS, _screenshots

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def provider(live_server):  # noqa: ARG001 -- the live server's database must exist first
    return builders.organisation(name="Síť Praha", slug="sit-praha", country="CZ", sector=Sector.TELECOM)


def _tab_to(page, element_id: str, limit: int = 40) -> None:
    for _ in range(limit):
        if page.evaluate("document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == element_id


def _blocking(page) -> list[dict]:
    violations = Axe().run(page).response["violations"]
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in violations if v.get("impact") in BLOCKING_IMPACTS
    ]


def test_a_complaint_is_filed_by_keyboard_alone_in_czech(browser, live_server, provider):
    # given the form in Czech
    context = browser.new_context(locale="cs")
    page = context.new_page()
    page.goto(live_server.url + f"/providers/{provider.slug}/complain/")
    assert page.locator("html").get_attribute("lang") == "cs"
    # when the customer tabs through it, typing, and submits with Enter
    _tab_to(page, "id_full_name")
    page.keyboard.type("Jana Dvořáková")
    _tab_to(page, "id_email")
    page.keyboard.type("jana@example.test")
    _tab_to(page, "id_subject")
    page.keyboard.type("Nefunguje internet")
    _tab_to(page, "id_description")
    page.keyboard.type("Týden bez připojení.")
    _tab_to(page, "id_demand")  # the first demand, a refund, stays chosen
    _tab_to(page, "id_amount")
    page.keyboard.type("150")
    _tab_to(page, "id_language")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # then the confirmation shows the new complaint's reference, in Czech
    complaint = Complaint.objects.get(organisation=provider)
    assert complaint.channel == "web"
    assert page.locator("#reference").inner_text() == references.display(complaint.reference)
    with translation.override("cs"):
        assert page.locator("h1").inner_text() == gettext("Your complaint has been received")
    page.screenshot(path=str(_screenshots() / "complaint-filed-cs.png"), full_page=True)
    # and axe finds nothing serious or critical on it
    blocking = _blocking(page)
    context.close()
    assert blocking == [], json.dumps(blocking, indent=2, ensure_ascii=False)


@pytest.mark.parametrize("language", ["en", "cs"])
def test_axe_finds_no_serious_or_critical_violation_on_the_form_empty_or_with_errors(
    browser, live_server, provider, language
):
    # given the form
    context = browser.new_context(locale=language)
    page = context.new_page()
    page.goto(live_server.url + f"/providers/{provider.slug}/complain/")
    page.screenshot(path=str(_screenshots() / f"complain-{language}.png"), full_page=True)
    found = {"empty": _blocking(page)}
    # when it is sent empty
    with page.expect_navigation():
        page.locator("form.complaint-form button[type=submit]").press("Enter")
    # then the errors are shown, and axe finds nothing serious or critical either way
    assert page.locator(".error-summary").count() == 1
    assert page.locator("#id_description").get_attribute("aria-invalid") == "true"
    page.screenshot(path=str(_screenshots() / f"complain-errors-{language}.png"), full_page=True)
    found["errors"] = _blocking(page)
    context.close()
    assert found == {"empty": [], "errors": []}, json.dumps(found, indent=2, ensure_ascii=False)
