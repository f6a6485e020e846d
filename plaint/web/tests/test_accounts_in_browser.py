"""The account pages in Debian's chromium: a person signs up, confirms through the link that
was e-mailed (Django's outbox: the live server runs in this process), and signs in by keyboard
alone; axe-core scans the sign-in, sign-up (empty and with errors), confirmation, account and
password-reset pages. An invited staff member takes up their account by keyboard alone (the
invitation page and its errors scanned too). Screenshots under
PLAINT_VAR_DIR/test-reports/screenshots/. SQLite tier only."""

from __future__ import annotations

import json
import re

import pytest
from django.core import mail
from django.test import Client

from plaint.parties.choices import Role
from plaint.parties.models import Customer, User
from plaint.testing import builders
from plaint.testing.auth import force_login
from plaint.web.tests.test_complaint_form_in_browser import _blocking, _tab_to
from plaint.web.tests.test_public_pages_in_browser import _screenshots

pytestmark = pytest.mark.sqlite_only

PASSWORD = "a long horse 42"
LINK = re.compile(r"https?://[^/\s]+(/account/confirm/[^/\s]+/[^/\s]+/)")


@pytest.fixture
def walk_in(live_server):  # noqa: ARG001 -- the live server's database must exist first
    """A customer who filed a complaint without an account, with the address that signs up."""
    return builders.customer(builders.organisation(), with_user=False, email="jana@example.test")


def test_sign_up_confirm_and_sign_in_by_keyboard_with_no_serious_axe_violation(browser, live_server, walk_in):
    context = browser.new_context(locale="en")
    page = context.new_page()
    found: dict[str, list] = {}

    def scan(name: str) -> None:
        page.screenshot(path=str(_screenshots() / f"accounts-{name}.png"), full_page=True)
        found[name] = _blocking(page)

    # given the sign-up page, empty and then sent empty
    page.goto(live_server.url + "/account/sign-up/")
    scan("sign-up")
    with page.expect_navigation():
        page.locator("form.account-form button[type=submit]").press("Enter")
    assert page.locator(".error-summary").count() == 1
    assert page.locator("#id_email").get_attribute("aria-invalid") == "true"
    scan("sign-up-errors")
    # when the person fills it in and sends it
    page.fill("#id_email", "jana@example.test")
    page.fill("#id_full_name", "Jana Dvořáková")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.select_option("#id_preferred_language", "en")
    with page.expect_navigation():
        page.locator("form.account-form button[type=submit]").click()
    # then they are asked to check their e-mail, and the link came
    assert page.url == live_server.url + "/account/sign-up/sent/"
    scan("sign-up-sent")
    assert len(mail.outbox) == 1
    link = LINK.search(mail.outbox[0].body).group(1)
    # when they open it and press the button
    page.goto(live_server.url + link)
    page.fill("#id_password", PASSWORD)
    scan("confirm")
    with page.expect_navigation():
        page.locator("form.account-form button[type=submit]").click()
    # then they are signed in on their account page, and the complaint's customer is theirs
    assert page.url == live_server.url + "/account/"
    user = User.objects.get(email="jana@example.test")
    assert user.is_active
    assert Customer.objects.get(pk=walk_in.pk).user_id == user.pk
    scan("account")
    # when they sign out with the header's button
    with page.expect_navigation():
        page.locator(".account-bar button[type=submit]").click()
    # and sign in again by keyboard alone
    page.goto(live_server.url + "/account/sign-in/?next=/account/")
    scan("sign-in")
    _tab_to(page, "id_username")
    page.keyboard.type("jana@example.test")
    _tab_to(page, "id_password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # then they are back on their account page
    assert page.url == live_server.url + "/account/"
    assert "Jana Dvořáková" in page.locator(".account-bar").inner_text()
    # and the password pages are clean too
    page.goto(live_server.url + "/account/password/")
    scan("password-change")
    context.close()
    anonymous = browser.new_context(locale="cs")
    page = anonymous.new_page()
    page.goto(live_server.url + "/account/password/reset/")
    scan("password-reset-cs")
    page.fill("#id_email", "jana@example.test")
    with page.expect_navigation():
        page.locator("form.account-form button[type=submit]").click()
    scan("password-reset-sent-cs")
    anonymous.close()
    assert all(not v for v in found.values()), json.dumps(found, indent=2, ensure_ascii=False)


INVITATION = re.compile(r"https?://[^/\s]+(/account/invitation/[^/\s]+/[^/\s]+/)")


def test_an_invited_person_takes_up_the_account_by_keyboard_with_no_serious_axe_violation(
    browser, live_server
):
    # given an admin who adds a person through the staff page (with a pending invitation shown)
    org = builders.organisation(default_language="cs")
    admin = builders.staff(org, Role.ORG_ADMIN)
    client = Client()
    force_login(client, admin.user)
    client.post(f"/manage/{org.slug}/staff/",
                {"email": "nova@example.test", "full_name": "Nová", "role": "agent"})
    found: dict[str, list] = {}
    context = browser.new_context(locale="en")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                          "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/manage/{org.slug}/staff/")
    assert page.locator("td form button[type=submit]").count() == 1
    page.screenshot(path=str(_screenshots() / "manage-staff-invited.png"), full_page=True)
    found["staff with an invitation"] = _blocking(page)
    context.close()
    link = INVITATION.search(mail.outbox[0].body).group(1)
    # when the person opens the link (in Czech, the organisation's language) and sends it empty
    anonymous = browser.new_context(locale="cs")
    page = anonymous.new_page()
    page.goto(live_server.url + link)
    found["invitation"] = _blocking(page)
    page.screenshot(path=str(_screenshots() / "accounts-invitation.png"), full_page=True)
    _tab_to(page, "id_password1")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.type("not the same one 9")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # then the error is listed and tied to its field
    assert page.locator(".error-summary").count() == 1
    assert page.locator("#id_password2").get_attribute("aria-invalid") == "true"
    found["invitation-errors"] = _blocking(page)
    # when they type the password twice by keyboard alone
    _tab_to(page, "id_password1")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # then they are signed in, in the organisation's console
    assert page.url == f"{live_server.url}/console/{org.slug}/"
    assert User.objects.get(email="nova@example.test").is_active
    anonymous.close()
    assert all(not v for v in found.values()), json.dumps(found, indent=2, ensure_ascii=False)
