"""Writes of the channels domain: the outbox (``outbox``) and, later, what comes in."""

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
    "MAIL_DOMAIN",
    "outbox_batched",
    "outbox_buffered",
    "outbox_sweep",
    "outgoing_message_mark_undelivered",
    "outgoing_message_queue",
    "outgoing_message_send",
    "outgoing_messages_send",
]
