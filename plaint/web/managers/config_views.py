"""The organisation admins' pages for the calendar (working hours, closing days), the deadline
policy and the mailboxes. Who may open them: see ``views``."""

from __future__ import annotations

from datetime import time

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from plaint.channels.services.mailboxes import MailboxSpec, mailbox_add, mailbox_change
from plaint.clocks.closing_days import closing_day_add, closing_day_remove
from plaint.clocks.services import PolicyRuleSpec, policy_rule_set
from plaint.core.exceptions import NotFound
from plaint.parties import admin_services
from plaint.web.managers import selectors
from plaint.web.managers.forms import (
    ClosingDayForm,
    HoursForm,
    MailboxAddForm,
    MailboxChangeForm,
    OrganisationDetailsForm,
    PolicyRuleForm,
)
from plaint.web.managers.views import ADMINS, GET_POST, POLICY_ROLES, apply, posted, render_page
from plaint.web.staff import Staff, staff_page

# ---------------------------------------------------------------------------------------- hours


def _hours_initial(working_hours: list) -> dict:
    initial: dict[str, object] = {}
    for day, hours in enumerate(working_hours):
        initial[f"day{day}_open"] = hours is not None
        if hours is not None:
            initial[f"day{day}_from"] = time.fromisoformat(hours[0])
            initial[f"day{day}_to"] = time.fromisoformat(hours[1])
    return initial


def _hours_page(
    request: HttpRequest, staff: Staff, form: HoursForm, day_form: ClosingDayForm
) -> HttpResponse:
    context = {"form": form, "day_form": day_form, "closing_days": selectors.closing_days(staff.organisation)}
    return render_page(request, staff, "hours.html", context)


@GET_POST
@staff_page(roles=ADMINS)
def hours(request: HttpRequest, staff: Staff) -> HttpResponse:
    organisation = staff.organisation
    form = HoursForm(posted(request), initial=_hours_initial(organisation.working_hours))
    if request.method == "POST" and apply(
        form,
        lambda: admin_services.organisation_hours_set(
            by=staff.actor.membership,
            organisation=organisation,
            hours=form.hours(),
        ),
    ):
        messages.success(request, gettext("The working hours were saved."))
        return redirect("web:manage-hours", org=organisation.slug)
    return _hours_page(request, staff, form, ClosingDayForm())


@require_POST
@staff_page(roles=ADMINS)
def closing_days(request: HttpRequest, staff: Staff) -> HttpResponse:
    organisation = staff.organisation
    form = ClosingDayForm(request.POST)
    if apply(
        form,
        lambda: closing_day_add(
            by=staff.actor.membership,
            organisation=organisation,
            day=form.cleaned_data["day"],
            description=form.cleaned_data["description"],
        ),
    ):
        messages.success(request, gettext("The closing day was added."))
        return redirect("web:manage-hours", org=organisation.slug)
    hours_form = HoursForm(initial=_hours_initial(organisation.working_hours))
    return _hours_page(request, staff, hours_form, form)


@require_POST
@staff_page(roles=ADMINS)
def closing_day_delete(request: HttpRequest, staff: Staff, day: int) -> HttpResponse:
    try:
        with transaction.atomic():
            closing_day_remove(by=staff.actor.membership, organisation=staff.organisation, closing_day_id=day)
    except NotFound:
        raise Http404 from None
    messages.success(request, gettext("The closing day was removed."))
    return redirect("web:manage-hours", org=staff.organisation.slug)


# --------------------------------------------------------------------------------------- policy


def _policy_spec(data: dict) -> PolicyRuleSpec:
    percent = data["warning_percent"]
    return PolicyRuleSpec(
        code=data["code"],
        title=data["title"],
        start=data["start"],
        duration_value=data["duration_value"],
        duration_unit=data["duration_unit"],
        channel=data["channel"],
        pauses_awaiting_customer=data["pauses_awaiting_customer"],
        warning_at=percent / 100 if percent is not None else None,
        on_expiry=tuple(data["on_expiry"]),
        is_active=data["is_active"],
    )


def _save_policy(request: HttpRequest, staff: Staff, form: PolicyRuleForm) -> bool:
    def write() -> None:
        policy_rule_set(
            actor=staff.actor, organisation=staff.organisation, spec=_policy_spec(form.cleaned_data)
        )

    if apply(form, write):
        messages.success(
            request,
            gettext("The rule %(code)s was saved; it applies to complaints from now on.")
            % {"code": form.cleaned_data["code"]},
        )
        return True
    return False


@GET_POST
@staff_page(roles=POLICY_ROLES)
def policy(request: HttpRequest, staff: Staff) -> HttpResponse:
    form = PolicyRuleForm(
        posted(request),
        initial={"is_active": True, "on_expiry": ["escalate"], "duration_unit": "business_days"},
    )
    if request.method == "POST" and _save_policy(request, staff, form):
        return redirect("web:manage-policy", org=staff.organisation.slug)
    context = {
        "form": form,
        "rules": selectors.policy_rules(staff.organisation),
        "outside": selectors.outside_rules(staff.organisation),
    }
    return render_page(request, staff, "policy.html", context)


@GET_POST
@staff_page(roles=POLICY_ROLES)
def policy_rule(request: HttpRequest, staff: Staff, code: str) -> HttpResponse:
    current = selectors.policy_rule(staff.organisation, code)
    initial = {
        "code": current.code,
        "title": current.title,
        "start": current.start,
        "duration_value": current.duration_value,
        "duration_unit": current.duration_unit,
        "channel": current.channel,
        "pauses_awaiting_customer": current.pauses_awaiting_customer,
        "warning_percent": round(current.warning_at * 100) if current.warning_at is not None else None,
        "on_expiry": current.on_expiry,
        "is_active": current.is_active,
    }
    data = posted(request)
    if data is not None:
        data = data.copy()
        data["code"] = current.code  # a new version of this rule, whatever was posted
    form = PolicyRuleForm(data, initial=initial)
    form.fields["code"].disabled = True
    if request.method == "POST" and _save_policy(request, staff, form):
        return redirect("web:manage-policy", org=staff.organisation.slug)
    return render_page(
        request,
        staff,
        "policy_rule.html",
        {"form": form, "rule": current, "next_version": current.version + 1},
    )


# ------------------------------------------------------------------------------------ mailboxes


def _mailbox_spec(data: dict) -> MailboxSpec:
    return MailboxSpec(
        imap_host=data["imap_host"],
        imap_port=data["imap_port"],
        imap_security=data["imap_security"],
        imap_username=data["imap_username"],
        imap_folder=data["imap_folder"],
    )


@GET_POST
@staff_page(roles=ADMINS)
def mailboxes(request: HttpRequest, staff: Staff) -> HttpResponse:
    form = MailboxAddForm(posted(request))
    if request.method == "POST" and apply(
        form,
        lambda: mailbox_add(
            by=staff.actor.membership,
            organisation=staff.organisation,
            address=form.cleaned_data["address"],
            spec=_mailbox_spec(form.cleaned_data),
            password=form.cleaned_data["imap_password"],
        ),
    ):
        messages.success(
            request, gettext("The mailbox %(address)s was added.") % {"address": form.cleaned_data["address"]}
        )
        return redirect("web:manage-mailboxes", org=staff.organisation.slug)
    context = {"mailboxes": selectors.mailboxes(staff.organisation), "form": form}
    return render_page(request, staff, "mailboxes.html", context)


@GET_POST
@staff_page(roles=ADMINS)
def mailbox(request: HttpRequest, staff: Staff, mailbox: int) -> HttpResponse:
    found = selectors.mailbox(staff.organisation, mailbox)
    initial = {
        "imap_host": found.imap_host,
        "imap_port": found.imap_port,
        "imap_security": found.imap_security,
        "imap_username": found.imap_username,
        "imap_folder": found.imap_folder,
        "is_active": found.is_active,
    }
    form = MailboxChangeForm(posted(request), initial=initial)
    if request.method == "POST" and apply(
        form,
        lambda: mailbox_change(
            by=staff.actor.membership,
            mailbox=found,
            spec=_mailbox_spec(form.cleaned_data),
            is_active=form.cleaned_data["is_active"],
            password=form.cleaned_data["imap_password"] or None,
        ),
    ):
        messages.success(request, gettext("The mailbox %(address)s was saved.") % {"address": found.address})
        return redirect("web:manage-mailboxes", org=staff.organisation.slug)
    return render_page(request, staff, "mailbox.html", {"mailbox": found, "form": form})


# ---------------------------------------------------------------------------------- organisation


@GET_POST
@staff_page(roles=ADMINS)
def organisation(request: HttpRequest, staff: Staff) -> HttpResponse:
    """Who is responsible for complaints and where they are sent, as the procedure page says."""
    found = staff.organisation
    form = OrganisationDetailsForm(posted(request), initial={
        "complaints_owner": found.complaints_owner, "complaint_email": found.complaint_email,
        "complaint_address": found.complaint_address,
    })
    if request.method == "POST" and apply(
        form,
        lambda: admin_services.organisation_details_set(
            by=staff.actor.membership, organisation=found, **form.cleaned_data,
        ),
    ):
        messages.success(request, gettext("The organisation's details were saved."))
        return redirect("web:manage-organisation", org=found.slug)
    return render_page(request, staff, "organisation.html", {"form": form})
