"""Writes of the channels domain: the outbox (``outbox``), what comes in (``inbound``, ``imap``)."""

from plaint.channels.services.inbound import incoming_message_store, incoming_observers
from plaint.channels.services.outbox import (
    MAIL_DOMAIN,
    outbox_batched,
    outbox_buffered,
    outbox_sweep,
    outgoing_message_mark_undelivered,
    outgoing_message_queue,
    outgoing_message_send,
    outgoing_messages_send,
)

__all__ = [
    "incoming_message_store",
    "incoming_observers",
    "MAIL_DOMAIN",
    "outbox_batched",
    "outbox_buffered",
    "outbox_sweep",
    "outgoing_message_mark_undelivered",
    "outgoing_message_queue",
    "outgoing_message_send",
    "outgoing_messages_send",
]
