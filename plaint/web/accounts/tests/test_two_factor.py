"""Two-factor sign-in (both tiers): setting up an authenticator, the second step after the
password, recovery codes used once, required for managers and organisation admins, and a
session owing a code reaches nothing else (not even the API)."""

from __future__ import annotations

import base64
import re

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from plaint.parties.choices import Role
from plaint.parties.models import User
from plaint.parties.two_factor import recovery_codes_renew, totp_device_confirm, totp_device_pending
from plaint.testing import builders

pytestmark = pytest.mark.django_db

PASSWORD = "pw-not-secret"  # the builders' password


def code_for(device: TOTPDevice, *, ahead: int = 0) -> str:
    """The code the app shows now (or ``ahead`` steps later: a code is accepted once)."""
    return f"{totp(device.bin_key, drift=ahead):06d}"


def sign_in(client: Client, email: str, next_url: str = ""):
    data = {"username": email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post("/account/sign-in/", data)


@pytest.fixture(autouse=True)
def _no_otp_backoff(settings):
    """django-otp makes a device wait after a wrong code (1 s, then 2 s, …); these tests give a
    right code right after a wrong one. Our own refusal (``throttle``) stays on."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


@pytest.fixture
def person():
    return builders.user(email="jana@example.test")


@pytest.fixture
def with_device(person):
    device = totp_device_pending(user=person)
    codes = totp_device_confirm(device=device)
    return person, device, codes


def test_setting_up_shows_the_key_and_qr_and_a_right_code_turns_it_on(client, person):
    # given a signed-in person
    client.force_login(person)
    # when they open the set-up page
    page = client.get("/account/two-factor/set-up/")
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=person, confirmed=False)
    secret = re.search(r'<code class="two-factor-secret">([A-Z2-7]+)</code>', html).group(1)
    # then it shows the key (base32 of the device's) and the QR code as an image from this site
    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key
    assert '<img class="two-factor-qr" src="/account/two-factor/set-up/qr.svg"' in html
    qr = client.get("/account/two-factor/set-up/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.content.lstrip().startswith(b"<svg")
    # and reloading keeps the same key
    assert secret in client.get("/account/two-factor/set-up/").content.decode()
    # when a wrong code is given, it says so
    not_it = "000000" if code_for(device) != "000000" else "111111"
    wrong = client.post("/account/two-factor/set-up/", {"code": not_it})
    assert "This code is not right" in wrong.content.decode()
    # when the right one is given
    done = client.post("/account/two-factor/set-up/", {"code": code_for(device)})
    # then the device is on, and ten recovery codes are shown once
    assert done.status_code == 302
    assert done.url == "/account/two-factor/recovery-codes/"
    device.refresh_from_db()
    assert device.confirmed
    codes_page = client.get(done.url).content.decode()
    assert len(re.findall(r"<li><code>[a-z2-7]{8}</code></li>", codes_page)) == 10
    assert "<code>" not in client.get(done.url).content.decode()


def test_with_a_device_the_password_leads_to_the_second_step_before_any_page(client, with_device):
    person, device, _codes = with_device
    # when the person gives their password
    response = sign_in(client, person.email, next_url="/account/")
    # then they are asked for a code, and no other page opens meanwhile
    assert response.status_code == 302
    assert response.url == "/account/two-factor/verify/?next=%2Faccount%2F"
    assert client.get("/account/").url == "/account/two-factor/verify/?next=%2Faccount%2F"
    assert client.get("/account/two-factor/set-up/").url == "/account/two-factor/verify/"
    # when they give the app's code, under a new session key
    before = client.session.session_key
    done = client.post("/account/two-factor/verify/", {"code": code_for(device), "next": "/account/"})
    # then they reach the page they asked for
    assert done.status_code == 302
    assert done.url == "/account/"
    assert client.session.session_key != before
    assert client.get("/account/").status_code == 200


def test_a_wrong_code_is_refused_and_a_used_code_does_not_work_twice(client, with_device):
    person, device, _codes = with_device
    sign_in(client, person.email)
    code = code_for(device)
    wrong = client.post("/account/two-factor/verify/", {"code": "12345"})
    assert "This code is not right, or it was used already." in wrong.content.decode()
    assert client.post("/account/two-factor/verify/", {"code": code}).status_code == 302
    # when another session gives the same code again
    other = Client()
    sign_in(other, person.email)
    again = other.post("/account/two-factor/verify/", {"code": code})
    # then it is refused (a code works once)
    assert again.status_code == 200
    assert "This code is not right" in again.content.decode()


def test_a_recovery_code_signs_in_once(client, with_device):
    person, _device, codes = with_device
    sign_in(client, person.email)
    # when a recovery code is typed (in capitals, with a space)
    used = codes[0]
    done = client.post("/account/two-factor/verify/", {"code": f"{used[:4].upper()} {used[4:]}"})
    # then it signs in and is gone
    assert done.status_code == 302
    assert not StaticToken.objects.filter(token=used).exists()
    assert StaticToken.objects.filter(device__user=person).count() == 9
    other = Client()
    sign_in(other, person.email)
    assert other.post("/account/two-factor/verify/", {"code": used}).status_code == 200


def test_new_recovery_codes_replace_the_old_ones(with_device):
    person, _device, old = with_device
    new = recovery_codes_renew(user=person)
    assert len(new) == 10
    assert not StaticToken.objects.filter(token__in=old).exists()


def test_wrong_codes_count_towards_the_sign_in_refusal(client, settings, with_device):
    settings.PLAINT_SIGNIN_FAILURES_PER_ACCOUNT = 2
    person, _device, _codes = with_device
    sign_in(client, person.email)
    client.post("/account/two-factor/verify/", {"code": "000001"})
    refused = client.post("/account/two-factor/verify/", {"code": "000002"})
    assert refused.status_code == 429
    assert "Too many attempts." in refused.content.decode()


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ORG_ADMIN])
def test_a_manager_or_org_admin_must_set_it_up_before_any_page(client, role):
    # given a manager without a device
    org = builders.organisation()
    member = builders.staff(org, role)
    # when they give their password
    response = sign_in(client, member.user.email)
    # then they are sent to set it up, and the console, the manager pages and the API wait
    assert response.url.startswith("/account/two-factor/set-up/")
    assert client.get(f"/console/{org.slug}/").url.startswith("/account/two-factor/set-up/")
    assert client.get(f"/manage/{org.slug}/").url.startswith("/account/two-factor/set-up/")
    assert client.get("/api/v1/complaints").status_code == 401
    # when they set it up
    client.get("/account/two-factor/set-up/")
    device = TOTPDevice.objects.get(user=member.user, confirmed=False)
    client.post("/account/two-factor/set-up/", {"code": code_for(device)})
    # then the console opens, and turning it off is refused
    assert client.get(f"/console/{org.slug}/").status_code == 200
    assert client.post("/account/two-factor/off/").status_code == 403
    assert TOTPDevice.objects.filter(user=member.user, confirmed=True).exists()


def test_an_agent_does_not_need_it(client):
    org = builders.organisation()
    member = builders.staff(org, Role.AGENT)
    assert sign_in(client, member.user.email).url == f"/console/{org.slug}/"
    assert client.get(f"/console/{org.slug}/").status_code == 200


def test_a_person_may_turn_it_off(client, with_device):
    person, device, _codes = with_device
    sign_in(client, person.email)
    client.post("/account/two-factor/verify/", {"code": code_for(device)})
    response = client.post("/account/two-factor/off/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticToken.objects.filter(device__user=person).exists()
    assert client.get("/account/").status_code == 200


def test_the_status_page_says_whether_it_is_on(client, with_device):
    person, device, _codes = with_device
    sign_in(client, person.email)
    client.post("/account/two-factor/verify/", {"code": code_for(device)})
    html = client.get("/account/two-factor/").content.decode()
    assert "Two-factor sign-in is on." in html
    assert "You have 10 recovery codes left." in html
    assert 'href="/account/two-factor/"' in client.get("/account/").content.decode()


def test_a_platform_admin_signs_in_through_the_site_and_must_set_it_up(client):
    # given a platform admin (Django's admin is theirs)
    admin = User.objects.create_superuser("root@example.test", PASSWORD, full_name="Root")
    # when the admin's own sign-in page is asked for, the site's sign-in answers (throttled)
    assert client.get("/admin/login/?next=/admin/").url == "/account/sign-in/?next=%2Fadmin%2F"
    # and after the password they must set up two-factor sign-in before the admin opens
    response = sign_in(client, admin.email, next_url="/admin/")
    assert response.url.startswith("/account/two-factor/set-up/")
    assert client.get("/admin/").url.startswith("/account/two-factor/set-up/")
    client.get("/account/two-factor/set-up/")
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    client.post("/account/two-factor/set-up/", {"code": code_for(device)})
    assert client.get("/admin/").status_code == 200
