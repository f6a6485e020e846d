"""``plaint demo``: loads once, reloads harmlessly, covers the lifecycle, and prints a working token.

The demo is loaded once for the module (about ten seconds) inside a transaction
that is rolled back at the end; each test runs in its own savepoint within it.
SQLite only: the loader is the same ORM code on both databases, and loading it
twice per tier would double the suite's slowest part for no new evidence.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import models, transaction
from django.test import Client, override_settings
from django_otp.oath import totp

from plaint.complaints.choices import EventKind
from plaint.complaints.lifecycle import Level, State
from plaint.complaints.models import (
    CancellationRequest,
    Complaint,
    Decision,
    Event,
    Evidence,
    ExternalReferral,
    FinalResponse,
    Interaction,
    Message,
    Promise,
)
from plaint.core import clock
from plaint.demo import catalogue
from plaint.demo.loader import demo_token_secret
from plaint.parties.choices import Role
from plaint.parties.models import (
    Customer,
    Membership,
    Organisation,
    Team,
    User,
)
from plaint.parties.two_factor import demo_totp_key
from plaint.testing.database import row_counts

pytestmark = [pytest.mark.sqlite_only, pytest.mark.django_db]

@dataclass
class Loaded:
    output: str
    var_dir: Path


def _run_demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def loaded(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Loaded]:
    var_dir = tmp_path_factory.mktemp("demo-var")
    with (
        django_db_blocker.unblock(),
        override_settings(VAR_DIR=var_dir, MEDIA_ROOT=var_dir / "files"),
        transaction.atomic(),
    ):
        yield Loaded(output=_run_demo(), var_dir=var_dir)
        transaction.set_rollback(True)


def test_running_the_demo_again_duplicates_nothing(loaded: Loaded) -> None:
    # given the demo loaded once
    before = row_counts()
    # when it runs a second time
    output = _run_demo()
    # then every table holds exactly the rows it held, and the run says why
    assert row_counts() == before
    assert "Already there" in output
    assert "Created" not in output


def test_the_second_run_prints_the_same_token_and_logins(loaded: Loaded) -> None:
    # given the first run's printed token
    token = demo_token_secret()
    assert token in loaded.output
    # when the demo runs again
    output = _run_demo()
    # then it prints the same token and the same credentials file
    assert token in output
    assert catalogue.DEMO_PASSWORD in output
    data = json.loads((loaded.var_dir / "demo-credentials.json").read_text())
    assert data["api_token"] == token


def test_about_two_hundred_complaints_are_spread_over_the_three_providers(loaded: Loaded) -> None:
    # given the loaded demo / then
    assert 190 <= Complaint.objects.count() <= 210
    per_org = Complaint.objects.values("organisation__slug").annotate(n=models.Count("id"))
    assert {row["organisation__slug"] for row in per_org} == {s.slug for s in catalogue.MANAGED}
    assert all(row["n"] >= 60 for row in per_org)


def test_every_state_and_every_level_occurs(loaded: Loaded) -> None:
    # given the loaded demo / then
    states = set(Complaint.objects.values_list("state", flat=True))
    levels = set(Complaint.objects.values_list("level", flat=True))
    assert states == {s.value for s in State}
    assert levels == {lv.value for lv in Level}


def test_every_record_was_written_by_a_service_with_its_event(loaded: Loaded) -> None:
    # given the loaded demo / then each kind of record has one event per row
    def events(kind: EventKind) -> int:
        return Event.objects.filter(kind=kind).count()

    assert events(EventKind.RECEIVED) == Complaint.objects.count()
    assert events(EventKind.DECIDED) == Decision.objects.count() > 0
    assert events(EventKind.FINAL_RESPONSE_ISSUED) == FinalResponse.objects.count() > 0
    assert events(EventKind.REFERRED) == ExternalReferral.objects.count() > 0
    assert events(EventKind.EVIDENCE_ADDED) == Evidence.objects.count() > 0
    assert events(EventKind.INTERACTION_LOGGED) == Interaction.objects.count() > 0
    assert events(EventKind.MESSAGE_ADDED) + events(EventKind.NOTE_ADDED) == Message.objects.count()
    assert events(EventKind.MERGED) == Complaint.objects.exclude(merged_into=None).count() > 0
    assert events(EventKind.CANCELLATION_REQUESTED) == CancellationRequest.objects.count() > 0
    assert events(EventKind.CANCELLATION_EXECUTED) == CancellationRequest.objects.filter(
        state="executed").count() > 0
    assert CancellationRequest.objects.filter(state="open").exists()
    assert Promise.objects.exists()
    assert Event.objects.filter(kind=EventKind.ESCALATED, actor_kind="system").exists()


def test_dates_lie_in_the_last_ninety_days_and_the_clock_runs_again(loaded: Loaded) -> None:
    # given the loaded demo
    now = clock.now()
    # then complaints were received over the last three months, nothing happens in the future
    oldest = Complaint.objects.order_by("received_at").first()
    assert oldest is not None
    assert now - timedelta(days=91) <= oldest.received_at < now - timedelta(days=45)
    assert not Event.objects.filter(occurred_at__gt=now).exists()
    # and the loader left the clock running, not frozen in the past
    assert clock._fixed is None


def test_every_role_has_staff_in_each_managed_organisation(loaded: Loaded) -> None:
    # given the loaded demo / then
    for spec in catalogue.MANAGED:
        roles = set(Membership.objects.filter(organisation__slug=spec.slug).values_list("role", flat=True))
        assert roles == set(Role.values), spec.slug
        assert Team.objects.filter(organisation__slug=spec.slug).count() == 4
        customers = Customer.objects.filter(organisation__slug=spec.slug)
        assert customers.filter(user__isnull=False).exists()
        assert customers.filter(is_vulnerable=True).exists()
        assert customers.exclude(accessibility_needs="").exists()
    unmanaged = Organisation.objects.get(slug=catalogue.UNMANAGED.slug)
    assert not unmanaged.is_managed
    assert not unmanaged.memberships.exists()


def test_evidence_files_are_real_pdf_png_and_text(loaded: Loaded) -> None:
    # given the loaded demo / then the evidence service accepted each kind on its content
    types = set(Evidence.objects.values_list("content_type", flat=True))
    assert {"application/pdf", "image/png", "text/plain"} <= types


def test_credentials_file_lists_urls_logins_and_the_token(loaded: Loaded) -> None:
    # given the loaded demo
    data = json.loads((loaded.var_dir / "demo-credentials.json").read_text())
    # then it names the API, one login per role per organisation, and the token
    rychlonet = Organisation.objects.get(slug=catalogue.RYCHLONET.slug)
    assert data["organisation_id"] == rychlonet.pk
    assert data["password"] == catalogue.DEMO_PASSWORD
    assert data["urls"]["public_pages"] == "http://127.0.0.1:8000/"
    assert data["urls"]["api_docs"] == "http://127.0.0.1:8000/api/v1/docs"
    assert data["urls"]["openapi"].endswith("/api/v1/openapi.json")
    assert data["urls"]["admin"].endswith("/admin/")
    assert data["urls"]["console"][rychlonet.slug] == f"http://127.0.0.1:8000/console/{rychlonet.slug}/"
    assert data["urls"]["dashboard"][rychlonet.slug] == f"http://127.0.0.1:8000/manage/{rychlonet.slug}/"
    roles = {(u["organisation_id"], u["role"]) for u in data["users"]}
    for role in [*Role.values, "customer"]:
        assert (rychlonet.pk, role) in roles
    assert (None, "platform_admin") in roles
    admin = User.objects.get(email=catalogue.ADMIN_EMAIL)
    assert admin.is_superuser
    assert admin.check_password(catalogue.DEMO_PASSWORD)


def test_the_token_is_derived_from_the_secret_key(loaded: Loaded) -> None:
    # given the instance's secret key
    digest = hmac.new(settings.SECRET_KEY.encode(), b"plaint-demo-token", hashlib.sha256).digest()
    # then the demo token is its urlsafe base64, without padding
    assert demo_token_secret() == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def test_the_printed_token_authenticates_against_the_api(loaded: Loaded) -> None:
    # given the token the command printed
    token = json.loads((loaded.var_dir / "demo-credentials.json").read_text())["api_token"]
    assert token in loaded.output
    # when an integration lists complaints with it
    client = Client(headers={"Authorization": f"Bearer {token}"})
    response = client.get("/api/v1/complaints")
    # then it sees the Czech provider's complaints
    assert response.status_code == 200
    items = response.json()["items"]
    assert items
    assert {item["organisation"]["name"] for item in items} == {catalogue.RYCHLONET.name}


def test_each_demo_provider_has_its_public_procedure_page(loaded: Loaded) -> None:
    # given the demo's providers
    client = Client()
    managed = Organisation.objects.filter(is_managed=True)
    assert managed.exists()
    for organisation in managed:
        # when its procedure page is read in its own language
        response = client.get(
            f"/providers/{organisation.slug}/procedure/", HTTP_ACCEPT_LANGUAGE=organisation.default_language
        )
        # then it names the provider and its deadlines
        assert response.status_code == 200, organisation.slug
        assert organisation.name in response.content.decode()
        assert 'class="rule"' in response.content.decode()


def _totp_code(secret: str) -> str:
    """The code an authenticator app shows now for a printed base32 key."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key):06d}"


def test_the_printed_authenticator_keys_are_derived_from_the_secret_key(loaded: Loaded) -> None:
    # given the credentials file
    data = json.loads((loaded.var_dir / "demo-credentials.json").read_text())
    keyed = [u for u in data["users"] if u.get("totp_secret")]
    # then every manager and organisation admin and the platform admin (and only they) has a
    # key, printed too
    assert {u["role"] for u in keyed} == {Role.MANAGER, Role.ORG_ADMIN, "platform_admin"}
    assert all(u["role"] not in (Role.MANAGER, Role.ORG_ADMIN, "platform_admin") or u.get("totp_secret")
               for u in data["users"])
    for user in keyed:
        assert user["totp_secret"] in loaded.output
        # and it is the one the SECRET_KEY gives, so every run prints the same
        expected = demo_totp_key(secret_key=settings.SECRET_KEY, email=user["email"])
        assert base64.b32decode(user["totp_secret"] + "=" * (-len(user["totp_secret"]) % 8)).hex() == expected


def test_every_demo_login_signs_in_and_reaches_its_pages(loaded: Loaded) -> None:
    # given the printed logins, one per role per organisation
    data = json.loads((loaded.var_dir / "demo-credentials.json").read_text())
    seen: set[tuple[object, object]] = set()
    for user in data["users"]:
        key = (user["organisation_id"], user["role"])
        if key in seen or user["role"] == "platform_admin":
            continue
        seen.add(key)
        # when each signs in through the sign-in page with the demo password
        client = Client()
        response = client.post("/account/sign-in/", {"username": user["email"], "password": data["password"]})
        assert response.status_code == 302, user["email"]
        # and a manager or organisation admin gives the code of the printed authenticator key
        if user["role"] in (Role.MANAGER, Role.ORG_ADMIN):
            assert response.url.startswith("/account/two-factor/verify/"), user["email"]
            assert client.get("/account/").status_code == 302  # nothing before the code
            response = client.post(response.url, {"code": _totp_code(user["totp_secret"])})
            assert response.status_code == 302, user["email"]
            assert not response.url.startswith("/account/two-factor/"), user["email"]
        # then a customer reads their complaints and staff their organisation's console queue
        if user["role"] == "customer":
            page = client.get("/my/")
            assert page.status_code == 200, user["email"]
            assert 'href="/my/complaints/' in page.content.decode(), user["email"]
        else:
            slug = Organisation.objects.get(pk=user["organisation_id"]).slug
            page = client.get(f"/console/{slug}/?tab=all")
            assert page.status_code == 200, user["email"]
            assert f'href="/console/{slug}/complaints/' in page.content.decode(), user["email"]
