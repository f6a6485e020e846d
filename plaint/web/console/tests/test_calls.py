"""Taking a call: finding the caller by each key, their open complaints, logging the call with a
promise, and opening a complaint for a known or a new caller."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from plaint.complaints.lifecycle import Action
from plaint.complaints.models import Complaint, Interaction, Promise
from plaint.core import clock
from plaint.parties.choices import Role
from plaint.parties.models import Customer, CustomerAccountNumber
from plaint.testing import builders
from plaint.web.console.tests.helpers import desk

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("key", "value"), [
    ("phone", "601234567"), ("phone", "+420 601 234 567"), ("account_number", "CZ-778812"),
    ("email", "JANA@example.test"), ("name", "novák"),
])
def test_the_caller_is_found_by_each_key_with_their_open_complaints_only(key, value):
    # given a customer with an account number, an open and a withdrawn complaint, and another customer
    d = desk()
    jana = builders.customer(d.org, full_name="Jana Nováková", email="jana@example.test",
                             phone="+420 601 234 567")
    CustomerAccountNumber.objects.create(customer=jana, organisation=d.org, number="CZ-778812")
    open_one = builders.complaint(jana, subject="Slow line")
    withdrawn = builders.complaint(jana, subject="Old matter")
    builders.move(withdrawn, Action.WITHDRAW)
    builders.customer(d.org, full_name="Petr Svoboda", email="petr@example.test", phone="+420 777 000 111")
    # when I search by one key
    response = d.client().get(reverse("web:console-calls", args=[d.org.slug]), {key: value})
    html = response.content.decode()
    # then she is the one found, with her open complaint and a link to log the call on it
    assert "Jana Nováková" in html
    assert "Petr Svoboda" not in html
    assert open_one.reference in html
    assert withdrawn.reference not in html
    assert reverse("web:console-call-log", args=[d.org.slug, open_one.reference]) in html


def test_another_organisations_customer_is_never_found():
    d = desk()
    builders.customer(d.other_org, full_name="Jana Nováková", email="jana@example.test")
    html = d.client().get(reverse("web:console-calls", args=[d.org.slug]),
                          {"email": "jana@example.test"}).content.decode()
    assert "Jana" not in html
    assert "No customer matches." in html
    assert reverse("web:console-call-new-customer", args=[d.org.slug]) in html


@pytest.mark.parametrize("customers", [2, 12])
def test_the_search_reads_in_a_fixed_number_of_queries(customers, django_assert_max_num_queries):
    d = desk()
    for n in range(customers):
        builders.complaint(builders.customer(d.org, full_name=f"Novák {n}"))
    client = d.client()
    client.get(reverse("web:console-calls", args=[d.org.slug]))
    # session, user, memberships, organisation, unread notifications, customers, their complaints
    with django_assert_max_num_queries(7):
        html = client.get(reverse("web:console-calls", args=[d.org.slug]), {"name": "Novák"}).content.decode()
    assert html.count("Open a new complaint for") == customers


def test_a_call_is_logged_on_a_complaint_with_what_was_promised():
    # given one of my complaints
    d = desk()
    complaint = d.complaint(to=d.me)
    started = clock.now() - timedelta(minutes=20)
    promised = clock.now() + timedelta(days=2)
    # when I log a 12-minute call with a promise to call back
    with timezone.override(d.org.time_zone):
        data = {
            "channel": "phone", "direction": "inbound",
            "started_at": timezone.localtime(started).strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "12", "notes": "Customer asked about the refund.",
            "visibility": "customer", "promise_kind": "callback",
            "promise_due_at": timezone.localtime(promised).strftime("%Y-%m-%dT%H:%M"),
            "promise_description": "Call back once billing confirms.",
        }
    response = d.client().post(reverse("web:console-call-log", args=[d.org.slug, complaint.reference]), data)
    # then it is logged as spoken by me, with its promise, and I am sent on
    assert response.status_code == 302
    interaction = Interaction.objects.get(complaint=complaint, notes="Customer asked about the refund.")
    assert (interaction.channel, interaction.duration_seconds) == ("phone", 720)
    assert interaction.staff_name == "Alice Agent"
    assert interaction.staff_position == d.me.position
    [promise] = Promise.objects.filter(interaction=interaction)
    assert promise.kind == "callback"
    assert promise.description == "Call back once billing confirms."
    assert abs(promise.due_at - promised) < timedelta(minutes=1)


def test_a_promise_without_a_time_is_refused_and_nothing_is_logged():
    d = desk()
    complaint = d.complaint(to=d.me)
    with timezone.override(d.org.time_zone):
        started = timezone.localtime(clock.now() - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")
    response = d.client().post(reverse("web:console-call-log", args=[d.org.slug, complaint.reference]), {
        "channel": "chat", "direction": "inbound", "started_at": started, "duration_minutes": "3",
        "visibility": "customer", "promise_kind": "action",
    })
    html = response.content.decode()
    assert response.status_code == 200
    assert "Error:" in html
    assert not Interaction.objects.filter(complaint=complaint, channel="chat").exists()


def test_a_call_in_the_future_is_refused_by_the_service_and_shown_on_its_field():
    d = desk()
    complaint = d.complaint(to=d.me)
    with timezone.override(d.org.time_zone):
        future = timezone.localtime(clock.now() + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    response = d.client().post(reverse("web:console-call-log", args=[d.org.slug, complaint.reference]), {
        "channel": "phone", "direction": "inbound", "started_at": future, "duration_minutes": "1",
        "visibility": "customer",
    })
    assert response.status_code == 200
    assert "The start time is in the future." in response.content.decode()


def test_another_organisations_complaint_cannot_take_a_call_here():
    d = desk()
    next_door = builders.complaint(builders.customer(d.other_org))
    response = d.client().get(reverse("web:console-call-log", args=[d.org.slug, next_door.reference]))
    assert response.status_code == 404


def test_a_complaint_is_opened_for_a_known_caller_by_phone():
    # given a known customer
    d = desk()
    jana = builders.customer(d.org, full_name="Jana Nováková", phone="+420 601 234 567")
    url = reverse("web:console-call-new-complaint", args=[d.org.slug, jana.pk])
    form = d.client().get(url).content.decode()
    submission = form.split('name="submission" value="')[1][:32]
    # when I open a complaint on her behalf, twice by a double click
    data = {"channel": "phone", "subject": "Line down since Monday", "description": "No signal at all.",
            "category": "network", "submission": submission}
    client = d.client()
    first = client.post(url, data)
    client.post(url, data)
    # then one complaint is opened, by phone, for her, and I am sent on to it
    [complaint] = Complaint.objects.filter(customer=jana)
    assert (complaint.channel, complaint.subject) == ("phone", "Line down since Monday")
    assert complaint.category == "network"
    assert complaint.demands_recorded is False  # a call leaves the demands to be recorded
    assert first.status_code == 302
    assert complaint.reference in first["Location"]


def test_another_organisations_customer_cannot_get_a_complaint_here():
    d = desk()
    stranger = builders.customer(d.other_org)
    response = d.client().get(reverse("web:console-call-new-complaint", args=[d.org.slug, stranger.pk]))
    assert response.status_code == 404


def test_a_complaint_is_opened_for_a_new_caller():
    d = desk()
    url = reverse("web:console-call-new-customer", args=[d.org.slug])
    response = d.client().post(url, {
        "full_name": "Marek Dvořák", "phone": "+420 602 111 222", "email": "", "channel": "phone",
        "subject": "Wrong tariff", "description": "Billed on the old tariff.",
    })
    assert response.status_code == 302
    customer = Customer.objects.get(organisation=d.org, full_name="Marek Dvořák")
    assert customer.phone == "+420 602 111 222"
    assert Complaint.objects.filter(customer=customer, channel="phone").count() == 1


def test_a_new_caller_needs_a_phone_number_or_an_e_mail_address():
    d = desk()
    response = d.client().post(reverse("web:console-call-new-customer", args=[d.org.slug]), {
        "full_name": "Marek Dvořák", "channel": "phone", "subject": "Wrong tariff", "description": "x",
    })
    assert response.status_code == 200
    assert "Error:" in response.content.decode()
    assert not Customer.objects.filter(full_name="Marek Dvořák").exists()


def test_an_organisation_admin_may_not_log_a_call_and_is_told_so_on_the_form():
    # given an organisation admin, who reads everything and handles nothing
    d = desk()
    admin = builders.staff(d.org, Role.ORG_ADMIN)
    complaint = d.complaint(to=d.me)
    with timezone.override(d.org.time_zone):
        started = timezone.localtime(clock.now() - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")
    # when they try to log a call
    response = d.client(admin).post(reverse("web:console-call-log", args=[d.org.slug, complaint.reference]), {
        "channel": "phone", "direction": "inbound", "started_at": started, "duration_minutes": "1",
        "visibility": "customer",
    })
    # then the page says why, and nothing is logged
    assert response.status_code == 200
    assert "Error:" in response.content.decode()
    assert not Interaction.objects.filter(complaint=complaint, recorded_by=admin.user).exists()
