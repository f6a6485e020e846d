"""Deadlines in the API: extending a clock, keeping a promise, the case history (BR SAC), and
an organisation's own deadline policy. A complaint's clocks themselves are part of the complaint
(``ComplaintOut.clocks``) and the list filters (``overdue``, ``due_within_hours``, ``sort=due``)."""

from __future__ import annotations

from typing import Annotated, Literal

from django.db import transaction
from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import AwareDatetime, Field, StringConstraints

from plaint.api.auth import principal
from plaint.api.complaint_schemas import ComplaintOut, present_complaint
from plaint.api.errors import errors
from plaint.clocks.models import PolicyRule
from plaint.clocks.services import (
    PolicyRuleSpec,
    clock_extend,
    history_request,
    history_send,
    policy_rule_set,
    promise_keep,
)
from plaint.complaints import selectors
from plaint.complaints.access import access_complaint_by_reference
from plaint.complaints.actors import Actor, staff_actor
from plaint.complaints.choices import Channel
from plaint.complaints.models import Complaint
from plaint.core.exceptions import NotFound
from plaint.deadlines.durations import Unit
from plaint.deadlines.rules import ExpiryAction, Start
from plaint.parties.models import Organisation

router = Router(tags=["deadlines"])


def _locked(request: HttpRequest, reference: str) -> tuple[Complaint, Actor]:
    return access_complaint_by_reference(principal=principal(request), reference=reference, for_update=True)


def _detail(complaint: Complaint, actor: Actor) -> dict[str, object]:
    return present_complaint(selectors.complaint_detail(complaint=complaint, actor=actor), actor)


class ClockExtensionIn(Schema):
    clock: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    due: AwareDatetime
    reason: Annotated[str, StringConstraints(max_length=5000)]
    customer_agreed: bool = False


@router.post("/complaints/{reference}/clock-extensions",
             response={200: ComplaintOut, **errors(403, 404, 409)},
             summary="Extend a deadline, with reasons")
def extend_clock(request: HttpRequest, reference: str, payload: ClockExtensionIn):  # type: ignore[no-untyped-def]
    """Move a deadline later where its rule allows (PL finance: up to 60 days in all; CZ
    consumer: only by agreement with the customer). The customer is sent the new date and the
    reasons."""
    with transaction.atomic():
        complaint, actor = _locked(request, reference)
        clock_extend(actor=actor, complaint=complaint, key=payload.clock, due=payload.due,
                     reason=payload.reason, customer_agreed=payload.customer_agreed)
    return _detail(complaint, actor)


@router.post("/complaints/{reference}/promises/{promise_id}/kept",
             response={200: ComplaintOut, **errors(403, 404, 409)}, summary="Record a promise kept")
def keep_promise(request: HttpRequest, reference: str, promise_id: int):  # type: ignore[no-untyped-def]
    with transaction.atomic():
        complaint, actor = _locked(request, reference)
        promise_keep(actor=actor, complaint=complaint, promise_id=promise_id)
    return _detail(complaint, actor)


@router.post("/complaints/{reference}/history-requests",
             response={200: ComplaintOut, **errors(403, 404)}, summary="Ask for the case history")
def request_history(request: HttpRequest, reference: str):  # type: ignore[no-untyped-def]
    """The customer asks for the history of the case; where the law sets a time for sending
    it (BR SAC: 5 days), a clock starts."""
    with transaction.atomic():
        complaint, actor = _locked(request, reference)
        history_request(actor=actor, complaint=complaint)
    return _detail(complaint, actor)


@router.post("/complaints/{reference}/history",
             response={200: ComplaintOut, **errors(403, 404)}, summary="Send the case history")
def send_history(request: HttpRequest, reference: str):  # type: ignore[no-untyped-def]
    """E-mail the customer every step of the case they may see, in order."""
    with transaction.atomic():
        complaint, actor = _locked(request, reference)
        history_send(actor=actor, complaint=complaint)
    return _detail(complaint, actor)


class PolicyRuleIn(Schema):
    code: Annotated[str, StringConstraints(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9_-]+$")]
    title: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    start: Literal[tuple(s.value for s in Start)] = "received"  # type: ignore[valid-type]
    duration_value: int = Field(ge=1, le=10000)
    duration_unit: Literal[tuple(u.value for u in Unit)]  # type: ignore[valid-type]
    channel: Literal[("", *Channel.values)] = ""  # type: ignore[valid-type]
    pauses_awaiting_customer: bool = False
    warning_at: float | None = Field(default=None, gt=0, lt=1)
    on_expiry: list[Literal["escalate", "notify_manager"]] = Field(  # type: ignore[valid-type]
        default_factory=lambda: [ExpiryAction.ESCALATE.value], max_length=2
    )
    is_active: bool = True


class PolicyRuleOut(Schema):
    id: int
    code: str
    version: int
    title: str
    start: str
    duration_value: int
    duration_unit: str
    channel: str
    pauses_awaiting_customer: bool
    warning_at: float | None
    on_expiry: list[str]
    is_active: bool
    effective_from: AwareDatetime
    effective_to: AwareDatetime | None


def _policy_actor(request: HttpRequest, organisation_id: int) -> tuple[Organisation, Actor]:
    """The organisation and the caller as its staff; anyone else gets the 404 of a stranger."""
    who = principal(request)
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    actor = staff_actor(who, organisation_id) if organisation is not None else None
    if organisation is None or actor is None:
        raise NotFound
    return organisation, actor


@router.get("/organisations/{organisation_id}/policy-rules",
            response={200: list[PolicyRuleOut], **errors(404)}, summary="List the deadline policy")
def list_policy_rules(request: HttpRequest, organisation_id: int):  # type: ignore[no-untyped-def]
    """Every version of the organisation's own deadline rules, newest first per rule."""
    organisation, _actor = _policy_actor(request, organisation_id)
    return list(PolicyRule.objects.filter(organisation=organisation).order_by("code", "-version"))


@router.post("/organisations/{organisation_id}/policy-rules",
             response={201: PolicyRuleOut, **errors(403, 404)}, summary="Set a deadline policy rule")
def set_policy_rule(request: HttpRequest, organisation_id: int, payload: PolicyRuleIn):  # type: ignore[no-untyped-def]
    """Add the next version of a rule (a new code starts at version 1). Refused when the
    deadline would end after a statutory one that starts at the same time."""
    organisation, actor = _policy_actor(request, organisation_id)
    with transaction.atomic():
        row = policy_rule_set(actor=actor, organisation=organisation, spec=PolicyRuleSpec(
            code=payload.code, title=payload.title, start=payload.start,
            duration_value=payload.duration_value, duration_unit=payload.duration_unit,
            channel=payload.channel, pauses_awaiting_customer=payload.pauses_awaiting_customer,
            warning_at=payload.warning_at, on_expiry=tuple(payload.on_expiry),
            is_active=payload.is_active,
        ))
    return Status(201, row)
