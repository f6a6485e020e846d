"""The console's queue, notifications and held e-mail (taking a call is in ``calls.py``).

Each view is reached through ``staff_page``: the organisation in the URL, the signed-in person as
its staff (404 for an unknown organisation, 403 for anyone not on its staff)."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from plaint.channels.access import access_incoming_message_by_id
from plaint.complaints.access import access_complaint_by_reference
from plaint.complaints.models import StaffNotification
from plaint.complaints.services.assignment import complaint_assign
from plaint.core import clock, references
from plaint.core.downloads import bytes_download
from plaint.core.exceptions import ApplicationError, NotFound
from plaint.parties.choices import Role
from plaint.web.console import selectors
from plaint.web.console.forms import TABS, BulkAssignForm, QueueFilterForm
from plaint.web.staff import Staff, staff_page

#: Roles who handle complaints and so have a queue of their own; an organisation admin reads all.
HANDLERS = (Role.AGENT, Role.TEAM_LEADER, Role.COMPLAINTS_OFFICER, Role.MANAGER)


def console_context(request: HttpRequest, staff: Staff, **context: object) -> dict[str, object]:
    """What every console page's base template needs: the organisation and the unread count."""
    return {"staff": staff, "unread": selectors.unread_count(staff), **context}


def _tab(request: HttpRequest, staff: Staff) -> str:
    tab = request.GET.get("tab", "")
    if tab in TABS:
        return tab
    return "mine" if staff.role in HANDLERS else "all"


@require_http_methods(["GET", "HEAD"])
@staff_page()
def queue(request: HttpRequest, staff: Staff) -> HttpResponse:
    """The complaints to work on: mine, my team's or all, the nearest deadline first."""
    members = selectors.assignable_members(staff)
    form = QueueFilterForm(request.GET, teams=selectors.teams(staff), members=members)
    form.is_valid()  # a wrong value is shown as an error and left out; the rest still filter
    form.describe_fields()
    tab = _tab(request, staff)
    data = getattr(form, "cleaned_data", {})
    page = selectors.queue_page(staff, selectors.queue_filters(staff, tab, data), request.GET.get("page"),
                                text=data.get("q") or "")
    query = request.GET.copy()
    query.pop("page", None)
    tab_query = query.copy()
    tab_query.pop("tab", None)
    context = console_context(
        request, staff, form=form, tab=tab, page=page, members=members,
        query=query.urlencode(), tab_query=tab_query.urlencode(),
        in_team=staff.actor.membership is not None and staff.actor.membership.team_id is not None,
        can_assign=staff.role in HANDLERS,
    )
    if request.headers.get("HX-Request") == "true":
        return render(request, "web/console/_queue_results.html", context)
    return render(request, "web/console/queue.html", context)


def _back(request: HttpRequest, staff: Staff, target: str) -> str:
    """Back to the queue page the form came from (only a path of this organisation's console)."""
    home = reverse("web:console-queue", args=[staff.organisation.slug])
    if target.startswith(home) and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return target
    return home


@require_POST
@staff_page()
def bulk_assign(request: HttpRequest, staff: Staff) -> HttpResponse:
    """Assign the complaints ticked in the queue to one person: each one in its own transaction
    through ``complaint_assign``; what was refused is listed, the rest is done."""
    form = BulkAssignForm(request.POST, members=selectors.assignable_members(staff))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, _("Error: %(error)s") % {"error": error})
        return redirect(_back(request, staff, request.POST.get("next", "")))
    assignee_id = form.cleaned_data["assignee"]
    done, refused = [], []
    for typed in form.cleaned_data["complaint"]:
        shown = references.display(references.normalise(typed) or typed.upper())
        try:
            with transaction.atomic():
                complaint, actor = access_complaint_by_reference(
                    principal=staff.actor.principal, reference=typed, for_update=True
                )
                if complaint.organisation_id != staff.organisation.pk:
                    raise NotFound
                complaint_assign(actor=actor, complaint=complaint, team_id=None, assignee_id=assignee_id)
            done.append(shown)
        except NotFound:
            refused.append(_("%(reference)s: no such complaint here.") % {"reference": shown})
        except ApplicationError as error:
            refused.append(f"{shown}: {error.message}")
    if done:
        messages.success(request, _("Assigned: %(references)s.") % {"references": ", ".join(done)})
    for refusal in refused:
        messages.error(request, _("Error: not assigned, %(refusal)s") % {"refusal": refusal})
    return redirect(_back(request, staff, form.cleaned_data["next"]))


@require_http_methods(["GET", "HEAD"])
@staff_page()
def notifications(request: HttpRequest, staff: Staff) -> HttpResponse:
    """The person's notices: unread first, each linking to its complaint."""
    return render(request, "web/console/notifications.html", console_context(
        request, staff, notices=selectors.notifications(staff),
    ))


@require_POST
@staff_page()
def notifications_read(request: HttpRequest, staff: Staff) -> HttpResponse:
    """Mark every notice of this person here as read (one update)."""
    StaffNotification.objects.filter(
        recipient_id=staff.actor.user.pk, organisation=staff.organisation, read_at__isnull=True  # type: ignore[union-attr]
    ).update(read_at=clock.now())
    messages.success(request, _("All notifications are marked as read."))
    return redirect("web:console-notifications", org=staff.organisation.slug)


@require_http_methods(["GET", "HEAD"])
@staff_page()
def held(request: HttpRequest, staff: Staff) -> HttpResponse:
    """The organisation's incoming e-mail that waits for a person."""
    return render(request, "web/console/held.html", console_context(
        request, staff, held_messages=selectors.held_messages(staff),
    ))


@require_http_methods(["GET", "HEAD"])
@staff_page()
def held_raw(request: HttpRequest, staff: Staff, message_id: int) -> HttpResponse:
    """A held message byte for byte, as an attachment (it may be hostile): as the API's raw endpoint."""
    try:
        message = access_incoming_message_by_id(
            principal=staff.actor.principal, message_id=message_id, raw=True
        )
    except NotFound as exc:
        raise Http404 from exc
    if message.organisation_id != staff.organisation.pk:
        raise Http404
    return bytes_download(bytes(message.raw), filename=f"incoming-{message.pk}.eml",
                          content_type="message/rfc822")
