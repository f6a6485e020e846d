"""The managers pages in the shared permission suite (see `pages.py`).

The dashboard is for managers, organisation admins, team leaders and complaints officers; the
deadline policy for managers and admins; every other page for organisation admins only. The
objects a page is about (a category, a mailbox, a policy rule, a closing day) are made once per
cast, on first use."""

from __future__ import annotations

from datetime import date

from plaint.testing.actors import COMPLAINTS_OFFICER, MANAGER, ORG_ADMIN, TEAM_LEADER, Cast
from plaint.web.tests.pages import Page, only

DASHBOARD = only({MANAGER: 200, ORG_ADMIN: 200, TEAM_LEADER: 200, COMPLAINTS_OFFICER: 200})
ADMIN = only({ORG_ADMIN: 200})
ADMIN_POST = only({ORG_ADMIN: 302})
POLICY = only({MANAGER: 200, ORG_ADMIN: 200})
POLICY_POST = only({MANAGER: 302, ORG_ADMIN: 302})


def _made(cast: Cast, key: str, make) -> object:  # type: ignore[no-untyped-def]
    if key not in cast.extra:
        cast.extra[key] = make()
    return cast.extra[key]


def category(cast: Cast) -> int:
    from plaint.parties.models import Category

    return _made(
        cast,
        "category",
        lambda: Category.objects.create(  # type: ignore[attr-defined]
            organisation=cast.org1, code="billing", name="Billing"
        ),
    ).pk


def mailbox(cast: Cast) -> int:
    from plaint.channels.models import Mailbox

    return _made(
        cast,
        "mailbox",
        lambda: Mailbox.objects.create(  # type: ignore[attr-defined]
            organisation=cast.org1,
            address="desk@rychlonet.test",
            imap_host="127.0.0.1",
            imap_username="desk",
            imap_password="s3cret-never-shown",
        ),
    ).pk


def closing_day(cast: Cast) -> int:
    from plaint.clocks.models import ClosingDay

    return _made(
        cast,
        "closing_day",
        lambda: ClosingDay.objects.create(  # type: ignore[attr-defined]
            organisation=cast.org1, day=date(2031, 12, 24), description="Christmas Eve"
        ),
    ).pk


def policy_code(cast: Cast) -> str:
    from plaint.clocks.models import PolicyRule
    from plaint.core import clock

    return _made(
        cast,
        "policy",
        lambda: PolicyRule.objects.create(  # type: ignore[attr-defined]
            organisation=cast.org1,
            code="first-answer",
            version=1,
            title="First answer",
            start="received",
            duration_value=2,
            duration_unit="business_days",
            on_expiry=["escalate"],
            effective_from=clock.now(),
        ),
    ).code


def team(cast: Cast) -> int:
    return cast.memberships[TEAM_LEADER].team_id  # type: ignore[return-value]


def base(cast: Cast) -> str:
    return f"/manage/{cast.org1.slug}/"


RULE = {
    "code": "callback",
    "title": "Call back",
    "start": "received",
    "duration_value": "1",
    "duration_unit": "business_days",
    "on_expiry": ["escalate"],
    "is_active": "on",
}

PAGES: list[Page] = [
    Page("manage-dashboard", base, DASHBOARD),
    Page("manage-organisation", lambda c: base(c) + "organisation/", ADMIN),
    Page(
        "manage-organisation",
        lambda c: base(c) + "organisation/",
        ADMIN_POST,
        method="post",
        data=lambda c: {"complaints_owner": "Head of Customer Care", "complaint_email": "",
                        "complaint_address": ""},
    ),
    Page("manage-teams", lambda c: base(c) + "teams/", ADMIN),
    Page(
        "manage-teams",
        lambda c: base(c) + "teams/",
        ADMIN_POST,
        method="post",
        data=lambda c: {"name": "Retention", "kind": "other"},
    ),
    Page("manage-team", lambda c: base(c) + f"teams/{team(c)}/", ADMIN),
    Page(
        "manage-team",
        lambda c: base(c) + f"teams/{team(c)}/",
        ADMIN_POST,
        method="post",
        data=lambda c: {"name": "Billing and payments", "is_active": "on"},
    ),
    Page("manage-staff", lambda c: base(c) + "staff/", ADMIN),
    Page(
        "manage-staff",
        lambda c: base(c) + "staff/",
        ADMIN_POST,
        method="post",
        data=lambda c: {"email": "new.agent@rychlonet.test", "full_name": "Nová Agentka", "role": "agent"},
    ),
    Page("manage-member", lambda c: base(c) + f"staff/{c.memberships['agent'].pk}/", ADMIN),
    Page(
        "manage-member",
        lambda c: base(c) + f"staff/{c.memberships['agent'].pk}/",
        ADMIN_POST,
        method="post",
        data=lambda c: {"role": "agent", "position": "Senior agent", "is_active": "on"},
    ),
    # Sending an invitation again: to an admin, a redirect back to the staff page (the agent has
    # an account, so the page says they need none); to everyone else what the staff page gives.
    Page(
        "manage-member-invite",
        lambda c: base(c) + f"staff/{c.memberships['agent'].pk}/invitation/",
        ADMIN_POST,
        method="post",
    ),
    Page("manage-hours", lambda c: base(c) + "hours/", ADMIN),
    Page(
        "manage-hours",
        lambda c: base(c) + "hours/",
        ADMIN_POST,
        method="post",
        data=lambda c: {
            f"day{d}_{k}": v
            for d in range(5)
            for k, v in (("open", "on"), ("from", "08:00"), ("to", "16:30"))
        },
    ),
    Page(
        "manage-closing-days",
        lambda c: base(c) + "hours/closing-days/",
        ADMIN_POST,
        method="post",
        data=lambda c: {"day": "2031-12-31", "description": "New Year's Eve"},
    ),
    Page(
        "manage-closing-day-delete",
        lambda c: base(c) + f"hours/closing-days/{closing_day(c)}/delete/",
        ADMIN_POST,
        method="post",
    ),
    Page("manage-categories", lambda c: base(c) + "categories/", ADMIN),
    Page(
        "manage-categories",
        lambda c: base(c) + "categories/",
        ADMIN_POST,
        method="post",
        data=lambda c: {"code": "outage", "name": "Outage"},
    ),
    Page("manage-category", lambda c: base(c) + f"categories/{category(c)}/", ADMIN),
    Page(
        "manage-category",
        lambda c: base(c) + f"categories/{category(c)}/",
        ADMIN_POST,
        method="post",
        data=lambda c: {"name": "Billing and invoices", "is_active": "on"},
    ),
    Page("manage-policy", lambda c: base(c) + "policy/", POLICY),
    Page("manage-policy", lambda c: base(c) + "policy/", POLICY_POST, method="post", data=lambda c: RULE),
    Page("manage-policy-rule", lambda c: base(c) + f"policy/{policy_code(c)}/", POLICY),
    Page(
        "manage-policy-rule",
        lambda c: base(c) + f"policy/{policy_code(c)}/",
        POLICY_POST,
        method="post",
        data=lambda c: {**RULE, "title": "First answer", "duration_value": "3"},
    ),
    Page("manage-mailboxes", lambda c: base(c) + "mailboxes/", ADMIN),
    Page(
        "manage-mailboxes",
        lambda c: base(c) + "mailboxes/",
        ADMIN_POST,
        method="post",
        data=lambda c: {
            "address": "complaints@rychlonet.test",
            "imap_port": "993",
            "imap_security": "ssl",
            "imap_folder": "INBOX",
        },
    ),
    Page("manage-mailbox", lambda c: base(c) + f"mailboxes/{mailbox(c)}/", ADMIN),
    Page(
        "manage-mailbox",
        lambda c: base(c) + f"mailboxes/{mailbox(c)}/",
        ADMIN_POST,
        method="post",
        data=lambda c: {
            "imap_host": "127.0.0.1",
            "imap_port": "143",
            "imap_security": "starttls",
            "imap_username": "desk",
            "imap_folder": "INBOX",
            "is_active": "on",
        },
    ),
    Page("manage-log", lambda c: base(c) + "log/", POLICY),
]
