"""The managers' dashboard and the organisation admins' pages for teams, staff and categories.

Who may open what (``staff_page`` answers 404 for an unknown organisation, 403 otherwise):

- the dashboard: managers, organisation admins, team leaders and complaints officers (they
  supervise teams and formal complaints and need the breached and at-risk clocks); not agents;
- teams, staff, working hours, categories and mailboxes: organisation admins only;
- the policy page: managers and organisation admins, as ``clocks.services.policy_rule_set`` allows.

Every form posts, redirects to its page with a message (POST/redirect/GET) or shows its errors.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from plaint.core.exceptions import ApplicationError
from plaint.parties import admin_services
from plaint.parties.admin_services import MemberSpec
from plaint.parties.choices import Role
from plaint.parties.services import invitation_pending
from plaint.web.accounts import mail
from plaint.web.managers import selectors
from plaint.web.managers.dashboard import dashboard as dashboard_figures
from plaint.web.managers.forms import (
    AdminForm,
    CategoryChangeForm,
    CategoryForm,
    MemberAddForm,
    MemberChangeForm,
    TeamChangeForm,
    TeamForm,
)
from plaint.web.staff import Staff, staff_page

DASHBOARD_ROLES = (Role.MANAGER, Role.ORG_ADMIN, Role.TEAM_LEADER, Role.COMPLAINTS_OFFICER)
ADMINS = (Role.ORG_ADMIN,)
POLICY_ROLES = (Role.MANAGER, Role.ORG_ADMIN)

GET_POST = require_http_methods(["GET", "HEAD", "POST"])


def posted(request: HttpRequest) -> object:
    """The form data of a POST (even an empty one), or None for a GET: the form stays unbound."""
    return request.POST if request.method == "POST" else None


def render_page(request: HttpRequest, staff: Staff, template: str, context: dict) -> HttpResponse:
    """A page of this area: the staff (for the navigation) and its forms tied to their help."""
    for value in context.values():
        if isinstance(value, AdminForm):
            value.describe_fields()
    page = template.removesuffix(".html")
    active = {
        "team": "teams",
        "member": "staff",
        "category": "categories",
        "policy_rule": "policy",
        "mailbox": "mailboxes",
    }.get(page, page)
    return render(
        request, f"web/managers/{template}", {"staff": staff, "ADMINS": ADMINS, "active": active, **context}
    )


def apply(form: AdminForm, write: Callable[[], object]) -> bool:
    """Call the service if the form is valid; put its refusal on the form. True when written."""
    if not form.is_valid():
        return False
    try:
        # A block of its own: a refused write rolls back to here, and the page can still be read.
        with transaction.atomic():
            write()
    except ApplicationError as error:
        form.add_service_errors(error)
        return False
    return True


@require_safe
@staff_page(roles=DASHBOARD_ROLES)
def dashboard(request: HttpRequest, staff: Staff) -> HttpResponse:
    figures = dashboard_figures(staff.organisation)
    median = figures.median_first_response
    context = {
        "figures": figures,
        "median_hours": round(median.total_seconds() / 3600, 1) if median is not None else None,
    }
    return render_page(request, staff, "dashboard.html", context)


# ---------------------------------------------------------------------------------------- teams


@GET_POST
@staff_page(roles=ADMINS)
def teams(request: HttpRequest, staff: Staff) -> HttpResponse:
    form = TeamForm(posted(request))
    if request.method == "POST" and apply(
        form,
        lambda: admin_services.team_create(
            by=staff.actor.membership,
            organisation=staff.organisation,
            name=form.cleaned_data["name"],
            kind=form.cleaned_data["kind"],
        ),
    ):
        messages.success(
            request, gettext("The team %(name)s was created.") % {"name": form.cleaned_data["name"]}
        )
        return redirect("web:manage-teams", org=staff.organisation.slug)
    return render_page(
        request, staff, "teams.html", {"teams": selectors.teams(staff.organisation), "form": form}
    )


@GET_POST
@staff_page(roles=ADMINS)
def team(request: HttpRequest, staff: Staff, team: int) -> HttpResponse:
    found = selectors.team(staff.organisation, team)
    form = TeamChangeForm(posted(request), initial={"name": found.name, "is_active": found.is_active})
    if request.method == "POST" and apply(
        form,
        lambda: admin_services.team_change(
            by=staff.actor.membership,
            team=found,
            name=form.cleaned_data["name"],
            is_active=form.cleaned_data["is_active"],
        ),
    ):
        messages.success(request, gettext("The team %(name)s was saved.") % {"name": found.name})
        return redirect("web:manage-teams", org=staff.organisation.slug)
    return render_page(request, staff, "team.html", {"team": found, "form": form})


# ---------------------------------------------------------------------------------------- staff


def _spec(data: dict) -> MemberSpec:
    return MemberSpec(
        role=data["role"], team=data["team"], position=data["position"], location=data["location"]
    )


@GET_POST
@staff_page(roles=ADMINS)
def staff_list(request: HttpRequest, staff: Staff) -> HttpResponse:
    form = MemberAddForm(posted(request), organisation_id=staff.organisation.pk)
    if request.method == "POST" and apply(
        form,
        lambda: admin_services.membership_add(
            by=staff.actor.membership,
            organisation=staff.organisation,
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            spec=_spec(form.cleaned_data),
        ),
    ):
        added = selectors.member_by_email(staff.organisation, form.cleaned_data["email"])
        if mail.staff_welcome_send(request, added):
            text = gettext("%(email)s is now staff of the organisation; we e-mailed them.")
        else:
            text = gettext("%(email)s is now staff of the organisation.")
        messages.success(request, text % {"email": added.user.email})
        return redirect("web:manage-staff", org=staff.organisation.slug)
    context = {"members": selectors.members(staff.organisation), "form": form}
    return render_page(request, staff, "staff.html", context)


@GET_POST
@staff_page(roles=ADMINS)
def member(request: HttpRequest, staff: Staff, member: int) -> HttpResponse:
    found = selectors.member(staff.organisation, member)
    initial = {
        "role": found.role,
        "team": found.team_id,
        "position": found.position,
        "location": found.location,
        "is_active": found.is_active,
    }
    form = MemberChangeForm(
        posted(request), initial=initial, organisation_id=staff.organisation.pk, current_team_id=found.team_id
    )
    if request.method == "POST" and apply(
        form,
        lambda: admin_services.membership_change(
            by=staff.actor.membership,
            membership=found,
            spec=_spec(form.cleaned_data),
            is_active=form.cleaned_data["is_active"],
        ),
    ):
        messages.success(request, gettext("The changes to %(name)s were saved.") % {"name": found.user})
        return redirect("web:manage-staff", org=staff.organisation.slug)
    is_self = found.pk == staff.actor.membership.pk  # type: ignore[union-attr]
    return render_page(request, staff, "member.html", {"member": found, "form": form, "is_self": is_self})


@require_POST
@staff_page(roles=ADMINS)
def member_invite(request: HttpRequest, staff: Staff, member: int) -> HttpResponse:
    """Send the invitation again (a new link; the old one keeps working until it is used or
    too old). Only for a person who has not taken up their account yet."""
    found = selectors.member(staff.organisation, member)
    if found.is_active and invitation_pending(found.user):
        mail.invitation_send(request, found)
        text = gettext("The invitation was sent again to %(email)s.")
        messages.success(request, text % {"email": found.user.email})
    else:
        messages.info(request, gettext("%(email)s needs no invitation.") % {"email": found.user.email})
    return redirect("web:manage-staff", org=staff.organisation.slug)


# ------------------------------------------------------------------------------------ categories


@GET_POST
@staff_page(roles=ADMINS)
def categories(request: HttpRequest, staff: Staff) -> HttpResponse:
    form = CategoryForm(posted(request))
    if request.method == "POST" and apply(
        form,
        lambda: admin_services.category_create(
            by=staff.actor.membership,
            organisation=staff.organisation,
            code=form.cleaned_data["code"],
            name=form.cleaned_data["name"],
        ),
    ):
        messages.success(
            request, gettext("The category %(name)s was created.") % {"name": form.cleaned_data["name"]}
        )
        return redirect("web:manage-categories", org=staff.organisation.slug)
    context = {"categories": selectors.categories(staff.organisation), "form": form}
    return render_page(request, staff, "categories.html", context)


@GET_POST
@staff_page(roles=ADMINS)
def category(request: HttpRequest, staff: Staff, category: int) -> HttpResponse:
    found = selectors.category(staff.organisation, category)
    form = CategoryChangeForm(posted(request), initial={"name": found.name, "is_active": found.is_active})
    if request.method == "POST" and apply(
        form,
        lambda: admin_services.category_change(
            by=staff.actor.membership,
            category=found,
            name=form.cleaned_data["name"],
            is_active=form.cleaned_data["is_active"],
        ),
    ):
        messages.success(request, gettext("The category %(name)s was saved.") % {"name": found.name})
        return redirect("web:manage-categories", org=staff.organisation.slug)
    return render_page(request, staff, "category.html", {"category": found, "form": form})
