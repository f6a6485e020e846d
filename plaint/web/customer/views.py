"""The customer portal (``/my/``): a person's complaints, following one without an account, a
complaint's page and one URL per thing the customer may do on it, and feedback cards.

Every action is a POST that redirects back to the complaint's page with a message; an invalid
form, or a refusal by the service, re-renders the page with the errors (status 200) and writes
nothing (the service runs in the request's transaction, rolled back on a refusal)."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from plaint.complaints.actors import Actor
from plaint.complaints.export import personal_data_zip
from plaint.complaints.lifecycle import Action, State
from plaint.complaints.models import Complaint
from plaint.complaints.services.cancellations import cancellation_request
from plaint.complaints.services.decisions import complaint_external_outcome_record, complaint_refer
from plaint.complaints.services.escalation import complaint_request_supervisor
from plaint.complaints.services.evidence import download_name, evidence_add, evidence_open
from plaint.complaints.services.records import (
    InteractionSpec,
    PromiseSpec,
    interaction_log,
    message_add,
)
from plaint.complaints.services.transitions import complaint_transition
from plaint.core import references
from plaint.core.downloads import bytes_download, file_download
from plaint.core.exceptions import ApplicationError, Conflict
from plaint.feedback.services import feedback_card_add, handling_rate
from plaint.web import selectors as public_selectors
from plaint.web.customer import forms
from plaint.web.customer import selectors as customer_selectors
from plaint.web.customer.access import customer_complaint, follow_grant
from plaint.web.ratelimits import limited

FORMS: dict[str, Callable[..., forms.Described]] = {
    "information_form": forms.InformationForm,
    "call_form": forms.CallForm,
    "supervisor_form": forms.SupervisorForm,
    "cancellation_form": forms.CancellationForm,
    "decision_form": forms.DecisionResponseForm,
    "rating_form": forms.RatingForm,
    "withdraw_form": forms.WithdrawForm,
    "reopen_form": forms.ReopenForm,
    "referral_form": forms.ReferralForm,
    "outcome_form": forms.ExternalOutcomeForm,
}


@require_safe
@login_required
def my_complaints(request: HttpRequest) -> HttpResponse:
    rows = customer_selectors.my_complaint_rows(request.user)
    return render(request, "web/customer/my_complaints.html", {"complaints": rows})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """The right of access: a page that says what the download holds, and the download (a POST,
    so that no link or prefetch starts it)."""
    if request.method != "POST":
        return render(request, "web/customer/my_data.html")
    return bytes_download(personal_data_zip(request.user), filename="plaint-my-data.zip",  # type: ignore[arg-type]
                          content_type="application/zip")


@require_http_methods(["GET", "HEAD", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    """Follow a complaint with its reference and the address it was filed with. One error for
    every mismatch, so that the form tells nobody which part was right. Guessing is limited per
    client address (``follow_form``)."""
    if (refused := limited(request, "follow_form")) is not None:
        return refused
    form = forms.FollowForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        complaint = customer_selectors.complaint_for_contact(
            form.cleaned_data["reference"], form.cleaned_data["contact"]
        )
        if complaint is not None:
            request.session.cycle_key()
            follow_grant(request, complaint)
            return redirect("web:my-complaint", reference=complaint.reference)
        form.add_error(None, gettext("We could not find a complaint with this reference number "
                                     "and this e-mail address or phone number. Check both and "
                                     "try again."))
    return render(request, "web/customer/follow.html", {"form": form.describe_fields()})


def _render_page(
    request: HttpRequest, complaint: Complaint, actor: Actor, bound: dict[str, forms.Described] | None = None
) -> HttpResponse:
    page = customer_selectors.complaint_page(complaint=complaint, actor=actor)
    context: dict[str, Any] = {"page": page, "complaint": page.complaint,
                               "reference": references.display(complaint.reference),
                               "bound_errors": any(f.errors for f in (bound or {}).values())}
    for name, form_class in FORMS.items():
        form = (bound or {}).get(name) or form_class(initial=_initial(name, page))
        context[name] = form.describe_fields()
    with timezone.override(complaint.organisation.time_zone):
        return render(request, "web/customer/complaint.html", context)


def _initial(form_name: str, page: customer_selectors.ComplaintPage) -> dict[str, Any]:
    """The referral form, when it is offered, starts with the body the provider's final response
    named, if any (one query, only then)."""
    if form_name != "referral_form" or not page.actions.refer:
        return {}
    final = (page.complaint.final_responses.exclude(external_body="")
             .order_by("-issued_at", "-id").first())
    return {"body": final.external_body} if final is not None else {}


@require_safe
def complaint_page(request: HttpRequest, reference: str) -> HttpResponse:
    complaint, actor = customer_complaint(request, reference)
    return _render_page(request, complaint, actor)


def _action(
    request: HttpRequest,
    reference: str,
    form_name: str,
    perform: Callable[[Complaint, Actor, Any], str],
    *,
    fields: dict[str, str] | None = None,
) -> HttpResponse:
    """Validate the form; run ``perform`` on the locked complaint in one transaction; redirect
    with its success message, or re-render the page with the form's errors. Someone who may not
    read the complaint gets 404 before the form (or its files) is looked at."""
    customer_complaint(request, reference)
    form = FORMS[form_name](request.POST, request.FILES)
    if form.is_valid():
        try:
            with transaction.atomic():
                complaint, actor = customer_complaint(request, reference, for_update=True)
                message = perform(complaint, actor, form)
        except ApplicationError as refused:
            form.add_service_errors(refused, fields)
        else:
            messages.success(request, message)
            return redirect("web:my-complaint", reference=complaint.reference)
    complaint, actor = customer_complaint(request, reference)
    return _render_page(request, complaint, actor, {form_name: form})


def _zone(complaint: Complaint) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(complaint.organisation.time_zone)


@require_POST
def add_information(request: HttpRequest, reference: str) -> HttpResponse:
    def perform(complaint: Complaint, actor: Actor, form: forms.InformationForm) -> str:
        answering = complaint.state == State.AWAITING_CUSTOMER
        message_add(actor=actor, complaint=complaint, body=form.cleaned_data["body"])
        for upload in form.cleaned_data["files"]:
            evidence_add(actor=actor, complaint=complaint, stream=upload, name=upload.name or "file")
        if answering:  # the provider asked: the answer hands the complaint back (its clocks run again)
            complaint_transition(actor=actor, complaint=complaint, action=Action.RESUME)
            return gettext("Thank you. Your answer was added and the complaint is back with the provider.")
        return gettext("Thank you. Your information was added to the complaint.")

    return _action(request, reference, "information_form", perform, fields={"file": "files"})


@require_POST
def log_call(request: HttpRequest, reference: str) -> HttpResponse:
    def perform(complaint: Complaint, actor: Actor, form: forms.CallForm) -> str:
        data, zone = form.cleaned_data, _zone(complaint)
        due = form.promised_due(zone)
        promised = data["promised"].strip()
        promises = [PromiseSpec(kind="action", due_at=due, description=promised)] if promised and due else []
        notes = data["notes"].strip()
        if promised and due is None:  # a promise without a date is kept in the notes
            notes = "\n\n".join(filter(None, [notes, gettext("Promised: %(what)s") % {"what": promised}]))
        spec = InteractionSpec(
            channel=data["channel"], direction=data["direction"], started_at=form.started_at(zone),
            duration_seconds=(data["minutes"] or 0) * 60, notes=notes,
            references_quoted=[data["reference_quoted"].strip()] if data["reference_quoted"].strip() else [],
            staff_name=data["agent_name"].strip(), staff_position=data["agent_position"].strip(),
            promises=promises,
        )
        interaction_log(actor=actor, complaint=complaint, spec=spec)
        return gettext("Your call was recorded on the complaint.")

    return _action(request, reference, "call_form", perform, fields={
        "started_at": "day", "duration_seconds": "minutes", "promises.0.due_at": "promised_by",
    })


@require_POST
def request_supervisor(request: HttpRequest, reference: str) -> HttpResponse:
    def perform(complaint: Complaint, actor: Actor, form: forms.SupervisorForm) -> str:
        complaint_request_supervisor(actor=actor, complaint=complaint, words=form.cleaned_data["words"])
        return gettext("A supervisor will now handle your complaint.")

    return _action(request, reference, "supervisor_form", perform, fields={"reason": "words"})


@require_POST
def request_cancellation(request: HttpRequest, reference: str) -> HttpResponse:
    def perform(complaint: Complaint, actor: Actor, form: forms.CancellationForm) -> str:
        cancellation = cancellation_request(
            actor=actor, customer=complaint.customer, service_name=form.cleaned_data["service"],
            account_number=form.cleaned_data["account_number"].strip(),
        )
        return gettext("Your cancellation is confirmed and effective now. Protocol number: "
                       "%(protocol)s. Keep it.") % {
            "protocol": references.display(cancellation.protocol_number)}

    return _action(request, reference, "cancellation_form", perform)


@require_POST
def respond_to_decision(request: HttpRequest, reference: str) -> HttpResponse:
    def perform(complaint: Complaint, actor: Actor, form: forms.DecisionResponseForm) -> str:
        accept = form.cleaned_data["answer"] == "accept"
        complaint_transition(
            actor=actor, complaint=complaint,
            action=Action.ACCEPT_DECISION if accept else Action.REJECT_DECISION,
            reason=form.cleaned_data["reason"].strip(),
        )
        if accept:
            return gettext("You accepted the decision. The complaint is closed.")
        return gettext("You rejected the decision. The provider must now look at it again.")

    return _action(request, reference, "decision_form", perform)


def _transition_view(action: Action, form_name: str, done: str | Promise) -> Callable[..., HttpResponse]:
    """The view of a state change the customer asks for with a reason (withdraw, reopen): the
    lifecycle's ``complaint_transition``, which refuses it in a state that does not allow it."""

    @require_POST
    def view(request: HttpRequest, reference: str) -> HttpResponse:
        def perform(complaint: Complaint, actor: Actor, form: Any) -> str:  # noqa: ANN401
            complaint_transition(actor=actor, complaint=complaint, action=action,
                                 reason=form.cleaned_data["reason"].strip())
            return str(done)

        return _action(request, reference, form_name, perform)

    return view


withdraw = _transition_view(Action.WITHDRAW, "withdraw_form", gettext_lazy(
    "You withdrew the complaint. The provider owes you no further answer on it."))
reopen = _transition_view(Action.REOPEN, "reopen_form", gettext_lazy(
    "The complaint is open again and back with the provider."))


@require_POST
def refer(request: HttpRequest, reference: str) -> HttpResponse:
    """The customer records that they took the complaint to an external body (the body itself is
    contacted by the customer; Plaint keeps the case file it will ask for)."""
    def perform(complaint: Complaint, actor: Actor, form: forms.ReferralForm) -> str:
        complaint_refer(actor=actor, complaint=complaint, body=form.cleaned_data["body"].strip(),
                        body_reference=form.cleaned_data["body_reference"].strip())
        return gettext("Recorded: the complaint is now with %(body)s.") % {"body": form.cleaned_data["body"]}

    return _action(request, reference, "referral_form", perform)


@require_POST
def record_external_outcome(request: HttpRequest, reference: str) -> HttpResponse:
    def perform(complaint: Complaint, actor: Actor, form: forms.ExternalOutcomeForm) -> str:
        complaint_external_outcome_record(actor=actor, complaint=complaint,
                                          outcome_text=form.cleaned_data["outcome"].strip())
        return gettext("The external body's decision is recorded on the complaint.")

    return _action(request, reference, "outcome_form", perform)


@require_POST
def rate_handling(request: HttpRequest, reference: str) -> HttpResponse:
    def perform(complaint: Complaint, actor: Actor, form: forms.RatingForm) -> str:
        data = form.cleaned_data
        handling_rate(actor=actor, complaint=complaint, resolved=data["resolved"],
                      satisfaction=data["satisfaction"], effort=data["effort"],
                      comment=data["comment"])
        return gettext("Thank you for rating the handling of your complaint.")

    return _action(request, reference, "rating_form", perform)


@require_http_methods(["GET", "HEAD", "POST"])
def feedback(request: HttpRequest, slug: str) -> HttpResponse:
    """A compliment or a suggestion for a managed provider: no account, not a complaint."""
    organisation = public_selectors.managed_organisation(slug)
    if organisation is None:
        raise Http404
    form = forms.FeedbackCardForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            feedback_card_add(organisation=organisation, kind=form.cleaned_data["kind"],
                              text=form.cleaned_data["text"], contact=form.cleaned_data["contact"],
                              language=translation.get_language() or organisation.default_language)
        except ApplicationError as refused:
            form.add_service_errors(refused)
        else:
            messages.success(request, gettext("Thank you. Your message was passed on to %(name)s.")
                             % {"name": organisation.name})
            return redirect("web:my-feedback", slug=organisation.slug)
    context = {"organisation": organisation, "form": form.describe_fields()}
    return render(request, "web/customer/feedback.html", context)


@require_safe
def evidence_download(request: HttpRequest, reference: str, evidence_id: int) -> HttpResponse:
    """A file of the complaint the customer may see (as the API's download, for a follow session
    too): an internal file is 404, as a file of another complaint."""
    complaint, _actor = customer_complaint(request, reference)
    evidence = customer_selectors.visible_evidence(complaint, evidence_id)
    if evidence is None:
        raise Http404
    try:
        stream = evidence_open(evidence=evidence)
    except Conflict as altered:
        return HttpResponse(altered.message, status=409, content_type="text/plain; charset=utf-8")
    return file_download(stream, content_type=evidence.content_type,
                         filename=download_name(evidence.original_name, evidence.content_type))
