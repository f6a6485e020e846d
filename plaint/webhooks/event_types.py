"""PURE: which events an organisation's systems may subscribe to, under which public names.

The public names are a contract with receivers (``complaint.received``, ``clock.breached``), so
they are spelled here once and never derived from our internal ``EventKind`` values, which may
change. Only events that matter to the business or the customer have a name: internal notes,
evidence uploads and the like are not sent. A generic state change is named after the action
that caused it, so that a receiver subscribes to ``complaint.closed`` rather than parsing states.

No ORM here: the table is tested without a database, and ``docs/webhooks.md`` lists it.
"""

from __future__ import annotations

from collections.abc import Mapping

# One entry per public type: the EventKind value it comes from, and (for a generic state change)
# the lifecycle action that caused it.
#: public type -> (event kind, action or None)
EVENT_TYPES: dict[str, tuple[str, str | None]] = {
    "complaint.received": ("received", None),
    "complaint.acknowledged": ("transitioned", "acknowledge"),
    "complaint.investigation_started": ("transitioned", "start_investigation"),
    "complaint.information_requested": ("transitioned", "request_information"),
    "complaint.resumed": ("transitioned", "resume"),
    "complaint.decided": ("decided", None),
    "complaint.decision_accepted": ("transitioned", "accept_decision"),
    "complaint.decision_rejected": ("decision_rejected", None),
    "complaint.final_response_issued": ("final_response_issued", None),
    "complaint.referred": ("referred", None),
    "complaint.external_outcome_recorded": ("external_outcome", None),
    "complaint.escalated": ("escalated", None),
    "complaint.supervisor_requested": ("supervisor_requested", None),
    "complaint.assigned": ("assigned", None),
    "complaint.demands_recorded": ("demands_recorded", None),
    "complaint.merged": ("merged", None),
    "complaint.closed": ("transitioned", "close"),
    "complaint.reopened": ("transitioned", "reopen"),
    "complaint.withdrawn": ("transitioned", "withdraw"),
    "complaint.external_route_opened": ("external_route_opened", None),
    "complaint.consumer_rights_opened": ("consumer_rights_opened", None),
    "cancellation.requested": ("cancellation_requested", None),
    "cancellation.executed": ("cancellation_executed", None),
    "clock.warned": ("clock_warned", None),
    "clock.breached": ("clock_expired", None),
    "clock.extended": ("clock_extended", None),
    "promise.missed": ("promise_missed", None),
}

#: Every public type, in the order the documentation lists them.
PUBLIC_TYPES: tuple[str, ...] = tuple(EVENT_TYPES)

_BY_KIND: dict[str, str] = {kind: name for name, (kind, action) in EVENT_TYPES.items() if action is None}
_BY_ACTION: dict[str, str] = {
    action: name for name, (kind, action) in EVENT_TYPES.items() if kind == "transitioned" and action
}


def public_type(kind: str, data: Mapping[str, object] | None = None) -> str | None:
    """The public type of an event of ``kind`` with ``data``, or None if it is never sent."""
    if kind == "transitioned":
        action = (data or {}).get("action")
        return _BY_ACTION.get(action) if isinstance(action, str) else None
    return _BY_KIND.get(kind)


def unknown_types(names: list[str]) -> list[str]:
    """The names in ``names`` that are not public types, in their order."""
    return [name for name in names if name not in EVENT_TYPES]
