"""Counting a token's uses: written at once, then at most once an interval, per token."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from plaint.core import clock
from plaint.parties.models import ApiTokenUse
from plaint.parties.services import (
    api_token_create,
    api_token_use_record,
    api_token_uses_forget_pending,
)
from plaint.testing import builders

pytestmark = pytest.mark.django_db
START = datetime(2026, 12, 1, 10, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen():
    api_token_uses_forget_pending()
    clock.set_now(START)
    yield
    clock.set_now(None)
    api_token_uses_forget_pending()


def test_an_address_that_is_not_an_ip_is_stored_as_none():
    token, _secret = api_token_create(organisation=builders.organisation(), name="CRM")
    api_token_use_record(token=token, address="unix:/run/granian.sock")
    assert ApiTokenUse.objects.get(token=token).last_address is None


def test_two_tokens_are_written_apart_and_each_at_most_once_an_interval(settings):
    # given two tokens and an interval of 5 minutes
    settings.PLAINT_TOKEN_USE_WRITE_INTERVAL = 300
    org = builders.organisation()
    one, _ = api_token_create(organisation=org, name="One")
    two, _ = api_token_create(organisation=org, name="Two")
    # when each is used, again and again for 4 minutes
    for _ in range(3):
        api_token_use_record(token=one, address="198.51.100.1")
    api_token_use_record(token=two, address="2001:db8::1")
    clock.advance(timedelta(minutes=4))
    api_token_use_record(token=one, address="198.51.100.1")
    # then each was written once, on its first use
    counts = dict(ApiTokenUse.objects.values_list("token__name", "count"))
    assert counts == {"One": 1, "Two": 1}
    # and after the interval the waiting uses are added
    clock.advance(timedelta(minutes=1))
    api_token_use_record(token=one, address="198.51.100.1")
    assert ApiTokenUse.objects.get(token=one).count == 5
    assert ApiTokenUse.objects.get(token=two).last_address == "2001:db8::1"
