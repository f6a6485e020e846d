"""Two-factor sign-in in Debian's chromium: a manager signs in with the password, is sent to set
up an authenticator, types the code computed from the key on the page (django-otp's TOTP, as an
app would), sees the recovery codes once, signs out and in again with a code; axe-core scans the
set-up, recovery-codes, second-step and status pages. SQLite tier only."""

from __future__ import annotations

import base64

import pytest
from django_otp.oath import totp

from plaint.parties.choices import Role
from plaint.testing import builders
from plaint.web.tests.test_complaint_form_in_browser import _blocking
from plaint.web.tests.test_public_pages_in_browser import _screenshots

pytestmark = pytest.mark.sqlite_only

PASSWORD = "pw-not-secret"  # the builders' password


def _code(secret: str, *, ahead: int = 0) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key, drift=ahead):06d}"


def test_a_manager_sets_up_two_factor_and_signs_in_with_a_code_with_no_serious_axe_violation(
    browser, live_server
):
    org = builders.organisation()
    manager = builders.staff(org, Role.MANAGER)
    context = browser.new_context(locale="en")
    page = context.new_page()
    found: dict[str, list] = {}

    def scan(name: str) -> None:
        page.screenshot(path=str(_screenshots() / f"accounts-{name}.png"), full_page=True)
        found[name] = _blocking(page)

    def sign_in() -> None:
        page.goto(f"{live_server.url}/account/sign-in/")
        page.fill("#id_username", manager.user.email)
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.locator("form.account-form button[type=submit]").click()

    # when the manager gives their password
    sign_in()
    # then they must set up two-factor sign-in first: the key and its QR code are shown
    assert "/account/two-factor/set-up/" in page.url
    assert page.locator("img.two-factor-qr").evaluate("img => img.naturalWidth") > 0
    secret = page.locator(".two-factor-secret").inner_text().strip()
    scan("two-factor-set-up")
    # when they type the code their app shows
    page.fill("#id_code", _code(secret))
    with page.expect_navigation():
        page.locator("form.account-form button[type=submit]").click()
    # then ten recovery codes are shown
    assert page.url.endswith("/account/two-factor/recovery-codes/")
    assert page.locator(".recovery-codes li").count() == 10
    scan("two-factor-recovery-codes")
    page.goto(f"{live_server.url}/account/two-factor/")
    scan("two-factor")
    # when they sign out and in again
    with page.expect_navigation():
        page.locator(".account-bar button[type=submit]").click()
    sign_in()
    # then the second step asks for a code (shown with its error when wrong)
    assert "/account/two-factor/verify/" in page.url
    scan("two-factor-verify")
    page.fill("#id_code", "12345")
    with page.expect_navigation():
        page.locator("form.account-form button[type=submit]").click()
    assert page.locator(".error-summary").count() == 1
    scan("two-factor-verify-errors")
    # and the next code of the app takes them to their console
    page.wait_for_timeout(1100)  # django-otp makes a device wait a second after a wrong code
    page.fill("#id_code", _code(secret, ahead=1))
    with page.expect_navigation():
        page.locator("form.account-form button[type=submit]").click()
    assert page.url == f"{live_server.url}/console/{org.slug}/"
    context.close()
    assert found == dict.fromkeys(found, []), found
