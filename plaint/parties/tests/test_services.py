"""Writes of the parties domain: finding or creating a customer, creating a token."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from plaint.core import clock
from plaint.parties.choices import Role, TokenScope
from plaint.parties.models import ApiToken, Customer, CustomerAccountNumber
from plaint.parties.services import CustomerDetails, api_token_create, customer_find_or_create
from plaint.testing import builders


def test_an_unknown_person_becomes_a_customer_with_the_organisations_language(db):
    # given
    organisation = builders.organisation(default_language="pl")
    # when
    customer = customer_find_or_create(organisation=organisation, details=CustomerDetails(
        full_name="Anna Nowak", email="anna@example.test", phone="+48 600 000 000",
        accessibility_needs="Large print", is_vulnerable=True,
    ))
    # then
    assert (customer.full_name, customer.email, customer.phone) == (
        "Anna Nowak", "anna@example.test", "+48 600 000 000"
    )
    assert (customer.preferred_language, customer.preferred_channel) == ("pl", "email")
    assert (customer.accessibility_needs, customer.is_vulnerable) == ("Large print", True)
    assert customer.user is None


def test_a_signed_in_person_becomes_a_customer_with_their_own_details(db):
    organisation = builders.organisation()
    person = builders.user(full_name="Jan Novák", preferred_language="cs")
    customer = customer_find_or_create(organisation=organisation, details=CustomerDetails(),
                                       user=person)
    assert (customer.user, customer.full_name, customer.email, customer.preferred_language) == (
        person, "Jan Novák", person.email, "cs"
    )


def test_a_signed_in_person_is_found_by_their_user_not_by_the_details_given(db):
    # given a customer account of the user, and another customer with the e-mail given
    organisation = builders.organisation()
    account = builders.customer(organisation)
    builders.customer(organisation, with_user=False, email="someone@example.test")
    # when
    found = customer_find_or_create(organisation=organisation, user=account.user,
                                    details=CustomerDetails(email="someone@example.test"))
    # then
    assert found == account


def test_a_customer_is_found_by_account_number_first_then_email_then_phone(db):
    organisation = builders.organisation()
    by_account = builders.customer(organisation, with_user=False, email="a@example.test")
    CustomerAccountNumber.objects.create(customer=by_account, organisation=organisation,
                                         number="ACC-1")
    by_email = builders.customer(organisation, with_user=False, email="b@example.test")
    by_phone = builders.customer(organisation, with_user=False, email="", phone="+420 1")

    def find(**details):
        return customer_find_or_create(organisation=organisation,
                                       details=CustomerDetails(**details))

    assert find(account_number="ACC-1", email="b@example.test") == by_account
    assert find(email="B@Example.TEST", phone="+420 1") == by_email
    assert find(email="nobody@example.test", phone="+420 1") == by_phone
    assert Customer.objects.filter(organisation=organisation).count() == 3


def test_customers_of_another_organisation_are_not_found(db):
    # given a customer with this e-mail at another organisation
    other = builders.customer(builders.organisation(), with_user=False, email="c@example.test")
    organisation = builders.organisation()
    # when
    customer = customer_find_or_create(organisation=organisation,
                                       details=CustomerDetails(email="c@example.test"))
    # then
    assert customer != other
    assert customer.organisation == organisation


def test_details_on_file_are_not_overwritten_and_a_new_account_number_is_recorded(db):
    # given
    organisation = builders.organisation()
    existing = builders.customer(organisation, with_user=False, email="d@example.test",
                                 full_name="Dana")
    # when
    found = customer_find_or_create(organisation=organisation, details=CustomerDetails(
        email="d@example.test", full_name="Somebody Else", account_number="ACC-9",
    ))
    # then
    found.refresh_from_db()
    assert found == existing
    assert found.full_name == "Dana"
    assert list(found.account_numbers.values_list("number", flat=True)) == ["ACC-9"]


def test_an_account_number_of_another_customer_is_not_moved(db):
    organisation = builders.organisation()
    owner = builders.customer(organisation, with_user=False)
    CustomerAccountNumber.objects.create(customer=owner, organisation=organisation, number="X1")
    person = builders.user()
    customer_find_or_create(organisation=organisation, user=person,
                            details=CustomerDetails(account_number="X1"))
    assert CustomerAccountNumber.objects.get(number="X1").customer == owner


def test_a_token_is_stored_as_the_sha256_of_its_secret_which_is_returned_once(db):
    # given
    organisation = builders.organisation()
    expires = clock.now() + timedelta(days=30)
    # when
    token, secret = api_token_create(organisation=organisation, name="CRM", role=Role.MANAGER,
                                     scope=TokenScope.READ, expires_at=expires)
    # then
    stored = ApiToken.objects.get(pk=token.pk)
    assert len(secret) >= 43
    assert stored.key_sha256 == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {getattr(stored, f.attname) for f in ApiToken._meta.concrete_fields}
    assert stored.prefix == secret[:8]
    assert (stored.role, stored.scope, stored.expires_at) == ("manager", "read", expires)


def test_every_token_gets_a_different_secret(db):
    organisation = builders.organisation()
    secrets = {api_token_create(organisation=organisation, name=f"T{i}")[1] for i in range(5)}
    assert len(secrets) == 5


def test_a_token_can_be_recreated_from_a_known_secret(db):
    organisation = builders.organisation()
    token, secret = api_token_create(organisation=organisation, name="Demo", raw="demo-secret-1")
    assert secret == "demo-secret-1"
    assert token.key_sha256 == hashlib.sha256(b"demo-secret-1").hexdigest()
