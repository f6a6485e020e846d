"""The customer's complaint form through Django's test client (both database tiers): a filing
goes through the intake once, a bad one changes nothing, and the confirmation is for the filer."""

from __future__ import annotations

import pytest

from plaint.channels.models import OutgoingMessage
from plaint.complaints.models import Complaint
from plaint.core import references
from plaint.parties.choices import Sector
from plaint.parties.models import Customer, CustomerAccountNumber
from plaint.testing import builders
from plaint.testing.database import row_counts
from plaint.web.tests.test_public_pages import _assert_csp_clean

pytestmark = pytest.mark.django_db

VALID = {
    "full_name": "Jana Dvořáková", "email": "jana@example.test", "phone": "",
    "subject": "Internet down", "description": "No connection for a week.", "since": "2026-11-20",
    "demand": "price_reduction", "amount": "150.00", "currency": "CZK", "language": "cs",
}


@pytest.fixture
def provider():
    return builders.organisation(name="Síť Praha", slug="sit-praha", country="CZ", sector=Sector.TELECOM)


def test_the_form_page_has_labelled_fields_csrf_and_the_countrys_currency(
    client, provider, django_assert_max_num_queries
):
    # when the form is read
    with django_assert_max_num_queries(3):
        response = client.get(f"/providers/{provider.slug}/complain/")
    # then every field is labelled, the form carries a CSRF token and the currency is the country's
    assert response.status_code == 200
    html = response.content.decode()
    _assert_csp_clean(html)
    for name in VALID:
        assert f'<label for="id_{name}">' in html, name
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'name="currency" value="CZK"' in html


def test_a_valid_filing_creates_one_web_complaint_queues_the_acknowledgement_and_confirms(
    client, provider
):
    # given nothing filed yet
    before = Complaint.objects.count()
    # when the form is posted
    response = client.post(f"/providers/{provider.slug}/complain/", VALID)
    # then one complaint was taken in from the web, for a customer found by the e-mail address
    assert response.status_code == 302
    assert response["Location"] == f"/providers/{provider.slug}/complain/received/"
    assert Complaint.objects.count() == before + 1
    complaint = Complaint.objects.get(organisation=provider)
    customer = Customer.objects.get(pk=complaint.customer_id)
    assert (complaint.channel, complaint.subject, complaint.language) == ("web", "Internet down", "cs")
    assert (customer.email, customer.full_name, customer.preferred_language) == (
        "jana@example.test", "Jana Dvořáková", "cs")
    assert "2026-11-20" in complaint.description
    demand = complaint.demands.get()
    assert (demand.kind, str(demand.amount), demand.currency) == ("price_reduction", "150.00", "CZK")
    # and the acknowledgement is queued in the outbox to that address
    queued = OutgoingMessage.objects.get(thread_reference=complaint.reference)
    assert (queued.kind, queued.to_address) == ("received", "jana@example.test")
    # and no personal data is in the URL
    assert "jana" not in response["Location"]
    # when the confirmation is read in the same session
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    # then it shows the reference, the e-mail sent and when the answer is due
    assert page.status_code == 200
    html = page.content.decode()
    _assert_csp_clean(html)
    assert references.display(complaint.reference) in html
    assert "sent an acknowledgement" in html
    assert page.context["answer_due"] is not None
    assert "The provider must answer by" in html


def test_a_filing_by_phone_alone_finds_the_existing_customer(client, provider):
    # given a customer known by their phone number
    known = builders.customer(provider, phone="+420600111222", email="")
    # when a complaint is filed with that number and no e-mail address
    data = {**VALID, "email": "", "phone": "+420600111222", "demand": "apology", "amount": ""}
    response = client.post(f"/providers/{provider.slug}/complain/", data)
    # then it is theirs, no mail is queued, and the confirmation promises none
    assert response.status_code == 302
    complaint = Complaint.objects.get(organisation=provider)
    assert complaint.customer_id == known.pk
    assert not OutgoingMessage.objects.filter(thread_reference=complaint.reference).exists()
    assert "sent an acknowledgement" not in client.get(response["Location"]).content.decode()


def test_the_service_account_and_contact_wishes_reach_the_complaint_and_the_customer(client, provider):
    # given someone else's account number, known to the provider
    other = builders.customer(provider, email="someone@example.test")
    CustomerAccountNumber.objects.create(customer=other, organisation=provider, number="CZ-778899")
    # when a complaint is filed naming a service, that number, a wish to be called and a need
    data = {**VALID, "phone": "+420601234567", "product": "Fibre 300", "account_number": "CZ-778899",
            "preferred_channel": "phone", "accessibility_needs": "Hard of hearing: please send SMS too."}
    response = client.post(f"/providers/{provider.slug}/complain/", data)
    # then the complaint carries the service and number, the new customer the wishes, and the
    # number did not make the filer the other customer (anyone can type someone's number)
    assert response.status_code == 302
    complaint = Complaint.objects.get(organisation=provider)
    assert (complaint.product, complaint.account_number) == ("Fibre 300", "CZ-778899")
    customer = Customer.objects.get(pk=complaint.customer_id)
    assert customer.pk != other.pk
    assert customer.preferred_channel == "phone"
    assert customer.accessibility_needs == "Hard of hearing: please send SMS too."


@pytest.mark.parametrize(("changes", "fields"), [
    ({"email": "", "phone": ""}, {"email", "phone"}),
    ({"description": ""}, {"description"}),
    ({"subject": "  "}, {"subject"}),
    ({"amount": "-5"}, {"amount"}),
    ({"amount": "lots"}, {"amount"}),
    ({"currency": "K"}, {"currency"}),
    ({"currency": "12X"}, {"currency"}),
    ({"amount": ""}, {"amount"}),
    ({"demand": "money"}, {"demand"}),
    ({"email": "not an address"}, {"email"}),
    ({"phone": "call me"}, {"phone"}),
    ({"email": "", "phone": "12"}, {"phone"}),
    ({"preferred_channel": "phone"}, {"phone"}),
    ({"preferred_channel": "email", "email": "", "phone": "+420600111222"}, {"email"}),
    ({"preferred_channel": "pigeon"}, {"preferred_channel"}),
    ({"account_number": "9" * 65}, {"account_number"}),
])
def test_invalid_input_re_renders_the_form_with_field_errors_and_changes_nothing(
    client, provider, changes, fields
):
    # given the rows before
    before = row_counts()
    # when a bad form is posted
    response = client.post(f"/providers/{provider.slug}/complain/", {**VALID, **changes})
    # then the form comes back with the errors on their fields, tied to them, and nothing changed
    assert response.status_code == 200
    assert set(response.context["form"].errors) == fields
    html = response.content.decode()
    for name in fields:
        assert f'id="id_{name}-error"' in html
        assert f'aria-describedby="id_{name}-help id_{name}-error"' in html \
            or f'aria-describedby="id_{name}-error"' in html
        assert f'href="#id_{name}"' in html
    assert row_counts() == before
    assert client.session.get("web.filed_complaint") is None


def test_no_contact_error_says_an_email_or_a_phone_is_needed(client, provider):
    response = client.post(f"/providers/{provider.slug}/complain/", {**VALID, "email": "", "phone": ""},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert "Give an e-mail address or a phone number" in response.content.decode()


@pytest.mark.parametrize("path", ["complain/", "complain/received/"])
def test_unknown_or_unmanaged_provider_is_not_found(client, path):
    # given an unmanaged provider
    builders.organisation(slug="unknown-shop", is_managed=False)
    # when its form or an unknown provider's is read or posted, then there is none
    assert client.get(f"/providers/unknown-shop/{path}").status_code in (404, 302)
    assert client.get("/providers/nobody/complain/").status_code == 404
    assert client.get("/providers/unknown-shop/complain/").status_code == 404
    before = row_counts()
    assert client.post("/providers/unknown-shop/complain/", VALID).status_code == 404
    assert row_counts() == before


def test_the_confirmation_without_the_filing_session_redirects_to_the_form(client, provider):
    # given a complaint filed in one session
    filer = client.__class__()
    response = filer.post(f"/providers/{provider.slug}/complain/", VALID)
    assert response.status_code == 302
    # when another session reads the confirmation
    other = client.get(f"/providers/{provider.slug}/complain/received/")
    # then it is sent to the form and sees no reference
    assert other.status_code == 302
    assert other["Location"] == f"/providers/{provider.slug}/complain/"


def test_the_confirmation_is_not_shown_under_another_providers_address(client, provider):
    # given a complaint filed to one provider
    other = builders.organisation(slug="other-net")
    client.post(f"/providers/{provider.slug}/complain/", VALID)
    # when the confirmation is read under another provider's address, then it redirects
    response = client.get(f"/providers/{other.slug}/complain/received/")
    assert response.status_code == 302


def test_the_form_is_csrf_protected(provider):
    # given a client that enforces CSRF checks
    from django.test import Client
    strict = Client(enforce_csrf_checks=True)
    before = row_counts()
    # when the form is posted without a token, then it is refused and nothing changes
    assert strict.post(f"/providers/{provider.slug}/complain/", VALID).status_code == 403
    assert row_counts() == before


def test_home_and_procedure_link_the_form(client, provider):
    link = f'href="/providers/{provider.slug}/complain/"'
    assert link in client.get("/").content.decode()
    assert link in client.get(f"/providers/{provider.slug}/procedure/").content.decode()


def test_the_same_form_sent_twice_files_one_complaint(client, provider):
    # given the form as shown, with its submission key
    key = client.get(f"/providers/{provider.slug}/complain/").context["form"]["submission"].value()
    assert len(key) == 32
    data = {**VALID, "submission": key}
    # when it is sent twice (a double click)
    first = client.post(f"/providers/{provider.slug}/complain/", data)
    second = client.post(f"/providers/{provider.slug}/complain/", data)
    # then one complaint was filed and both lead to its confirmation
    assert first.status_code == second.status_code == 302
    assert Complaint.objects.filter(organisation=provider).count() == 1


def test_the_same_form_sent_again_changed_is_refused_with_a_fresh_key_and_changes_nothing(
    client, provider
):
    # given a form already sent
    data = {**VALID, "submission": "a" * 32}
    client.post(f"/providers/{provider.slug}/complain/", data)
    before = row_counts()
    # when it is sent again with other details
    response = client.post(f"/providers/{provider.slug}/complain/", {**data, "subject": "Other"},
                           HTTP_ACCEPT_LANGUAGE="en")
    # then it comes back with a message and a new key, and nothing was written
    assert response.status_code == 200
    assert "already sent with other details" in response.content.decode()
    assert response.context["form"]["submission"].value() != "a" * 32
    assert row_counts() == before
    # and sent once more on purpose, it is filed
    fresh = response.context["form"]["submission"].value()
    again = client.post(f"/providers/{provider.slug}/complain/",
                        {**data, "subject": "Other", "submission": fresh})
    assert again.status_code == 302
    assert Complaint.objects.filter(organisation=provider).count() == 2


def test_a_tampered_submission_key_is_ignored(client, provider):
    response = client.post(f"/providers/{provider.slug}/complain/", {**VALID, "submission": "x'; drop"})
    assert response.status_code == 302
    assert Complaint.objects.filter(organisation=provider).count() == 1
