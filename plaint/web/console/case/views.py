"""A complaint's page in the agent console and one POST per action on it.

Every view is a staff page of the organisation in the URL (``staff_page``); the complaint is
found through ``complaints.access`` as the API finds it, and must belong to that organisation
(404 otherwise: nothing about another organisation's complaint is confirmed). An action parses
its form, then calls its service with the complaint locked, in one transaction: success
redirects back to the page with a message (POST/redirect/GET); invalid input re-renders the
page with the form's errors and status 422, and a refusal by the service with the status the
API gives it (403 the role may not, 409 the complaint's state does not allow it, 422 a rule
about the input). Nothing is written then: the transaction is rolled back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from plaint.complaints.access import (
    access_cancellation_by_protocol,
    access_complaint_by_reference,
    access_evidence_by_id,
    access_message_by_id,
)
from plaint.complaints.actors import Actor
from plaint.complaints.lifecycle import Action
from plaint.complaints.models import Complaint, ReadChannel
from plaint.complaints.reads import complaint_read_log
from plaint.complaints.services.assignment import complaint_assign
from plaint.complaints.services.cancellations import cancellation_execute
from plaint.complaints.services.decisions import (
    DecisionSpec,
    complaint_decide,
    complaint_final_response_issue,
)
from plaint.complaints.services.demands import DemandSpec, complaint_demands_record
from plaint.complaints.services.escalation import complaint_escalate
from plaint.complaints.services.evidence import download_name, evidence_open
from plaint.complaints.services.merge import complaint_merge
from plaint.complaints.services.records import (
    InteractionSpec,
    PromiseSpec,
    interaction_log,
    message_add,
    message_move,
)
from plaint.complaints.services.transitions import complaint_transition
from plaint.core import clock
from plaint.core.downloads import file_download
from plaint.core.exceptions import ApplicationError, Conflict, NotFound, ValidationFailed
from plaint.parties.actors import Principal
from plaint.web.console.case import forms
from plaint.web.console.case.actions import CaseAction
from plaint.web.console.case.selectors import CasePage, assignment_choices, case_page
from plaint.web.forms import country_currency
from plaint.web.staff import Staff, staff_page

A = CaseAction
FORMS: dict[CaseAction, type[forms.CaseForm]] = {
    A.ACKNOWLEDGE: forms.AcknowledgeForm,
    A.LOG_INTERACTION: forms.InteractionForm,
    A.MESSAGE: forms.MessageForm,
    A.NOTE: forms.NoteForm,
    A.DEMANDS: forms.DemandsForm,
    A.REQUEST_INFORMATION: forms.RequestInformationForm,
    A.ESCALATE: forms.EscalateForm,
    A.ASSIGN: forms.AssignForm,
    A.DECIDE: forms.DecideForm,
    A.FINAL_RESPONSE: forms.FinalResponseForm,
    A.CANCELLATION_EXECUTED: forms.CancellationExecutedForm,
    A.MOVE_MESSAGE: forms.MoveMessageForm,
    A.MERGE: forms.MergeForm,
}


def _complaint(request: HttpRequest, staff: Staff, reference: str, *,
               for_update: bool = False) -> tuple[Complaint, Actor]:
    try:
        complaint, actor = access_complaint_by_reference(
            principal=Principal(user=request.user), reference=reference, for_update=for_update)  # type: ignore[arg-type]
    except NotFound as exc:
        raise Http404 from exc
    if complaint.organisation_id != staff.organisation.pk:
        raise Http404
    return complaint, actor


def _other_complaint(request: HttpRequest, reference: str, field: str) -> Complaint:
    """Another complaint named by its reference in a form (a merge, a moved message)."""
    try:
        complaint, _actor = access_complaint_by_reference(
            principal=Principal(user=request.user), reference=reference, for_update=True)  # type: ignore[arg-type]
    except NotFound as exc:
        message = gettext("There is no complaint with this reference that you may handle.")
        raise ValidationFailed("not_found", message, fields={field: [message]}) from exc
    return complaint


def _form_kwargs(action: CaseAction, page: CasePage | None, complaint: Complaint) -> dict[str, Any]:
    if action is A.ASSIGN:
        if page is None:
            teams, members = assignment_choices(complaint)
            return {"teams": teams, "members": members}
        return {"teams": page.teams, "members": page.members}
    if action is A.MOVE_MESSAGE:
        return {"messages": page.messages if page else list(complaint.messages.all())}
    return {}


def _initial(action: CaseAction, complaint: Complaint) -> dict[str, Any]:
    if action is A.LOG_INTERACTION:
        return {"started_at": timezone.localtime(clock.now()).replace(second=0, microsecond=0)}
    if action is A.DEMANDS:
        initial: dict[str, Any] = {}
        for row, demand in enumerate(complaint.demands.all()[: forms.DEMAND_ROWS]):
            initial.update({f"kind_{row}": demand.kind, f"amount_{row}": demand.amount,
                            f"currency_{row}": demand.currency, f"detail_{row}": demand.detail})
        currency = country_currency(complaint.organisation.country)
        for row in range(forms.DEMAND_ROWS):
            initial.setdefault(f"currency_{row}", currency)
        return initial
    if action is A.DECIDE:
        return {"remedy_currency": country_currency(complaint.organisation.country)}
    if action is A.ASSIGN:
        return {"team": str(complaint.team_id or ""), "member": str(complaint.assignee_id or "")}
    return {}


def _render(request: HttpRequest, staff: Staff, complaint: Complaint, actor: Actor, *,
            bound: tuple[CaseAction, forms.CaseForm] | None = None, status: int = 200) -> HttpResponse:
    page = case_page(complaint=complaint, actor=actor)
    action_forms: dict[str, forms.CaseForm] = {}
    for action in page.actions:
        if action is A.CANCELLATION_EXECUTED:
            continue  # one small form per open cancellation, built in the template
        form = FORMS[action](prefix=action.value, initial=_initial(action, complaint),
                             **_form_kwargs(action, page, complaint))
        action_forms[action.value.replace("-", "_")] = form
    failed = None
    if bound is not None:
        failed = bound[1]
        if bound[0] is not A.CANCELLATION_EXECUTED:
            action_forms[bound[0].value.replace("-", "_")] = failed
    for form in action_forms.values():
        form.describe_fields()
    context = {"staff": staff, "organisation": staff.organisation, "page": page, "complaint": complaint,
               "forms": action_forms, "failed": failed, "failed_action": bound[0].value if bound else ""}
    return render(request, "web/console/case/page.html", context, status=status)


@require_safe
@staff_page()
def complaint_page(request: HttpRequest, staff: Staff, reference: str) -> HttpResponse:
    complaint, actor = _complaint(request, staff, reference)
    complaint_read_log(actor=actor, complaint=complaint, channel=ReadChannel.CONSOLE)
    return _render(request, staff, complaint, actor)


@require_safe
@staff_page()
def evidence_download(request: HttpRequest, staff: Staff, reference: str, evidence_id: int) -> HttpResponse:
    """A file of the complaint, internal ones included, as an attachment (``file_download``:
    never rendered by the browser). The read is logged like a read of the page; a file whose
    content no longer matches its stored SHA-256 is refused with 409, as in the API."""
    try:
        evidence, actor = access_evidence_by_id(
            principal=Principal(user=request.user), reference=reference, evidence_id=evidence_id)  # type: ignore[arg-type]
    except NotFound as exc:
        raise Http404 from exc
    if evidence.complaint.organisation_id != staff.organisation.pk:
        raise Http404
    try:
        stream = evidence_open(evidence=evidence)
    except Conflict as altered:
        return HttpResponse(altered.message, status=409, content_type="text/plain; charset=utf-8")
    complaint_read_log(actor=actor, complaint=evidence.complaint, channel=ReadChannel.CONSOLE)
    return file_download(stream, content_type=evidence.content_type,
                         filename=download_name(evidence.original_name, evidence.content_type))


# What each action does with its valid form: call its service (in the view's transaction) and
# return the message to show after the redirect.
Perform = Callable[[HttpRequest, Complaint, Actor, forms.CaseForm], str]


def _acknowledge(request: HttpRequest, complaint: Complaint, actor: Actor, form: forms.CaseForm) -> str:
    complaint_transition(actor=actor, complaint=complaint, action=Action.ACKNOWLEDGE)
    return gettext("The complaint is acknowledged; the customer is told.")


def _interaction(request: HttpRequest, complaint: Complaint, actor: Actor, form: forms.CaseForm) -> str:
    data = form.cleaned_data
    promises = [PromiseSpec(**p) for p in form.promises()]  # type: ignore[attr-defined]
    interaction_log(actor=actor, complaint=complaint, spec=InteractionSpec(
        channel=data["channel"], direction=data["direction"], started_at=data["started_at"],
        duration_seconds=data["duration_minutes"] * 60, notes=data["notes"],
        references_quoted=form.references(),  # type: ignore[attr-defined]
        visibility="internal" if data["internal"] else "customer", promises=promises,
    ))
    return gettext("The interaction is logged.")


def _message(request: HttpRequest, complaint: Complaint, actor: Actor, form: forms.CaseForm) -> str:
    message_add(actor=actor, complaint=complaint, body=form.cleaned_data["body"])
    return gettext("The message is sent to the customer.")


def _note(request: HttpRequest, complaint: Complaint, actor: Actor, form: forms.CaseForm) -> str:
    message_add(actor=actor, complaint=complaint, body=form.cleaned_data["body"], internal=True)
    return gettext("The internal note is added.")


def _demands(request: HttpRequest, complaint: Complaint, actor: Actor, form: forms.CaseForm) -> str:
    complaint_demands_record(actor=actor, complaint=complaint,
                             demands=[DemandSpec(**d) for d in form.demands()])  # type: ignore[attr-defined]
    return gettext("The demands are recorded.")


def _request_information(request: HttpRequest, complaint: Complaint, actor: Actor,
                         form: forms.CaseForm) -> str:
    complaint_transition(actor=actor, complaint=complaint, action=Action.REQUEST_INFORMATION,
                         reason=form.cleaned_data["question"])
    return gettext("The customer is asked for the information.")


def _escalate(request: HttpRequest, complaint: Complaint, actor: Actor, form: forms.CaseForm) -> str:
    complaint_escalate(actor=actor, complaint=complaint, reason=form.cleaned_data["reason"])
    return gettext("The complaint is escalated.")


def _assign(request: HttpRequest, complaint: Complaint, actor: Actor, form: forms.CaseForm) -> str:
    data = form.cleaned_data
    complaint_assign(actor=actor, complaint=complaint,
                     team_id=int(data["team"]) if data["team"] else None,
                     assignee_id=int(data["member"]) if data["member"] else None)
    return gettext("The complaint is assigned.")


def _decide(request: HttpRequest, complaint: Complaint, actor: Actor, form: forms.CaseForm) -> str:
    data = form.cleaned_data
    complaint_decide(actor=actor, complaint=complaint, spec=DecisionSpec(
        outcome=data["outcome"], reasoning=data["reasoning"], remedy_kind=data["remedy_kind"],
        remedy_amount=data["remedy_amount"], remedy_currency=data["remedy_currency"],
        remedy_detail=data["remedy_detail"],
    ))
    return gettext("The decision is recorded and sent to the customer.")


def _final_response(request: HttpRequest, complaint: Complaint, actor: Actor, form: forms.CaseForm) -> str:
    data = form.cleaned_data
    complaint_final_response_issue(actor=actor, complaint=complaint, text=data["text"],
                                   external_body=data["external_body"],
                                   referral_deadline=data["referral_deadline"])
    return gettext("The final response is issued.")


def _cancellation(request: HttpRequest, complaint: Complaint, actor: Actor, form: forms.CaseForm) -> str:
    try:
        cancellation, cancellation_actor = access_cancellation_by_protocol(
            principal=Principal(user=request.user),  # type: ignore[arg-type]
            protocol_number=form.cleaned_data["protocol"], for_update=True)
    except NotFound:
        cancellation = None
    if cancellation is None or cancellation.customer_id != complaint.customer_id:
        raise NotFound
    cancellation_execute(actor=cancellation_actor, cancellation=cancellation)
    return gettext("The cancellation is recorded as executed.")


def _move_message(request: HttpRequest, complaint: Complaint, actor: Actor, form: forms.CaseForm) -> str:
    data = form.cleaned_data
    try:
        message, message_actor = access_message_by_id(
            principal=Principal(user=request.user), message_id=int(data["message"]), for_update=True)  # type: ignore[arg-type]
    except NotFound:
        message = None
    if message is None or message.complaint_id != complaint.pk:
        raise NotFound
    target = _other_complaint(request, data["to_reference"], "to_reference")
    message_move(actor=message_actor, message=message, to_complaint=target, reason=data["reason"])
    return gettext("The message is moved to complaint %(reference)s.") % {"reference": target.reference}


def _merge(request: HttpRequest, complaint: Complaint, actor: Actor, form: forms.CaseForm) -> str:
    data = form.cleaned_data
    target = _other_complaint(request, data["into_reference"], "into_reference")
    complaint_merge(actor=actor, source=complaint, target=target, reason=data["reason"])
    return gettext("This complaint is merged into %(reference)s.") % {"reference": target.reference}


PERFORM: dict[CaseAction, Perform] = {
    A.ACKNOWLEDGE: _acknowledge, A.LOG_INTERACTION: _interaction, A.MESSAGE: _message,
    A.NOTE: _note, A.DEMANDS: _demands, A.REQUEST_INFORMATION: _request_information,
    A.ESCALATE: _escalate, A.ASSIGN: _assign, A.DECIDE: _decide,
    A.FINAL_RESPONSE: _final_response, A.CANCELLATION_EXECUTED: _cancellation,
    A.MOVE_MESSAGE: _move_message, A.MERGE: _merge,
}


def action_view(action: CaseAction) -> Callable[..., HttpResponse]:
    """The POST view of one action (see the module's docstring for what it answers)."""

    @require_POST
    @staff_page()
    def view(request: HttpRequest, staff: Staff, reference: str) -> HttpResponse:
        complaint, actor = _complaint(request, staff, reference)
        form = FORMS[action](request.POST, prefix=action.value,
                             **_form_kwargs(action, None, complaint))
        status = 422
        if form.is_valid():
            try:
                with transaction.atomic():
                    locked, actor = _complaint(request, staff, reference, for_update=True)
                    done = PERFORM[action](request, locked, actor, form)
            except NotFound as exc:
                form.add_service_error(ApplicationError("not_found", gettext("Not found.")))
                status = exc.status
            except ApplicationError as exc:
                form.add_service_error(exc)
                status = exc.status
            else:
                messages.success(request, done)
                return redirect("web:console-complaint", org=staff.organisation.slug,
                                reference=locked.reference)
            complaint, actor = _complaint(request, staff, reference)  # as it is after the rollback
        return _render(request, staff, complaint, actor, bound=(action, form), status=status)

    view.__name__ = f"complaint_{action.name.lower()}"
    return view
