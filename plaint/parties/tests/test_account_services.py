"""A person's own account: signing up, confirming the address (which links the customer records
of that address), the profile, and taking up an account a staff invitation made. Both database tiers."""

from __future__ import annotations

import pytest

from plaint.core import clock
from plaint.parties.admin_services import MemberSpec, membership_add
from plaint.parties.choices import Role
from plaint.parties.models import Customer, User
from plaint.parties.services import (
    SignUp,
    invitation_pending,
    user_confirm,
    user_invitation_accept,
    user_profile_set,
    user_sign_up,
)
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


# --- Staff invitations ------------------------------------------------------------------------


def _added(org, email: str = "nova@example.test"):  # type: ignore[no-untyped-def]
    admin = builders.staff(org, Role.ORG_ADMIN)
    return membership_add(by=admin, organisation=org, email=email, full_name="Nová",
                          spec=MemberSpec(role=Role.AGENT))


def test_a_person_added_as_staff_waits_for_the_invitation_in_the_organisations_language():
    # given a Romanian organisation, and one whose default language Plaint does not offer
    ro = builders.organisation(default_language="ro")
    odd = builders.organisation(default_language="xx")
    # when each adds a person Plaint does not know
    first, second = _added(ro).user, _added(odd, "other@example.test").user
    # then both wait for their invitation, in the organisation's language or Plaint's default
    assert invitation_pending(first)
    assert invitation_pending(second)
    assert (first.preferred_language, second.preferred_language) == ("ro", "en")


def test_accepting_the_invitation_sets_the_password_turns_the_account_on_and_links_the_customers():
    org = builders.organisation()
    walk_in = builders.customer(org, with_user=False, email="nova@example.test")
    user = _added(org).user
    # when the person accepts with a password
    accepted = user_invitation_accept(user=user, password=PASSWORD)
    # then the account is on, with that password, and owns the customer record of its address
    assert accepted.is_active
    assert accepted.check_password(PASSWORD)
    assert Customer.objects.get(pk=walk_in.pk).user_id == user.pk
    # and no invitation is pending any more: a second accept is refused
    assert not invitation_pending(accepted)
    with pytest.raises(ValueError, match="no invitation"):
        user_invitation_accept(user=accepted, password="another long horse 7")


@pytest.mark.parametrize("state", ["active", "closed", "no membership", "membership off"])
def test_no_invitation_is_pending_for_an_account_in_use_closed_or_without_staff_work(state):
    org = builders.organisation()
    user = _added(org).user
    if state == "active":
        User.objects.filter(pk=user.pk).update(is_active=True)
    elif state == "closed":
        User.objects.filter(pk=user.pk).update(last_login=clock.now())
    elif state == "no membership":
        user.memberships.all().delete()
    else:
        user.memberships.update(is_active=False)
    user.refresh_from_db()
    assert not invitation_pending(user)
    with pytest.raises(ValueError, match="no invitation"):
        user_invitation_accept(user=user, password=PASSWORD)
