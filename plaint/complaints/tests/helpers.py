"""What the complaints domain tests share: a fixed time, the actors, a snapshot of the
database, and the expectation that a refused request keeps nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection, transaction

from plaint.channels.models import OutgoingMessage
from plaint.complaints.actors import Actor, staff_actor
from plaint.complaints.models import (
    CancellationRequest,
    Complaint,
    Decision,
    Demand,
    Event,
    Evidence,
    ExternalReferral,
    FinalResponse,
    IdempotencyRecord,
    Interaction,
    Message,
    Promise,
    Reason,
)
from plaint.core.exceptions import ApplicationError
from plaint.parties.actors import Principal
from plaint.parties.models import ApiToken
from plaint.testing.actors import OTHER_ORG_AGENT, TOKEN, Cast

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
#: Free text that must never reach an event's ``data``.
FREE_TEXT = "FREE-TEXT Pan Dvořák said so"

MODELS = [
    Complaint, Demand, Decision, FinalResponse, ExternalReferral, Event, Reason, Message,
    Interaction, Promise, Evidence, IdempotencyRecord, CancellationRequest, OutgoingMessage,
]


def database_snapshot() -> dict[str, Any]:
    """The row count of every model of the domain and the outbox, and the fields services change."""
    tables = [connection.ops.quote_name(model._meta.db_table) for model in MODELS]
    counts = ", ".join(f"(SELECT COUNT(*) FROM {table})" for table in tables)  # noqa: S608 - our tables
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        row = cursor.fetchone()
    snapshot: dict[str, Any] = {model.__name__: n for model, n in zip(MODELS, row, strict=True)}
    snapshot["complaints"] = list(Complaint.objects.order_by("pk").values_list(
        "pk", "state", "level", "final_response_due", "team_id", "assignee_id", "merged_into_id",
        "demands_recorded", "updated_at", "state_changed_at", "closed_at",
    ))
    snapshot["messages"] = list(
        Message.objects.order_by("pk").values_list("pk", "complaint_id", "moved_from_id")
    )
    snapshot["decisions"] = list(
        Decision.objects.order_by("pk").values_list("pk", "customer_response")
    )
    snapshot["referrals"] = list(
        ExternalReferral.objects.order_by("pk").values_list("pk", "outcome", "resolved_at")
    )
    snapshot["cancellations"] = list(
        CancellationRequest.objects.order_by("pk").values_list("pk", "state", "executed_at")
    )
    return snapshot


@contextmanager
def refused(error: type[ApplicationError], code: str) -> Iterator[pytest.ExceptionInfo[Any]]:
    """Expect the block to fail with ``error`` and ``code`` and to leave the database as it was.

    The block runs in a savepoint, as in an adapter's transaction, which a failed
    service marks for rollback.
    """
    before = database_snapshot()
    with pytest.raises(error) as info, transaction.atomic():
        yield info
    assert info.value.code == code, info.value.message
    assert database_snapshot() == before


def actor_of(cast: Cast, name: str) -> Actor:
    """``cast.actor`` with the API token and the other organisation's agent (towards org 2)."""
    if name == TOKEN:
        token = ApiToken.objects.get(organisation=cast.org1)
        actor = staff_actor(Principal(token=token), cast.org1.pk)
    elif name == OTHER_ORG_AGENT:
        actor = staff_actor(Principal(user=cast.users[name]), cast.org2.pk)
    else:
        return cast.actor(name)
    assert actor is not None
    return actor


def new_events(after: int) -> list[Event]:
    return list(Event.objects.filter(pk__gt=after).select_related("reason").order_by("pk"))


def last_event_id() -> int:
    return Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def only_new_event(after: int) -> Event:
    """The one event written since event ``after``: services write exactly one."""
    events = new_events(after)
    assert len(events) == 1, [e.kind for e in events]
    return events[0]


def assert_recorded_by(event: Event, actor: Actor) -> None:
    assert event.actor_kind == actor.kind
    assert event.actor_user_id == (actor.user.pk if actor.user else None)
    assert event.actor_token_id == (actor.token.pk if actor.token else None)
    assert event.actor_role == (actor.who.value if actor.who else "")


def assert_no_free_text(event: Event, *texts: str) -> None:
    """``data`` holds ids, codes and field names only: none of ``texts``, no free text."""
    dumped = json.dumps(event.data, ensure_ascii=False)
    for text in (FREE_TEXT, *texts):
        if text:
            assert text not in dumped, (text, event.data)


def load(pk: int) -> Complaint:
    """A complaint as the access functions load it."""
    return Complaint.objects.select_related("organisation", "customer").get(pk=pk)
