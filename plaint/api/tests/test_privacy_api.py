"""An organisation's admin erases a customer's data through the API: a legal hold is 409 with
the references; otherwise the answer says what is kept, under which rule, until when. Both
database tiers."""

from __future__ import annotations

import pytest

from plaint.api.tests.api_requests import ROOT
from plaint.complaints.lifecycle import State
from plaint.complaints.models import Complaint, ErasureRequest
from plaint.testing import builders
from plaint.testing.actors import AGENT, CUSTOMER_A, ORG_ADMIN, Cast

pytestmark = pytest.mark.django_db


def _url(cast: Cast, customer_id: int) -> str:
    return f"{ROOT}/organisations/{cast.org1.pk}/customers/{customer_id}/erasure"


def test_a_legal_hold_is_a_409_that_names_the_complaint(cast):
    response = cast.client(ORG_ADMIN).post(_url(cast, cast.customers[CUSTOMER_A].pk))
    assert response.status_code == 409
    assert response.json()["code"] == "erasure_legal_hold"
    assert cast.complaint_a.reference in response.json()["message"]
    assert not ErasureRequest.objects.exists()


def test_the_answer_lists_the_records_kept_with_their_rule_and_date(cast):
    # given a customer of organisation 1 (CZ) whose complaint closed today
    customer = builders.customer(cast.org1, with_user=False, full_name="Ilona Kept")
    complaint = builders.reach(builders.complaint(customer, actor=cast.actor(AGENT)), State.CLOSED)
    # when the admin erases them
    response = cast.client(ORG_ADMIN).post(_url(cast, customer.pk))
    # then the complaint record is kept for the Czech limitation period, said so in the answer
    assert response.status_code == 201
    body = response.json()
    assert body["outcome"] == "partly_kept"
    [kept] = body["kept"]
    assert (kept["reference"], kept["rule"]) == (complaint.reference, "CZ.limitation:3y")
    assert kept["until"].startswith(str(Complaint.objects.get(pk=complaint.pk).state_changed_at.year + 3))
    assert body["completed_at"] is None
