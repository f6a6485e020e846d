"""The agent console in Debian's chromium: the queue worked by keyboard alone (search, a tab link),
bulk assignment, and a call from a known customer turned into a complaint; axe-core on every
console page (no serious or critical violation). Screenshots go to
PLAINT_VAR_DIR/test-reports/screenshots/. SQLite tier only."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client

from plaint.complaints.models import Complaint
from plaint.core import references
from plaint.testing import builders
from plaint.testing.auth import force_login
from plaint.web.console.tests.helpers import desk
from plaint.web.tests.test_complaint_form_in_browser import _blocking, _tab_to
from plaint.web.tests.test_public_pages_in_browser import _screenshots

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def console(live_server):  # noqa: ARG001 -- the live server's database must exist first
    d = desk()
    d.complaint(to=d.me, subject="Fibre outage in Brno")
    d.complaint(to=d.me, subject="Invoice too high")
    d.complaint(subject="Router never arrived")
    d.complaint(subject="Modem keeps restarting")
    return d


def _signed_in(browser, live_server, member):  # noqa: ANN001, ANN202
    """A browser context with the member's session (signing in is another area's page)."""
    client = Client()
    force_login(client, member.user)
    context = browser.new_context(locale="en")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                          "url": live_server.url}])
    return context


def _press_enter_and_wait(page) -> None:  # noqa: ANN001
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_the_queue_is_worked_by_keyboard_and_complaints_are_assigned_in_bulk(browser, live_server, console):
    d = console
    context = _signed_in(browser, live_server, d.me)
    page = context.new_page()
    base = f"{live_server.url}/console/{d.org.slug}/"
    page.goto(base)
    blocking = {"queue": _blocking(page)}
    page.screenshot(path=str(_screenshots() / "console-queue.png"), full_page=True)
    # when I search my queue by keyboard alone: tab to the search field, type, Enter
    _tab_to(page, "id_q", limit=60)
    page.keyboard.type("outage")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=outage**")
    page.wait_for_function("document.querySelectorAll('table.queue tbody tr').length === 1")
    # then only the matching complaint is listed
    assert "Fibre outage in Brno" in page.locator("table.queue").inner_text()
    # and, where a complaint's page exists, its reference is a link that Enter opens
    row_link = page.locator("table.queue tbody th a")
    if row_link.count():
        row_link.first.focus()
        _press_enter_and_wait(page)
        assert "/complaints/" in page.url
    # when I follow the "all of the organisation's" tab link by keyboard
    page.goto(base)
    link = page.get_by_role("link", name="All of the organisation's")
    link.focus()
    _press_enter_and_wait(page)
    # then the organisation's four complaints are listed, the nearest deadline first
    assert "tab=all" in page.url
    assert page.locator("table.queue tbody tr").count() == 4
    # when I tick two unassigned complaints with the space bar and assign them to my mate
    unassigned = list(Complaint.objects.filter(organisation=d.org, assignee__isnull=True))
    for complaint in unassigned:
        page.locator(f"#pick-{complaint.reference}").focus()
        page.keyboard.press("Space")
    page.locator("#bulk-assignee").select_option(str(d.mate.pk))
    page.get_by_role("button", name="Assign", exact=True).focus()
    _press_enter_and_wait(page)
    # then they are my mate's, and the page says so
    assert "Assigned:" in page.locator(".console-messages").inner_text()
    assert Complaint.objects.filter(assignee=d.mate).count() == 2
    page.screenshot(path=str(_screenshots() / "console-queue-assigned.png"), full_page=True)
    blocking["queue, all, after assigning"] = _blocking(page)
    # and the notifications and held e-mail pages pass axe too
    for name in ("notifications", "held"):
        page.goto(f"{base}{name}/")
        page.screenshot(path=str(_screenshots() / f"console-{name}.png"), full_page=True)
        blocking[name] = _blocking(page)
    context.close()
    assert all(v == [] for v in blocking.values()), json.dumps(blocking, indent=2)


def test_an_agent_takes_a_call_from_a_known_customer_and_opens_a_complaint_for_them(
    browser, live_server, console
):
    # given a known customer with an open complaint
    d = console
    jana = builders.customer(d.org, full_name="Jana Nováková", phone="+420 601 234 567",
                             email="jana@example.test")
    open_one = builders.complaint(jana, subject="Slow line")
    context = _signed_in(browser, live_server, d.me)
    page = context.new_page()
    page.goto(f"{live_server.url}/console/{d.org.slug}/")
    # when I go to "Take a call" by keyboard and search by the number she calls from
    page.get_by_role("link", name="Take a call").focus()
    _press_enter_and_wait(page)
    blocking = {"calls": _blocking(page)}
    _tab_to(page, "id_phone", limit=60)
    page.keyboard.type("601234567")
    _press_enter_and_wait(page)
    # then she is found with her open complaint
    found = page.locator("section[aria-labelledby=callers-heading]").inner_text()
    assert "Jana Nováková" in found
    assert references.display(open_one.reference) in found
    page.screenshot(path=str(_screenshots() / "console-call-found.png"), full_page=True)
    blocking["calls, found"] = _blocking(page)
    # and the call can be logged on it (the form passes axe)
    page.get_by_role("link", name=f"Log the call on {references.display(open_one.reference)}").focus()
    _press_enter_and_wait(page)
    page.screenshot(path=str(_screenshots() / "console-call-log.png"), full_page=True)
    blocking["call log"] = _blocking(page)
    page.go_back()
    # when I open a new complaint for her, by keyboard
    page.get_by_role("link", name="Open a new complaint for Jana Nováková").focus()
    _press_enter_and_wait(page)
    blocking["new complaint"] = _blocking(page)
    _tab_to(page, "id_subject", limit=60)
    page.keyboard.type("Billed after cancelling")
    _tab_to(page, "id_description")
    page.keyboard.type("She cancelled in October and was billed in November.")
    _tab_to(page, "id_category")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    _press_enter_and_wait(page)
    # then the complaint is hers, taken by phone, and the console says which it is
    complaint = Complaint.objects.get(customer=jana, subject="Billed after cancelling")
    assert complaint.channel == "phone"
    assert complaint.reference in page.locator(".console-messages").inner_text().replace("-", "")
    page.screenshot(path=str(_screenshots() / "console-call-opened.png"), full_page=True)
    blocking["after opening"] = _blocking(page)
    context.close()
    assert all(v == [] for v in blocking.values()), json.dumps(blocking, indent=2, ensure_ascii=False)
