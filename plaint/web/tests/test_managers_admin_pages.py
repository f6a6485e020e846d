"""The organisation admins' pages: each one's create, change and switch-off through the page,
what they refuse, and that an admin of one organisation cannot reach another's."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.db import transaction

from plaint.channels.models import Mailbox
from plaint.clocks.models import ClosingDay, PolicyRule
from plaint.core.exceptions import Conflict, PermissionDenied
from plaint.parties import admin_services
from plaint.parties.admin_services import MemberSpec
from plaint.parties.choices import Role, TeamKind
from plaint.parties.models import Category, Membership, Team, User
from plaint.testing import builders
from plaint.testing.actors import AGENT, MANAGER, ORG_ADMIN

pytestmark = pytest.mark.django_db


def url(cast, rest: str = "") -> str:  # type: ignore[no-untyped-def]
    return f"/manage/{cast.org1.slug}/{rest}"


def page(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


# --------------------------------------------------------------------------------- organisation


def test_an_admin_names_the_complaints_owner_and_the_procedure_page_shows_it(cast):
    client = cast.client(ORG_ADMIN)
    # when the admin names the owner of the complaints process and the addresses
    response = client.post(url(cast, "organisation/"), {
        "complaints_owner": "  Jana Nováková, Head of Customer Care ",
        "complaint_email": "Stiznosti@Rychlonet.test", "complaint_address": "Sokolovská 100\nPraha 8",
    }, follow=True)
    # then they are saved, tidied, and the public procedure page says who is responsible
    cast.org1.refresh_from_db()
    assert (cast.org1.complaints_owner, cast.org1.complaint_email) == (
        "Jana Nováková, Head of Customer Care", "stiznosti@rychlonet.test")
    assert "The organisation&#x27;s details were saved." in page(response)
    procedure = page(client.get(f"/providers/{cast.org1.slug}/procedure/"))
    assert "Jana Nováková, Head of Customer Care" in procedure
    assert "stiznosti@rychlonet.test" in procedure


def test_a_bad_complaints_address_is_refused_and_nothing_changes(cast):
    client = cast.client(ORG_ADMIN)
    before = cast.org1.complaint_email
    response = client.post(url(cast, "organisation/"), {"complaints_owner": "X", "complaint_email": "nope"})
    assert response.status_code == 200
    assert "<title>Error:" in page(response)
    cast.org1.refresh_from_db()
    assert (cast.org1.complaint_email, cast.org1.complaints_owner) == (before, "")


def test_only_an_organisation_admin_sets_the_details(cast):
    # a manager of the same organisation is refused by the page and by the service
    assert cast.client(MANAGER).get(url(cast, "organisation/")).status_code == 403
    with pytest.raises(PermissionDenied):
        admin_services.organisation_details_set(
            by=cast.memberships[MANAGER], organisation=cast.org1, complaints_owner="Me",
            complaint_email="", complaint_address="",
        )


# ---------------------------------------------------------------------------------------- teams


def test_an_admin_creates_renames_and_switches_off_a_team(cast):
    client = cast.client(ORG_ADMIN)
    # when the admin creates a team
    response = client.post(url(cast, "teams/"), {"name": "Retention", "kind": "other"}, follow=True)
    # then it is listed, with a message, after a redirect
    team = Team.objects.get(organisation=cast.org1, name="Retention")
    assert response.redirect_chain[-1][1] == 302
    assert "The team Retention was created." in page(response)
    # when they rename it and switch it off (the checkbox left empty)
    response = client.post(url(cast, f"teams/{team.pk}/"), {"name": "Customer retention"})
    # then it is saved
    team.refresh_from_db()
    assert response.status_code == 302
    assert (team.name, team.is_active) == ("Customer retention", False)


def test_a_team_name_used_twice_is_refused_on_the_form(cast):
    client = cast.client(ORG_ADMIN)
    # when the admin creates a team under the name of the existing one
    response = client.post(url(cast, "teams/"), {"name": "billing", "kind": "billing"})
    # then the form comes back with the error at the top and nothing is created
    assert response.status_code == 200
    assert "Error:" in page(response)
    assert "already has a team of this name" in page(response)
    assert Team.objects.filter(organisation=cast.org1).count() == 1


# ---------------------------------------------------------------------------------------- staff


def test_adding_an_unknown_person_creates_an_inactive_user_who_cannot_sign_in(cast):
    client = cast.client(ORG_ADMIN)
    team = cast.memberships[AGENT].team
    # when the admin adds a person Plaint does not know
    response = client.post(
        url(cast, "staff/"),
        {
            "email": "Nova@Rychlonet.test",
            "full_name": "Nová Agentka",
            "role": "agent",
            "team": team.pk,
        },
    )
    # then a user exists without a usable password, and is staff in the chosen team
    assert response.status_code == 302
    user = User.objects.get(email="nova@rychlonet.test")
    assert not user.is_active
    assert not user.has_usable_password()
    membership = Membership.objects.get(user=user, organisation=cast.org1)
    assert (membership.role, membership.team_id, membership.is_active) == ("agent", team.pk, True)


def test_adding_a_known_person_uses_their_account_and_refuses_a_second_membership(cast):
    client = cast.client(ORG_ADMIN)
    person = builders.user(email="known@example.test")
    # when the admin adds them twice
    first = client.post(url(cast, "staff/"), {"email": "known@example.test", "role": "manager"})
    second = client.post(url(cast, "staff/"), {"email": "known@example.test", "role": "agent"})
    # then the first makes them a manager with their own account; the second is refused
    assert first.status_code == 302
    assert Membership.objects.get(user=person, organisation=cast.org1).role == "manager"
    assert second.status_code == 200
    assert "already staff" in page(second)
    assert User.objects.filter(email="known@example.test").count() == 1


def test_an_admin_changes_a_members_role_and_team_and_switches_them_off(cast):
    client = cast.client(ORG_ADMIN)
    member = cast.memberships[AGENT]
    other_team = builders.team(cast.org1, TeamKind.TECHNICAL, "Technical")
    # when the admin makes the agent a team leader of another team, then switches them off
    client.post(
        url(cast, f"staff/{member.pk}/"), {"role": "team_leader", "team": other_team.pk, "is_active": "on"}
    )
    member.refresh_from_db()
    assert (member.role, member.team_id, member.is_active) == ("team_leader", other_team.pk, True)
    client.post(url(cast, f"staff/{member.pk}/"), {"role": "team_leader", "team": other_team.pk})
    # then the former agent is no longer staff: the console refuses them
    member.refresh_from_db()
    assert not member.is_active
    assert cast.client(AGENT).get(url(cast)).status_code == 403


def test_an_admin_cannot_change_their_own_role_or_switch_themselves_off(cast):
    client = cast.client(ORG_ADMIN)
    own = cast.memberships[ORG_ADMIN]
    for data in ({"role": "manager", "is_active": "on"}, {"role": "org_admin"}):
        # when the only admin tries to give up the role or switch themselves off
        response = client.post(url(cast, f"staff/{own.pk}/"), data)
        # then it is refused on the form, and they stay the organisation's admin
        assert response.status_code == 200
        assert "cannot change your own role" in page(response)
        own.refresh_from_db()
        assert (own.role, own.is_active) == ("org_admin", True)


def test_two_admins_removing_each_other_leave_one():
    # given an organisation with two admins, each holding the other as they were
    org = builders.organisation()
    first, second = builders.staff(org, Role.ORG_ADMIN), builders.staff(org, Role.ORG_ADMIN)
    stale_second = Membership.objects.get(pk=second.pk)
    # when the first switches the second off, and then the second (from a page loaded before)
    # tries to switch off the first
    admin_services.membership_change(
        by=first, membership=second, spec=MemberSpec(role="org_admin"), is_active=False
    )
    # then the second is refused: they are no longer an admin, and the first remains
    with pytest.raises(PermissionDenied), transaction.atomic():
        admin_services.membership_change(
            by=stale_second, membership=first, spec=MemberSpec(role="org_admin"), is_active=False
        )
    first.refresh_from_db()
    assert first.is_active


def test_the_last_admin_cannot_be_turned_into_something_else():
    # given an organisation whose only active admin is changed by a second, inactive-role check
    org = builders.organisation()
    admin = builders.staff(org, Role.ORG_ADMIN)
    # when the admin tries to make themselves a manager through the service
    # then it is refused (their own role), and no admin-less organisation can result
    with pytest.raises(Conflict):
        admin_services.membership_change(
            by=admin, membership=admin, spec=MemberSpec(role="manager"), is_active=True
        )


# ---------------------------------------------------------------------------------------- hours


def test_an_admin_sets_the_working_hours_and_closing_days(cast):
    client = cast.client(ORG_ADMIN)
    # when the admin opens Monday to Saturday morning and closes Sunday
    data = {f"day{d}_open": "on" for d in range(6)}
    data.update({f"day{d}_from": "08:00" for d in range(6)})
    data.update({f"day{d}_to": "16:00" if d < 5 else "12:00" for d in range(6)})
    response = client.post(url(cast, "hours/"), data)
    # then the organisation's calendar has those hours
    cast.org1.refresh_from_db()
    assert response.status_code == 302
    assert cast.org1.working_hours == [["08:00", "16:00"]] * 5 + [["08:00", "12:00"], None]
    # when they add a closing day and then remove it
    client.post(url(cast, "hours/closing-days/"), {"day": "2031-12-24", "description": "Christmas Eve"})
    closing = ClosingDay.objects.get(organisation=cast.org1)
    assert closing.day == date(2031, 12, 24)
    assert "Christmas Eve" in page(client.get(url(cast, "hours/")))
    response = client.post(url(cast, f"hours/closing-days/{closing.pk}/delete/"))
    # then it is gone
    assert response.status_code == 302
    assert not ClosingDay.objects.filter(organisation=cast.org1).exists()


def test_working_hours_that_close_before_they_open_are_refused(cast):
    client = cast.client(ORG_ADMIN)
    before = list(cast.org1.working_hours)
    # when Monday closes before it opens
    response = client.post(url(cast, "hours/"), {"day0_open": "on", "day0_from": "17:00", "day0_to": "09:00"})
    # then nothing changes and the form says why
    assert response.status_code == 200
    assert "The closing time must be after the opening time." in page(response)
    cast.org1.refresh_from_db()
    assert cast.org1.working_hours == before


def test_the_calendar_uses_the_new_working_hours():
    # given an organisation that closes at noon on Fridays
    from plaint.clocks.context import ClockContext

    org = builders.organisation()
    admin = builders.staff(org, Role.ORG_ADMIN)
    hours = [(time(9), time(17))] * 4 + [(time(9), time(12)), None, None]
    # when its admin saves them
    admin_services.organisation_hours_set(by=admin, organisation=org, hours=hours)
    # then its business calendar says so
    calendar = ClockContext.for_organisation(org).calendar
    assert calendar.working_hours[4] == (time(9), time(12))


# ------------------------------------------------------------------------------------ categories


def test_an_admin_creates_renames_and_switches_off_a_category(cast):
    client = cast.client(ORG_ADMIN)
    # when the admin creates a category, then tries the same code again
    client.post(url(cast, "categories/"), {"code": "billing", "name": "Billing"})
    again = client.post(url(cast, "categories/"), {"code": "billing", "name": "Invoices"})
    category = Category.objects.get(organisation=cast.org1)
    assert again.status_code == 200
    assert "already has a category with this code" in page(again)
    # when they rename it and switch it off
    client.post(url(cast, f"categories/{category.pk}/"), {"name": "Invoices and payments"})
    # then its code stays and its name changes
    category.refresh_from_db()
    assert (category.code, category.name, category.is_active) == ("billing", "Invoices and payments", False)


# --------------------------------------------------------------------------------------- policy

RULE = {
    "code": "first-answer",
    "title": "First answer",
    "start": "received",
    "duration_value": "5",
    "duration_unit": "business_days",
    "on_expiry": ["escalate"],
    "is_active": "on",
}


def test_a_manager_sets_a_policy_rule_and_a_new_version(cast):
    client = cast.client(MANAGER)
    # when a manager adds a rule, then changes its duration
    client.post(url(cast, "policy/"), RULE)
    response = client.post(
        url(cast, "policy/first-answer/"), {**RULE, "duration_value": "3", "code": "other"}
    )
    # then the rule has two versions, the second in force; the code cannot be changed
    assert response.status_code == 302
    versions = list(
        PolicyRule.objects.filter(organisation=cast.org1)
        .order_by("version")
        .values_list("code", "version", "duration_value", "effective_to")
    )
    assert [(c, v, d) for c, v, d, _ in versions] == [("first-answer", 1, 5), ("first-answer", 2, 3)]
    assert versions[0][3] is not None
    assert versions[1][3] is None


def test_a_policy_deadline_later_than_the_law_is_refused_on_the_form(cast):
    client = cast.client(ORG_ADMIN)
    # when the admin sets a 60-day reply target (Czech internet law gives one month)
    response = client.post(
        url(cast, "policy/"), {**RULE, "duration_value": "60", "duration_unit": "calendar_days"}
    )
    # then the form says which statutory rule it would break, and nothing is stored
    assert response.status_code == 200
    assert "would end after the statutory one" in page(response)
    assert not PolicyRule.objects.filter(organisation=cast.org1).exists()


def test_the_statutory_rules_are_shown_but_offer_no_way_to_edit_them(cast):
    # when the admin opens the policy page
    html = page(cast.client(ORG_ADMIN).get(url(cast, "policy/")))
    # then the Czech telecom rule is listed in the read-only section, and the only forms post new
    # policy rules (no form names a statutory rule)
    section = html.split('id="outside-heading"')[1]
    assert "Act 127/2005" in section
    assert "<form" not in section
    assert "CZ.telecom" not in html.split('id="outside-heading"')[0]


# ------------------------------------------------------------------------------------ mailboxes

SECRET = "imap-Secret-7f3a"  # noqa: S105 - a test value that must never be shown


def test_an_admin_adds_a_mailbox_whose_password_is_never_shown(cast):
    client = cast.client(ORG_ADMIN)
    # when the admin adds a mailbox with an IMAP password
    response = client.post(
        url(cast, "mailboxes/"),
        {
            "address": "Desk@Rychlonet.test",
            "imap_host": "imap.rychlonet.test",
            "imap_port": "993",
            "imap_security": "ssl",
            "imap_username": "desk",
            "imap_password": SECRET,
            "imap_folder": "INBOX",
        },
        follow=True,
    )
    # then it is stored, and neither the list nor the mailbox's page shows the password
    mailbox = Mailbox.objects.get(address="desk@rychlonet.test")
    assert mailbox.imap_password == SECRET
    assert SECRET not in page(response)
    edit = client.get(url(cast, f"mailboxes/{mailbox.pk}/"))
    assert edit.status_code == 200
    assert SECRET not in page(edit)


def test_changing_a_mailbox_keeps_its_password_unless_a_new_one_is_given(cast):
    client = cast.client(ORG_ADMIN)
    mailbox = Mailbox.objects.create(
        organisation=cast.org1,
        address="desk@rychlonet.test",
        imap_host="imap.rychlonet.test",
        imap_username="desk",
        imap_password=SECRET,
    )
    data = {
        "imap_host": "imap.rychlonet.test",
        "imap_port": "143",
        "imap_security": "starttls",
        "imap_username": "desk",
        "imap_folder": "Complaints",
        "is_active": "on",
    }
    # when the admin changes the port and folder without a password, then switches it off with one
    client.post(url(cast, f"mailboxes/{mailbox.pk}/"), data)
    mailbox.refresh_from_db()
    assert (mailbox.imap_port, mailbox.imap_folder, mailbox.imap_password) == (143, "Complaints", SECRET)
    client.post(url(cast, f"mailboxes/{mailbox.pk}/"), {**data, "is_active": "", "imap_password": "new-one"})
    # then the password is replaced and the mailbox is no longer fetched
    mailbox.refresh_from_db()
    assert (mailbox.imap_password, mailbox.is_active) == ("new-one", False)


def test_an_address_another_organisation_uses_is_refused(cast):
    Mailbox.objects.create(organisation=cast.org2, address="shared@provider.test")
    # when org 1's admin adds the address of org 2's mailbox
    response = cast.client(ORG_ADMIN).post(
        url(cast, "mailboxes/"),
        {
            "address": "shared@provider.test",
            "imap_port": "993",
            "imap_security": "ssl",
            "imap_folder": "INBOX",
        },
    )
    # then it is refused without saying whose it is
    assert response.status_code == 200
    assert "already used" in page(response)
    assert cast.org2.name not in page(response)


# ------------------------------------------------------------------------------ other organisations


def test_an_admin_cannot_reach_another_organisations_pages_or_objects(cast):
    client = cast.client(ORG_ADMIN)
    other_admin = builders.staff(cast.org2, Role.ORG_ADMIN)
    team = builders.team(cast.org2, TeamKind.BILLING, "Rozliczenia")
    category = Category.objects.create(organisation=cast.org2, code="billing", name="Rozliczenia")
    mailbox = Mailbox.objects.create(organisation=cast.org2, address="reklamacje@telefonia.test")
    closing = ClosingDay.objects.create(organisation=cast.org2, day=date(2031, 5, 1))
    # when org 1's admin opens org 2's pages: refused (not their organisation)
    assert client.get(f"/manage/{cast.org2.slug}/teams/").status_code == 403
    assert client.post(f"/manage/{cast.org2.slug}/teams/", {"name": "X", "kind": "other"}).status_code == 403
    # and org 2's objects through org 1's pages: not found, and nothing changes
    for path in (
        f"teams/{team.pk}/",
        f"staff/{other_admin.pk}/",
        f"categories/{category.pk}/",
        f"mailboxes/{mailbox.pk}/",
    ):
        assert client.get(url(cast, path)).status_code == 404, path
        assert client.post(url(cast, path), {"name": "Taken", "role": "agent"}).status_code == 404, path
    assert client.post(url(cast, f"hours/closing-days/{closing.pk}/delete/")).status_code == 404
    assert ClosingDay.objects.filter(pk=closing.pk).exists()
    other_admin.refresh_from_db()
    assert other_admin.role == "org_admin"
    assert Team.objects.get(pk=team.pk).name == "Rozliczenia"
    # and an unknown organisation is not found
    assert client.get("/manage/no-such-provider/").status_code == 404


def test_every_managers_page_keeps_to_the_content_security_policy(cast):
    from plaint.web.tests.pages_managers import PAGES
    from plaint.web.tests.test_public_pages import _assert_csp_clean

    client = cast.client(ORG_ADMIN)
    for listed in PAGES:
        if listed.method != "get":
            continue
        # when the admin reads each page of the area
        response = client.get(listed.path(cast))
        # then it has no inline script, handler or style
        assert response.status_code == 200, listed.name
        _assert_csp_clean(response.content.decode())


def test_the_admin_lists_each_cost_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    client = cast.client(ORG_ADMIN)
    for n in range(15):
        builders.staff(cast.org1, Role.AGENT, team=cast.memberships[AGENT].team)
        Category.objects.create(organisation=cast.org1, code=f"c{n}", name=f"Category {n}")
        builders.team(cast.org1, TeamKind.OTHER, f"Team {n}")
    for path in ("staff/", "categories/", "teams/", "mailboxes/", "policy/", "hours/"):
        # when the admin reads a long list, then the queries do not grow with it (session, user,
        # membership, organisation, the list, the form's choices, the messages)
        with django_assert_max_num_queries(10):
            assert client.get(url(cast, path)).status_code == 200


def test_a_member_of_a_team_switched_off_can_still_be_edited(cast):
    client = cast.client(ORG_ADMIN)
    member = cast.memberships[AGENT]
    Team.objects.filter(pk=member.team_id).update(is_active=False)
    # when the admin changes the member's position, keeping their (now inactive) team
    response = client.post(
        url(cast, f"staff/{member.pk}/"),
        {"role": "agent", "team": member.team_id, "position": "Senior agent", "is_active": "on"},
    )
    # then it is saved
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.position == "Senior agent"
