"""The set-up log page: newest first, who and what in words, a fixed number of queries however
many lines, and no personal details beyond the names of the people involved."""

from __future__ import annotations

import pytest
from django.urls import reverse

from plaint.parties import admin_services
from plaint.parties.admin_services import MemberSpec
from plaint.parties.choices import Role, TeamKind
from plaint.parties.services import api_token_create, api_token_revoke
from plaint.testing import builders
from plaint.testing.auth import force_login

pytestmark = pytest.mark.django_db


def test_the_log_lists_changes_newest_first_in_words(client):
    # given an admin who added a team and a staff member, and a token revoked from the command line
    org = builders.organisation()
    admin = builders.staff(org, Role.ORG_ADMIN, position="Head of care")
    admin_services.team_create(by=admin, organisation=org, name="Billing desk", kind=TeamKind.BILLING)
    admin_services.membership_add(by=admin, organisation=org, email="nora@example.test", full_name="Nora New",
                                  spec=MemberSpec(role="team_leader"))
    token, _ = api_token_create(organisation=org, name="CRM link", created_by=admin.user)
    api_token_revoke(token=token)
    # when a manager opens the log
    manager = builders.staff(org, Role.MANAGER)
    force_login(client, manager.user)
    response = client.get(reverse("web:manage-log", args=[org.slug]))
    # then each change is a row, newest first, saying who did what to which item
    assert response.status_code == 200
    rows = response.content.decode().split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert len(rows) == 4
    expected = [
        ("API token revoked", "The operator (command line)", "CRM link"),
        ("API token created", admin.user.full_name or admin.user.email, "CRM link"),
        ("Staff member added", "Nora New", "Team leader"),
        ("Team created", "Billing desk", "Billing"),
    ]
    for row, words in zip(rows, expected, strict=True):
        for word in words:
            assert word in row, (word, row)
    # and the acting admin's position is not shown
    assert "Head of care" not in response.content.decode()


def test_the_log_page_costs_the_same_queries_for_many_lines(client, django_assert_max_num_queries):
    # given an organisation with 60 changes by several admins (more than one page)
    org = builders.organisation()
    admins = [builders.staff(org, Role.ORG_ADMIN) for _ in range(3)]
    for number in range(60):
        admin_services.category_create(by=admins[number % 3], organisation=org, code=f"c{number}",
                                       name=f"Category {number}")
    force_login(client, admins[0].user)
    # when the first page is opened, then a fixed handful of queries serve it
    with django_assert_max_num_queries(12):
        response = client.get(reverse("web:manage-log", args=[org.slug]))
    assert response.content.decode().count("Category created") == 50
    # and the second page holds the rest
    second = client.get(reverse("web:manage-log", args=[org.slug]) + "?page=2")
    assert second.content.decode().count("Category created") == 10
