"""The endpoint services: only organisation admins, validated input, one change-log row each."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import transaction

from plaint.complaints.actors import SYSTEM_ACTOR, staff_actor
from plaint.core.exceptions import PermissionDenied, ValidationFailed
from plaint.parties.actors import Principal
from plaint.parties.choices import Role
from plaint.testing import builders
from plaint.testing.database import all_rows
from plaint.webhooks.models import EndpointChange, WebhookEndpoint
from plaint.webhooks.services import (
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_rotate_secret,
    webhook_endpoint_update,
)

URL = "https://127.0.0.1:9/hooks"


@contextmanager
def refused(error: type[Exception], code: str) -> Iterator[pytest.ExceptionInfo[Any]]:
    """Expect the block to fail with ``error`` and ``code`` and to change nothing. It runs in a
    savepoint, as in an adapter's transaction, which a failed service marks for rollback."""
    before = all_rows()
    with pytest.raises(error) as info, transaction.atomic():
        yield info
    assert info.value.code == code
    assert all_rows() == before


@pytest.fixture
def loopback_allowed(settings):
    settings.PLAINT_WEBHOOKS_ALLOW_PRIVATE = True


def member(organisation, role):
    actor = staff_actor(Principal(user=builders.staff(organisation, role).user), organisation.pk)
    assert actor is not None
    return actor


def test_an_admin_registers_an_endpoint_and_the_change_is_logged(db, loopback_allowed):
    # given an organisation admin
    organisation = builders.organisation()
    admin = member(organisation, Role.ORG_ADMIN)
    # when they register an endpoint (repeating a type)
    endpoint, secret = webhook_endpoint_create(
        actor=admin, organisation=organisation, url=f"  {URL}  ", description=" CRM ",
        event_types=["complaint.received", "clock.breached", "complaint.received"])
    # then it is stored as given, tidied, with its secret, and who registered it
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.description, endpoint.event_types) == (
        URL, "CRM", ["complaint.received", "clock.breached"])
    assert endpoint.secret == secret
    assert endpoint.created_by == admin.user
    # and one change-log row says so, without the secret
    [change] = EndpointChange.objects.all()
    assert (change.action, change.endpoint, change.actor_user, change.url) == (
        "created", endpoint, admin.user, URL)
    assert secret not in str(change.data)


@pytest.mark.parametrize("role", [Role.AGENT, Role.TEAM_LEADER, Role.COMPLAINTS_OFFICER, Role.MANAGER])
def test_staff_who_are_not_admins_may_not_register_endpoints(db, loopback_allowed, role):
    organisation = builders.organisation()
    staff = member(organisation, role)
    with refused(PermissionDenied, "not_permitted"):
        webhook_endpoint_create(actor=staff, organisation=organisation, url=URL,
                                event_types=["complaint.received"])


def test_an_admin_of_another_organisation_may_not_touch_an_endpoint(db, loopback_allowed):
    ours, theirs = builders.organisation(), builders.organisation()
    endpoint, _ = webhook_endpoint_create(actor=SYSTEM_ACTOR, organisation=ours, url=URL,
                                          event_types=["complaint.received"])
    stranger = member(theirs, Role.ORG_ADMIN)
    with refused(PermissionDenied, "not_permitted"):
        webhook_endpoint_update(actor=stranger, endpoint=endpoint, is_active=False)
    with refused(PermissionDenied, "not_permitted"):
        webhook_endpoint_rotate_secret(actor=stranger, endpoint=endpoint)
    with refused(PermissionDenied, "not_permitted"):
        webhook_endpoint_delete(actor=stranger, endpoint=endpoint)
    endpoint.refresh_from_db()
    assert endpoint.is_active


@pytest.mark.parametrize(("url", "code"), [
    ("https://127.0.0.1/hooks", "webhook_url_private"),
    ("https://10.0.0.8/hooks", "webhook_url_private"),
    ("https://169.254.169.254/latest/meta-data/", "webhook_url_private"),
    ("https://[::1]/hooks", "webhook_url_private"),
    ("https://localhost/hooks", "webhook_url_private"),
    ("http://93.184.215.14/hooks", "webhook_url_not_https"),
    ("not a url", "webhook_url_not_https"),
])
def test_private_and_plain_http_urls_are_refused_in_production(db, settings, url, code):
    # given the production setting
    settings.PLAINT_WEBHOOKS_ALLOW_PRIVATE = False
    organisation = builders.organisation()
    # when an endpoint is registered for the URL, then it is refused naming the field
    with refused(ValidationFailed, code) as refusal:
        webhook_endpoint_create(actor=SYSTEM_ACTOR, organisation=organisation, url=url,
                                event_types=["complaint.received"])
    assert list(refusal.value.fields) == ["url"]
    assert WebhookEndpoint.objects.count() == 0


def test_unknown_or_missing_event_types_are_refused(db, loopback_allowed):
    organisation = builders.organisation()
    with refused(ValidationFailed, "webhook_unknown_event_type") as unknown:
        webhook_endpoint_create(actor=SYSTEM_ACTOR, organisation=organisation, url=URL,
                                event_types=["complaint.received", "complaint.note_added"])
    assert unknown.value.fields == {"event_types": ["Unknown event type: complaint.note_added."]}
    with refused(ValidationFailed, "webhook_event_types_required"):
        webhook_endpoint_create(actor=SYSTEM_ACTOR, organisation=organisation, url=URL, event_types=[])


def test_several_bad_fields_are_named_together(db, settings):
    settings.PLAINT_WEBHOOKS_ALLOW_PRIVATE = False
    organisation = builders.organisation()
    with refused(ValidationFailed, "validation_error") as refusal:
        webhook_endpoint_create(actor=SYSTEM_ACTOR, organisation=organisation,
                                url="https://127.0.0.1/x", event_types=["nope"])
    assert set(refusal.value.fields) == {"url", "event_types"}


def test_an_update_changes_only_what_is_given_and_logs_the_fields(db, loopback_allowed):
    organisation = builders.organisation()
    endpoint, secret = webhook_endpoint_create(actor=SYSTEM_ACTOR, organisation=organisation, url=URL,
                                               event_types=["complaint.received"], description="CRM")
    # when the event types and the active flag change
    webhook_endpoint_update(actor=SYSTEM_ACTOR, endpoint=endpoint, is_active=False,
                            event_types=["complaint.closed"])
    # then those changed, the rest did not, and the log names the fields
    endpoint.refresh_from_db()
    assert (endpoint.is_active, endpoint.event_types) == (False, ["complaint.closed"])
    assert (endpoint.url, endpoint.description, endpoint.secret) == (URL, "CRM", secret)
    change = EndpointChange.objects.get(action="updated")
    assert change.data["fields"] == ["event_types", "is_active"]
    # and an update that changes nothing logs nothing
    webhook_endpoint_update(actor=SYSTEM_ACTOR, endpoint=endpoint, is_active=False)
    assert EndpointChange.objects.filter(action="updated").count() == 1


def test_an_update_to_a_private_url_is_refused_and_changes_nothing(db, settings):
    settings.PLAINT_WEBHOOKS_ALLOW_PRIVATE = True
    endpoint, _ = webhook_endpoint_create(actor=SYSTEM_ACTOR, organisation=builders.organisation(),
                                          url=URL, event_types=["complaint.received"])
    settings.PLAINT_WEBHOOKS_ALLOW_PRIVATE = False
    with refused(ValidationFailed, "webhook_url_private"):
        webhook_endpoint_update(actor=SYSTEM_ACTOR, endpoint=endpoint, url="https://192.168.0.1/x",
                                is_active=False)
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.is_active) == (URL, True)


def test_rotating_replaces_the_secret(db, loopback_allowed):
    endpoint, first = webhook_endpoint_create(actor=SYSTEM_ACTOR, organisation=builders.organisation(),
                                              url=URL, event_types=["complaint.received"])
    second = webhook_endpoint_rotate_secret(actor=SYSTEM_ACTOR, endpoint=endpoint)
    endpoint.refresh_from_db()
    assert second != first
    assert endpoint.secret == second
    assert endpoint.secret_rotated_at is not None
    assert EndpointChange.objects.filter(action="secret_rotated", endpoint=endpoint).count() == 1


def test_deleting_keeps_the_change_log(db, loopback_allowed):
    endpoint, _ = webhook_endpoint_create(actor=SYSTEM_ACTOR, organisation=builders.organisation(),
                                          url=URL, event_types=["complaint.received"])
    pk = endpoint.pk
    webhook_endpoint_delete(actor=SYSTEM_ACTOR, endpoint=endpoint)
    assert not WebhookEndpoint.objects.filter(pk=pk).exists()
    assert list(EndpointChange.objects.order_by("pk").values_list("action", "endpoint_id", "url")) == [
        ("created", None, URL), ("deleted", None, URL)]
    assert EndpointChange.objects.get(action="deleted").data == {"endpoint_id": pk}
