"""The whole journey of one complaint through the pages, in Debian's chromium, in English, Czech
and Polish: a customer files with evidence and gets the reference and the acknowledgement e-mail;
an agent acknowledges, logs a call with a promised callback and requests information; the
customer answers; the agent escalates; a complaints officer decides; the customer sees the
decision, accepts it and rates the handling.

Each step checks the page's text in the journey's language (the translated words, not only the
status), and a screenshot of each step is kept under
PLAINT_VAR_DIR/test-reports/screenshots/journey-<language>-<step>.png. SQLite tier only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext

from plaint.complaints.choices import LEVEL_LABELS, STATE_LABELS
from plaint.complaints.lifecycle import Level, State
from plaint.complaints.models import Complaint, Promise
from plaint.core import clock, references
from plaint.feedback.models import HandlingRating
from plaint.parties.choices import Role, Sector
from plaint.testing import builders
from plaint.testing.actors import PDF
from plaint.web.tests.test_public_pages_in_browser import _screenshots

pytestmark = pytest.mark.sqlite_only
PASSWORD = "pw-not-secret"  # noqa: S105 -- the builders' test password


class Journey:
    """The browsers of one journey and the screenshots it takes, numbered in order."""

    def __init__(self, browser, live_server, language: str) -> None:  # noqa: ANN001
        self.browser, self.url, self.language = browser, live_server.url, language
        self.step = 0

    def text(self, message: str, **values: object) -> str:
        """``message`` in the journey's language (what the page must say)."""
        with translation.override(self.language):
            translated = gettext(message)
        return translated % values if values else translated

    def label(self, lazy) -> str:  # noqa: ANN001 -- a lazy translation
        with translation.override(self.language):
            return str(lazy)

    def shot(self, page, name: str) -> None:  # noqa: ANN001
        self.step += 1
        path = _screenshots() / f"journey-{self.language}-{self.step:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)

    def staff_signs_in(self, member, path: str):  # noqa: ANN001, ANN201
        """A browser in which the staff member signs in through the sign-in page."""
        context = self.browser.new_context(locale=self.language)
        page = context.new_page()
        page.goto(f"{self.url}/account/sign-in/?next={path}")
        assert page.locator("h1").inner_text() == self.text("Sign in")
        page.fill("#id_username", member.user.email)
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.press("#id_password", "Enter")
        assert page.url == self.url + path
        return context, page

    def press(self, page, button: str) -> None:  # noqa: ANN001
        """Press the button labelled ``button`` (in the journey's language) and wait for the page."""
        with page.expect_navigation():
            page.get_by_role("button", name=self.text(button), exact=True).click()


@pytest.fixture
def provider(live_server, settings, tmp_path):  # noqa: ARG001 -- the live server's database first
    settings.MEDIA_ROOT = tmp_path / "files"
    return builders.organisation(name="Síť Praha", slug="sit-praha", country="CZ", sector=Sector.TELECOM,
                                 time_zone="Europe/Prague", languages=["cs", "en", "pl"])


@pytest.mark.parametrize("language", ["en", "cs", "pl"])
def test_a_complaint_goes_from_filing_to_a_rated_decision_in_the_pages(
    browser, live_server, provider, tmp_path, language
):
    journey = Journey(browser, live_server, language)

    # given a customer who files a complaint with a PDF of the invoice, in their language
    customer_browser = browser.new_context(locale=language)
    customer = customer_browser.new_page()
    customer.goto(f"{live_server.url}/providers/{provider.slug}/complain/")
    assert customer.locator("h1").inner_text() == journey.text("Make a complaint to %(name)s",
                                                                 name=provider.name)
    journey.shot(customer, "form")
    customer.fill("#id_full_name", "Jana Dvořáková")
    customer.fill("#id_email", "jana@example.test")
    customer.fill("#id_subject", "Charged twice")
    customer.fill("#id_description", "The October invoice was charged twice.")
    customer.select_option("#id_demand", "refund")
    customer.fill("#id_amount", "150")
    invoice = tmp_path / "invoice.pdf"
    invoice.write_bytes(PDF)
    customer.set_input_files("#id_evidence", str(invoice))
    customer.select_option("#id_language", language)
    with customer.expect_navigation():
        customer.locator("form.complaint-form button[type=submit]").click()
    # then the reference is on the screen at once and the acknowledgement e-mail is in their language
    complaint = Complaint.objects.get(organisation=provider)
    reference = references.display(complaint.reference)
    assert reference in customer.locator("main").inner_text()
    journey.shot(customer, "filed")
    acknowledgement = [m for m in mail.outbox if m.to == ["jana@example.test"]]
    assert len(acknowledgement) == 1
    with translation.override(language):
        assert acknowledgement[0].subject == gettext("Your complaint %(reference)s has been received") % {
            "reference": reference}
    assert complaint.evidence.get().original_name == "invoice.pdf"
    with customer.expect_navigation():
        customer.locator(f"a[href='/my/complaints/{complaint.reference}/']").click()
    assert customer.locator("h1").inner_text() == journey.text("Complaint %(reference)s", reference=reference)

    # when an agent finds it in the queue and acknowledges it
    agent = builders.staff(provider, Role.AGENT)
    officer = builders.staff(provider, Role.COMPLAINTS_OFFICER)
    for member in (agent, officer):
        member.user.preferred_language = language
        member.user.save(update_fields=["preferred_language"])
    queue = f"/console/{provider.slug}/"
    staff_browser, desk = journey.staff_signs_in(agent, queue + "?tab=all")
    with desk.expect_navigation():
        desk.get_by_role("link", name=reference).first.click()
    assert complaint.reference in desk.locator("h1").inner_text()
    journey.shot(desk, "agent-opens")
    journey.press(desk, "Acknowledge the complaint")
    assert journey.label(STATE_LABELS[State.ACKNOWLEDGED]) in desk.locator(".case-facts").inner_text()
    # and logs a call with a callback promised for tomorrow
    tomorrow = timezone.localtime(clock.now() + timedelta(days=1), timezone.get_fixed_timezone(60))
    desk.select_option("#id_interaction-direction", "inbound")
    desk.fill("#id_interaction-duration_minutes", "6")
    desk.fill("#id_interaction-notes", "The customer called about the double charge.")
    desk.select_option("#id_interaction-promise_kind_0", "callback")
    desk.fill("#id_interaction-promise_due_0", tomorrow.strftime("%Y-%m-%dT10:00"))
    desk.fill("#id_interaction-promise_description_0", "Call back with the refund date.")
    journey.press(desk, "Log the interaction")
    assert Promise.objects.filter(complaint=complaint, kind="callback").count() == 1
    journey.shot(desk, "agent-logged-call")
    # and requests information, the page saying which deadlines pause and which keep running
    pausing = desk.locator(".case-pausing").inner_text()
    assert journey.text("Pauses:") in pausing or journey.text("Keeps running:") in pausing
    desk.fill("#id_request-information-question", "Which invoice was charged twice?")
    journey.press(desk, "Send the request")
    assert journey.label(STATE_LABELS[State.AWAITING_CUSTOMER]) in desk.locator(".case-facts").inner_text()
    journey.shot(desk, "agent-requested-information")

    # when the customer answers on their complaint's page
    customer.reload()
    assert "Which invoice was charged twice?" in customer.locator("main").inner_text()
    customer.fill("#id_info-body", "The invoice of 1 October, number 2026-10-0042.")
    with customer.expect_navigation():
        customer.locator("#information button[type=submit]").click()
    assert journey.text("Thank you. Your answer was added and the complaint is back with the provider.") in \
        customer.locator(".notices").inner_text()
    journey.shot(customer, "customer-answered")
    assert Complaint.objects.get(pk=complaint.pk).state != State.AWAITING_CUSTOMER

    # and the agent escalates it with a reason
    desk.reload()
    assert "2026-10-0042" in desk.locator("#timeline").inner_text()
    desk.fill("#id_escalate-reason", "The customer asks for a supervisor.")
    journey.press(desk, "Escalate")
    assert journey.label(LEVEL_LABELS[Level.SUPERVISOR]) in desk.locator(".case-facts").inner_text()
    journey.shot(desk, "agent-escalated")
    staff_browser.close()

    # and a complaints officer decides: upheld, a refund of 150 CZK, with reasons
    path = f"/console/{provider.slug}/complaints/{complaint.reference}/"
    staff_browser, desk = journey.staff_signs_in(officer, path)
    desk.select_option("#id_decide-outcome", "upheld")
    desk.select_option("#id_decide-remedy_kind", "refund")
    desk.fill("#id_decide-remedy_amount", "150")
    desk.fill("#id_decide-remedy_currency", "CZK")
    desk.fill("#id_decide-reasoning", "The October invoice was charged twice; we refund it.")
    journey.press(desk, "Record the decision")
    assert journey.label(STATE_LABELS[State.DECIDED]) in desk.locator(".case-facts").inner_text()
    journey.shot(desk, "officer-decided")
    staff_browser.close()

    # then the customer sees the decision, accepts it and rates the handling
    customer.reload()
    page_text = customer.locator("main").inner_text()
    assert "The October invoice was charged twice; we refund it." in page_text
    assert journey.label(STATE_LABELS[State.DECIDED]) in page_text
    # the files' help is built with the form class, yet reads in the page's language
    files_help = "Optional: photos, PDF documents, texts or sound recordings, up to %(limit)d MB each."
    assert journey.text(files_help, limit=20) in page_text
    journey.shot(customer, "customer-sees-decision")
    customer.check("#id_decision-answer_0")
    with customer.expect_navigation():
        customer.locator("#decision button[type=submit]").click()
    assert journey.text("You accepted the decision. The complaint is closed.") in \
        customer.locator(".notices").inner_text()
    customer.check("#id_rating-resolved_0")
    customer.select_option("#id_rating-satisfaction", "4")
    customer.select_option("#id_rating-effort", "2")
    customer.fill("#id_rating-comment", "Slow at first, then fair.")
    with customer.expect_navigation():
        customer.locator("#rating button[type=submit]").click()
    assert journey.text("Thank you for rating the handling of your complaint.") in \
        customer.locator(".notices").inner_text()
    journey.shot(customer, "customer-rated")
    customer_browser.close()
    assert Complaint.objects.get(pk=complaint.pk).state == State.CLOSED
    rating = HandlingRating.objects.get(complaint=complaint)
    assert (rating.resolved, rating.satisfaction, rating.effort) == (True, 4, 2)
