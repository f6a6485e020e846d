"""The only way an adapter turns an incoming message's id into the message: staff of its
organisation may see it; for everyone else it does not exist (the same 404 either way)."""

from __future__ import annotations

from plaint.channels.models import IncomingMessage
from plaint.core.exceptions import NotFound
from plaint.parties.actors import Principal


def access_incoming_message_by_id(
    *, principal: Principal, message_id: int, raw: bool = False
) -> IncomingMessage:
    rows = IncomingMessage.objects.filter(
        pk=message_id, organisation_id__in=principal.staff_organisation_ids()
    )
    message = (rows if raw else rows.defer("raw")).first()
    if message is None:
        raise NotFound
    return message
