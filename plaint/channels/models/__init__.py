"""What goes out (``outgoing``) and what comes in (``incoming``)."""

from plaint.channels.models.incoming import Classification, IncomingMessage, IncomingState, Mailbox
from plaint.channels.models.outgoing import OutgoingMessage, OutgoingState

__all__ = [
    "Classification",
    "IncomingMessage",
    "IncomingState",
    "Mailbox",
    "OutgoingMessage",
    "OutgoingState",
]
