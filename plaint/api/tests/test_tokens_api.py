"""Managing API tokens through the API, and what a token may do: its scope, its organisation,
its expiry and revocation, and the log of its use."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from plaint.api.tests.api_requests import ROOT
from plaint.core import clock
from plaint.parties.models import ApiToken, ApiTokenUse
from plaint.parties.services import api_token_create, api_token_uses_forget_pending
from plaint.testing.actors import ORG_ADMIN, Cast


@pytest.fixture(autouse=True)
def _no_uses_pending():
    api_token_uses_forget_pending()
    yield
    api_token_uses_forget_pending()


def bearer(secret: str, **extra: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {secret}"}, **extra)


def tokens_url(cast: Cast) -> str:
    return f"{ROOT}/organisations/{cast.org1.pk}/tokens"


def test_an_admin_creates_a_token_whose_secret_is_shown_once_and_works(cast):
    # given organisation 1's admin, signed in
    admin = cast.client(ORG_ADMIN)
    expiry = clock.now() + timedelta(days=30)
    # when they create a read-only token that expires in 30 days
    created = admin.post(tokens_url(cast), {"name": "Reporting", "role": "manager", "scope": "read",
                                            "expires_at": expiry.isoformat()},
                         content_type="application/json")
    # then the answer holds the secret, and the token is stored without it
    assert created.status_code == 201, created.content
    body = created.json()
    secret = body.pop("secret")
    token = ApiToken.objects.get(pk=body["id"])
    assert (token.name, token.role, token.scope, token.organisation_id) == (
        "Reporting", "manager", "read", cast.org1.pk)
    assert token.created_by == cast.users[ORG_ADMIN]
    assert token.expires_at == expiry
    assert not token.rate_limit_exempt
    assert secret not in str(list(ApiToken.objects.values_list()))
    assert body["state"] == "active"
    assert body["prefix"] == secret[:8]
    # and the list never shows a secret again
    listed = admin.get(tokens_url(cast)).json()
    assert body["id"] in [t["id"] for t in listed]
    assert all("secret" not in t for t in listed)
    # and the token reads organisation 1's complaints
    assert bearer(secret).get(f"{ROOT}/complaints/{cast.complaint_a.reference}").status_code == 200


def test_a_token_cannot_be_created_already_expired_nor_exempt_from_limits(cast):
    admin = cast.client(ORG_ADMIN)
    past = (clock.now() - timedelta(minutes=1)).isoformat()
    response = admin.post(tokens_url(cast), {"name": "Old", "expires_at": past},
                          content_type="application/json")
    assert response.status_code == 422
    assert response.json()["code"] == "expiry_in_past"
    exempt = admin.post(tokens_url(cast), {"name": "Bulk", "rate_limit_exempt": True},
                        content_type="application/json")
    assert exempt.status_code == 201
    assert ApiToken.objects.get(pk=exempt.json()["id"]).rate_limit_exempt is False


def test_an_admin_token_may_manage_tokens_and_a_revoked_one_is_refused(cast):
    # given an admin token of organisation 1, and a CRM token
    _admin, admin_secret = api_token_create(organisation=cast.org1, name="Provisioning", role="org_admin")
    crm, crm_secret = api_token_create(organisation=cast.org1, name="CRM")
    # when the admin token revokes the CRM's
    revoked = bearer(admin_secret).post(f"{tokens_url(cast)}/{crm.pk}/revocation")
    # then it is revoked, and the CRM is refused with a code that says why
    assert revoked.status_code == 200
    assert revoked.json()["state"] == "revoked"
    refused = bearer(crm_secret).get(f"{ROOT}/complaints")
    assert refused.status_code == 401
    assert refused.json()["code"] == "token_revoked"
    # and revoking again keeps the first moment
    first = ApiToken.objects.get(pk=crm.pk).revoked_at
    clock_later = bearer(admin_secret).post(f"{tokens_url(cast)}/{crm.pk}/revocation")
    assert clock_later.json()["revoked_at"] == revoked.json()["revoked_at"]
    assert ApiToken.objects.get(pk=crm.pk).revoked_at == first


def test_an_admin_of_organisation_1_cannot_revoke_organisation_2s_token(cast):
    other, _secret = api_token_create(organisation=cast.complaint_other_org.organisation, name="Theirs")
    admin = cast.client(ORG_ADMIN)
    response = admin.post(f"{tokens_url(cast)}/{other.pk}/revocation")
    assert response.status_code == 404
    assert ApiToken.objects.get(pk=other.pk).revoked_at is None


def test_a_token_sees_only_its_organisations_complaints(cast):
    _token, secret = api_token_create(organisation=cast.org1, name="CRM")
    client = bearer(secret)
    listed = {c["reference"] for c in client.get(f"{ROOT}/complaints", {"limit": 200}).json()["items"]}
    assert cast.complaint_a.reference in listed
    assert cast.complaint_other_org.reference not in listed
    assert client.get(f"{ROOT}/complaints/{cast.complaint_other_org.reference}").status_code == 404


def test_a_token_expires_at_its_expiry(cast):
    expiry = clock.now() + timedelta(hours=1)
    _token, secret = api_token_create(organisation=cast.org1, name="Trial", expires_at=expiry)
    url = f"{ROOT}/complaints/{cast.complaint_a.reference}"
    assert bearer(secret).get(url).status_code == 200
    with clock.frozen_at(expiry):
        response = bearer(secret).get(url)
    assert response.status_code == 401
    assert response.json()["code"] == "token_expired"


def test_use_is_written_at_once_then_at_most_once_a_minute_and_shown_in_the_list(cast, settings):
    # given a token used through a trusted proxy, at a fixed time
    settings.PLAINT_TRUSTED_PROXIES = ["127.0.0.1"]
    token, secret = api_token_create(organisation=cast.org1, name="CRM")
    url = f"{ROOT}/complaints/{cast.complaint_a.reference}"
    start = datetime(2026, 12, 1, 10, 20, tzinfo=UTC)
    try:
        clock.set_now(start)
        # when it is used once
        bearer(secret, HTTP_X_FORWARDED_FOR="198.51.100.7").get(url)
        # then the hour's row is written at once, with the client's address
        use = ApiTokenUse.objects.get(token=token)
        assert (use.hour, use.count, use.last_used_at, use.last_address) == (
            start.replace(minute=0), 1, start, "198.51.100.7")
        # when it is used twice more within the minute
        clock.advance(timedelta(seconds=20))
        bearer(secret, HTTP_X_FORWARDED_FOR="198.51.100.8").get(url)
        bearer(secret, HTTP_X_FORWARDED_FOR="198.51.100.8").get(url)
        # then nothing more is written yet
        assert ApiTokenUse.objects.get(token=token).count == 1
        # when it is used again after the minute
        clock.advance(timedelta(seconds=41))
        bearer(secret, HTTP_X_FORWARDED_FOR="198.51.100.9").get(url)
        # then the uses waiting are added in one write
        use.refresh_from_db()
        assert (use.count, use.last_address) == (4, "198.51.100.9")
        # when the hour turns, a new row begins
        clock.set_now(start.replace(minute=0) + timedelta(hours=1, seconds=5))
        bearer(secret).get(url)
        assert list(ApiTokenUse.objects.filter(token=token).order_by("hour")
                    .values_list("count", flat=True)) == [4, 1]
        # and the admin's list shows the last use
        listed = {t["id"]: t for t in cast.client(ORG_ADMIN).get(tokens_url(cast)).json()}
    finally:
        clock.set_now(None)
    assert listed[token.pk]["last_address"] == "127.0.0.1"
    assert listed[token.pk]["uses_30_days"] == 5


def test_the_token_list_takes_the_same_queries_for_many_tokens_as_for_one(
    cast, django_assert_max_num_queries
):
    admin = cast.client(ORG_ADMIN)
    admin.get(tokens_url(cast))  # session, memberships warmed
    for n in range(6):
        api_token_create(organisation=cast.org1, name=f"T{n}")
    with django_assert_max_num_queries(6):
        assert len(admin.get(tokens_url(cast)).json()) >= 7
