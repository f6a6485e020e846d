"""The managers' dashboard and the organisation admins' pages in Debian's chromium: every page
scanned by axe-core (nothing serious or critical), screenshots under
PLAINT_VAR_DIR/test-reports/screenshots/, and a team created by keyboard alone. SQLite tier only."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from plaint.channels.models import Mailbox
from plaint.clocks.models import ClosingDay
from plaint.parties.choices import Role, Sector, TeamKind
from plaint.parties.models import Category, Team
from plaint.testing import builders
from plaint.testing.auth import force_login
from plaint.web.tests.test_complaint_form_in_browser import _blocking, _tab_to
from plaint.web.tests.test_public_pages_in_browser import _screenshots

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def admin(live_server):  # noqa: ARG001 -- the live server's database must exist first
    """An organisation with a team, two complaints, a category, a closing day, a mailbox and
    its admin, who is also signed in through a session cookie."""
    org = builders.organisation(name="Síť Praha", slug="sit-praha", country="CZ", sector=Sector.TELECOM)
    team = builders.team(org, TeamKind.BILLING, "Vyúčtování")
    builders.staff(org, Role.AGENT, team=team)
    customer = builders.customer(org)
    builders.complaint(customer)
    builders.complaint(customer, subject="Pomalé připojení")
    Category.objects.create(organisation=org, code="billing", name="Vyúčtování")
    ClosingDay.objects.create(organisation=org, day="2031-12-24", description="Štědrý den")
    Mailbox.objects.create(organisation=org, address="reklamace@sit-praha.test", imap_host="127.0.0.1",
                           imap_username="reklamace", imap_password="never-shown")
    return builders.staff(org, Role.ORG_ADMIN)


def _signed_in_page(browser, live_server, membership):  # type: ignore[no-untyped-def]
    client = Client()
    force_login(client, membership.user)
    context = browser.new_context(locale="en")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                          "url": live_server.url}])
    return context, context.new_page()


def test_every_managers_page_passes_axe(browser, live_server, admin):
    context, page = _signed_in_page(browser, live_server, admin)
    org = admin.organisation
    team = Team.objects.get(organisation=org)
    paths = {
        "dashboard": "", "teams": "teams/", "team": f"teams/{team.pk}/", "staff": "staff/",
        "member": f"staff/{admin.pk}/", "hours": "hours/", "categories": "categories/",
        "policy": "policy/", "mailboxes": "mailboxes/",
        "mailbox": f"mailboxes/{Mailbox.objects.get(organisation=org).pk}/",
    }
    blocking = {}
    for name, path in paths.items():
        # when the admin opens each page
        response = page.goto(f"{live_server.url}/manage/{org.slug}/{path}")
        assert response.status == 200, name
        page.screenshot(path=str(_screenshots() / f"manage-{name}.png"), full_page=True)
        # then axe finds nothing serious or critical
        found = _blocking(page)
        if found:
            blocking[name] = found
    # and a form sent with errors is no worse
    page.goto(f"{live_server.url}/manage/{org.slug}/teams/")
    page.click("button[type=submit] >> text=Create the team")
    assert "Error:" in page.title()
    page.screenshot(path=str(_screenshots() / "manage-teams-errors.png"), full_page=True)
    found = _blocking(page)
    if found:
        blocking["teams with errors"] = found
    context.close()
    assert blocking == {}, json.dumps(blocking, indent=2, ensure_ascii=False)


def test_an_admin_creates_a_team_by_keyboard_alone(browser, live_server, admin):
    context, page = _signed_in_page(browser, live_server, admin)
    org = admin.organisation
    page.goto(f"{live_server.url}/manage/{org.slug}/teams/")
    # when the admin tabs to the name, types it, chooses the kind with the arrow keys and sends
    _tab_to(page, "id_name", limit=60)
    page.keyboard.type("Technická podpora")
    _tab_to(page, "id_kind")
    page.keyboard.press("ArrowDown")  # from "Billing" to "Technical"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # then the team exists, the page says so and lists it
    team = Team.objects.get(organisation=org, name="Technická podpora")
    assert team.kind == TeamKind.TECHNICAL
    assert "The team Technická podpora was created." in page.locator("[role=status]").inner_text()
    assert page.locator("table").get_by_text("Technická podpora").count() == 1
    page.screenshot(path=str(_screenshots() / "manage-team-created.png"), full_page=True)
    context.close()
