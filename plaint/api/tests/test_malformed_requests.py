"""Malformed and illegal requests get a 4xx ``{"code", "message", "fields"}`` and change nothing.

Each row of ``BAD`` is one request that must be refused: its status, its code,
and exactly the fields the answer names (``demands.0.amount`` for the amount
of the first demand). Every row compares every row of the database before and
after.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from plaint.api.tests.api_requests import GHOST_REFERENCE, ROOT, Context
from plaint.api.tests.permission_cases import acknowledged, decided, org1, received
from plaint.complaints.actors import SYSTEM_ACTOR
from plaint.complaints.lifecycle import Action
from plaint.complaints.services.escalation import complaint_escalate
from plaint.testing import builders
from plaint.testing.actors import AGENT, CUSTOMER_A, ORG_ADMIN, TOKEN, Cast
from plaint.testing.database import all_rows

C = "/complaints/{reference}"
NAIVE = "2025-03-01T10:00:00"
AWARE = "2025-03-01T10:00:00+01:00"


def withdrawn(cast: Cast) -> Context:
    builders.move(cast.complaint_a, Action.WITHDRAW)
    return received(cast)


def at_supervisor_level(cast: Cast) -> Context:
    complaint_escalate(actor=SYSTEM_ACTOR, complaint=cast.complaint_a, reason="Unhappy.")
    return received(cast)


def acknowledged_without_demands(cast: Cast) -> Context:
    complaint = builders.complaint(cast.customers[CUSTOMER_A], demands=False, channel="phone")
    builders.move(complaint, Action.ACKNOWLEDGE)
    return {"reference": complaint.reference}


def with_complaints_of_others(cast: Cast) -> Context:
    admin = cast.memberships[ORG_ADMIN]
    other_team = builders.team(cast.org2)
    return {**received(cast), "b_reference": cast.complaint_b.reference,
            "org2_team_id": other_team.pk, "admin_id": admin.pk}


def changed(base: dict[str, Any], **changes: Any) -> Callable[[Context], dict[str, Any]]:
    """``base`` with ``changes`` (a value of ``...`` removes the key); ``"{name}"`` string
    values are taken from the context."""

    def body(context: Context) -> dict[str, Any]:
        merged = {**base, **changes}
        return {
            k: (context[v[1:-1]] if isinstance(v, str) and v.startswith("{") else v)
            for k, v in merged.items() if v is not ...
        }

    return body


COMPLAINT = {
    "organisation_id": "{organisation_id}", "channel": "phone", "subject": "No internet",
    "description": "Down since Monday.",
    "customer": {"full_name": "Jan Novák", "email": "jan@example.test"},
}
REFUND = {"kind": "refund", "amount": "30.00", "currency": "CZK"}
INTERACTION = {"channel": "phone", "direction": "inbound", "started_at": AWARE}
DECISION = {"outcome": "upheld", "reasoning": "Our logs show the double charge."}
CANCELLATION = {"organisation_id": "{organisation_id}", "service": "Fibre 300",
                "customer": {"full_name": "Jan Novák"}}


@dataclass(frozen=True)
class Bad:
    name: str
    endpoint: str
    body: Any
    status: int
    code: str
    fields: set[str]
    given: Callable[[Cast], Context] = received
    actor: str = AGENT
    headers: dict[str, str] = field(default_factory=dict)


def intake(name: str, status: int, code: str, fields: set[str], **changes: Any) -> Bad:
    return Bad(name, "POST /complaints", changed(COMPLAINT, **changes), status, code, fields,
               given=org1, actor=TOKEN)


V = "validation_error"
BAD = [
    # ---- taking a complaint in
    Bad("bad JSON", "POST /complaints", '{"subject": ', 400, V, set(), given=org1, actor=TOKEN),
    Bad("a list instead of an object", "POST /complaints", "[]", 422, V,
        {"organisation_id", "channel", "subject", "description"}, given=org1, actor=TOKEN),
    Bad("nothing at all", "POST /complaints", {}, 422, V,
        {"organisation_id", "channel", "subject", "description"}, given=org1, actor=TOKEN),
    intake("wrong types", 422, V, {"subject", "organisation_id", "demands"},
           subject=12, organisation_id="first", demands="refund"),
    intake("an unknown channel", 422, V, {"channel"}, channel="fax"),
    intake("an unknown kind of demand", 422, V, {"demands.0.kind"}, demands=[{"kind": "bribe"}]),
    intake("a negative amount", 422, V, {"demands.0.amount"}, demands=[{**REFUND, "amount": "-5"}]),
    intake("a zero amount", 422, V, {"demands.0.amount"}, demands=[{**REFUND, "amount": "0"}]),
    intake("an amount in thousandths", 422, V, {"demands.0.amount"},
           demands=[{**REFUND, "amount": "1.234"}]),
    intake("a currency in lower case", 422, V, {"demands.0.currency"},
           demands=[{**REFUND, "currency": "czk"}]),
    intake("a currency without an amount", 422, "invalid_demand", {"demands.0.amount"},
           demands=[{"kind": "apology", "currency": "CZK"}]),
    intake("a refund without an amount", 422, "invalid_demand", {"demands.0.amount"},
           demands=[{"kind": "refund"}]),
    intake("a negative amount in dispute", 422, V, {"amount_in_dispute"},
           amount_in_dispute="-1", currency="CZK"),
    intake("a currency without an amount in dispute", 422, V, {"currency"}, currency="CZK"),
    intake("too many demands", 422, V, {"demands"}, demands=[REFUND] * 21),
    intake("a subject too long", 422, V, {"subject"}, subject="x" * 201),
    intake("a description too long", 422, V, {"description"}, description="x" * 20001),
    intake("a customer name too long", 422, V, {"customer.full_name"},
           customer={"full_name": "x" * 201}),
    intake("an empty subject", 422, V, {"subject"}, subject=""),
    intake("a blank subject", 422, V, {"subject"}, subject="   "),
    intake("a naive time of receipt", 422, V, {"received_at"}, received_at=NAIVE),
    intake("a start at level 2", 422, V, {"level"}, level=2),
    intake("an unknown organisation", 404, "not_found", set(), organisation_id=987654321),
    intake("no customer", 422, "customer_required", {"customer"}, customer=...),
    Bad("an Idempotency-Key too long", "POST /complaints", changed(COMPLAINT), 422, V,
        {"Idempotency-Key"}, given=org1, actor=TOKEN, headers={"Idempotency-Key": "k" * 201}),
    Bad("a blank Idempotency-Key", "POST /complaints", changed(COMPLAINT), 422, V,
        {"Idempotency-Key"}, given=org1, actor=TOKEN, headers={"Idempotency-Key": "  "}),
    # ---- changing the state
    Bad("an unknown action", f"POST {C}/transitions", {"action": "teleport"}, 422, V, {"action"}),
    Bad("an action with a form of its own", f"POST {C}/transitions", {"action": "decide"}, 422, V,
        {"action"}, given=acknowledged),
    Bad("withdrawing without a reason", f"POST {C}/transitions", {"action": "withdraw"}, 422,
        "reason_required", {"reason"}),
    Bad("closing before a decision", f"POST {C}/transitions", {"action": "close"}, 409,
        "transition_not_allowed", set()),
    Bad("reopening what is open", f"POST {C}/transitions", {"action": "reopen", "reason": "x"}, 409,
        "transition_not_allowed", set()),
    Bad("acknowledging a withdrawn complaint", f"POST {C}/transitions", {"action": "acknowledge"},
        409, "transition_not_allowed", set(), given=withdrawn),
    Bad("escalating without a reason", f"POST {C}/escalations", {}, 422, V, {"reason"}),
    Bad("escalating with a blank reason", f"POST {C}/escalations", {"reason": "  "}, 422,
        "reason_required", {"reason"}),
    Bad("escalating a withdrawn complaint", f"POST {C}/escalations", {"reason": "Unhappy."}, 409,
        "transition_not_allowed", set(), given=withdrawn),
    Bad("a second supervisor request", f"POST {C}/supervisor-requests", {"words": "Again!"}, 409,
        "supervisor_only_from_frontline", set(), given=at_supervisor_level, actor=CUSTOMER_A),
    # ---- assignment and demands
    Bad("another organisation's team", f"PUT {C}/assignment", changed({"team_id": "{org2_team_id}"}),
        422, "invalid_assignee", {"team_id"}, given=with_complaints_of_others),
    Bad("an organisation admin as handler", f"PUT {C}/assignment",
        changed({"assignee_id": "{admin_id}"}), 422, "invalid_assignee", {"assignee_id"},
        given=with_complaints_of_others),
    Bad("a team that is not a number", f"PUT {C}/assignment", {"team_id": "billing"}, 422, V,
        {"team_id"}),
    Bad("no demands", f"PUT {C}/demands", {"demands": []}, 422, "invalid_demand", {"demands"}),
    Bad("demands that are not a list", f"PUT {C}/demands", {"demands": REFUND}, 422, V, {"demands"}),
    Bad("a negative demand", f"PUT {C}/demands", {"demands": [REFUND, {**REFUND, "amount": "-1"}]},
        422, V, {"demands.1.amount"}),
    # ---- interactions and messages
    Bad("a naive start", f"POST {C}/interactions", {**INTERACTION, "started_at": NAIVE}, 422, V,
        {"started_at"}),
    Bad("a start in the future", f"POST {C}/interactions",
        {**INTERACTION, "started_at": "2999-01-01T10:00:00+00:00"}, 422, V, {"started_at"}),
    Bad("an unknown direction", f"POST {C}/interactions", {**INTERACTION, "direction": "sideways"},
        422, V, {"direction"}),
    Bad("a negative duration", f"POST {C}/interactions", {**INTERACTION, "duration_seconds": -1},
        422, V, {"duration_seconds"}),
    Bad("a promise due before the call", f"POST {C}/interactions",
        {**INTERACTION, "promises": [{"kind": "callback", "due_at": "2025-02-01T10:00:00+01:00"}]},
        422, V, {"promises.0.due_at"}),
    Bad("a promise with a naive time", f"POST {C}/interactions",
        {**INTERACTION, "promises": [{"kind": "callback", "due_at": "2025-03-02T10:00:00"}]},
        422, V, {"promises.0.due_at"}),
    Bad("an empty message", f"POST {C}/messages", {"body": ""}, 422, V, {"body"}),
    Bad("a blank message", f"POST {C}/messages", {"body": " \n "}, 422, V, {"body"}),
    Bad("a message too long", f"POST {C}/messages", {"body": "x" * 20001}, 422, V, {"body"}),
    Bad("a message that is not text", f"POST {C}/messages", {"body": ["hi"]}, 422, V, {"body"}),
    Bad("a flag that is not a boolean", f"POST {C}/messages", {"body": "hi", "internal": "maybe"},
        422, V, {"internal"}),
    # ---- decisions and what follows them
    Bad("a decision without demands", f"POST {C}/decisions", DECISION, 422, "demands_unspecified",
        {"demands"}, given=acknowledged_without_demands),
    Bad("a decision without reasons", f"POST {C}/decisions", {**DECISION, "reasoning": " "}, 422,
        "reasoning_required", {"reasoning"}, given=acknowledged),
    Bad("an unknown outcome", f"POST {C}/decisions", {**DECISION, "outcome": "maybe"}, 422, V,
        {"outcome"}, given=acknowledged),
    Bad("a negative remedy", f"POST {C}/decisions",
        {**DECISION, "remedy_kind": "refund", "remedy_amount": "-1", "remedy_currency": "CZK"},
        422, V, {"remedy_amount"}, given=acknowledged),
    Bad("a remedy currency without an amount", f"POST {C}/decisions",
        {**DECISION, "remedy_currency": "CZK"}, 422, V, {"remedy_amount"}, given=acknowledged),
    Bad("a second decision", f"POST {C}/decisions", DECISION, 409, "transition_not_allowed", set(),
        given=decided),
    Bad("a final response without text", f"POST {C}/final-response", {"text": ""}, 422, V, {"text"},
        given=decided, actor="complaints_officer"),
    Bad("a referral deadline that is no date", f"POST {C}/final-response",
        {"text": "Final.", "referral_deadline": "next week"}, 422, V, {"referral_deadline"},
        given=decided, actor="complaints_officer"),
    Bad("a referral before the final response", f"POST {C}/referrals", {"body": "ČTÚ"}, 409,
        "transition_not_allowed", set(), given=decided, actor=CUSTOMER_A),
    # ---- merging and moving
    Bad("merging into itself", f"POST {C}/merge", changed({"into_reference": "{reference}",
                                                           "reason": "Same."}),
        422, "invalid_merge", {"into_reference"}),
    Bad("merging into another customer's complaint", f"POST {C}/merge",
        changed({"into_reference": "{b_reference}", "reason": "Same."}), 422, "invalid_merge",
        {"into_reference"}, given=with_complaints_of_others),
    Bad("merging into an unknown complaint", f"POST {C}/merge",
        {"into_reference": GHOST_REFERENCE, "reason": "Same."}, 404, "not_found", set()),
    Bad("merging without a reason", f"POST {C}/merge", {"into_reference": GHOST_REFERENCE}, 422, V,
        {"reason"}),
    # ---- cancellations
    Bad("a cancellation of nothing", "POST /cancellations", changed(CANCELLATION, service=""), 422, V,
        {"service"}, given=org1, actor=TOKEN),
    Bad("a cancellation of a blank service", "POST /cancellations",
        changed(CANCELLATION, service="  "), 422, V, {"service"}, given=org1, actor=TOKEN),
    Bad("a cancellation by an unknown channel", "POST /cancellations",
        changed(CANCELLATION, channel="fax"), 422, V, {"channel"}, given=org1, actor=TOKEN),
    Bad("a cancellation for nobody", "POST /cancellations", changed(CANCELLATION, customer=...),
        422, "customer_required", {"customer"}, given=org1, actor=TOKEN),
    Bad("a cancellation with an unknown organisation", "POST /cancellations",
        changed(CANCELLATION, organisation_id=987654321), 404, "not_found", set(), given=org1,
        actor=TOKEN),
    # ---- reading
    Bad("an unknown reference", f"GET /complaints/{GHOST_REFERENCE}", None, 404, "not_found", set()),
    Bad("a reference with a wrong check character", "GET /complaints/GH0STREFX", None, 404,
        "not_found", set()),
    Bad("an evidence id that is not a number", f"GET {C}/evidence/first", None, 422, V,
        {"evidence_id"}),
    Bad("a bad cursor", "GET /complaints", {"cursor": "!!not-a-cursor!!"}, 422, V, {"cursor"}),
    Bad("a cursor of another kind", "GET /complaints", {"cursor": "cGFnZToy"}, 422, V, {"cursor"}),
    Bad("a cursor too long", "GET /complaints", {"cursor": "a" * 101}, 422, V, {"cursor"}),
    Bad("a page of nothing", "GET /complaints", {"limit": 0}, 422, V, {"limit"}),
    Bad("a page too large", "GET /complaints", {"limit": 201}, 422, V, {"limit"}),
    Bad("an unknown state", "GET /complaints", {"state": ["received", "bogus"]}, 422, V, {"state.1"}),
    Bad("an unknown channel filter", "GET /complaints", {"channel": "fax"}, 422, V, {"channel"}),
    Bad("an unknown level", "GET /complaints", {"level": 5}, 422, V, {"level"}),
    Bad("a naive date filter", "GET /complaints", {"created_from": NAIVE}, 422, V, {"created_from"}),
    Bad("a team filter that is not a number", "GET /complaints", {"team_id": "billing"}, 422, V,
        {"team_id"}),
]


def _send(client: Any, bad: Bad, context: Context) -> Any:
    method, path = bad.endpoint.split()
    url = ROOT + path.format(**context)
    body = bad.body(context) if callable(bad.body) else bad.body
    if method == "GET":
        return client.get(url, body or {})
    data = body if isinstance(body, str) else json.dumps(body)
    return client.generic(method, url, data, content_type="application/json", headers=bad.headers)


@pytest.mark.parametrize("bad", BAD, ids=[b.name for b in BAD])
def test_a_malformed_or_illegal_request_is_refused_and_changes_nothing(cast, bad):
    # given the state the request is made in
    context = bad.given(cast)
    client = cast.client(bad.actor)
    before = all_rows()
    # when the request is made
    response = _send(client, bad, context)
    # then it is refused with the one error shape, naming the fields at fault
    assert response.status_code == bad.status, response.content[:500]
    assert response["Content-Type"] == "application/json; charset=utf-8"
    error = response.json()
    assert set(error) == {"code", "message", "fields"}
    assert error["code"] == bad.code
    assert error["message"]
    assert set(error["fields"]) == bad.fields
    assert all(isinstance(m, list) and m and all(isinstance(t, str) for t in m)
               for m in error["fields"].values())
    # and the database is as it was
    assert all_rows() == before


def test_a_cursor_for_an_impossible_id_is_refused(cast):
    # given a well-formed cursor for an id no database column can hold
    cursor = base64.urlsafe_b64encode(b"id:" + b"9" * 30).decode().rstrip("=")
    client = cast.client(AGENT)
    client.raise_request_exception = False
    # when it is used
    response = client.get(f"{ROOT}/complaints", {"cursor": cursor})
    # then it is refused like any other bad cursor
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"cursor"}
