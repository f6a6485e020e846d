"""End-to-end smoke test: a complaint through the API from intake to closure."""

from plaint.testing.actors import COMPLAINTS_OFFICER, CUSTOMER_A, TOKEN


def test_a_complaint_goes_from_intake_to_closure_through_the_api(cast, mailoutbox,
                                                                  django_capture_on_commit_callbacks):
    integration = cast.client(TOKEN)
    officer = cast.client(COMPLAINTS_OFFICER)
    # given a complaint filed by an integration for a customer
    with django_capture_on_commit_callbacks(execute=True):
        created = integration.post("/api/v1/complaints", {
            "organisation_id": cast.org1.pk, "channel": "phone", "subject": "No internet",
            "description": "Down since Monday.",
            "customer": {"full_name": "Jan Novák", "email": "jan@example.test"},
            "demands": [{"kind": "price_reduction", "amount": "150.00", "currency": "CZK"}],
        }, content_type="application/json")
    assert created.status_code == 201, created.json()
    reference = created.json()["reference"]
    assert any(reference[:4] in m.subject for m in mailoutbox)
    # when it is acknowledged, decided, and the decision accepted on the customer's behalf
    for path, body in [
        ("transitions", {"action": "acknowledge"}),
        ("decisions", {"outcome": "upheld", "reasoning": "The outage is in our logs.",
                       "remedy_kind": "credit", "remedy_amount": "150.00",
                       "remedy_currency": "CZK"}),
        ("transitions", {"action": "accept_decision"}),
    ]:
        response = officer.post(f"/api/v1/complaints/{reference}/{path}", body,
                                content_type="application/json")
        assert response.status_code in (200, 201), response.json()
    # then it is closed and its timeline tells the story
    detail = officer.get(f"/api/v1/complaints/{reference}").json()
    assert detail["state"] == "closed"
    kinds = [e["kind"] for e in officer.get(f"/api/v1/complaints/{reference}/timeline").json()]
    assert kinds == ["received", "transitioned", "decided", "transitioned"]
    # and the customer A of another complaint cannot see it
    assert cast.client(CUSTOMER_A).get(f"/api/v1/complaints/{reference}").status_code == 404
