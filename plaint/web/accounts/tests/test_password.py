"""A new password by e-mail, end to end, and a password change for a signed-in person (both
tiers)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from plaint.testing import builders
from plaint.web.tests.test_public_pages import _assert_csp_clean

pytestmark = pytest.mark.django_db

RESET_LINK = re.compile(r"http://testserver(/account/password/reset/[^/\s]+/[^/\s]+/)")
NEW = "a brand new horse 7"


def test_a_reset_e_mails_a_one_time_link_in_the_person_s_language_and_the_new_password_works(client):
    # given an account in Romanian
    person = builders.user(email="ana@example.test", preferred_language="ro")
    # when a reset is asked for, from an English browser, with the address in capitals
    page = client.get("/account/password/reset/")
    _assert_csp_clean(page.content.decode())
    response = client.post("/account/password/reset/", {"email": "ANA@example.test"},
                           HTTP_ACCEPT_LANGUAGE="en")
    # then the page says to check the e-mail, and a link went to the address, in Romanian
    assert (response.status_code, response["Location"]) == (302, "/account/password/reset/sent/")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ana@example.test"]
    with translation.override("ro"):
        assert message.subject == gettext("Set a new password for Plaint")
    link = RESET_LINK.search(message.body).group(1)
    # when the link is opened (Django moves the token into the session) and a new password set
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"] is True
    html = form_page.content.decode()
    assert '<label for="id_new_password1">' in html
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    # then the password is the new one, and the link is used up
    assert (done.status_code, done["Location"]) == (302, "/account/password/reset/done/")
    person.refresh_from_db()
    assert person.check_password(NEW)
    assert client.get(link, follow=True).context["validlink"] is False
    assert client.login(username="ana@example.test", password=NEW)


def test_a_reset_for_an_unknown_or_unconfirmed_address_reads_the_same_and_sends_nothing(client):
    pending = builders.user(email="pending@example.test")
    pending.is_active = False
    pending.save(update_fields=["is_active"])
    for address in ("nobody@example.test", "pending@example.test"):
        response = client.post("/account/password/reset/", {"email": address})
        assert (response.status_code, response["Location"]) == (302, "/account/password/reset/sent/")
    assert mail.outbox == []


def test_a_weak_new_password_is_refused_with_the_error_tied_to_the_field(client):
    builders.user(email="ana@example.test")
    client.post("/account/password/reset/", {"email": "ana@example.test"})
    link = RESET_LINK.search(mail.outbox[0].body).group(1)
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "id_new_password2-error" in html
    assert 'aria-invalid="true"' in html


def test_a_signed_in_person_changes_their_password_and_stays_signed_in(client):
    person = builders.user()
    client.force_login(person)
    page = client.get("/account/password/")
    assert page.status_code == 200
    assert '<label for="id_old_password">' in page.content.decode()
    # a wrong current password is refused
    wrong = client.post("/account/password/", {"old_password": "nope", "new_password1": NEW,
                                               "new_password2": NEW})
    assert wrong.status_code == 200
    assert "old_password" in wrong.context["form"].errors
    # the right one changes it
    response = client.post("/account/password/", {"old_password": "pw-not-secret", "new_password1": NEW,
                                                  "new_password2": NEW})
    assert (response.status_code, response["Location"]) == (302, "/account/password/changed/")
    person.refresh_from_db()
    assert person.check_password(NEW)
    assert client.get("/account/").status_code == 200  # the session survives its own change
