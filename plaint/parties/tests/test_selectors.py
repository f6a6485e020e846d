"""Looking a token up by its secret: live tokens only."""

from __future__ import annotations

from datetime import timedelta

from plaint.core import clock
from plaint.parties.models import ApiToken
from plaint.parties.selectors import api_token_by_secret
from plaint.parties.services import api_token_create
from plaint.testing import builders


def test_a_live_token_is_found_by_its_secret(db):
    token, secret = api_token_create(organisation=builders.organisation(), name="CRM")
    assert api_token_by_secret(secret) == token


def test_a_wrong_secret_finds_nothing(db):
    _, secret = api_token_create(organisation=builders.organisation(), name="CRM")
    assert api_token_by_secret(secret + "x") is None
    assert api_token_by_secret("") is None


def test_a_revoked_token_is_not_found(db):
    token, secret = api_token_create(organisation=builders.organisation(), name="CRM")
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=clock.now())
    assert api_token_by_secret(secret) is None


def test_a_token_is_found_until_it_expires_and_not_from_then_on(db):
    # given a token that expires at a fixed moment
    moment = clock.now().replace(microsecond=0) + timedelta(days=1)
    token, secret = api_token_create(organisation=builders.organisation(), name="CRM",
                                     expires_at=moment)
    # when / then
    with clock.frozen_at(moment - timedelta(seconds=1)):
        assert api_token_by_secret(secret) == token
    with clock.frozen_at(moment):
        assert api_token_by_secret(secret) is None
