"""``plaint token``: the operator creates (exempt from rate limits if asked), lists and revokes."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from plaint.parties.models import ApiToken
from plaint.parties.selectors import api_token_by_secret
from plaint.testing import builders

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue()


def test_create_prints_the_secret_once_and_the_token_works_exempt_if_asked():
    org = builders.organisation(slug="sit-praha")
    printed = run("create", "sit-praha", "Benchmark", "--scope", "read", "--rate-limit-exempt",
                  "--expires-in-days", "7")
    secret = printed.strip().splitlines()[-1]
    token = api_token_by_secret(secret)
    assert token is not None
    assert (token.organisation, token.scope, token.rate_limit_exempt) == (org, "read", True)
    assert token.expires_at is not None


def test_list_shows_every_token_and_revoke_revokes_it():
    builders.organisation(slug="sit-praha")
    secret = run("create", "sit-praha", "CRM").strip().splitlines()[-1]
    token = ApiToken.objects.get(name="CRM")
    assert "CRM" in run("list", "sit-praha")
    assert "never" in run("list", "sit-praha")
    run("revoke", str(token.pk))
    assert api_token_by_secret(secret) is None
    assert "revoked" in run("list", "sit-praha")


def test_an_unknown_organisation_or_token_is_an_error():
    with pytest.raises(CommandError):
        run("list", "nobody")
    with pytest.raises(CommandError):
        run("revoke", "987654")
