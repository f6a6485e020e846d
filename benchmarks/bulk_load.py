"""COPY for the benchmarks' loaders (``inprocess seed``, ``clocks_seed``): rows into a model's
table without the ORM, and events as the hash chains ``event_record`` would have made.

The loaders write hundreds of thousands of complaints, too many to make one by one through the
services. What the services would have written is the loaders' business; these helpers keep the
rows such that the database accepts them and ``plaint audit verify`` passes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db import connection
from django.db.models import Model

from plaint.complaints.chain import HASHED_FIELDS, event_hash

EVENT_COLUMNS = ("organisation_id", "complaint_id", "kind", "occurred_at", "actor_kind", "actor_role",
                 "actor_token_id", "visibility", "data", "position", "previous_hash", "hash")


def copy_rows(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """COPY rows into the model's table; returns how many."""
    table = model._meta.db_table
    count = 0
    with connection.connection.cursor() as cursor, cursor.copy(
        f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    ) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def chained_events(events: Iterable[dict[str, Any]]) -> Iterator[tuple[object, ...]]:
    """COPY rows (``EVENT_COLUMNS``) of events given by attname, each complaint's together and in
    order, with the position, previous hash and hash ``event_record`` would have given them: the
    database refuses an event without its hash, and ``plaint audit verify`` checks the chains."""
    complaint_id, position, previous_hash = None, 0, ""
    for event in events:
        if event["complaint_id"] != complaint_id:
            complaint_id, position, previous_hash = event["complaint_id"], 0, ""
        position += 1
        hash_ = event_hash({name: event.get(name) for name in HASHED_FIELDS}, position=position,
                           previous_hash=previous_hash)
        yield (*(event.get(column) for column in EVENT_COLUMNS[:8]), json.dumps(event["data"]),
               position, previous_hash, hash_)
        previous_hash = hash_
