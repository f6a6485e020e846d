"""Who read which complaint: one row in the read log per staff read of a complaint's detail.

Not an event and not a service: reading changes nothing about the complaint, so it does not
join the complaint's chain or timeline. One INSERT, in the request's own transaction (or
autocommit); the table is append-only (trigger on PostgreSQL, migration 0010).
"""

from __future__ import annotations

from plaint.complaints.actors import Actor
from plaint.complaints.models import Complaint, ComplaintRead, ReadChannel
from plaint.core import clock


def complaint_read_log(*, actor: Actor, complaint: Complaint, channel: ReadChannel) -> ComplaintRead | None:
    """Record that staff or an integration read the complaint; customers reading their own
    complaint and the system are not logged (None)."""
    if actor.is_customer or actor.is_system:
        return None
    return ComplaintRead.objects.create(
        complaint=complaint, user=actor.user, token=actor.token, actor_kind=actor.kind,
        channel=channel, occurred_at=clock.now(),
    )
