"""Staff invitations through Django's test client (both tiers): an admin adds a person, who gets
an e-mail in the right language with a one-time link; the link asks for a password (Django's
validators), turns the account on, signs the person in and opens the console. A person with an
account gets a note instead; an admin can send the invitation again."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from plaint.core import clock
from plaint.parties.choices import Role
from plaint.parties.models import Membership, User
from plaint.parties.services import invitation_pending, user_invitation_accept
from plaint.testing import builders
from plaint.testing.auth import force_login
from plaint.web.accounts.mail import invitation_tokens, sign_up_tokens, uid_of
from plaint.web.tests.test_public_pages import _assert_csp_clean

pytestmark = pytest.mark.django_db

PASSWORD = "a long horse 42"
LINK = re.compile(r"http://testserver(/account/invitation/[^/\s]+/[^/\s]+/)")


def _admin_and_org(**org_fields):  # type: ignore[no-untyped-def]
    org = builders.organisation(**org_fields)
    admin = builders.staff(org, Role.ORG_ADMIN)
    return org, admin


def _add(client, org, admin, **data):  # type: ignore[no-untyped-def]
    force_login(client, admin.user)
    return client.post(f"/manage/{org.slug}/staff/", {"role": "agent", **data})


def _link(message) -> str:  # type: ignore[no-untyped-def]
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(1)


def test_a_new_person_gets_an_invitation_in_the_organisations_language_and_stays_inactive(client):
    # given a Polish organisation and its admin (who reads the pages in English)
    org, admin = _admin_and_org(default_language="pl", languages=["pl"])
    # when the admin adds a person Plaint does not know
    response = _add(client, org, admin, email="Nowa@Example.test", full_name="Nowa Agentka")
    # then the page says the person was e-mailed
    assert response.status_code == 302
    assert "we e-mailed them" in client.get(response["Location"]).content.decode()
    # and one invitation went to the address, in Polish, with a link
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nowa@example.test"]
    assert message.extra_headers["Content-Language"] == "pl"
    with translation.override("pl"):
        subject = gettext("Your invitation to work for %(organisation)s on Plaint")
    expected = subject % {"organisation": org.name}
    assert message.subject == expected
    _link(message)
    # and the account stays off, in Polish, and cannot sign in until the invitation is accepted
    user = User.objects.get(email="nowa@example.test")
    assert (user.is_active, user.has_usable_password(), user.preferred_language) == (False, False, "pl")
    assert invitation_pending(user)


def test_the_link_asks_for_a_password_then_turns_the_account_on_signs_in_and_opens_the_console(client):
    # given an invitation, and a customer record of the address from a complaint filed earlier
    org, admin = _admin_and_org()
    walk_in = builders.customer(org, with_user=False, email="nova@example.test")
    _add(client, org, admin, email="nova@example.test", full_name="Nová Agentka")
    link = _link(mail.outbox[0])
    client.logout()
    # when the link is opened (a GET, as a mail scanner would), nothing changes
    page = client.get(link)
    assert page.status_code == 200
    assert page.context["valid"] is True
    html = page.content.decode()
    _assert_csp_clean(html)
    assert org.name in html
    assert '<label for="id_password1">' in html
    assert not User.objects.get(email="nova@example.test").is_active
    # when the person chooses a password
    response = client.post(link, {"password1": PASSWORD, "password2": PASSWORD})
    # then they are signed in and taken to the organisation's console
    assert response.status_code == 302
    assert response["Location"] == f"/console/{org.slug}/"
    console = client.get(response["Location"])
    assert console.status_code == 200
    user = User.objects.get(email="nova@example.test")
    assert user.is_active
    assert user.check_password(PASSWORD)
    assert console.context["user"] == user
    # and the customer record of the address is theirs now, as after a confirmed sign-up
    walk_in.refresh_from_db()
    assert walk_in.user == user
    # and the link works once: opening it again says it does not work, and changes nothing
    client.logout()
    again = client.get(link)
    assert again.context["valid"] is False
    client.post(link, {"password1": "another long horse 7", "password2": "another long horse 7"})
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)
    assert client.login(username="nova@example.test", password=PASSWORD)


def test_a_bad_token_or_another_kind_of_link_does_not_work(client):
    # given an invited person
    org, admin = _admin_and_org()
    _add(client, org, admin, email="nova@example.test", full_name="Nová")
    user = User.objects.get(email="nova@example.test")
    client.logout()
    uid = uid_of(user)
    bad_links = [
        f"/account/invitation/{uid}/not-a-token/",
        f"/account/invitation/{uid}/{sign_up_tokens.make_token(user)}/",  # a sign-up link's token
        f"/account/invitation/Zm9v/{invitation_tokens.make_token(user)}/",  # another uid
    ]
    for link in bad_links:
        # when someone opens it and posts a password
        page = client.get(link)
        client.post(link, {"password1": PASSWORD, "password2": PASSWORD})
        # then the page says the link does not work and the account stays off
        assert page.status_code == 200
        assert page.context["valid"] is False, link
        assert "This link does not work" in page.content.decode()
        user.refresh_from_db()
        assert not user.is_active
        assert not user.has_usable_password()


@pytest.mark.parametrize(
    ("first", "second", "field"),
    [
        ("short", "short", "password1"),  # too short
        ("12345678901234", "12345678901234", "password1"),  # only digits
        ("password123", "password123", "password1"),  # too common
        ("nova@example.test", "nova@example.test", "password1"),  # the address itself
        (PASSWORD, "not the same one 9", "password2"),
    ],
)
def test_a_password_the_validators_refuse_is_shown_as_an_error_and_changes_nothing(
    client, first, second, field
):
    org, admin = _admin_and_org()
    _add(client, org, admin, email="nova@example.test", full_name="Nová")
    link = _link(mail.outbox[0])
    client.logout()
    # when the person chooses a password Django's validators refuse (or two different ones)
    response = client.post(link, {"password1": first, "password2": second})
    # then the form is shown again with the error on the field, and the account stays off
    assert response.status_code == 200
    assert field in response.context["form"].errors
    html = response.content.decode()
    assert "Error:" in html
    assert 'aria-invalid="true"' in html
    user = User.objects.get(email="nova@example.test")
    assert not user.is_active
    assert "_auth_user_id" not in client.session


def test_a_person_with_an_account_gets_a_note_in_their_language_and_no_link(client):
    # given a person with an active account who reads Romanian
    org, admin = _admin_and_org()
    person = builders.user(email="ana@example.test", full_name="Ana", preferred_language="ro")
    # when the admin makes them staff
    _add(client, org, admin, email="ana@example.test")
    # then they get a short note in Romanian, without an invitation link
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.extra_headers["Content-Language"] == "ro"
    with translation.override("ro"):
        expected = gettext("You now work for %(organisation)s on Plaint") % {"organisation": org.name}
    assert message.subject == expected
    assert not LINK.search(message.body)
    assert f"/console/{org.slug}/" in message.body
    # and their account is as before
    person.refresh_from_db()
    assert person.is_active
    assert person.check_password("pw-not-secret")


def test_a_closed_account_is_not_invited_and_cannot_be_reopened_by_a_link(client):
    # given an account that signed in once and was then switched off
    org, admin = _admin_and_org()
    closed = builders.user(email="closed@example.test", is_active=False)
    User.objects.filter(pk=closed.pk).update(last_login=clock.now())
    # when an admin makes the person staff
    _add(client, org, admin, email="closed@example.test")
    # then no e-mail is sent and no invitation is pending
    assert mail.outbox == []
    closed.refresh_from_db()
    assert not invitation_pending(closed)
    with pytest.raises(ValueError, match="no invitation"):
        user_invitation_accept(user=closed, password=PASSWORD)
    closed.refresh_from_db()
    assert not closed.is_active


def test_an_admin_sends_the_invitation_again_from_the_staff_page(client):
    # given a person invited and not accepted yet, and a member who has an account
    org, admin = _admin_and_org()
    _add(client, org, admin, email="nova@example.test", full_name="Nová")
    invited = Membership.objects.get(organisation=org, user__email="nova@example.test")
    staff_page = client.get(f"/manage/{org.slug}/staff/").content.decode()
    # then the staff page says they have not accepted and offers to send it again (a POST form)
    assert "Invited, has not accepted yet" in staff_page
    assert f'action="/manage/{org.slug}/staff/{invited.pk}/invitation/"' in staff_page
    # when the admin sends it again
    response = client.post(f"/manage/{org.slug}/staff/{invited.pk}/invitation/", follow=True)
    # then a second invitation with a working link went out
    assert response.redirect_chain[-1] == (f"/manage/{org.slug}/staff/", 302)
    assert "The invitation was sent again" in response.content.decode()
    assert len(mail.outbox) == 2
    second = _link(mail.outbox[1])
    client.logout()
    assert client.get(second).context["valid"] is True
    # and once accepted, sending again sends nothing
    client.post(second, {"password1": PASSWORD, "password2": PASSWORD})
    force_login(client, admin.user)
    response = client.post(f"/manage/{org.slug}/staff/{invited.pk}/invitation/", follow=True)
    assert "needs no invitation" in response.content.decode()
    assert len(mail.outbox) == 2


def test_a_switched_off_membership_makes_the_invitation_stop_working(client):
    # given an invitation whose membership the admin then switches off
    org, admin = _admin_and_org()
    _add(client, org, admin, email="nova@example.test", full_name="Nová")
    link = _link(mail.outbox[0])
    Membership.objects.filter(user__email="nova@example.test").update(is_active=False)
    client.logout()
    # then the link does not work
    assert client.get(link).context["valid"] is False


def test_only_the_organisations_admins_can_send_an_invitation_again(client):
    # given an invited person of one organisation
    org, admin = _admin_and_org()
    _add(client, org, admin, email="nova@example.test", full_name="Nová")
    invited = Membership.objects.get(organisation=org, user__email="nova@example.test")
    other_org, other_admin = _admin_and_org()
    manager = builders.staff(org, Role.MANAGER)
    mail.outbox.clear()
    # when a manager of the organisation, or the admin of another one, tries
    force_login(client, manager.user)
    as_manager = client.post(f"/manage/{org.slug}/staff/{invited.pk}/invitation/")
    force_login(client, other_admin.user)
    as_other = client.post(f"/manage/{other_org.slug}/staff/{invited.pk}/invitation/")
    # then the manager is refused, the other admin does not find the member, and nothing is sent
    assert as_manager.status_code == 403
    assert as_other.status_code == 404
    assert mail.outbox == []
