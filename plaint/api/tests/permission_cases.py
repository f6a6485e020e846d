"""The rows of the API's permission table (``test_permissions``): the state each request
starts from, its body, and the status each actor of the canonical cast gets, in the order of
``ALL_ACTORS``. A new endpoint needs its row here, or ``test_the_table_covers_every_endpoint_of_the_api``
fails."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from plaint.api.tests.api_requests import Context, case
from plaint.channels.models import Mailbox
from plaint.channels.services import incoming_message_store
from plaint.complaints.actors import SYSTEM_ACTOR
from plaint.complaints.lifecycle import Action
from plaint.complaints.models import Evidence, Message
from plaint.complaints.services.cancellations import cancellation_execute, cancellation_request
from plaint.complaints.services.decisions import (
    DecisionSpec,
    complaint_decide,
    complaint_final_response_issue,
    complaint_refer,
)
from plaint.complaints.services.evidence import evidence_add
from plaint.complaints.services.inbound import incoming_message_process
from plaint.complaints.services.records import InteractionSpec, PromiseSpec, interaction_log
from plaint.core import clock
from plaint.parties.services import api_token_create
from plaint.testing import builders
from plaint.testing.actors import (
    AGENT,
    CUSTOMER_A,
    PDF,
    Cast,
)
from plaint.webhooks.services import webhook_endpoint_create

# ---- the states a request starts from: each returns what the request's path and body need


def org1(cast: Cast) -> Context:
    return {"organisation_id": cast.org1.pk}


def received(cast: Cast) -> Context:
    """Customer A's complaint as the cast built it: received, level 1, demands recorded."""
    return {"reference": cast.complaint_a.reference}


def received_with_team(cast: Cast) -> Context:
    agent = cast.memberships[AGENT]
    return {**received(cast), "team_id": agent.team_id, "assignee_id": agent.pk}


def acknowledged(cast: Cast) -> Context:
    builders.move(cast.complaint_a, Action.ACKNOWLEDGE)
    return received(cast)


def decided(cast: Cast) -> Context:
    context = acknowledged(cast)
    complaint_decide(actor=SYSTEM_ACTOR, complaint=cast.complaint_a, spec=DecisionSpec(
        outcome="upheld", reasoning="The invoice shows the double charge."))
    return context


def final_response_issued(cast: Cast) -> Context:
    context = decided(cast)
    complaint_final_response_issue(actor=SYSTEM_ACTOR, complaint=cast.complaint_a,
                                   text="We refund the second charge.", external_body="ČTÚ")
    return context


def referred(cast: Cast) -> Context:
    context = final_response_issued(cast)
    complaint_refer(actor=SYSTEM_ACTOR, complaint=cast.complaint_a, body="ČTÚ")
    return context


def formal(cast: Cast) -> Context:
    """A second complaint of customer A, filed as a formal complaint (level 3)."""
    complaint = builders.complaint(cast.customers[CUSTOMER_A], level=3, subject="Formal")
    return {"reference": complaint.reference}


def with_second_complaint(cast: Cast) -> Context:
    second = builders.complaint(cast.customers[CUSTOMER_A], subject="Charged twice again")
    return {**received(cast), "other_reference": second.reference}


def with_org2_complaint(cast: Cast) -> Context:
    return {**received(cast), "other_reference": cast.complaint_other_org.reference}


def internal_evidence(cast: Cast) -> Context:
    evidence = Evidence.objects.get(complaint=cast.complaint_a, visibility="internal")
    return {**received(cast), "evidence_id": evidence.pk}


def visible_evidence(cast: Cast) -> Context:
    evidence = evidence_add(actor=cast.actor(CUSTOMER_A), complaint=cast.complaint_a,
                            stream=io.BytesIO(PDF), name="bill.pdf")
    return {**received(cast), "evidence_id": evidence.pk}


def message_and_second_complaint(cast: Cast) -> Context:
    message = Message.objects.filter(complaint=cast.complaint_a, visibility="customer").earliest("pk")
    return {**with_second_complaint(cast), "message_id": message.pk}


def retail_complaint(cast: Cast) -> Context:
    """A complaint of customer A after organisation 1 became a retailer: its Czech consumer
    clock may be extended by agreement with the consumer."""
    type(cast.org1).objects.filter(pk=cast.org1.pk).update(sector="retail")
    cast.customers[CUSTOMER_A].organisation.refresh_from_db()
    complaint = builders.complaint(cast.customers[CUSTOMER_A], subject="A broken kettle")
    due = complaint.clocks.get(key="CZ.consumer.handle").due_at
    return {"reference": complaint.reference, "due": (due + timedelta(days=5)).isoformat()}


def with_promise(cast: Cast) -> Context:
    interaction = interaction_log(actor=SYSTEM_ACTOR, complaint=cast.complaint_a, spec=InteractionSpec(
        channel="phone", direction="outbound", started_at=clock.now() - timedelta(minutes=5),
        staff_name="Eva", promises=[PromiseSpec(kind="callback", due_at=clock.now() + timedelta(hours=2))],
    ))
    return {**received(cast), "promise_id": interaction.promises.get().pk}


def cancellation(cast: Cast) -> Context:
    request = cancellation_request(actor=cast.actor(CUSTOMER_A), customer=cast.customers[CUSTOMER_A],
                                   service_name="Fibre 300")
    return {"protocol": request.protocol_number}


def webhook_endpoint(cast: Cast) -> Context:
    """An endpoint of organisation 1 for received complaints, with one delivery queued (the
    address is a closed port on loopback: nothing in this suite sends, on_commit never runs)."""
    with override_settings(PLAINT_WEBHOOKS_ALLOW_PRIVATE=True):
        endpoint, _secret = webhook_endpoint_create(
            actor=SYSTEM_ACTOR, organisation=cast.org1, url="https://127.0.0.1:9/plaint",
            event_types=["complaint.received"])
    builders.complaint(cast.customers[CUSTOMER_A], subject="Sent to the CRM")
    delivery = endpoint.deliveries.get()
    return {**org1(cast), "endpoint_id": endpoint.pk, "delivery_id": delivery.pk}


def api_token(cast: Cast) -> Context:
    """A second token of organisation 1, for a CRM."""
    token, _secret = api_token_create(organisation=cast.org1, name="CRM")
    return {**org1(cast), "token_id": token.pk}


def walk_in_customer(cast: Cast) -> Context:
    """A customer of organisation 1 without an account or a complaint: nothing holds erasure."""
    customer = builders.customer(cast.org1, with_user=False, full_name="Walk-in Person")
    return {**org1(cast), "customer_id": customer.pk}


def customer_on_hold(cast: Cast) -> Context:
    """Customer A, whose complaint A is open: a legal hold."""
    return {**org1(cast), "customer_id": cast.customers[CUSTOMER_A].pk}


def incoming_held(cast: Cast) -> Context:
    """An e-mail to organisation 1's mailbox that could not be read: held for a person."""
    Mailbox.objects.create(organisation=cast.org1, address="desk@org1.test")
    message, _ = incoming_message_store(raw=b"\x00 not an e-mail", source="pipe", recipient="desk@org1.test")
    incoming_message_process(message_id=message.pk)
    return {**org1(cast), "incoming_id": message.pk}


def executed_cancellation(cast: Cast) -> Context:
    context = cancellation(cast)
    request = cast.customers[CUSTOMER_A].cancellations.get()
    cancellation_execute(actor=SYSTEM_ACTOR, cancellation=request)
    return context


# ---- bodies


def new_complaint(context: Context) -> dict[str, Any]:
    return {
        "organisation_id": context["organisation_id"], "channel": "phone",
        "subject": "No internet", "description": "Down since Monday.",
        "customer": {"full_name": "Jan Novák", "email": "jan@example.test"},
        "demands": [{"kind": "price_reduction", "amount": "150.00", "currency": "CZK"}],
    }


def extension(context: Context) -> dict[str, Any]:
    return {"clock": "CZ.consumer.handle", "due": context["due"], "customer_agreed": True,
            "reason": "The kettle went to the manufacturer's lab."}


POLICY_RULE = {"code": "phone-first-answer", "title": "Phone complaints answered next business day",
               "duration_value": 1, "duration_unit": "business_days", "channel": "phone"}


def new_cancellation(context: Context) -> dict[str, Any]:
    return {"organisation_id": context["organisation_id"], "service": "Fibre 300",
            "customer": {"full_name": "Jan Novák", "email": "jan@example.test"}}


def assignment(context: Context) -> dict[str, Any]:
    return {"team_id": context["team_id"], "assignee_id": context["assignee_id"]}


def a_pdf(context: Context) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("bill.pdf", PDF, "application/pdf"),
            "description": "The October bill"}


def a_letter(context: Context) -> dict[str, Any]:
    received_on = (clock.now() - timedelta(days=3)).date().isoformat()
    return {"file": SimpleUploadedFile("letter.pdf", PDF, "application/pdf"),
            "received_at": received_on, "summary": "Asks again for the refund."}


def a_complaint_by_letter(context: Context) -> dict[str, Any]:
    return {**a_letter(context), "organisation_id": context["organisation_id"],
            "subject": "Charged twice", "description": "The letter says the bill was doubled.",
            "customer_full_name": "Jan Novák", "customer_postal_address": "Dlouhá 1, Praha"}


def a_transcript(context: Context) -> dict[str, Any]:
    start = clock.now() - timedelta(hours=1)
    return {
        "started_at": start.isoformat(), "ended_at": (start + timedelta(minutes=10)).isoformat(),
        "participants": [{"role": "customer", "name": "Jan"},
                         {"role": "agent", "name": "Eva", "position": "Chat agent"}],
        "messages": [{"at": (start + timedelta(minutes=1)).isoformat(), "participant": 0,
                      "text": "Why was I charged twice?"},
                     {"at": (start + timedelta(minutes=2)).isoformat(), "participant": "Eva",
                      "text": "I will pass it to billing."}],
    }


def merge_into(context: Context) -> dict[str, Any]:
    return {"into_reference": context["other_reference"], "reason": "The same double charge."}


def move_to(context: Context) -> dict[str, Any]:
    return {"to_reference": context["other_reference"], "reason": "Filed on the wrong complaint."}


DEMANDS = {"demands": [{"kind": "refund", "amount": "30.00", "currency": "CZK"}]}
INTERACTION = {"channel": "phone", "direction": "inbound", "started_at": "2025-03-01T10:00:00+01:00",
               "duration_seconds": 60, "notes": "Called about the invoice."}
DECISION = {"outcome": "upheld", "reasoning": "Our logs show the double charge.",
            "remedy_kind": "refund", "remedy_amount": "25.00", "remedy_currency": "CZK"}
FINAL_RESPONSE = {"text": "We refund the second charge.", "external_body": "ČTÚ"}

C = "/complaints/{reference}"
W = "/organisations/{organisation_id}/webhooks"
T = "/organisations/{organisation_id}/tokens"
E = "/organisations/{organisation_id}/customers/{customer_id}/erasure"
NEW_TOKEN = {"name": "Reporting", "role": "agent", "scope": "read"}
WEBHOOK = {"url": "https://127.0.0.1:9/crm", "event_types": ["complaint.received", "clock.breached"]}
# fmt: off
CASES = [
    # case(name, endpoint, starting state, body, then the status of each actor of ALL_ACTORS:
    #   anonymous, customer A, customer B, agent, team leader, complaints officer, manager,
    #   organisation admin, organisation 2's agent, platform admin, organisation 1's API token)
    #    anon A    B    agt  TL   CO   mgr  adm  org2 root tok
    case("file a complaint", "POST /complaints", org1, new_complaint,
         401, 201, 201, 201, 201, 201, 201, 201, 201, 201, 201),
    case("list complaints", "GET /complaints", org1, None,
         401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    case("read a complaint", f"GET {C}", received, None,
         401, 200, 404, 200, 200, 200, 200, 200, 404, 404, 200),
    case("read the timeline", f"GET {C}/timeline", received, None,
         401, 200, 404, 200, 200, 200, 200, 200, 404, 404, 200),
    case("acknowledge", f"POST {C}/transitions", received, {"action": "acknowledge"},
         401, 403, 404, 200, 200, 200, 200, 403, 404, 404, 200),
    case("acknowledge a formal complaint", f"POST {C}/transitions", formal, {"action": "acknowledge"},
         401, 403, 404, 403, 403, 200, 200, 403, 404, 404, 403),
    case("close before a decision", f"POST {C}/transitions", received, {"action": "close"},
         401, 403, 404, 409, 409, 409, 409, 403, 404, 404, 409),
    case("withdraw", f"POST {C}/transitions", received, {"action": "withdraw", "reason": "Sorted."},
         401, 200, 404, 200, 200, 200, 200, 403, 404, 404, 200),
    case("escalate", f"POST {C}/escalations", received, {"reason": "Unhappy with the answer."},
         401, 403, 404, 200, 200, 200, 200, 403, 404, 404, 200),
    case("ask for a supervisor", f"POST {C}/supervisor-requests", received, {"words": "A supervisor!"},
         401, 200, 404, 403, 403, 403, 403, 403, 404, 404, 403),
    case("assign", f"PUT {C}/assignment", received_with_team, assignment,
         401, 403, 404, 200, 200, 200, 200, 403, 404, 404, 200),
    case("record demands", f"PUT {C}/demands", received, DEMANDS,
         401, 200, 404, 200, 200, 200, 200, 403, 404, 404, 200),
    case("record demands after the decision", f"PUT {C}/demands", decided, DEMANDS,
         401, 409, 404, 409, 409, 409, 409, 403, 404, 404, 409),
    case("log an interaction", f"POST {C}/interactions", received, INTERACTION,
         401, 201, 404, 201, 201, 201, 201, 403, 404, 404, 201),
    case("add a message", f"POST {C}/messages", received, {"body": "Any news?"},
         401, 201, 404, 201, 201, 201, 201, 403, 404, 404, 201),
    case("add an internal note", f"POST {C}/messages", received, {"body": "Ledger?", "internal": True},
         401, 403, 404, 201, 201, 201, 201, 403, 404, 404, 201),
    case("upload evidence", f"POST {C}/evidence", received, a_pdf,
         401, 201, 404, 201, 201, 201, 201, 403, 404, 404, 201,
         multipart=True),
    case("take a complaint in from a letter", "POST /letters", org1, a_complaint_by_letter,
         401, 403, 403, 201, 201, 201, 201, 403, 403, 403, 201,
         multipart=True),
    case("add a letter", f"POST {C}/letters", received, a_letter,
         401, 403, 404, 201, 201, 201, 201, 403, 404, 404, 201,
         multipart=True),
    case("attach a chat transcript", f"POST {C}/chat-transcripts", received, a_transcript,
         401, 403, 404, 201, 201, 201, 201, 403, 404, 404, 201),
    case("download internal evidence", f"GET {C}/evidence/{{evidence_id}}", internal_evidence, None,
         401, 404, 404, 200, 200, 200, 200, 200, 404, 404, 200),
    case("download the customer's evidence", f"GET {C}/evidence/{{evidence_id}}", visible_evidence, None,
         401, 200, 404, 200, 200, 200, 200, 200, 404, 404, 200),
    case("decide", f"POST {C}/decisions", acknowledged, DECISION,
         401, 403, 404, 201, 201, 201, 201, 403, 404, 404, 201),
    case("decide before acknowledging", f"POST {C}/decisions", received, DECISION,
         401, 403, 404, 409, 409, 409, 409, 403, 404, 404, 409),
    case("issue the final response", f"POST {C}/final-response", decided, FINAL_RESPONSE,
         401, 403, 404, 403, 403, 200, 200, 403, 404, 404, 403),
    case("issue a final response too early", f"POST {C}/final-response", received, FINAL_RESPONSE,
         401, 403, 404, 403, 403, 409, 409, 403, 404, 404, 403),
    case("refer externally", f"POST {C}/referrals", final_response_issued, {"body": "ČTÚ"},
         401, 200, 404, 403, 403, 200, 200, 403, 404, 404, 403),
    case("record the external outcome", f"POST {C}/referrals/outcome", referred, {"outcome": "Upheld."},
         401, 200, 404, 403, 403, 200, 200, 403, 404, 404, 403),
    case("merge", f"POST {C}/merge", with_second_complaint, merge_into,
         401, 403, 404, 200, 200, 200, 200, 403, 404, 404, 200),
    case("merge into org 2's complaint", f"POST {C}/merge", with_org2_complaint, merge_into,
         401, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    # A message is found for staff only: its customer gets the 404 of a message that is not theirs.
    case("move a message", "POST /messages/{message_id}/move", message_and_second_complaint, move_to,
         401, 404, 404, 200, 200, 200, 200, 403, 404, 404, 200),
    case("extend a deadline", f"POST {C}/clock-extensions", retail_complaint, extension,
         401, 403, 404, 403, 403, 200, 200, 403, 404, 404, 403),
    case("extend a deadline the law does not let extend", f"POST {C}/clock-extensions", received,
         {"clock": "CZ.telecom.handle", "due": "2099-01-01T00:00:00Z", "reason": "Busy."},
         401, 403, 404, 403, 403, 409, 409, 403, 404, 404, 403),
    case("record a promise kept", f"POST {C}/promises/{{promise_id}}/kept", with_promise, None,
         401, 403, 404, 200, 200, 200, 200, 403, 404, 404, 200),
    case("ask for the case history", f"POST {C}/history-requests", received, None,
         401, 200, 404, 200, 200, 200, 200, 403, 404, 404, 200),
    case("send the case history", f"POST {C}/history", received, None,
         401, 403, 404, 200, 200, 200, 200, 403, 404, 404, 200),
    case("read the deadline policy", "GET /organisations/{organisation_id}/policy-rules", org1, None,
         401, 404, 404, 200, 200, 200, 200, 200, 404, 404, 200),
    case("set a deadline policy rule", "POST /organisations/{organisation_id}/policy-rules", org1,
         POLICY_RULE,
         401, 404, 404, 403, 403, 403, 201, 201, 404, 404, 403),
    # Preferences are a staff member's own, whichever organisation they work for.
    case("read my notification preferences", "GET /me/notification-preferences", org1, None,
         401, 403, 403, 200, 200, 200, 200, 200, 200, 403, 403),
    case("change my notification preferences", "PUT /me/notification-preferences", org1,
         {"assigned": False},
         401, 403, 403, 200, 200, 200, 200, 200, 200, 403, 403),
    case("request a cancellation", "POST /cancellations", org1, new_cancellation,
         401, 201, 201, 201, 201, 201, 201, 201, 201, 201, 201),
    case("list cancellations", "GET /cancellations", cancellation, None,
         401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    case("read a cancellation", "GET /cancellations/{protocol}", cancellation, None,
         401, 200, 404, 200, 200, 200, 200, 200, 404, 404, 200),
    case("execute a cancellation", "POST /cancellations/{protocol}/execution", cancellation, None,
         401, 403, 404, 200, 200, 200, 200, 200, 404, 404, 200),
    case("execute a cancellation twice", "POST /cancellations/{protocol}/execution", executed_cancellation,
         None,
         401, 403, 404, 409, 409, 409, 409, 409, 404, 404, 409),
    case("list incoming e-mail", "GET /incoming-messages", incoming_held, None,
         401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    case("read an incoming e-mail", "GET /incoming-messages/{incoming_id}", incoming_held, None,
         401, 404, 404, 200, 200, 200, 200, 200, 404, 404, 200),
    case("download an incoming e-mail", "GET /incoming-messages/{incoming_id}/raw", incoming_held, None,
         401, 404, 404, 200, 200, 200, 200, 200, 404, 404, 200),
    case("list webhook event types", "GET /webhook-event-types", org1, None,
         401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    case("list webhook endpoints", f"GET {W}", webhook_endpoint, None,
         401, 404, 404, 403, 403, 403, 403, 200, 404, 404, 403),
    case("register a webhook endpoint", f"POST {W}", org1, WEBHOOK,
         401, 404, 404, 403, 403, 403, 403, 201, 404, 404, 403),
    case("read a webhook endpoint", f"GET {W}/{{endpoint_id}}", webhook_endpoint, None,
         401, 404, 404, 403, 403, 403, 403, 200, 404, 404, 403),
    case("change a webhook endpoint", f"PATCH {W}/{{endpoint_id}}", webhook_endpoint, {"is_active": False},
         401, 404, 404, 403, 403, 403, 403, 200, 404, 404, 403),
    case("delete a webhook endpoint", f"DELETE {W}/{{endpoint_id}}", webhook_endpoint, None,
         401, 404, 404, 403, 403, 403, 403, 204, 404, 404, 403),
    case("rotate a webhook secret", f"POST {W}/{{endpoint_id}}/secret", webhook_endpoint, None,
         401, 404, 404, 403, 403, 403, 403, 200, 404, 404, 403),
    case("read the webhook delivery log", f"GET {W}/{{endpoint_id}}/deliveries", webhook_endpoint, None,
         401, 404, 404, 403, 403, 403, 403, 200, 404, 404, 403),
    case("send a webhook delivery again", f"POST {W}/{{endpoint_id}}/deliveries/{{delivery_id}}/redelivery",
         webhook_endpoint, None,
         401, 404, 404, 403, 403, 403, 403, 202, 404, 404, 403),
    case("list API tokens", f"GET {T}", api_token, None,
         401, 404, 404, 403, 403, 403, 403, 200, 404, 404, 403),
    case("create an API token", f"POST {T}", org1, NEW_TOKEN,
         401, 404, 404, 403, 403, 403, 403, 201, 404, 404, 403),
    case("revoke an API token", f"POST {T}/{{token_id}}/revocation", api_token, None,
         401, 404, 404, 403, 403, 403, 403, 200, 404, 404, 403),
    case("erase a customer's data", f"POST {E}", walk_in_customer, None,
         401, 404, 404, 403, 403, 403, 403, 201, 404, 404, 403),
    case("erase a customer's data on legal hold", f"POST {E}", customer_on_hold, None,
         401, 404, 404, 403, 403, 403, 403, 409, 404, 404, 403),
]
# fmt: on
CASE_IDS = [c.name.replace(" ", "-") for c in CASES]
