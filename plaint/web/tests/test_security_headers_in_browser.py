"""The pages work under the content-security policy in Debian's chromium: the home page, the
complaint form (sent with htmx on top), a console complaint page, the API documentation and the
admin's sign-in page load with the policy on and the browser reports no violation. The check is
shown to work by an inline script that the test adds itself, which the browser must refuse.
SQLite tier only."""

from __future__ import annotations

import pytest

from plaint.parties.choices import Role, Sector
from plaint.testing import builders

pytestmark = pytest.mark.sqlite_only
PASSWORD = "pw-not-secret"  # noqa: S105 -- the builders' test password


def _watch(page) -> list[str]:
    """Every console message about the content-security policy, as the browser reports it."""
    reported: list[str] = []
    page.on("console", lambda message: reported.append(message.text)
            if "Content Security Policy" in message.text else None)
    return reported


def test_pages_load_under_the_policy_without_a_violation(browser, live_server):
    # given an organisation with a complaint, and an agent of it
    org = builders.organisation(name="Síť Praha", slug="sit-praha", country="CZ", sector=Sector.TELECOM)
    agent = builders.staff(org, Role.AGENT)
    complaint = builders.complaint(builders.customer(org, full_name="Jana Dvořáková"))
    context = browser.new_context(locale="en")
    page = context.new_page()
    reported = _watch(page)
    # when a visitor reads the home page and the complaint form, and sends the form empty
    for path in ("/", f"/providers/{org.slug}/complain/"):
        response = page.goto(live_server.url + path)
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("networkidle")
    with page.expect_navigation():
        page.locator("form.complaint-form button[type=submit]").click()
    assert "Error" in page.title()
    # and the API's documentation (Swagger UI from our static files) renders
    page.goto(live_server.url + "/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info", timeout=15000)
    # and Django's admin sign-in page loads its own scripts and styles
    page.goto(live_server.url + "/admin/login/")
    page.wait_for_load_state("networkidle")
    # and an agent signs in and opens the complaint's console page
    path = f"/console/{org.slug}/complaints/{complaint.reference}/"
    page.goto(f"{live_server.url}/account/sign-in/?next={path}")
    page.fill("#id_username", agent.user.email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.press("#id_password", "Enter")
    assert page.url.endswith(path)
    page.wait_for_load_state("networkidle")
    # then the browser reported no violation of the policy on any of them
    assert reported == []
    # and an inline script, which the policy forbids, is refused and reported (the check works)
    with pytest.raises(Exception):  # noqa: B017, PT011 -- Playwright's error for a refused script
        page.add_script_tag(content="window.injected = true;")
    assert page.evaluate("window.injected === undefined")
    page.wait_for_timeout(200)
    assert any("script-src" in text for text in reported), reported
    context.close()
