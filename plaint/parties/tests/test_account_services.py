"""A person's own account: signing up, confirming the address (which links the customer records
of that address), the profile. Both database tiers."""

from __future__ import annotations

import pytest

from plaint.core import clock
from plaint.parties.models import Customer, User
from plaint.parties.services import SignUp, user_confirm, user_profile_set, user_sign_up
from plaint.testing import builders

pytestmark = pytest.mark.django_db


PASSWORD = "a long horse 42"


def _sign_up(email: str = "Jana@Example.test", **fields) -> tuple[User, SignUp]:
    return user_sign_up(email=email, full_name=fields.get("full_name", "Jana Dvořáková"),
                        password=fields.get("password", PASSWORD),
                        preferred_language=fields.get("preferred_language", "cs"))


def test_signing_up_creates_an_account_that_cannot_sign_in_and_links_nothing_yet():
    # given a customer record of the address in an organisation
    walk_in = builders.customer(builders.organisation(), with_user=False, email="jana@example.test")
    # when the person signs up with it
    user, outcome = _sign_up()
    # then the account exists, lower-cased, inactive, with the chosen language
    assert outcome is SignUp.CREATED
    assert (user.email, user.full_name, user.preferred_language, user.is_active) == (
        "jana@example.test", "Jana Dvořáková", "cs", False)
    assert user.check_password("a long horse 42")
    # and the customer record is not theirs before the address is proven
    walk_in.refresh_from_db()
    assert walk_in.user is None


def test_confirming_activates_and_links_each_unowned_customer_of_the_address_once_per_organisation():
    # given customer records of the address in two organisations (two in the first, in any case),
    # one owned by another user already, and one of another address
    org1, org2, org3 = builders.organisation(), builders.organisation(), builders.organisation()
    first = builders.customer(org1, with_user=False, email="JANA@example.test")
    second_in_org1 = builders.customer(org1, with_user=False, email="jana@example.test")
    in_org2 = builders.customer(org2, with_user=False, email="jana@EXAMPLE.test")
    owned = builders.customer(org3, email="jana@example.test")
    someone_else = builders.customer(org2, with_user=False, email="petr@example.test")
    user, _ = _sign_up()
    # when the address is confirmed
    linked = user_confirm(user=user)
    # then the account is on and the oldest unowned record per organisation is the user's
    user.refresh_from_db()
    assert user.is_active
    assert {c.pk for c in linked} == {first.pk, in_org2.pk}
    assert set(Customer.objects.filter(user=user).values_list("pk", flat=True)) == {first.pk, in_org2.pk}
    # and nobody else's record moved
    for customer in (second_in_org1, someone_else):
        customer.refresh_from_db()
        assert customer.user is None
    owner = owned.user
    owned.refresh_from_db()
    assert owned.user == owner


def test_confirming_again_links_nothing_more_and_keeps_the_account_on():
    org = builders.organisation()
    builders.customer(org, with_user=False, email="jana@example.test")
    user, _ = _sign_up()
    user_confirm(user=user)
    # when it is confirmed a second time
    linked = user_confirm(user=user)
    # then nothing changes
    assert linked == []
    assert Customer.objects.filter(user=user).count() == 1


def test_a_second_sign_up_of_an_unconfirmed_address_replaces_its_details():
    # given an account never confirmed
    user, _ = _sign_up(full_name="Someone", password="first password 1", preferred_language="en")
    # when the address signs up again
    again, outcome = _sign_up(password="second password 2", preferred_language="pl")
    # then the same account takes the new details (and the first password no longer works)
    assert outcome is SignUp.RENEWED
    assert again.pk == user.pk
    again.refresh_from_db()
    assert (again.full_name, again.preferred_language) == ("Jana Dvořáková", "pl")
    assert again.check_password("second password 2")
    assert not again.check_password("first password 1")
    assert User.objects.filter(email="jana@example.test").count() == 1


@pytest.mark.parametrize("state", ["active", "closed"])
def test_a_sign_up_with_the_address_of_a_confirmed_or_closed_account_changes_nothing(state):
    # given an account that is on, or one that was used and then closed
    existing = builders.user(email="jana@example.test", full_name="Jana", preferred_language="en")
    if state == "closed":
        existing.last_login = clock.now()
        existing.is_active = False
        existing.save(update_fields=["last_login", "is_active"])
    password = existing.password
    # when someone signs up with the address
    user, outcome = _sign_up(email="JANA@example.test", password="attacker password 9")
    # then nothing about the account changed
    assert outcome is SignUp.EXISTS
    assert user.pk == existing.pk
    existing.refresh_from_db()
    assert (existing.full_name, existing.password, existing.preferred_language) == ("Jana", password, "en")
    assert existing.is_active is (state == "active")


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unknown language"):
        _sign_up(preferred_language="xx")
    user = builders.user()
    with pytest.raises(ValueError, match="unknown language"):
        user_profile_set(user=user, preferred_language="de")


def test_the_profile_changes_only_what_is_given():
    user = builders.user(full_name="Jan", preferred_language="en")
    user_profile_set(user=user, preferred_language="ro")
    user.refresh_from_db()
    assert (user.full_name, user.preferred_language) == ("Jan", "ro")
    user_profile_set(user=user, full_name="  Jan Novák ")
    user.refresh_from_db()
    assert (user.full_name, user.preferred_language) == ("Jan Novák", "ro")
