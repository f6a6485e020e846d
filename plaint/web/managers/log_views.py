"""The organisation's set-up log: who changed its staff and roles, teams, hours, categories,
public details, mailboxes and API tokens, and when (``parties.AdminEvent``).

Managers and organisation admins may read it (a manager answers to the regulator for who had
which rights); nobody can change it. Newest first, fifty lines a page, three queries a page
whatever its length (the count, the lines with their people and tokens, the session's staff)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_safe

from plaint.parties.choices import Role, TeamKind, TokenScope
from plaint.parties.models import AdminEvent
from plaint.web.managers.views import POLICY_ROLES, render_page
from plaint.web.staff import Staff, staff_page

PAGE_SIZE = 50

#: The fields a line may name as changed, as a reader calls them.
FIELD_NAMES = {
    "name": gettext_lazy("name"),
    "is_active": gettext_lazy("active or not"),
    "role": gettext_lazy("role"),
    "team_id": gettext_lazy("team"),
    "position": gettext_lazy("position"),
    "location": gettext_lazy("location"),
    "complaints_owner": gettext_lazy("who is responsible for complaints"),
    "complaint_email": gettext_lazy("e-mail address for complaints"),
    "complaint_address": gettext_lazy("postal address for complaints"),
    "imap_host": gettext_lazy("IMAP server"),
    "imap_port": gettext_lazy("IMAP port"),
    "imap_security": gettext_lazy("connection security"),
    "imap_username": gettext_lazy("IMAP user name"),
    "imap_folder": gettext_lazy("IMAP folder"),
    "imap_password": gettext_lazy("IMAP password"),
}
_CHOICES = {"role": dict(Role.choices), "kind": dict(TeamKind.choices), "scope": dict(TokenScope.choices)}


@dataclass(frozen=True)
class LogLine:
    event: AdminEvent
    who: str
    subject: str
    details: list[str]


def _who(event: AdminEvent) -> str:
    if event.by_user is not None:
        return event.by_user.full_name or event.by_user.email
    if event.by_token is not None:
        return gettext("API token “%(name)s”") % {"name": event.by_token.name}
    return gettext("The operator (command line)")


def _subject(event: AdminEvent) -> str:
    if event.subject_user is not None:
        return event.subject_user.full_name or event.subject_user.email
    return event.subject_label


def _details(data: dict) -> list[str]:
    """The line's recorded values in words: role, team, scope, day, and the fields that changed."""
    lines = []
    for key in ("role", "kind", "scope"):
        if data.get(key):
            lines.append(str(_CHOICES[key].get(data[key], data[key])))
    if data.get("team"):
        lines.append(gettext("Team: %(team)s") % {"team": data["team"]})
    if data.get("code"):
        lines.append(gettext("Code: %(code)s") % {"code": data["code"]})
    if data.get("day"):
        lines.append(gettext("Day: %(day)s") % {"day": data["day"]})
    if data.get("expires_at"):
        lines.append(gettext("Expires: %(moment)s") % {"moment": data["expires_at"]})
    if data.get("fields"):
        names = ", ".join(str(FIELD_NAMES.get(name, name)) for name in data["fields"])
        lines.append(gettext("Changed: %(fields)s") % {"fields": names})
    if data.get("is_active") is False:
        lines.append(gettext("Switched off"))
    return lines


@require_safe
@staff_page(roles=POLICY_ROLES)
def admin_log(request: HttpRequest, staff: Staff) -> HttpResponse:
    events = (
        AdminEvent.objects.filter(organisation=staff.organisation)
        .select_related("by_user", "by_token", "subject_user")
        .order_by("-at", "-id")
    )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = [
        LogLine(event=e, who=_who(e), subject=_subject(e), details=_details(e.data)) for e in page.object_list
    ]
    return render_page(request, staff, "log.html", {"page": page})
