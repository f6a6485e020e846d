"""Erasure on request in Debian's chromium: a person signs in, opens the erasure page, sends a
wrong password (the errors), then the right one, and reads what was kept, until when and why;
axe-core scans the three pages. Screenshots under PLAINT_VAR_DIR/test-reports/screenshots/.
SQLite tier only."""

from __future__ import annotations

import json

import pytest

from plaint.complaints.lifecycle import State
from plaint.core import references
from plaint.testing import builders
from plaint.web.tests.test_complaint_form_in_browser import _blocking
from plaint.web.tests.test_public_pages_in_browser import _screenshots

pytestmark = pytest.mark.sqlite_only


def test_a_person_erases_their_data_with_no_serious_axe_violation(browser, live_server):
    # given a person whose complaint closed today (CZ keeps its record 3 years), signed in
    customer = builders.customer(builders.organisation())
    complaint = builders.reach(builders.complaint(customer), State.CLOSED)
    context = browser.new_context(locale="en")
    page = context.new_page()
    found: dict[str, list] = {}

    def scan(name: str) -> None:
        page.screenshot(path=str(_screenshots() / f"erasure-{name}.png"), full_page=True)
        found[name] = _blocking(page)

    page.goto(live_server.url + "/account/sign-in/?next=/my/data/erase/")
    page.fill("#id_username", customer.user.email)
    page.fill("#id_password", "pw-not-secret")
    with page.expect_navigation():
        page.locator("#id_password").press("Enter")
    assert page.url == live_server.url + "/my/data/erase/"
    scan("form")
    # when they send a wrong password
    page.fill("#id_password", "wrong")
    with page.expect_navigation():
        page.locator("#id_password").press("Enter")
    assert page.locator(".error-summary").count() == 1
    scan("errors")
    # and then the right one
    page.fill("#id_password", "pw-not-secret")
    with page.expect_navigation():
        page.locator("#id_password").press("Enter")
    # then they read the outcome: the record kept, until when, under which law
    assert page.url == live_server.url + "/my/data/erased/"
    text = page.locator("main").inner_text()
    assert references.display(complaint.reference) in text
    assert "§ 629" in text
    scan("outcome")
    context.close()
    assert found == {name: [] for name in found}, json.dumps(found, indent=2)
