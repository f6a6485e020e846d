"""The permission suite: every endpoint of the API, for every actor of the canonical cast.

Each row of ``CASES`` is one request to one endpoint, from a given state of
customer A's complaint (or cancellation), with the status every actor gets, in
the order of ``ALL_ACTORS``. Anonymous callers get 401; whoever may not see the
object gets the 404 that a missing object gets, with the same body; the
complaint's customer and organisation 1's staff get what ``policy.POLICY`` and
the lifecycle say. A read, or a request refused with any 4xx, changes nothing
in the database; an accepted write changes it. An endpoint of the API without a
row fails ``test_the_table_covers_every_endpoint_of_the_api``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponseBase
from django.test import Client, override_settings

from plaint.api.v1 import api
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
from plaint.core import clock, references
from plaint.parties.choices import Role, TokenScope
from plaint.parties.services import api_token_create
from plaint.testing import builders
from plaint.testing.actors import (
    AGENT,
    ALL_ACTORS,
    ANONYMOUS,
    COMPLAINTS_OFFICER,
    CUSTOMER_A,
    CUSTOMER_B,
    INTERNAL_MARK,
    MANAGER,
    ORG1_STAFF,
    ORG_ADMIN,
    OTHER_ORG_AGENT,
    PDF,
    PLATFORM_ADMIN,
    TEAM_LEADER,
    TOKEN,
    Cast,
)
from plaint.testing.database import all_rows
from plaint.webhooks.services import webhook_endpoint_create

ROOT = "/api/v1"
NOT_FOUND = {"code": "not_found", "message": "Not found.", "fields": {}}
NOT_AUTHENTICATED = {
    "code": "not_authenticated", "message": "Sign in or send a valid API token.", "fields": {},
}

Context = dict[str, Any]
Body = dict[str, Any] | Callable[[Context], dict[str, Any]] | None


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str
    given: Callable[[Cast], Context]
    body: Body
    statuses: dict[str, int]
    multipart: bool = False

    @property
    def endpoint(self) -> tuple[str, str]:
        return self.method, self.path


def case(name: str, endpoint: str, given: Callable[[Cast], Context], body: Body,
         *statuses: int, multipart: bool = False) -> Case:
    method, path = endpoint.split()
    assert len(statuses) == len(ALL_ACTORS), name
    return Case(name, method, path, given, body, dict(zip(ALL_ACTORS, statuses, strict=True)),
                multipart)


def send(client: Client, case_: Case, context: Context) -> HttpResponseBase:
    """Make the case's request with ``client``, the path filled in from ``context``."""
    url = ROOT + case_.path.format(**context)
    body = case_.body(context) if callable(case_.body) else case_.body
    if case_.method == "GET":
        return client.get(url, body or {})
    if case_.multipart:
        return client.post(url, body or {})
    return client.generic(case_.method, url, json.dumps(body or {}),
                          content_type="application/json")


def content(response: HttpResponseBase) -> bytes:
    """The whole body of a response, streamed or not."""
    if response.streaming:
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response.content  # type: ignore[attr-defined]


def api_endpoints() -> set[tuple[str, str]]:
    """Every (method, path) the API object serves, from its routers' path operations."""
    _ = api.urls  # binds the routers, nested ones too, so that ``_routers`` lists them all
    found = set()
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    found.add((method, (prefix.rstrip("/") + path) or "/"))
    return found


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


@pytest.fixture(autouse=True)
def _webhook_urls_may_name_loopback(settings):
    """The webhook endpoint registered by the table is on 127.0.0.1, which production refuses."""
    settings.PLAINT_WEBHOOKS_ALLOW_PRIVATE = True


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


def test_the_table_covers_every_endpoint_of_the_api():
    # given the endpoints the API object serves
    served = api_endpoints()
    # when the table's endpoints are compared with them
    tested = {c.endpoint for c in CASES}
    # then every served endpoint has a row, and no row names an endpoint that does not exist
    assert served - tested == set(), "endpoints without a row in the permission table"
    assert tested - served == set(), "rows for endpoints the API does not serve"


def test_the_actor_names_of_the_table_header_are_the_canonical_set():
    assert ALL_ACTORS == [ANONYMOUS, CUSTOMER_A, CUSTOMER_B, AGENT, TEAM_LEADER, COMPLAINTS_OFFICER,
                          MANAGER, ORG_ADMIN, OTHER_ORG_AGENT, PLATFORM_ADMIN, TOKEN]


@pytest.mark.parametrize("actor", ALL_ACTORS)
@pytest.mark.parametrize("case_", CASES, ids=CASE_IDS)
def test_each_actor_gets_the_status_the_table_says(cast, case_, actor):
    # given the state the case starts from, and the actor's client
    context = case_.given(cast)
    client = cast.client(actor)
    before = all_rows()
    # when the actor makes the request
    response = send(client, case_, context)
    # then the status is the table's
    expected = case_.statuses[actor]
    body = content(response)
    assert response.status_code == expected, body[:500]
    # and a read or a refusal changes nothing, an accepted write does
    changed = all_rows() != before
    assert changed == (case_.method != "GET" and expected < 400)
    # and a refusal is the one error shape, and tells nothing
    if expected >= 400:
        error = json.loads(body)
        assert set(error) == {"code", "message", "fields"}
    if expected == 401:
        assert error == NOT_AUTHENTICATED
    if expected == 404:
        assert error == NOT_FOUND
    if expected == 403:
        assert error["code"] == "not_permitted"
    # and nobody but organisation 1's staff reads anything internal
    if actor not in ORG1_STAFF:
        assert INTERNAL_MARK.encode() not in body


LIST_SEES = {
    CUSTOMER_A: {"complaint_a"},
    CUSTOMER_B: {"complaint_b"},
    **dict.fromkeys(ORG1_STAFF, {"complaint_a", "complaint_b"}),
    OTHER_ORG_AGENT: {"complaint_other_org"},
    PLATFORM_ADMIN: set(),
}


@pytest.mark.parametrize("actor", sorted(LIST_SEES))
def test_the_list_shows_each_actor_only_the_complaints_they_may_see(cast, actor):
    # given the cast's three complaints: A's and B's in organisation 1, one in organisation 2
    names = {getattr(cast, n).reference: n for n in ("complaint_a", "complaint_b", "complaint_other_org")}
    client = cast.client(actor)
    # when the actor lists complaints, all of them, organisation 1's, and searches for A's reference
    everything = client.get(f"{ROOT}/complaints", {"limit": 200}).json()["items"]
    of_org1 = client.get(f"{ROOT}/complaints", {"organisation_id": cast.org1.pk}).json()["items"]
    search = client.get(f"{ROOT}/complaints", {"q": cast.complaint_a.reference}).json()["items"]
    # then each shows only what the actor may see
    assert {names[c["reference"]] for c in everything} == LIST_SEES[actor]
    assert {names[c["reference"]] for c in of_org1} == LIST_SEES[actor] - {"complaint_other_org"}
    assert {names[c["reference"]] for c in search} == LIST_SEES[actor] & {"complaint_a"}


@pytest.mark.parametrize("case_", CASES, ids=CASE_IDS)
def test_a_read_only_token_may_read_but_not_write(cast, case_):
    # given a read-only token of organisation 1 with the canonical token's role
    _token, secret = api_token_create(organisation=cast.org1, name="Reporting", role=Role.AGENT,
                                      scope=TokenScope.READ)
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    context = case_.given(cast)
    before = all_rows()
    # when it makes the case's request
    response = send(client, case_, context)
    # then it reads what the write token reads, and every write is refused, keeping nothing
    if case_.method == "GET":
        assert response.status_code == case_.statuses[TOKEN]
    else:
        assert response.status_code == 403, content(response)[:500]
        assert response.json()["code"] == "permission_denied"
        assert all_rows() == before


#: A well-formed reference (its check character right) that no complaint has.
GHOST_REFERENCE = "GH0STREF" + references.check_character("GH0STREF")
GHOSTS = {"reference": GHOST_REFERENCE, "protocol": GHOST_REFERENCE,
          "evidence_id": 987654321, "message_id": 987654321, "promise_id": 987654321,
          "organisation_id": 987654321, "endpoint_id": 987654321, "delivery_id": 987654321,
          "incoming_id": 987654321, "token_id": 987654321}
CASES_WITH_PATH_IDS = [c for c in CASES if "{" in c.path]


@pytest.mark.parametrize("case_", CASES_WITH_PATH_IDS, ids=[c.name for c in CASES_WITH_PATH_IDS])
def test_what_does_not_exist_gets_the_same_404_as_what_is_not_yours(cast, case_):
    # given the case's state, and its path with identifiers of nothing
    context = case_.given(cast)
    ghost = {**context, **{k: v for k, v in GHOSTS.items() if k in context}}
    manager, customer_b = cast.client(MANAGER), cast.client(CUSTOMER_B)
    before = all_rows()
    # when a manager of organisation 1 asks for nothing, and customer B for customer A's
    missing = send(manager, case_, ghost)
    not_theirs = send(customer_b, case_, context)
    # then both get the same answer, and nothing changes
    assert missing.status_code == not_theirs.status_code == 404
    assert missing.json() == not_theirs.json() == NOT_FOUND
    assert all_rows() == before
