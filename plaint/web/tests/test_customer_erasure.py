"""Erasure on request from the person's data page: the password confirms; a legal hold is
refused with the references and changes nothing; otherwise the person is signed out and shown
what was kept, until when and under which rule. Both database tiers."""

from __future__ import annotations

import pytest
from django.test import Client

from plaint.complaints.lifecycle import State
from plaint.complaints.models import ErasureRequest
from plaint.core import references
from plaint.testing import builders
from plaint.testing.actors import CUSTOMER_A

pytestmark = pytest.mark.django_db
PASSWORD = "pw-not-secret"  # builders.user's


def test_a_wrong_password_erases_nothing(cast):
    client = cast.client(CUSTOMER_A)
    response = client.post("/my/data/erase/", {"password": "wrong"})
    assert response.status_code == 200
    assert "The password is not right." in response.content.decode()
    assert not ErasureRequest.objects.exists()


def test_an_open_complaint_refuses_with_its_reference(cast):
    client = cast.client(CUSTOMER_A)
    response = client.post("/my/data/erase/", {"password": PASSWORD})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Error:" in page
    assert references.display(cast.complaint_a.reference) in page
    assert not ErasureRequest.objects.exists()
    assert client.get("/my/").status_code == 200  # still signed in


def test_the_person_is_signed_out_and_shown_what_is_kept_until_when_and_why(db):
    # given a person whose complaint closed today (CZ keeps the record 3 years)
    org = builders.organisation()
    customer = builders.customer(org)
    complaint = builders.reach(builders.complaint(customer), State.CLOSED)
    client = Client()
    client.force_login(customer.user)
    # when they ask, with their password
    response = client.post("/my/data/erase/", {"password": PASSWORD})
    # then they are sent to the outcome (POST/redirect/GET) and signed out
    assert response.status_code == 302
    assert response["Location"] == "/my/data/erased/"
    page = client.get("/my/data/erased/").content.decode()
    assert references.display(complaint.reference) in page
    assert "Civil Code (Act 89/2012), § 629" in page
    assert client.get("/my/").status_code == 302
    # and anybody else sees no outcome
    assert references.display(complaint.reference) not in Client().get("/my/data/erased/").content.decode()
