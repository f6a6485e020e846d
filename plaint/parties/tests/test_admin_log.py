"""Every change to an organisation's set-up writes one line of its log (``AdminEvent``), in the
change's own transaction, naming who made it; a refused change writes none; and the log keeps
no personal details of its own."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.db import DatabaseError, connection, transaction

from plaint.channels.services.mailboxes import MailboxSpec, mailbox_add, mailbox_change
from plaint.clocks.closing_days import closing_day_add, closing_day_remove
from plaint.core.exceptions import ApplicationError
from plaint.parties import admin_services
from plaint.parties.admin_services import MemberSpec
from plaint.parties.choices import Role, TeamKind
from plaint.parties.models import AdminEvent, AdminEventKind
from plaint.parties.services import api_token_create, api_token_revoke
from plaint.testing import builders

pytestmark = pytest.mark.django_db


def _kinds(org) -> list[str]:  # type: ignore[no-untyped-def]
    return list(AdminEvent.objects.filter(organisation=org).order_by("id").values_list("kind", flat=True))


def test_each_admin_service_writes_one_line_naming_the_admin():
    # given an organisation and its admin
    org = builders.organisation()
    admin = builders.staff(org, Role.ORG_ADMIN)
    # when the admin changes each part of the set-up once
    team = admin_services.team_create(by=admin, organisation=org, name="Billing desk", kind=TeamKind.BILLING)
    admin_services.team_change(by=admin, team=team, name="Billing", is_active=True)
    member = admin_services.membership_add(by=admin, organisation=org, email="new@example.test",
                                           full_name="Nora New", spec=MemberSpec(role="agent"))
    admin_services.membership_change(by=admin, membership=member,
                                     spec=MemberSpec(role="team_leader", team=team), is_active=True)
    admin_services.organisation_hours_set(by=admin, organisation=org, hours=[(time(8), time(16))] * 7)
    category = admin_services.category_create(by=admin, organisation=org, code="fees", name="Fees")
    admin_services.category_change(by=admin, category=category, name="Fees and charges", is_active=False)
    admin_services.organisation_details_set(by=admin, organisation=org, complaints_owner="Head of care",
                                            complaint_email="care@example.test", complaint_address="")
    day = closing_day_add(by=admin, organisation=org, day=date(2031, 1, 2), description="Stocktaking")
    closing_day_remove(by=admin, organisation=org, closing_day_id=day.pk)
    mailbox = mailbox_add(by=admin, organisation=org, address="care@example.test",
                          spec=MailboxSpec(imap_host="127.0.0.1", imap_username="care"))
    mailbox_change(by=admin, mailbox=mailbox, spec=MailboxSpec(imap_host="127.0.0.1", imap_username="care"),
                   is_active=True, password="s3cret-imap")
    # then the log holds one line per change, in order, each naming the admin
    assert _kinds(org) == [
        "team_created", "team_changed", "member_added", "member_changed", "hours_set", "category_created",
        "category_changed", "details_set", "closing_day_added", "closing_day_removed", "mailbox_created",
        "mailbox_changed",
    ]
    lines = AdminEvent.objects.filter(organisation=org)
    assert {line.by_user_id for line in lines} == {admin.user_id}
    # and what changed is recorded without the values that are a person's or a secret
    changed_member = lines.get(kind=AdminEventKind.MEMBER_CHANGED)
    assert changed_member.subject_user_id == member.user_id
    assert changed_member.data == {"role": "team_leader", "team": "Billing", "is_active": True,
                                   "fields": ["role", "team_id"]}
    assert lines.get(kind=AdminEventKind.TEAM_CHANGED).data["fields"] == ["name"]
    assert lines.get(kind=AdminEventKind.DETAILS_SET).data == {
        "fields": ["complaint_email", "complaints_owner"]}
    assert lines.get(kind=AdminEventKind.MAILBOX_CHANGED).data["fields"] == ["imap_password"]
    text = repr(list(lines.values()))
    for personal_or_secret in ("Nora New", "new@example.test", "Head of care", "s3cret-imap"):
        assert personal_or_secret not in text


def test_a_refused_change_writes_no_line():
    # given an organisation, its admin and an existing team
    org = builders.organisation()
    admin = builders.staff(org, Role.ORG_ADMIN)
    admin_services.team_create(by=admin, organisation=org, name="Billing", kind=TeamKind.BILLING)
    manager = builders.staff(org, Role.MANAGER)
    # when a second team of the same name, and any change by a manager, are refused
    for write in (
        lambda: admin_services.team_create(by=admin, organisation=org, name="billing", kind=TeamKind.OTHER),
        lambda: admin_services.category_create(by=manager, organisation=org, code="x", name="X"),
        lambda: admin_services.membership_change(by=admin, membership=admin, spec=MemberSpec(role="agent"),
                                                 is_active=True),
    ):
        with pytest.raises(ApplicationError), transaction.atomic():
            write()
    # then only the first creation is in the log
    assert _kinds(org) == ["team_created"]


def test_tokens_created_and_revoked_are_logged_once_with_who_asked():
    # given an organisation, a person and an integration's token
    org = builders.organisation()
    admin = builders.staff(org, Role.ORG_ADMIN)
    integration, _ = api_token_create(organisation=org, name="CRM", role=Role.ORG_ADMIN)
    # when the person creates a token, the integration revokes it twice, and the operator revokes another
    token, _ = api_token_create(organisation=org, name="Reports", scope="read", created_by=admin.user)
    api_token_revoke(token=token, by=integration)
    api_token_revoke(token=token, by=integration)
    api_token_revoke(token=integration)
    # then four lines: two creations, and one revocation each (the second revocation changed nothing)
    lines = list(AdminEvent.objects.filter(organisation=org).order_by("id"))
    assert [(line.kind, line.subject_label, line.by_user_id, line.by_token_id) for line in lines] == [
        ("token_created", "CRM", None, None),
        ("token_created", "Reports", admin.user_id, None),
        ("token_revoked", "Reports", None, integration.pk),
        ("token_revoked", "CRM", None, None),
    ]
    assert lines[1].data == {"role": "agent", "scope": "read", "expires_at": None, "rate_limit_exempt": False}


@pytest.mark.postgresql_only
@pytest.mark.parametrize("sql", ["UPDATE parties_adminevent SET kind = 'hours_set' WHERE id = %s",
                                 "DELETE FROM parties_adminevent WHERE id = %s"])
def test_postgresql_refuses_to_rewrite_the_log(sql):
    # given a line of the log
    org = builders.organisation()
    api_token_create(organisation=org, name="CRM")
    line = AdminEvent.objects.get(organisation=org)
    # when it is updated or deleted, then the database refuses
    with pytest.raises(DatabaseError, match="cannot be rewritten"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute(sql, [line.pk])
    assert AdminEvent.objects.get(pk=line.pk).kind == "token_created"
