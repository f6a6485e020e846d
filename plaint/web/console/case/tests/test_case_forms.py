"""Each action of a complaint's page through the browser's way in: a valid POST calls the
service, writes its event and redirects back with a message; an invalid one or a refusal
re-renders the page with the error and writes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from plaint.complaints.choices import EventKind
from plaint.complaints.lifecycle import Action, State
from plaint.complaints.models import CancellationRequest, Complaint, Event, Message, Promise
from plaint.complaints.services.cancellations import cancellation_request
from plaint.core import clock
from plaint.testing import builders
from plaint.testing.actors import (  # noqa: F401
    AGENT,
    COMPLAINTS_OFFICER,
    CUSTOMER_A,
    CUSTOMER_B,
    MANAGER,
    Cast,
    cast,
)

pytestmark = pytest.mark.django_db


def url(cast: Cast, complaint: Complaint, action: str = "") -> str:  # noqa: F811
    name = "web:console-complaint" + (f"-{action}" if action else "")
    return reverse(name, args=[cast.org1.slug, complaint.reference])


def post(cast: Cast, who, complaint: Complaint, action: str, data: dict):  # type: ignore[no-untyped-def]  # noqa: F811
    client = cast.client(who) if isinstance(who, str) else who
    return client.post(url(cast, complaint, action), {f"{action}-{k}": v for k, v in data.items()})


def local(moment) -> str:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    return timezone.localtime(moment, timezone.get_default_timezone()).strftime("%Y-%m-%dT%H:%M")


def _acknowledged(cast: Cast, level: int = 1) -> Complaint:  # noqa: F811
    return builders.reach(builders.complaint(cast.customers[CUSTOMER_A]), State.ACKNOWLEDGED, level=level)


def _last_event(complaint: Complaint) -> Event:
    return Event.objects.filter(complaint=complaint).order_by("-id").first()  # type: ignore[return-value]


def _case(cast, action):  # type: ignore[no-untyped-def]  # noqa: F811
    """The complaint, valid data and the event kind each action's happy path expects."""
    customer = cast.customers[CUSTOMER_A]
    if action == "acknowledge":
        return builders.complaint(customer), {}, EventKind.TRANSITIONED
    complaint = _acknowledged(cast)
    now = clock.now()
    if action == "interaction":
        data = {"channel": "phone", "direction": "inbound", "started_at": local(now - timedelta(hours=2)),
                "duration_minutes": "7", "notes": "Called about the bill.",
                "promise_kind_0": "callback", "promise_due_0": local(now + timedelta(days=1)),
                "promise_description_0": "Call back with the refund date."}
        return complaint, data, EventKind.INTERACTION_LOGGED
    if action == "message":
        return complaint, {"body": "We are on it."}, EventKind.MESSAGE_ADDED
    if action == "note":
        return complaint, {"body": "Check the billing system."}, EventKind.NOTE_ADDED
    if action == "demands":
        return complaint, {"kind_0": "refund", "amount_0": "40", "currency_0": "czk",
                           "kind_1": "apology", "currency_1": "CZK"}, EventKind.DEMANDS_RECORDED
    if action == "request-information":
        return complaint, {"question": "Which invoice?"}, EventKind.TRANSITIONED
    if action == "escalate":
        return complaint, {"reason": "The customer is upset."}, EventKind.ESCALATED
    if action == "assign":
        return complaint, {"member": str(cast.memberships[AGENT].pk)}, EventKind.ASSIGNED
    if action == "decide":
        return complaint, {"outcome": "upheld", "remedy_kind": "apology", "remedy_currency": "CZK",
                           "reasoning": "Charged twice."}, EventKind.DECIDED
    if action == "final-response":
        decided = builders.reach(builders.complaint(customer), State.DECIDED)
        return decided, {"text": "Our final answer.", "external_body": "ČTÚ"}, EventKind.FINAL_RESPONSE_ISSUED
    if action == "move-message":
        message = Message.objects.filter(complaint=cast.complaint_a).first()
        return cast.complaint_a, {"message": str(message.pk), "to_reference": complaint.reference,
                                  "reason": "Misfiled."}, EventKind.MESSAGE_MOVED
    if action == "merge":
        data = {"into_reference": cast.complaint_a.reference, "reason": "Same matter."}
        return complaint, data, EventKind.MERGED
    raise AssertionError(action)


@pytest.mark.parametrize("action", [
    "acknowledge", "interaction", "message", "note", "demands", "request-information", "escalate",
    "assign", "decide", "final-response", "move-message", "merge",
])
def test_each_action_writes_its_event_and_redirects_back_with_a_message(cast, action):  # noqa: F811
    # given a complaint where the action is allowed and valid data for its form
    complaint, data, kind = _case(cast, action)
    before = _last_event(complaint).pk
    who = COMPLAINTS_OFFICER if action == "final-response" else AGENT
    # when the staff member sends the form
    client = cast.client(who)
    response = post(cast, client, complaint, action, data)
    # then the service wrote its event and the page is shown again, with a message
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response.url == url(cast, complaint)
    event = _last_event(complaint)
    assert event.pk > before
    assert event.kind == kind
    page = client.get(response.url)
    assert page.status_code == 200
    assert 'class="case-messages" role="status"' in page.content.decode()


def test_a_logged_call_keeps_its_promised_callback(cast):  # noqa: F811
    complaint, data, _kind = _case(cast, "interaction")
    post(cast, AGENT, complaint, "interaction", data)
    promise = Promise.objects.get(complaint=complaint)
    assert promise.kind == "callback"
    assert promise.description == "Call back with the refund date."


def test_recording_a_cancellation_executed_writes_its_event(cast):  # noqa: F811
    # given an open cancellation of customer A
    cancellation = cancellation_request(actor=cast.actor("system"), customer=cast.customers[CUSTOMER_A],
                                        service_name="Internet 500")
    # when an agent records it executed from the complaint's page
    response = post(cast, AGENT, cast.complaint_a, "cancellation-executed",
                    {"protocol": cancellation.protocol_number})
    # then it is executed, with its event
    assert response.status_code == 302
    cancellation.refresh_from_db()
    assert cancellation.state == "executed"
    assert Event.objects.filter(cancellation=cancellation, kind=EventKind.CANCELLATION_EXECUTED).exists()


def test_another_customers_cancellation_cannot_be_executed_from_this_page(cast):  # noqa: F811
    cancellation = cancellation_request(actor=cast.actor("system"), customer=cast.customers[CUSTOMER_B],
                                        service_name="TV")
    response = post(cast, AGENT, cast.complaint_a, "cancellation-executed",
                    {"protocol": cancellation.protocol_number})
    assert response.status_code == 404
    assert CancellationRequest.objects.get(pk=cancellation.pk).state == "open"


def _refusal(cast, case):  # type: ignore[no-untyped-def]  # noqa: F811
    customer = cast.customers[CUSTOMER_A]
    if case == "role":  # an agent may not escalate at level 2
        return AGENT, _acknowledged(cast, level=2), "escalate", {"reason": "Why not."}, 403, \
            "Your role may not do this"
    if case == "state":  # acknowledged already
        return AGENT, _acknowledged(cast), "acknowledge", {}, 409, "not possible while the complaint"
    if case == "demands":  # a decision needs the demands
        complaint = builders.move(builders.complaint(customer, demands=False), Action.ACKNOWLEDGE)
        return AGENT, complaint, "decide", {"outcome": "upheld", "remedy_kind": "none",
                                            "reasoning": "Fine."}, 422, "Record what the customer asks for"
    if case == "merge-other-customer":
        return AGENT, _acknowledged(cast), "merge", {"into_reference": cast.complaint_b.reference,
                                                     "reason": "Same."}, 422, "same customer"
    if case == "merge-other-org":
        data = {"into_reference": cast.complaint_other_org.reference, "reason": "Same."}
        return AGENT, _acknowledged(cast), "merge", data, 422, "no complaint with this reference"
    if case == "empty":
        return AGENT, _acknowledged(cast), "message", {"body": ""}, 422, "This field is required"
    if case == "promise-without-time":
        return AGENT, _acknowledged(cast), "interaction", {
            "channel": "phone", "direction": "inbound", "started_at": local(clock.now()),
            "duration_minutes": "1", "notes": "x", "promise_kind_1": "callback"}, 422, "Say when the promise"
    raise AssertionError(case)


@pytest.mark.parametrize("case", ["role", "state", "demands", "merge-other-customer", "merge-other-org",
                                  "empty", "promise-without-time"])
def test_a_refusal_re_renders_the_page_with_the_message_and_writes_nothing(cast, case):  # noqa: F811
    # given an action that the rules or the input do not allow
    who, complaint, action, data, status, text = _refusal(cast, case)
    events = Event.objects.count()
    state, level = complaint.state, complaint.level
    # when it is sent
    response = post(cast, who, complaint, action, data)
    # then the page comes back with the status, the error in words and nothing written
    html = response.content.decode()
    assert response.status_code == status
    assert "Error:" in html
    assert text.lower() in html.lower()
    assert Event.objects.count() == events
    complaint.refresh_from_db()
    assert (complaint.state, complaint.level) == (state, level)


def test_an_action_on_another_organisations_complaint_is_not_found(cast):  # noqa: F811
    response = post(cast, MANAGER, cast.complaint_other_org, "note", {"body": "Hello"})
    assert response.status_code == 404
    assert not Message.objects.filter(body="Hello").exists()


def test_a_promise_due_before_the_call_is_refused_by_the_service_on_its_field(cast):  # noqa: F811
    # given a call logged with its second promise falling due before the call started
    complaint = _acknowledged(cast)
    now = clock.now()
    data = {"channel": "phone", "direction": "outbound", "started_at": local(now - timedelta(hours=1)),
            "duration_minutes": "3", "notes": "Called back.", "promise_kind_0": "action",
            "promise_due_0": local(now + timedelta(days=2)), "promise_kind_1": "callback",
            "promise_due_1": local(now - timedelta(days=1))}
    # when it is sent
    response = post(cast, AGENT, complaint, "interaction", data)
    # then the service's refusal is shown on that promise's field and nothing is written
    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_interaction-promise_due_1-error"' in html
    assert not Promise.objects.filter(complaint=complaint).exists()
