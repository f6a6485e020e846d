"""The hash chain of the event log: what an event's hash covers, computed without the ORM.

Each event belongs to exactly one chain: its complaint's; a cancellation's events without a
complaint form the cancellation's chain; an organisation's own events (its deadline policy) form
the organisation's chain. Within a chain, events carry a ``position`` (1, 2, 3…, unique per chain
in the database, so that two writers cannot both append position 5: the second insert fails
instead of forking the chain), the ``previous_hash`` of the event before them ("" for the first)
and their own ``hash``.

The hash is the SHA-256 of a canonical JSON (sorted keys, no spaces, UTF-8) of:

- ``v``: the version of this definition (1);
- ``position`` and ``previous``: where the event stands in its chain, so that events cannot be
  reordered, dropped from the middle or moved to another chain;
- ``organisation``, ``complaint``, ``related_complaint``, ``cancellation``: what it is about;
- ``kind``, ``occurred_at`` (UTC, ISO 8601 with microseconds), ``visibility``, ``data``: what
  happened, when, and who may read it;
- ``actor_kind``, ``actor_user``, ``actor_token``, ``actor_role``: who did it;
- ``reason``: the id of the ``Reason`` row holding the free text.

Not covered: the event's own ``id`` (the database assigns it after the hash is computed; the
position orders the chain instead) and the reason's text (it is personal data that privacy
erasure may anonymise in place; the id still pins which reason the event points to).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

VERSION = 1
#: The fields of an event the hash covers, by attname (the ``data`` value as stored).
HASHED_FIELDS = (
    "organisation_id", "complaint_id", "related_complaint_id", "cancellation_id", "kind",
    "occurred_at", "actor_kind", "actor_user_id", "actor_token_id", "actor_role", "visibility",
    "data", "reason_id",
)


def canonical_json(value: Any) -> bytes:  # noqa: ANN401 - any JSON value
    """One byte string per JSON value, whatever the key order or the database it came from."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode()


def _moment(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


_NAMES = tuple((name, name.removesuffix("_id")) for name in HASHED_FIELDS)


def event_payload(fields: Mapping[str, Any], *, position: int, previous_hash: str,
                  stored: bool = False) -> dict[str, Any]:
    """The JSON object an event's hash is taken of, from its field values by attname.

    ``stored``: ``data`` was read from the database, so it is already as the database gives
    it back; otherwise it is made so (tuples become lists, integer keys strings)."""
    payload: dict[str, Any] = {key: fields[name] for name, key in _NAMES}
    payload["occurred_at"] = _moment(fields["occurred_at"])
    data = fields["data"] or {}
    payload["data"] = data if stored else json.loads(json.dumps(data))
    payload["v"] = VERSION
    payload["position"] = position
    payload["previous"] = previous_hash
    return payload


def event_hash(fields: Mapping[str, Any], *, position: int, previous_hash: str,
               stored: bool = False) -> str:
    """The hex SHA-256 of the event's canonical payload."""
    payload = event_payload(fields, position=position, previous_hash=previous_hash, stored=stored)
    return hashlib.sha256(canonical_json(payload)).hexdigest()


def tombstone_hash(*, complaint_id: int, organisation_id: int, last_hash: str, event_count: int,
                   rule: str, removed_at: datetime) -> str:
    """The hash a tombstone carries of its own content, so that verify notices it changed."""
    payload = {"v": VERSION, "complaint": complaint_id, "organisation": organisation_id,
               "last_hash": last_hash, "event_count": event_count, "rule": rule,
               "removed_at": _moment(removed_at)}
    return hashlib.sha256(canonical_json(payload)).hexdigest()


#: What an event's hashed fields are when a writer leaves them out (the model's defaults).
FIELD_DEFAULTS: dict[str, Any] = {
    "related_complaint_id": None, "cancellation_id": None, "actor_user_id": None,
    "actor_token_id": None, "actor_role": "", "reason_id": None, "data": {},
}


def first_link(row: Mapping[str, Any]) -> dict[str, Any]:
    """``row`` (an event's values by attname, for a bulk insert) as the first event of a new
    chain: with its position, an empty previous hash and its hash."""
    fields = {**FIELD_DEFAULTS, **row}
    fields = {name: str(value) if isinstance(value, str) else value for name, value in fields.items()}
    return {**row, "position": 1, "previous_hash": "",
            "hash": event_hash(fields, position=1, previous_hash="")}
