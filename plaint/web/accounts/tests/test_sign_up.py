"""Signing up through Django's test client (both tiers): the confirmation e-mail in the chosen
language, the link that turns the account on and links the customer records of the address, and
a sign-up with a known address that shows the same page and e-mails the owner instead."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext, ngettext

from plaint.parties.models import Customer, User
from plaint.testing import builders
from plaint.web.tests.test_public_pages import _assert_csp_clean

pytestmark = pytest.mark.django_db

PASSWORD = "a long horse 42"
FORM = {"email": "Jana@Example.test", "full_name": "Jana Dvořáková", "password1": PASSWORD,
        "password2": PASSWORD, "preferred_language": "cs"}
LINK = re.compile(r"http://testserver(/account/confirm/[^/\s]+/[^/\s]+/)")
RESET_LINK = re.compile(r"http://testserver(/account/password/reset/[^/\s]+/[^/\s]+/)")


def _link(message, pattern=LINK) -> str:
    found = pattern.search(message.body)
    assert found, message.body
    return found.group(1)


def test_the_sign_up_form_offers_the_active_language_and_says_what_a_password_needs(client):
    response = client.get("/account/sign-up/", HTTP_ACCEPT_LANGUAGE="pl")
    html = response.content.decode()
    assert response.status_code == 200
    _assert_csp_clean(html)
    assert response.context["form"]["preferred_language"].value() == "pl"
    for name in ("email", "full_name", "password1", "password2", "preferred_language"):
        assert f'<label for="id_{name}">' in html, name
    assert 'id="id_password1-help"' in html
    assert 'aria-describedby="id_password1-help"' in html
    assert "novalidate" in html


def test_a_sign_up_e_mails_a_link_in_the_chosen_language_and_links_nothing_before_it_is_opened(client):
    # given a customer record of the address, made when a complaint was filed without an account
    org = builders.organisation()
    walk_in = builders.customer(org, with_user=False, email="jana@example.test")
    # when the person signs up, in Czech
    response = client.post("/account/sign-up/", FORM, HTTP_ACCEPT_LANGUAGE="en")
    # then they are told to check their e-mail
    assert response.status_code == 302
    assert response["Location"] == "/account/sign-up/sent/"
    # and one e-mail went to the address, in Czech, with a link to confirm it
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jana@example.test"]
    assert message.extra_headers["Content-Language"] == "cs"
    with translation.override("cs"):
        assert message.subject == gettext("Confirm your e-mail address for Plaint")
    _link(message)
    # and the account cannot sign in, and the customer record is not linked yet
    user = User.objects.get(email="jana@example.test")
    assert not user.is_active
    walk_in.refresh_from_db()
    assert walk_in.user is None
    assert not client.login(username="jana@example.test", password=PASSWORD)


def test_opening_the_link_and_confirming_turns_the_account_on_signs_in_and_links_the_customers(client):
    # given customer records of the address, one of which belongs to another user already
    org1, org2 = builders.organisation(), builders.organisation()
    walk_in = builders.customer(org1, with_user=False, email="JANA@example.test")
    owned = builders.customer(org2, email="jana@example.test")
    owner = owned.user
    client.post("/account/sign-up/", FORM)
    link = _link(mail.outbox[0])
    # when the link is opened (a GET, as a mail scanner would) nothing changes yet
    page = client.get(link)
    assert page.status_code == 200
    assert page.context["valid"] is True
    _assert_csp_clean(page.content.decode())
    user = User.objects.get(email="jana@example.test")
    assert not user.is_active
    # when the person gives a password other than the one chosen at sign-up, nothing changes
    wrong = client.post(link, {"password": "not the one 1"})
    assert wrong.status_code == 200
    assert "password" in wrong.context["form"].errors
    assert 'aria-invalid="true"' in wrong.content.decode()
    user.refresh_from_db()
    assert not user.is_active
    assert "_auth_user_id" not in client.session
    # when they give the right one
    response = client.post(link, {"password": PASSWORD})
    # then the account is on, they are signed in, and the unowned record of the address is theirs
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    user.refresh_from_db()
    assert user.is_active
    assert client.session["_auth_user_id"] == str(user.pk)
    walk_in.refresh_from_db()
    assert walk_in.user == user
    owned.refresh_from_db()
    assert owned.user == owner
    assert list(Customer.objects.filter(user=user)) == [walk_in]
    # and the account page says so, in their language
    account = client.get("/account/")
    assert account.status_code == 200
    assert account.headers["Content-Language"] == "cs"
    with translation.override("cs"):
        found = ngettext("We found the complaints you made to %(count)d provider with this address; "
                         "they are in your account.",
                         "We found the complaints you made to %(count)d providers with this address; "
                         "they are in your account.", 1) % {"count": 1}
    assert found in account.content.decode()
    # and the link is used up
    client.post("/account/sign-out/")
    again = client.get(link)
    assert again.context["valid"] is False
    assert client.post(link, {"password": PASSWORD}).context["valid"] is False
    assert "_auth_user_id" not in client.session
    # and the person signs in with their password
    assert client.login(username="jana@example.test", password=PASSWORD)


def test_someone_who_signed_up_with_another_person_s_address_cannot_have_them_confirm_it(client):
    # given an account created by someone else with Jana's address, and Jana's complaint record
    walk_in = builders.customer(builders.organisation(), with_user=False, email="jana@example.test")
    client.post("/account/sign-up/", {**FORM, "password1": "intruder pass 5", "password2": "intruder pass 5"})
    link = _link(mail.outbox[0])
    # when Jana opens the link she did not ask for, she cannot turn the account on without the
    # intruder's password
    jana = Client()
    assert jana.get(link).context["valid"] is True
    assert jana.post(link, {"password": ""}).status_code == 200
    assert not User.objects.get(email="jana@example.test").is_active
    walk_in.refresh_from_db()
    assert walk_in.user is None
    # and when she signs up herself, the intruder's password and link stop working
    jana.post("/account/sign-up/", FORM)
    assert client.get(link).context["valid"] is False
    assert User.objects.get(email="jana@example.test").check_password(PASSWORD)


def test_a_made_up_or_altered_link_does_nothing(client):
    client.post("/account/sign-up/", FORM)
    link = _link(mail.outbox[0])
    altered = link[:-3] + ("a" if link[-2] != "a" else "b") + "/"
    for url in (altered, "/account/confirm/MQ/x-y/", "/account/confirm/!!!/x-y/"):
        response = client.post(url, {"password": PASSWORD})
        assert response.status_code == 200, url
        assert response.context["valid"] is False
    assert not User.objects.get(email="jana@example.test").is_active


def test_a_renewed_sign_up_makes_the_earlier_link_stop_working(client):
    client.post("/account/sign-up/", FORM)
    first = _link(mail.outbox[0])
    client.post("/account/sign-up/", {**FORM, "password1": "other horse 77", "password2": "other horse 77"})
    second = _link(mail.outbox[1])
    assert client.get(first).context["valid"] is False
    assert client.get(second).context["valid"] is True


def test_a_sign_up_with_an_address_that_has_an_account_shows_the_same_page_and_mails_the_owner(client):
    # given an account that is on, in Polish
    existing = builders.user(email="jana@example.test", full_name="Jana", preferred_language="pl")
    password = existing.password
    # when someone signs up with its address
    response = client.post("/account/sign-up/", FORM)
    # then the page is the same as for a new address
    assert response.status_code == 302
    assert response["Location"] == "/account/sign-up/sent/"
    # and the owner gets a note, in their language, with a link to set a new password (no confirmation)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jana@example.test"]
    assert message.extra_headers["Content-Language"] == "pl"
    with translation.override("pl"):
        assert message.subject == gettext("You already have an account on Plaint")
    assert not LINK.search(message.body)
    reset = _link(message, RESET_LINK)
    # and nothing about the account changed
    existing.refresh_from_db()
    assert (existing.full_name, existing.password) == ("Jana", password)
    # and the link in the note lets the owner choose a new password
    form_page = client.get(reset, follow=True)
    assert form_page.context["validlink"] is True


def test_the_page_after_a_sign_up_is_the_same_for_a_new_and_a_known_address(client):
    builders.user(email="known@example.test")
    new = client.post("/account/sign-up/", FORM, follow=True)
    known = client.post("/account/sign-up/", {**FORM, "email": "known@example.test"}, follow=True)
    csrf = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    assert csrf.sub(b"", new.content) == csrf.sub(b"", known.content)


def test_an_invalid_sign_up_shows_translated_errors_and_writes_nothing(client):
    # when the passwords differ, and then when the password is too common, in Czech
    differ = client.post("/account/sign-up/", {**FORM, "password2": "something else 1"},
                         HTTP_ACCEPT_LANGUAGE="cs")
    common = client.post("/account/sign-up/", {**FORM, "password1": "password", "password2": "password"},
                         HTTP_ACCEPT_LANGUAGE="cs")
    # then the form comes back with the errors, and nothing was written or sent
    assert differ.status_code == common.status_code == 200
    assert "password2" in differ.context["form"].errors
    errors = " ".join(common.context["form"].errors["password1"])
    with translation.override("cs"):
        assert gettext("This password is too common.") in errors
        assert f"<title>{gettext('Error:')}" in common.content.decode()
    with translation.override("en"):
        assert gettext("This password is too common.") not in errors  # Django's Czech, not English
    html = common.content.decode()
    assert 'aria-describedby="id_password1-help id_password1-error"' in html
    assert User.objects.count() == 0
    assert mail.outbox == []


def test_a_password_like_the_name_or_the_address_is_refused(client):
    similar = {"password1": "dvorakova.jana", "password2": "dvorakova.jana"}
    response = client.post("/account/sign-up/", {**FORM, "email": "dvorakova.jana@example.test", **similar})
    assert response.status_code == 200
    assert "too similar" in " ".join(response.context["form"].errors["password1"])
    assert User.objects.count() == 0


def test_a_signed_in_person_is_sent_to_their_account_page(client):
    client.force_login(builders.user())
    response = client.get("/account/sign-up/")
    assert (response.status_code, response["Location"]) == (302, "/account/")
