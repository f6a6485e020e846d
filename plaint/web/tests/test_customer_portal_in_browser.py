"""The customer portal in Debian's chromium: a complaint filed with a file, followed from another
browser by its reference, information added, a decision accepted and the handling rated; axe-core
scans every portal page (no serious or critical violation). Screenshots are kept under
PLAINT_VAR_DIR/test-reports/screenshots/. SQLite tier only."""

from __future__ import annotations

import json

import pytest
from django.conf import settings as django_settings
from django.test import Client

from plaint.complaints.lifecycle import Action
from plaint.complaints.models import Complaint
from plaint.core import references
from plaint.feedback.models import HandlingRating
from plaint.parties.choices import Sector
from plaint.testing import builders
from plaint.testing.actors import PDF
from plaint.web.tests.test_complaint_form_in_browser import _blocking
from plaint.web.tests.test_public_pages_in_browser import _screenshots

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def provider(live_server, settings, tmp_path):  # noqa: ARG001 -- the live server's database first
    settings.MEDIA_ROOT = tmp_path / "files"
    return builders.organisation(name="Síť Praha", slug="sit-praha", country="CZ", sector=Sector.TELECOM)


def _scan(page, name: str, found: dict) -> None:
    page.screenshot(path=str(_screenshots() / f"customer-{name}.png"), full_page=True)
    found[name] = _blocking(page)


def test_file_follow_add_information_accept_and_rate(browser, live_server, provider, tmp_path):
    found: dict[str, list] = {}
    # given a person who files a complaint with a PDF of their invoice
    filer = browser.new_context(locale="en")
    page = filer.new_page()
    page.goto(live_server.url + f"/providers/{provider.slug}/complain/")
    page.fill("#id_email", "jana@example.test")
    page.fill("#id_subject", "Charged twice")
    page.fill("#id_description", "The October invoice was charged twice.")
    page.select_option("#id_demand", "refund")
    page.fill("#id_amount", "150")
    invoice = tmp_path / "invoice.pdf"
    invoice.write_bytes(PDF)
    page.set_input_files("#id_evidence", str(invoice))
    with page.expect_navigation():
        page.locator("form.complaint-form button[type=submit]").click()
    complaint = Complaint.objects.get(organisation=provider)
    assert complaint.evidence.get().original_name == "invoice.pdf"
    reference = references.display(complaint.reference)
    # when the filing browser follows the confirmation's link, the complaint's page opens
    with page.expect_navigation():
        page.get_by_role("link", name="Follow your complaint").click()
    assert reference in page.locator("h1").inner_text()
    filer.close()

    # and from another browser, without an account, they follow it by reference and address
    other = browser.new_context(locale="en")
    page = other.new_page()
    page.goto(live_server.url + "/my/follow/")
    _scan(page, "follow", found)
    page.fill("#id_reference", reference.lower())
    page.fill("#id_contact", "someone-else@example.test")
    with page.expect_navigation():
        page.locator("form.portal-form button[type=submit]").click()
    assert page.locator(".error-summary").count() == 1
    _scan(page, "follow-error", found)
    page.fill("#id_contact", "JANA@example.test")
    with page.expect_navigation():
        page.locator("form.portal-form button[type=submit]").click()
    assert reference in page.locator("h1").inner_text()
    assert page.get_by_role("link", name="invoice.pdf").count() == 1
    _scan(page, "complaint", found)

    # and add information
    page.fill("#id_info-body", "My bank statement shows both charges.")
    with page.expect_navigation():
        page.locator("#information button[type=submit]").click()
    assert "Your information was added" in page.locator(".notices").inner_text()
    assert "My bank statement shows both charges." in page.content()

    # and, once the provider decided, accept the decision
    builders.move(complaint, Action.ACKNOWLEDGE)
    builders.decide(complaint, reasoning="The second charge was a mistake; it is refunded.")
    page.reload()
    _scan(page, "complaint-decided", found)
    page.check("#id_decision-answer_0")
    with page.expect_navigation():
        page.locator("#decision button[type=submit]").click()
    assert "You accepted the decision." in page.locator(".notices").inner_text()

    # and rate the handling
    _scan(page, "complaint-closed", found)
    page.check("#id_rating-resolved_0")
    page.select_option("#id_rating-satisfaction", "5")
    page.select_option("#id_rating-effort", "1")
    with page.expect_navigation():
        page.locator("#rating button[type=submit]").click()
    other.close()
    # then the rating is kept, and axe found nothing serious or critical on any page
    rating = HandlingRating.objects.get(complaint=complaint)
    assert (rating.resolved, rating.satisfaction, rating.effort) == (True, 5, 1)
    assert all(v == [] for v in found.values()), json.dumps(found, indent=2, ensure_ascii=False)


def test_my_complaints_and_the_feedback_card_have_no_serious_violations(browser, live_server, provider):
    # given a signed-in customer with a complaint (the session cookie comes from Django's client)
    customer = builders.customer(provider)
    builders.complaint(customer, subject="Router never arrived")
    client = Client()
    client.force_login(customer.user)
    context = browser.new_context(locale="en")
    context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME,
                          "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                          "url": live_server.url}])
    page = context.new_page()
    found: dict[str, list] = {}
    # when they read their complaints and the feedback card, and send the card empty
    page.goto(live_server.url + "/my/")
    assert page.get_by_role("link", name="Router never arrived").count() == 1
    _scan(page, "my-complaints", found)
    page.goto(live_server.url + f"/my/feedback/{provider.slug}/")
    _scan(page, "feedback", found)
    with page.expect_navigation():
        page.locator("form.portal-form button[type=submit]").click()
    assert page.locator(".error-summary").count() == 1
    _scan(page, "feedback-error", found)
    context.close()
    # then axe finds nothing serious or critical
    assert all(v == [] for v in found.values()), json.dumps(found, indent=2, ensure_ascii=False)
