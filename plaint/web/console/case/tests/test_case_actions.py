"""``allowed_actions`` against the services: for every staff role of the canonical cast, in
several states and levels, an action the page offers succeeds with valid input and an action it
does not offer is refused by its service. Each attempt is rolled back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction

from plaint.complaints.lifecycle import Action, State
from plaint.complaints.models import CancellationRequest, Complaint, Message
from plaint.complaints.services.assignment import complaint_assign
from plaint.complaints.services.cancellations import cancellation_execute, cancellation_request
from plaint.complaints.services.decisions import (
    DecisionSpec,
    complaint_decide,
    complaint_final_response_issue,
)
from plaint.complaints.services.demands import DemandSpec, complaint_demands_record
from plaint.complaints.services.escalation import complaint_escalate
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
from plaint.core.exceptions import ApplicationError
from plaint.testing import builders
from plaint.testing.actors import CUSTOMER_A, STAFF_ROLES, Cast, cast  # noqa: F401
from plaint.web.console.case.actions import CaseAction, allowed_actions

pytestmark = pytest.mark.django_db
A = CaseAction


class _Rollback(Exception):  # noqa: N818 - a signal, not an error
    pass


def _fresh(pk: int) -> Complaint:
    return Complaint.objects.select_related("organisation", "customer", "team", "assignee__user",
                                            "merged_into").get(pk=pk)


def _attempts(cast: Cast, complaint: Complaint) -> dict[CaseAction, Callable]:  # noqa: F811
    """Each action done through its service with valid input, as the page's views do."""
    customer = complaint.customer
    other = builders.complaint(customer, subject="The same matter again")
    message = message_add(actor=cast.actor("system"), complaint=complaint, body="Misfiled?")
    cancellation = cancellation_request(actor=cast.actor("system"), customer=customer,
                                        service_name="Internet 500")
    now = clock.now()
    agent_membership = cast.memberships["agent"]
    return {
        A.ACKNOWLEDGE: lambda c, a: complaint_transition(actor=a, complaint=c, action=Action.ACKNOWLEDGE),
        A.LOG_INTERACTION: lambda c, a: interaction_log(actor=a, complaint=c, spec=InteractionSpec(
            channel="phone", direction="inbound", started_at=now - timedelta(minutes=5),
            duration_seconds=60, notes="Called.",
            promises=[PromiseSpec(kind="callback", due_at=now + timedelta(days=1))])),
        A.MESSAGE: lambda c, a: message_add(actor=a, complaint=c, body="Hello."),
        A.NOTE: lambda c, a: message_add(actor=a, complaint=c, body="Note.", internal=True),
        A.DEMANDS: lambda c, a: complaint_demands_record(actor=a, complaint=c, demands=[
            DemandSpec(kind="refund", amount=Decimal("10.00"), currency="CZK")]),
        A.REQUEST_INFORMATION: lambda c, a: complaint_transition(
            actor=a, complaint=c, action=Action.REQUEST_INFORMATION, reason="Your invoice number?"),
        A.ESCALATE: lambda c, a: complaint_escalate(actor=a, complaint=c, reason="Needs a supervisor."),
        A.ASSIGN: lambda c, a: complaint_assign(actor=a, complaint=c, team_id=None,
                                                assignee_id=agent_membership.pk),
        A.DECIDE: lambda c, a: complaint_decide(actor=a, complaint=c, spec=DecisionSpec(
            outcome="upheld", reasoning="The invoice shows it.", remedy_kind="refund",
            remedy_amount=Decimal("25.00"), remedy_currency="CZK")),
        A.FINAL_RESPONSE: lambda c, a: complaint_final_response_issue(
            actor=a, complaint=c, text="Our final response.", external_body="ČTÚ"),
        A.CANCELLATION_EXECUTED: lambda c, a: cancellation_execute(
            actor=a, cancellation=CancellationRequest.objects.get(pk=cancellation.pk)),
        A.MOVE_MESSAGE: lambda c, a: message_move(
            actor=a, message=Message.objects.select_related("complaint").get(pk=message.pk),
            to_complaint=_fresh(other.pk)),
        A.MERGE: lambda c, a: complaint_merge(actor=a, source=c, target=_fresh(other.pk), reason="Same."),
    }


def _succeeds(attempt: Callable, complaint_pk: int, actor) -> bool:  # type: ignore[no-untyped-def]
    try:
        with transaction.atomic():
            attempt(_fresh(complaint_pk), actor)
            raise _Rollback
    except _Rollback:
        return True
    except ApplicationError:
        return False


SITUATIONS = [
    (State.RECEIVED, 1, True), (State.ACKNOWLEDGED, 1, True), (State.ACKNOWLEDGED, 1, False),
    (State.ACKNOWLEDGED, 2, True), (State.AWAITING_CUSTOMER, 1, True), (State.INVESTIGATING, 3, True),
    (State.DECIDED, 1, True), (State.CLOSED, 1, True), (State.ACKNOWLEDGED, 4, True),
]


@pytest.mark.parametrize(("state", "level", "demands"), SITUATIONS)
def test_every_action_offered_succeeds_and_every_other_is_refused_by_its_service(
        cast, state, level, demands):  # noqa: F811
    # given a complaint of customer A in this state and level (demands recorded or not)
    complaint = builders.complaint(cast.customers[CUSTOMER_A], demands=demands)
    builders.reach(complaint, state, level=level) if demands else builders.move(
        builders.escalate_to(complaint, level), Action.ACKNOWLEDGE)
    attempts = _attempts(cast, complaint)
    wrong = []
    for who in STAFF_ROLES:
        actor = cast.actor(who)
        # when the page asks what the role may do
        offered = set(allowed_actions(_fresh(complaint.pk), actor))
        for action, attempt in attempts.items():
            # then the service agrees, action by action
            if _succeeds(attempt, complaint.pk, actor) != (action in offered):
                wrong.append((who, action.value, "offered" if action in offered else "not offered"))
    assert wrong == []


def test_an_agent_at_the_frontline_is_offered_the_frontline_actions(cast):  # noqa: F811
    # given a new complaint at level 1
    complaint = builders.complaint(cast.customers[CUSTOMER_A])
    # then an agent may acknowledge, escalate, assign and record things, but not decide or
    # issue a final response before acknowledging
    offered = allowed_actions(_fresh(complaint.pk), cast.actor("agent"))
    assert A.ACKNOWLEDGE in offered
    assert A.ESCALATE in offered
    assert A.NOTE in offered
    assert A.DECIDE not in offered
    assert A.FINAL_RESPONSE not in offered
    # and an organisation admin handles nothing
    assert allowed_actions(_fresh(complaint.pk), cast.actor("org_admin")) == [A.CANCELLATION_EXECUTED]
