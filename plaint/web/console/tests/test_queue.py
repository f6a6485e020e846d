"""The console's queue: whose complaints each tab shows, the deadline order and wording, the
filters, the search, bulk assignment, and a fixed number of queries whatever the rows."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from plaint.complaints.lifecycle import Action
from plaint.complaints.models import Complaint
from plaint.core import clock, references
from plaint.testing import builders
from plaint.web.console.tests.helpers import desk

pytestmark = pytest.mark.django_db


def queue_url(org, **params: object) -> str:
    from urllib.parse import urlencode

    url = reverse("web:console-queue", args=[org.slug])
    return f"{url}?{urlencode(params, doseq=True)}" if params else url


def references_in(html: str) -> list[str]:
    """The references of the queue's rows, in their order."""
    return re.findall(r'name="complaint" value="([0-9A-Z]+)"', html)


def test_the_tabs_show_mine_my_teams_and_all_of_the_organisations():
    # given complaints handled by me, by my team mate, by an agent of another team and by nobody
    d = desk()
    mine = d.complaint(to=d.me)
    teams = d.complaint(to=d.mate)
    elsewhere = d.complaint(to=d.elsewhere)
    nobodys = d.complaint()
    next_door = builders.complaint(builders.customer(d.other_org))
    client = d.client()
    # when I open each tab
    shown = {tab: set(references_in(client.get(queue_url(d.org, tab=tab)).content.decode()))
             for tab in ("mine", "team", "all")}
    # then mine is mine, my team's adds my mate's, and all is the whole organisation's (not next door's)
    assert shown["mine"] == {mine.reference}
    assert shown["team"] == {mine.reference, teams.reference}
    assert shown["all"] == {mine.reference, teams.reference, elsewhere.reference, nobodys.reference}
    everything = client.get(queue_url(d.org, tab="all", state="any")).content.decode()
    assert next_door.reference not in everything
    assert references.display(next_door.reference) not in everything


def test_the_default_tab_is_mine_for_a_handler():
    d = desk()
    mine = d.complaint(to=d.me)
    other = d.complaint(to=d.mate)
    html = d.client().get(queue_url(d.org)).content.decode()
    assert references_in(html) == [mine.reference]
    assert other.reference not in html


def test_the_nearest_deadline_comes_first_late_ones_before_all_and_none_last():
    # given four complaints: one without a running deadline, one due in ten days, one due in
    # two hours and one already overdue
    d = desk()
    now = clock.now()
    none, later, soon, late = (d.complaint(to=d.me) for _ in range(4))
    Complaint.objects.filter(pk=none.pk).update(next_due_at=None, overdue_since=None)
    Complaint.objects.filter(pk=later.pk).update(next_due_at=now + timedelta(days=10), overdue_since=None)
    Complaint.objects.filter(pk=soon.pk).update(next_due_at=now + timedelta(hours=2), overdue_since=None)
    Complaint.objects.filter(pk=late.pk).update(next_due_at=None, overdue_since=now - timedelta(days=1))
    # when I open my queue
    html = d.client().get(queue_url(d.org)).content.decode()
    # then they come in that order, and the overdue and at-risk ones say so in words
    assert references_in(html) == [late.reference, soon.reference, later.reference, none.reference]
    assert "Overdue" in html
    assert "At risk" in html
    assert "No running deadline" in html
    rows = html.split("<tr ")
    late_row = next(r for r in rows if late.reference in r)
    assert "Overdue" in late_row
    assert "since" in late_row
    soon_row = next(r for r in rows if soon.reference in r)
    assert "At risk" in soon_row
    assert "due in" in soon_row


@pytest.mark.parametrize(("field", "value_of", "match", "other"), [
    ("level", lambda c: "2", {"level": 2}, {"level": 1}),
    ("category", lambda c: "billing", {"category": "billing"}, {"category": "network"}),
    ("channel", lambda c: "phone", {"channel": "phone"}, {"channel": "web"}),
])
def test_each_filter_keeps_only_what_matches(field, value_of, match, other):
    # given two of my complaints that differ in one field
    d = desk()
    wanted, unwanted = d.complaint(to=d.me), d.complaint(to=d.me)
    Complaint.objects.filter(pk=wanted.pk).update(**match)
    Complaint.objects.filter(pk=unwanted.pk).update(**other)
    # when I filter on it
    html = d.client().get(queue_url(d.org, **{field: value_of(wanted)})).content.decode()
    # then only the matching one is listed
    assert references_in(html) == [wanted.reference]


def test_the_state_filter_shows_open_complaints_by_default_and_any_state_on_request():
    d = desk()
    withdrawn, acknowledged = d.complaint(to=d.me), d.complaint(to=d.me)
    builders.move(acknowledged, Action.ACKNOWLEDGE)
    builders.move(withdrawn, Action.WITHDRAW)
    client = d.client()
    assert references_in(client.get(queue_url(d.org)).content.decode()) == [acknowledged.reference]
    assert references_in(client.get(queue_url(d.org, state="acknowledged")).content.decode()) == [
        acknowledged.reference]
    assert set(references_in(client.get(queue_url(d.org, state="any")).content.decode())) == {
        withdrawn.reference, acknowledged.reference}


def test_the_team_and_assignee_filters_narrow_the_organisations_queue():
    d = desk()
    mine, mates, elsewhere = d.complaint(to=d.me), d.complaint(to=d.mate), d.complaint(to=d.elsewhere)
    client = d.client()
    by_team = references_in(client.get(queue_url(d.org, tab="all", team=d.me.team_id)).content.decode())
    by_person = references_in(client.get(queue_url(d.org, tab="all", assignee=d.mate.pk)).content.decode())
    assert set(by_team) == {mine.reference, mates.reference}
    assert by_person == [mates.reference]
    assert elsewhere.reference not in by_team


def test_a_wrong_filter_value_is_said_and_the_others_still_apply():
    d = desk()
    d.complaint(to=d.me)
    response = d.client().get(queue_url(d.org, level="9"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Error:" in html


@pytest.mark.parametrize("key", ["reference", "subject", "name", "email", "phone"])
def test_the_search_finds_a_complaint_by_reference_subject_or_the_customers_details(key):
    # given two complaints of the organisation
    d = desk()
    wanted = d.complaint(to=d.me, subject="Fibre outage in Brno", full_name="Zdeněk Hrubý",
                         email="zdenek@example.test", phone="+420 601 234 567")
    d.complaint(to=d.me, subject="Invoice too high")
    text = {"reference": wanted.reference.lower(), "subject": "outage", "name": "hrubý",
            "email": "ZDENEK@example", "phone": "601 234"}[key]
    # when I search all of the organisation's complaints
    html = d.client().get(queue_url(d.org, tab="all", q=text)).content.decode()
    # then only that complaint is listed
    assert references_in(html) == [wanted.reference]


def test_the_search_never_finds_another_organisations_complaint():
    d = desk()
    next_door = builders.complaint(builders.customer(d.other_org, full_name="Shared Name"))
    html = d.client().get(queue_url(d.org, tab="all", state="any", q="Shared Name")).content.decode()
    assert next_door.reference not in html
    assert references.display(next_door.reference) not in html
    assert references_in(html) == []


def test_bulk_assignment_assigns_each_and_reports_what_was_refused():
    # given two level-1 complaints and one at level 3, which an agent may not assign
    d = desk()
    first, second, formal = d.complaint(), d.complaint(), d.complaint()
    builders.escalate_to(formal, 3)
    next_door = builders.complaint(builders.customer(d.other_org))
    back = queue_url(d.org, tab="all")
    # when I tick all of them (and one of another organisation) and assign them to my mate
    response = d.client().post(reverse("web:console-bulk-assign", args=[d.org.slug]), {
        "complaint": [first.reference, second.reference, formal.reference, next_door.reference],
        "assignee": d.mate.pk, "next": back,
    }, follow=True)
    # then I am back on the same queue page, the two are my mate's and the refusals are listed
    assert response.redirect_chain[-1][0] == back
    assert set(Complaint.objects.filter(assignee=d.mate).values_list("reference", flat=True)) == {
        first.reference, second.reference}
    html = response.content.decode()
    assert "Assigned:" in html
    assert html.count("Error: not assigned") == 2
    assert Complaint.objects.get(pk=next_door.pk).assignee_id is None


def test_bulk_assignment_without_a_person_assigns_nothing_and_says_why():
    d = desk()
    complaint = d.complaint()
    response = d.client().post(reverse("web:console-bulk-assign", args=[d.org.slug]),
                               {"complaint": [complaint.reference], "assignee": ""}, follow=True)
    assert "Error:" in response.content.decode()
    assert Complaint.objects.get(pk=complaint.pk).assignee_id is None


def test_bulk_assignment_goes_back_only_to_this_console():
    d = desk()
    complaint = d.complaint()
    response = d.client().post(reverse("web:console-bulk-assign", args=[d.org.slug]), {
        "complaint": [complaint.reference], "assignee": d.me.pk, "next": "https://evil.test/",
    })
    assert response["Location"] == reverse("web:console-queue", args=[d.org.slug])


@pytest.mark.parametrize("rows", [5, 50])
def test_the_queue_reads_in_a_fixed_number_of_queries(rows, django_assert_max_num_queries):
    # given 5 or 50 complaints in my queue
    d = desk()
    for _ in range(rows):
        d.complaint(to=d.me)
    client = d.client()
    client.get(queue_url(d.org))  # the session is read once; count a page as it is usually read
    # when I open it, then the number of queries does not depend on the rows
    # session, user, memberships, organisation, staff, teams, count, rows, unread notifications
    with django_assert_max_num_queries(9):
        response = client.get(queue_url(d.org, tab="all", q="Charged"))
    assert len(references_in(response.content.decode())) == rows


def test_htmx_gets_only_the_results():
    d = desk()
    complaint = d.complaint(to=d.me)
    html = d.client().get(queue_url(d.org), headers={"HX-Request": "true"}).content.decode()
    assert html.lstrip().startswith('<section id="queue-results"')
    assert complaint.reference in html


def test_someone_in_no_team_is_told_their_teams_queue_is_empty():
    d = desk()
    d.complaint(to=d.manager)  # the manager is in no team
    html = d.client(d.manager).get(queue_url(d.org, tab="team")).content.decode()
    assert references_in(html) == []
    assert "You are in no team" in html


def test_an_organisation_admin_sees_all_by_default_and_cannot_assign():
    from plaint.parties.choices import Role

    d = desk()
    complaint = d.complaint(to=d.me)
    admin = builders.staff(d.org, Role.ORG_ADMIN)
    html = d.client(admin).get(queue_url(d.org)).content.decode()
    assert references.display(complaint.reference) in html
    assert 'name="complaint"' not in html  # no check boxes: admins do not handle complaints
