"""The answer to an intake is exactly what reading the complaint back gives.

The intake presents a new complaint from what it just wrote instead of reading it
back (see BENCHMARKS.md); these tests keep the two identical.
"""

import pytest

from plaint.testing.actors import CUSTOMER_A, TOKEN

ROOT = "/api/v1"
FULL = {
    "channel": "letter", "subject": "Router never arrived", "description": "Ordered 1 May.",
    "demands": [
        {"kind": "refund", "amount": "99.9", "currency": "CZK", "detail": "the router"},
        {"kind": "apology"},
        {"kind": "compensation", "amount": "100", "currency": "EUR"},
    ],
    "amount_in_dispute": "99.9", "currency": "CZK", "category": "delivery", "product": "Router",
    "account_number": "ACC-77", "priority": "high", "level": 3,
    "received_at": "2026-11-20T09:15:00+01:00",
}


@pytest.mark.parametrize("who", [TOKEN, CUSTOMER_A])
@pytest.mark.parametrize("body", [FULL, {"channel": "phone", "subject": "Outage",
                                         "description": "No signal."}])
def test_the_intake_answer_equals_the_complaint_read_back(cast, who, body):
    # given a complaint filed by an integration (for a customer it names) or a customer
    client = cast.client(who)
    payload = {"organisation_id": cast.org1.pk, **body}
    if who == TOKEN:
        payload["customer"] = {"full_name": "Eva Malá", "email": "eva@example.test"}
    # when it is filed and then read back
    created = client.post(f"{ROOT}/complaints", payload, content_type="application/json")
    assert created.status_code == 201, created.json()
    read_back = client.get(f"{ROOT}/complaints/{created.json()['reference']}")
    # then both answers are the same, field for field
    assert created.json() == read_back.json()
