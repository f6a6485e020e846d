"""The provider's answers: decision, final response, external referral and its outcome."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext

from plaint.complaints.actors import Actor
from plaint.complaints.choices import EventKind, Outcome, RemedyKind
from plaint.complaints.error_codes import ComplaintErrorCode
from plaint.complaints.lifecycle import Action
from plaint.complaints.models import Complaint, Decision, ExternalReferral, FinalResponse
from plaint.complaints.notifications import notify_complaint_customer
from plaint.complaints.policy import Operation
from plaint.complaints.services.common import authorise, event_record, service
from plaint.complaints.services.demands import CURRENCY
from plaint.complaints.services.transitions import apply_plan, complaint_plan
from plaint.core import clock
from plaint.core.exceptions import Conflict, ValidationFailed


@dataclass(frozen=True)
class DecisionSpec:
    outcome: str
    reasoning: str
    remedy_kind: str = RemedyKind.NONE
    remedy_amount: Decimal | None = None
    remedy_currency: str = ""
    remedy_detail: str = ""


def _validate_decision(spec: DecisionSpec) -> None:
    errors: dict[str, list[str]] = {}
    if spec.outcome and spec.outcome not in Outcome.values:
        errors["outcome"] = [gettext("Unknown outcome.")]
    if spec.remedy_kind not in RemedyKind.values:
        errors["remedy_kind"] = [gettext("Unknown remedy.")]
    if spec.remedy_amount is not None:
        if spec.remedy_amount <= 0:
            errors["remedy_amount"] = [gettext("The amount must be more than zero.")]
        if not CURRENCY.match(spec.remedy_currency):
            errors["remedy_currency"] = [gettext("Give the currency as a three-letter code.")]
    elif spec.remedy_currency:
        errors["remedy_amount"] = [gettext("A currency needs an amount.")]
    if errors:
        raise ValidationFailed("validation_error", gettext("The decision is not valid."),
                               fields=errors)


@service
def complaint_decide(*, actor: Actor, complaint: Complaint, spec: DecisionSpec) -> Decision:
    """Record the decision: outcome, remedy and reasoning; the demands must be recorded."""
    authorise(actor, Operation.DECIDE, complaint)
    _validate_decision(spec)
    outcome = complaint_plan(
        complaint, Action.DECIDE, outcome=spec.outcome, reasoning=spec.reasoning
    )
    if spec.outcome != Outcome.UPHELD and complaint.decisions.exclude(deemed_by_rule="").exists():
        raise Conflict(
            ComplaintErrorCode.DEEMED_ACCEPTED,
            gettext(
                "The law deemed this complaint accepted when the time to answer ran out; "
                "a decision may not go against that."
            ),
        )
    decision = Decision.objects.create(
        complaint=complaint,
        outcome=spec.outcome,
        remedy_kind=spec.remedy_kind,
        remedy_amount=spec.remedy_amount,
        remedy_currency=spec.remedy_currency if spec.remedy_amount is not None else "",
        remedy_detail=spec.remedy_detail,
        reasoning=spec.reasoning,
        decided_by_kind=actor.kind,
        decided_by=actor.user,
        decided_at=clock.now(),
    )
    data = apply_plan(complaint, outcome)
    data.update(decision=decision.pk, outcome=spec.outcome, remedy=spec.remedy_kind)
    event_record(actor=actor, kind=EventKind.DECIDED, complaint=complaint, data=data)
    notify_complaint_customer(
        complaint,
        "decided",
        outcome=decision.get_outcome_display(),
        remedy=decision.get_remedy_kind_display() if spec.remedy_kind != RemedyKind.NONE else "",
        reasoning=spec.reasoning,
    )
    return decision


@service
def complaint_final_response_issue(
    *,
    actor: Actor,
    complaint: Complaint,
    text: str,
    external_body: str = "",
    referral_deadline: date | None = None,
) -> FinalResponse:
    """Issue the provider's final response, naming the external body and its time limit."""
    authorise(actor, Operation.ISSUE_FINAL_RESPONSE, complaint)
    if not text.strip():
        message = gettext("Write the final response.")
        raise ValidationFailed("validation_error", message, fields={"text": [message]})
    outcome = complaint_plan(complaint, Action.ISSUE_FINAL_RESPONSE)
    response = FinalResponse.objects.create(
        complaint=complaint,
        text=text,
        external_body=external_body,
        referral_deadline=referral_deadline,
        issued_by=actor.user,
        issued_at=clock.now(),
    )
    data = apply_plan(complaint, outcome)
    data["final_response"] = response.pk
    event_record(actor=actor, kind=EventKind.FINAL_RESPONSE_ISSUED, complaint=complaint, data=data)
    notify_complaint_customer(
        complaint,
        "final_response",
        text=text,
        external_body=external_body,
        referral_deadline=referral_deadline,
    )
    return response


@service
def complaint_refer(
    *, actor: Actor, complaint: Complaint, body: str, body_reference: str = ""
) -> ExternalReferral:
    """Record that the case went to an external body."""
    authorise(actor, Operation.REFER_EXTERNALLY, complaint)
    if not body.strip():
        message = gettext("Name the external body.")
        raise ValidationFailed("validation_error", message, fields={"body": [message]})
    outcome = complaint_plan(complaint, Action.REFER_EXTERNALLY)
    referral = ExternalReferral.objects.create(
        complaint=complaint, body=body, body_reference=body_reference, referred_at=clock.now()
    )
    data = apply_plan(complaint, outcome)
    data["referral"] = referral.pk
    event_record(actor=actor, kind=EventKind.REFERRED, complaint=complaint, data=data)
    return referral


@service
def complaint_external_outcome_record(
    *, actor: Actor, complaint: Complaint, outcome_text: str
) -> ExternalReferral:
    """Record what the external body decided."""
    authorise(actor, Operation.RECORD_EXTERNAL_OUTCOME, complaint)
    if not outcome_text.strip():
        message = gettext("Describe the outcome.")
        raise ValidationFailed("validation_error", message, fields={"outcome": [message]})
    plan = complaint_plan(complaint, Action.RECORD_EXTERNAL_OUTCOME)
    referral = complaint.referrals.order_by("-referred_at", "-id").first()
    if referral is None:  # pragma: no cover - the lifecycle requires a referral first
        raise ValidationFailed("validation_error", gettext("No referral recorded."))
    referral.outcome = outcome_text
    referral.resolved_at = clock.now()
    referral.save(update_fields=["outcome", "resolved_at"])
    data = apply_plan(complaint, plan)
    data["referral"] = referral.pk
    event_record(actor=actor, kind=EventKind.EXTERNAL_OUTCOME, complaint=complaint, data=data)
    return referral
