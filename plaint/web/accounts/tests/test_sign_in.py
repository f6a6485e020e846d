"""Signing in and out through Django's test client (both tiers): one message for every failure,
``next`` followed only on this site, a new session, sign-out by POST, the header."""

from __future__ import annotations

import pytest
from django.conf import settings

from plaint.parties.choices import Role
from plaint.parties.models import Membership
from plaint.testing import builders
from plaint.web.tests.test_public_pages import _assert_csp_clean

pytestmark = pytest.mark.django_db

PASSWORD = "pw-not-secret"  # the builders' password


@pytest.fixture
def person():
    return builders.user(email="jana@example.test", full_name="Jana Dvořáková")


def test_the_sign_in_page_has_labelled_described_fields_and_no_inline_script(client):
    response = client.get("/account/sign-in/?next=/account/")
    html = response.content.decode()
    assert response.status_code == 200
    _assert_csp_clean(html)
    assert '<label for="id_username">' in html
    assert '<label for="id_password">' in html
    assert 'novalidate' in html
    assert 'name="next" value="/account/"' in html
    # and the header offers to sign in or to create an account
    assert 'href="/account/sign-in/"' in html
    assert 'href="/account/sign-up/"' in html


def test_a_wrong_password_and_an_unknown_address_get_the_same_message(client, person):
    # when one person gives a wrong password, and another an address without an account
    wrong = client.post("/account/sign-in/", {"username": person.email, "password": "nope"})
    unknown = client.post("/account/sign-in/", {"username": "nobody@example.test", "password": "nope"})
    # then both read the same, start with "Error:", and nothing says whether an account exists
    assert wrong.status_code == unknown.status_code == 200
    messages = []
    for response in (wrong, unknown):
        html = response.content.decode()
        assert "<title>Error:" in html
        errors = response.context["form"].non_field_errors()
        assert len(errors) == 1
        messages.append(errors[0])
        assert f"Error: {errors[0]}" in html
    assert messages[0] == messages[1]
    assert "exist" not in messages[0]
    assert "_auth_user_id" not in client.session


def test_an_unconfirmed_account_gets_the_same_message_and_cannot_sign_in(client, person):
    # given an account whose address is not confirmed yet
    person.is_active = False
    person.save(update_fields=["is_active"])
    # when the right password is given
    response = client.post("/account/sign-in/", {"username": person.email, "password": PASSWORD})
    # then the message is the generic one
    assert response.status_code == 200
    wrong = client.post("/account/sign-in/", {"username": person.email, "password": "nope"})
    assert response.context["form"].non_field_errors() == wrong.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session


def test_an_empty_form_shows_each_field_s_error_tied_to_it(client):
    response = client.post("/account/sign-in/", {})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_username-error"' in html
    assert 'aria-describedby="id_username-error"' in html
    assert 'aria-invalid="true"' in html
    assert '<a href="#id_username">' in html


def test_signing_in_rotates_the_session_ignores_case_and_follows_a_next_on_this_site(client, person):
    # given a visitor's session
    client.get("/account/sign-in/")
    client.session.save()
    before = client.session.session_key
    # when they sign in with the address in capitals and a next on this site
    response = client.post("/account/sign-in/", {"username": "JANA@example.test", "password": PASSWORD,
                                                 "next": "/account/"})
    # then they are signed in, in a new session, and sent there
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    assert client.session["_auth_user_id"] == str(person.pk)
    assert client.session.session_key != before


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "http://evil.example/x"])
def test_a_next_to_another_host_is_refused(client, person, next_url):
    response = client.post("/account/sign-in/", {"username": person.email, "password": PASSWORD,
                                                 "next": next_url})
    assert response.status_code == 302
    assert "evil" not in response["Location"]
    assert response["Location"] == "/"  # LOGIN_REDIRECT_URL


def test_the_header_of_a_signed_in_person_shows_their_name_their_account_and_a_sign_out_button(
    client, person
):
    client.force_login(person)
    html = client.get("/").content.decode()
    assert "Jana Dvořáková" in html
    assert 'href="/account/"' in html
    assert '<form action="/account/sign-out/" method="post">' in html
    assert 'href="/account/sign-in/"' not in html


def test_signing_out_needs_a_post_and_ends_the_session(client, person):
    client.force_login(person)
    # a GET (a link, an image) does not sign out
    assert client.get("/account/sign-out/").status_code == 405
    assert client.session.get("_auth_user_id") == str(person.pk)
    # a POST does
    response = client.post("/account/sign-out/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session
    assert settings.LOGOUT_REDIRECT_URL == "web:home"


@pytest.mark.parametrize("who", ["staff", "customer", "person"])
def test_without_a_next_page_each_person_lands_on_their_work(client, who):
    # given an agent of two providers, a customer with an account, and a person who is neither
    first = builders.organisation(name="Alfa Net", slug="alfa-net")
    second = builders.organisation(name="Beta Tel", slug="beta-tel")
    if who == "staff":
        user = builders.staff(second, Role.AGENT).user
        Membership.objects.create(user=user, organisation=first, role=Role.AGENT)
        expected = "/console/alfa-net/"
    elif who == "customer":
        user = builders.customer(first).user
        expected = "/my/"
    else:
        user = builders.user(email="nobody@example.test")
        expected = "/"
    # when they sign in from the sign-in page itself
    response = client.post("/account/sign-in/", {"username": user.email, "password": PASSWORD})
    # then staff go to the console of their first provider by name, a customer to their complaints
    assert response.status_code == 302
    assert response["Location"] == expected
