"""A complaint's page in the console: what it shows, to whom, and in how many queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from plaint.complaints.lifecycle import State
from plaint.complaints.services.assignment import complaint_assign
from plaint.complaints.services.records import InteractionSpec, PromiseSpec, interaction_log, message_add
from plaint.core import clock
from plaint.testing import builders
from plaint.testing.actors import AGENT, COMPLAINTS_OFFICER, INTERNAL_MARK, ORG_ADMIN, cast  # noqa: F401

pytestmark = pytest.mark.django_db


def page_url(cast, complaint=None) -> str:  # noqa: F811
    complaint = complaint or cast.complaint_a
    return reverse("web:console-complaint", args=[cast.org1.slug, complaint.reference])


def test_the_page_shows_the_complaint_its_customer_and_internal_items_marked_internal(cast):  # noqa: F811
    # given customer A's complaint with an internal note and a customer-visible message
    # when an agent opens it
    response = cast.client(AGENT).get(page_url(cast))
    # then it shows the header, the customer and both items, the note marked "Internal" in words
    html = response.content.decode()
    assert response.status_code == 200
    assert cast.complaint_a.reference in html
    assert cast.complaint_a.customer.full_name in html
    assert "We are looking into it." in html
    note = html.index(f"Note {INTERNAL_MARK}")
    entry_start = html.rindex('<li class="timeline-entry', 0, note)
    assert "timeline-internal" in html[entry_start:note]
    assert ">Internal</strong>" in html[entry_start:note]
    # and the demand is written as money
    assert "CZK" in html


def test_another_organisations_complaint_is_not_found(cast):  # noqa: F811
    # given organisation 2's complaint asked for through organisation 1's console
    url = reverse("web:console-complaint", args=[cast.org1.slug, cast.complaint_other_org.reference])
    # when an agent of organisation 1 opens it
    response = cast.client(AGENT).get(url)
    # then it is not found
    assert response.status_code == 404


def test_an_unknown_reference_is_not_found(cast):  # noqa: F811
    response = cast.client(AGENT).get(reverse("web:console-complaint", args=[cast.org1.slug, "XXXX"]))
    assert response.status_code == 404


def test_the_page_takes_the_same_number_of_queries_however_long_the_timeline(
        cast, django_assert_num_queries):  # noqa: F811
    # given the page read once, to count its queries
    client = cast.client(AGENT)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        assert client.get(page_url(cast)).status_code == 200
    # when the timeline grows by messages, notes, calls with promises and assignments
    agent = cast.actor(AGENT)
    for n in range(6):
        message_add(actor=agent, complaint=cast.complaint_a, body=f"Message {n}")
        message_add(actor=agent, complaint=cast.complaint_a, body=f"Note {n}", internal=True)
        interaction_log(actor=agent, complaint=cast.complaint_a, spec=InteractionSpec(
            channel="phone", direction="inbound", started_at=clock.now() - timedelta(minutes=n),
            notes=f"Call {n}",
            promises=[PromiseSpec(kind="callback", due_at=clock.now() + timedelta(days=1))]))
        complaint_assign(actor=agent, complaint=cast.complaint_a, team_id=None,
                         assignee_id=cast.memberships[AGENT].pk if n % 2 else None)
    # then the page takes exactly as many queries
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(page_url(cast))
    html = response.content.decode()
    assert "Message 5" in html
    assert "Call 5" in html


def test_an_organisation_admin_sees_the_page_but_is_offered_no_action(cast):  # noqa: F811
    # given an organisation admin, who reads everything and handles nothing
    response = cast.client(ORG_ADMIN).get(page_url(cast))
    # then the page shows no action form except recording a cancellation (none is open)
    html = response.content.decode()
    assert response.status_code == 200
    assert "/acknowledge/" not in html
    assert "Your role may not act on this complaint" in html


def test_a_request_for_information_says_which_clocks_pause_and_which_keep_running(cast):  # noqa: F811
    # given an acknowledged complaint (its clocks running)
    complaint = builders.reach(builders.complaint(cast.customers["customer_a"]), State.ACKNOWLEDGED)
    # when a complaints officer opens it
    html = cast.client(COMPLAINTS_OFFICER).get(page_url(cast, complaint)).content.decode()
    # then the request-for-information form lists the running clocks under pauses or keeps running
    section = html[html.index('id="request-information-heading"'):]
    section = section[: section.index("</section>")]
    assert "Pauses:" in section or "Keeps running:" in section


def test_the_page_and_a_refused_action_have_no_inline_script_handler_or_style(cast):  # noqa: F811
    from plaint.web.tests.test_public_pages import _assert_csp_clean

    # given the page as a manager, and the page re-rendered after an empty form
    client = cast.client("manager")
    shown = client.get(page_url(cast)).content.decode()
    refused = client.post(page_url(cast) + "escalate/", {}).content.decode()
    # then neither has inline JavaScript, an event handler, a style attribute or hx-on
    _assert_csp_clean(shown)
    _assert_csp_clean(refused)
    assert "Error:" in refused


def test_times_are_in_the_organisations_time_zone_and_the_timeline_is_in_time_order(cast):  # noqa: F811
    import zoneinfo

    # given organisation 1 in Prague and a complaint received at 23:30 UTC on 4 December (00:30 on
    # the 5th in Prague)
    from datetime import UTC, datetime

    from django.utils import formats

    with clock.frozen_at(datetime(2026, 12, 4, 23, 30, tzinfo=UTC)):
        complaint = builders.complaint(cast.customers["customer_a"])
    with clock.frozen_at(datetime(2026, 12, 5, 9, 0, tzinfo=UTC)):
        message_add(actor=cast.actor(AGENT), complaint=complaint, body="Second item.")
    # when an agent opens it
    html = cast.client(AGENT).get(page_url(cast, complaint)).content.decode()
    # then the time received is Prague's
    local = datetime(2026, 12, 5, 0, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Prague"))
    assert formats.date_format(local, "DATETIME_FORMAT") in html
    # and the receipt comes before the later message on the timeline
    timeline = html[html.index('id="timeline"'):]
    assert timeline.index("Complaint received") < timeline.index("Second item.")
