"""Incoming e-mail as staff see it: what came in, what it became, and what waits for a person.

A message Plaint could not handle by itself (unreadable, for no mailbox, spam, a failure) is
*held*; ``GET /incoming-messages?state=held`` is the list a person works through, and the raw
message can be downloaded as it arrived.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from plaint.api.auth import principal
from plaint.api.download_schemas import download
from plaint.api.errors import errors
from plaint.channels.access import access_incoming_message_by_id
from plaint.channels.models import IncomingMessage
from plaint.complaints import selectors
from plaint.core import references
from plaint.core.downloads import bytes_download

router = Router(tags=["incoming e-mail"])


class IncomingMessageOut(Schema):
    id: int
    organisation_id: int | None
    recipient: str
    source: str
    message_id: str
    from_address: str
    subject: str
    received_at: datetime
    state: str
    classification: str
    problem: str
    complaint_reference: str | None
    processed_at: datetime | None


class IncomingMessagePageOut(Schema):
    items: list[IncomingMessageOut]
    next_cursor: str | None


class IncomingFilters(Schema):
    state: Literal["stored", "processed", "ignored", "held"] | None = None
    cursor: str | None = Field(default=None, max_length=100)
    limit: int = Field(default=50, ge=1, le=200)


def _present(m: IncomingMessage) -> dict[str, object]:
    return {
        "id": m.pk, "organisation_id": m.organisation_id, "recipient": m.recipient,
        "source": m.source, "message_id": m.message_id, "from_address": m.from_address,
        "subject": m.subject, "received_at": m.received_at, "state": m.state,
        "classification": m.classification, "problem": m.problem,
        "complaint_reference": references.display(m.thread_reference) if m.thread_reference else None,
        "processed_at": m.processed_at,
    }


@router.get("/incoming-messages", response={200: IncomingMessagePageOut, **errors()},
            summary="List the e-mails that came in")
def list_incoming_messages(request: HttpRequest, filters: Query[IncomingFilters]):  # type: ignore[no-untyped-def]
    """Staff see their organisations' incoming e-mail, newest first (``state=held``: what waits
    for a person); anyone else gets an empty list."""
    rows, next_cursor = selectors.incoming_message_list(
        principal=principal(request), state=filters.state, cursor=filters.cursor, limit=filters.limit,
    )
    return {"items": [_present(m) for m in rows], "next_cursor": next_cursor}


@router.get("/incoming-messages/{incoming_id}", response={200: IncomingMessageOut, **errors(404)},
            summary="Get an incoming e-mail")
def get_incoming_message(request: HttpRequest, incoming_id: int):  # type: ignore[no-untyped-def]
    return _present(access_incoming_message_by_id(principal=principal(request), message_id=incoming_id))


@router.get("/incoming-messages/{incoming_id}/raw", response=errors(404),
            summary="Download an incoming e-mail as it arrived",
            openapi_extra=download("The e-mail byte for byte, as an attachment.", ["message/rfc822"]))
def download_incoming_message(request: HttpRequest, incoming_id: int):  # type: ignore[no-untyped-def]
    """The message byte for byte (``message/rfc822``), as an attachment: it may be hostile."""
    message = access_incoming_message_by_id(principal=principal(request), message_id=incoming_id, raw=True)
    return bytes_download(bytes(message.raw), filename=f"incoming-{message.pk}.eml",
                          content_type="message/rfc822")
