"""Taking a call: find the caller among the organisation's customers, see their open complaints,
log the call (or chat) on one of them with what was promised, or open a new complaint for them.

The services are the API's: ``interaction_log`` for a contact, ``complaint_create`` as the staff
member for a new complaint (channel phone or chat, demands left unspecified as for any call)."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from plaint.complaints.access import access_complaint_by_reference
from plaint.complaints.models import Complaint
from plaint.complaints.services.intake import ComplaintDraft, Idempotency, complaint_create
from plaint.complaints.services.records import InteractionSpec, PromiseSpec, interaction_log
from plaint.core import references
from plaint.core.exceptions import ApplicationError, NotFound
from plaint.parties.models import Customer
from plaint.parties.services import CustomerDetails, customer_find_or_create
from plaint.web.console import selectors
from plaint.web.console.forms import (
    CallComplaintForm,
    CallerSearchForm,
    CallLogForm,
    NewCallerForm,
)
from plaint.web.console.views import console_context
from plaint.web.staff import Staff, staff_page


def complaint_url(staff: Staff, reference: str) -> str:
    """The complaint's console page, or the queue searching for it while that page is not built."""
    try:
        return reverse("web:console-complaint", args=[staff.organisation.slug, reference])
    except NoReverseMatch:
        queue = reverse("web:console-queue", args=[staff.organisation.slug])
        return f"{queue}?tab=all&state=any&q={reference}"


def _add_field_errors(form: CallLogForm | CallComplaintForm, error: ApplicationError,
                      names: dict[str, str]) -> None:
    """A service's refusal shown on the form: on its field when the form has one, else at the top."""
    for field, texts in (error.fields or {"__all__": [error.message]}).items():
        target = names.get(field.split(".")[-1] if field.startswith("promises.") else field)
        for text in texts:
            form.add_error(target if target in form.fields else None, text)


@require_http_methods(["GET", "HEAD"])
@staff_page()
def take_call(request: HttpRequest, staff: Staff) -> HttpResponse:
    """Who is calling: search by phone, account number, e-mail or name."""
    form = CallerSearchForm(request.GET or None)
    found = None
    if form.has_query():
        found = selectors.callers(staff, **form.cleaned_data)
    if form.is_bound:
        form.describe_fields()
    return render(request, "web/console/calls.html", console_context(
        request, staff, form=form, found=found, shown_at_most=selectors.CALLERS_SHOWN,
    ))


def _complaint_of(staff: Staff, reference: str) -> tuple[Complaint, object]:
    try:
        complaint, actor = access_complaint_by_reference(principal=staff.actor.principal,
                                                          reference=reference)
    except NotFound as exc:
        raise Http404 from exc
    if complaint.organisation_id != staff.organisation.pk:
        raise Http404
    return complaint, actor


@require_http_methods(["GET", "HEAD", "POST"])
@staff_page()
def log_call(request: HttpRequest, staff: Staff, reference: str) -> HttpResponse:
    """Log a call or chat on a complaint, with a promise if one was made."""
    complaint, _actor = _complaint_of(staff, reference)
    if request.method == "POST":
        form = CallLogForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            promises = []
            if data["promise_kind"]:
                promises.append(PromiseSpec(kind=data["promise_kind"], due_at=data["promise_due_at"],
                                            description=data["promise_description"]))
            spec = InteractionSpec(
                channel=data["channel"], direction=data["direction"], started_at=data["started_at"],
                duration_seconds=int(form.duration.total_seconds()), notes=data["notes"],
                visibility=data["visibility"], promises=promises,
            )
            try:
                with transaction.atomic():
                    locked, actor = access_complaint_by_reference(
                        principal=staff.actor.principal, reference=reference, for_update=True
                    )
                    interaction_log(actor=actor, complaint=locked, spec=spec)
            except ApplicationError as error:  # a rule of the service, or a role that may not
                _add_field_errors(form, error, {
                    "started_at": "started_at", "duration_seconds": "duration_minutes",
                    "due_at": "promise_due_at", "kind": "promise_kind", "channel": "channel",
                })
            else:
                messages.success(request, _("The call is logged on %(reference)s.") % {
                    "reference": references.display(complaint.reference)})
                return redirect(complaint_url(staff, complaint.reference))
    else:
        form = CallLogForm(initial=CallLogForm.initial_now())
    form.describe_fields()
    return render(request, "web/console/call_log.html", console_context(
        request, staff, form=form, complaint=complaint, member=staff.actor.membership,
    ))


def _file(request: HttpRequest, staff: Staff, form: CallComplaintForm,
          customer: Customer | partial) -> Complaint | None:
    """``complaint_create`` as the staff member; the form's hidden key makes a double send one."""
    data = form.cleaned_data
    draft = ComplaintDraft(channel=data["channel"], subject=data["subject"],
                           description=data["description"], category=data.get("category", ""),
                           language=getattr(customer, "preferred_language", "") or "")
    idempotency = None
    if data["submission"]:
        idempotency = Idempotency(
            scope=f"console-call:{staff.organisation.pk}:{request.user.pk}", key=data["submission"],
            request_sha256=Idempotency.digest({k: str(v) for k, v in data.items()}),
        )
    try:
        complaint, _created = complaint_create(actor=staff.actor, organisation=staff.organisation,
                                               customer=customer, draft=draft, idempotency=idempotency)
    except ApplicationError as error:
        _add_field_errors(form, error, {name: name for name in form.fields})
        form.data = form.data.copy()
        form.data["submission"] = form.new_submission()
        return None
    messages.success(request, _("Complaint %(reference)s is opened.") % {
        "reference": references.display(complaint.reference)})
    return complaint


@require_http_methods(["GET", "HEAD", "POST"])
@staff_page()
def new_complaint(request: HttpRequest, staff: Staff, customer_id: int) -> HttpResponse:
    """Open a complaint on behalf of a known customer of this organisation."""
    customer = Customer.objects.filter(pk=customer_id, organisation=staff.organisation).first()
    if customer is None:
        raise Http404
    if request.method == "POST":
        form = CallComplaintForm(request.POST)
        if form.is_valid() and (complaint := _file(request, staff, form, customer)) is not None:
            return redirect(complaint_url(staff, complaint.reference))
    else:
        form = CallComplaintForm(initial={"submission": CallComplaintForm.new_submission()})
    form.describe_fields()
    return render(request, "web/console/call_new.html", console_context(
        request, staff, form=form, customer=customer,
    ))


@require_http_methods(["GET", "HEAD", "POST"])
@staff_page()
def new_caller(request: HttpRequest, staff: Staff) -> HttpResponse:
    """Open a complaint for a caller who is not yet a customer (found again by e-mail or phone)."""
    if request.method == "POST":
        form = NewCallerForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            details = CustomerDetails(full_name=data["full_name"], email=data["email"] or "",
                                      phone=data["phone"])
            customer = partial(customer_find_or_create, organisation=staff.organisation, details=details)
            if (complaint := _file(request, staff, form, customer)) is not None:
                return redirect(complaint_url(staff, complaint.reference))
    else:
        initial = {"submission": NewCallerForm.new_submission(),
                   "phone": request.GET.get("phone", "")[:40], "email": request.GET.get("email", "")[:254],
                   "full_name": request.GET.get("name", "")[:200]}
        form = NewCallerForm(initial=initial)
    form.describe_fields()
    return render(request, "web/console/call_new.html", console_context(
        request, staff, form=form, customer=None,
    ))
