"""A complaint handled from its console page in Debian's chromium: an agent acknowledges it, logs
a call with a promised callback, requests information (the page says which deadlines pause) and
escalates; a complaints officer decides. axe-core scans the page in each state (nothing serious
or critical); screenshots go to PLAINT_VAR_DIR/test-reports/screenshots/. SQLite tier only."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from plaint.complaints.models import Complaint, Promise
from plaint.core import clock
from plaint.parties.choices import Role, Sector
from plaint.testing import builders
from plaint.web.tests.test_public_pages_in_browser import BLOCKING_IMPACTS, _screenshots

pytestmark = pytest.mark.sqlite_only
PASSWORD = "pw-not-secret"  # noqa: S105 -- the builders' test password


@pytest.fixture
def case(live_server):  # noqa: ARG001 -- the live server's database must exist first
    org = builders.organisation(name="Síť Praha", slug="sit-praha", country="CZ", sector=Sector.TELECOM,
                                time_zone="Europe/Prague")
    agent = builders.staff(org, Role.AGENT)
    officer = builders.staff(org, Role.COMPLAINTS_OFFICER)
    complaint = builders.complaint(builders.customer(org, full_name="Jana Dvořáková"))
    return org, agent, officer, complaint


def _blocking(page) -> list[dict]:
    violations = Axe().run(page).response["violations"]
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in violations if v.get("impact") in BLOCKING_IMPACTS
    ]


def _sign_in(browser, live_server, email: str, path: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="en")
    page = context.new_page()
    page.goto(f"{live_server.url}/account/sign-in/?next={path}")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.press("#id_password", "Enter")
    assert page.url.endswith(path)
    return context, page


def _scan(page, name: str, found: dict) -> None:
    page.screenshot(path=str(_screenshots() / f"console-complaint-{name}.png"), full_page=True)
    blocking = _blocking(page)
    if blocking:
        found[name] = blocking


def _submit(page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()
    assert page.locator(".case-messages").count() == 1, page.content()[:3000]


def test_an_agent_and_a_complaints_officer_handle_a_complaint_from_its_page(browser, live_server, case):
    org, agent, officer, complaint = case
    path = f"/console/{org.slug}/complaints/{complaint.reference}/"
    found: dict[str, list] = {}
    # given the agent on the new complaint's page
    context, page = _sign_in(browser, live_server, agent.user.email, path)
    assert complaint.reference in page.locator("h1").inner_text()
    _scan(page, "received", found)
    # when they acknowledge it
    _submit(page, "Acknowledge the complaint")
    assert "Acknowledged" in page.locator(".case-facts").inner_text()
    # and log a call with a callback promised for tomorrow
    tomorrow = timezone.localtime(clock.now() + timedelta(days=1), timezone.get_fixed_timezone(60))
    page.select_option("#id_interaction-direction", "inbound")
    page.fill("#id_interaction-duration_minutes", "6")
    page.fill("#id_interaction-notes", "The customer called about the double charge.")
    page.select_option("#id_interaction-promise_kind_0", "callback")
    page.fill("#id_interaction-promise_due_0", tomorrow.strftime("%Y-%m-%dT10:00"))
    page.fill("#id_interaction-promise_description_0", "Call back with the refund date.")
    _submit(page, "Log the interaction")
    assert Promise.objects.filter(complaint=complaint, kind="callback").count() == 1
    assert "Call back with the refund date." in page.locator("#timeline").inner_text()
    _scan(page, "acknowledged", found)
    # then the request for information says which deadlines pause and which keep running
    pausing = page.locator(".case-pausing").inner_text()
    assert "Pauses:" in pausing or "Keeps running:" in pausing
    page.fill("#id_request-information-question", "Which invoice was charged twice?")
    _submit(page, "Send the request")
    assert "Waiting for the customer" in page.locator(".case-facts").inner_text()
    _scan(page, "awaiting-customer", found)
    # and the agent escalates it to a supervisor
    page.fill("#id_escalate-reason", "The customer asks for a supervisor.")
    _submit(page, "Escalate")
    assert "2: Supervisor" in page.locator(".case-facts").inner_text()
    _scan(page, "escalated", found)
    context.close()
    # when a complaints officer decides: upheld, a refund of 25 CZK, with reasons
    context, page = _sign_in(browser, live_server, officer.user.email, path)
    page.select_option("#id_decide-outcome", "upheld")
    page.select_option("#id_decide-remedy_kind", "refund")
    page.fill("#id_decide-remedy_amount", "25")
    page.fill("#id_decide-remedy_currency", "CZK")
    page.fill("#id_decide-reasoning", "The October invoice was charged twice; we refund it.")
    _submit(page, "Record the decision")
    # then the complaint is decided and the decision is on the timeline
    assert Complaint.objects.get(pk=complaint.pk).state == "decided"
    assert "Decision: Upheld" in page.locator("#timeline").inner_text()
    _scan(page, "decided", found)
    # and axe found nothing serious or critical in any state
    context.close()
    assert found == {}, json.dumps(found, indent=2, ensure_ascii=False)
