"""Recompute every clock row from the events: the proof that the rows are only a cache."""

from __future__ import annotations

from dataclasses import dataclass

from plaint.clocks.context import ClockContext
from plaint.clocks.models import Clock as ClockRow
from plaint.clocks.refresh import ROW_FIELDS, clocks_derive, clocks_refresh, row_values
from plaint.complaints.models import Complaint

CHUNK = 500


@dataclass
class RebuildResult:
    complaints: int = 0
    rows: int = 0
    changed: int = 0


def _differences(complaint: Complaint, context: ClockContext) -> tuple[int, int]:
    """(rows derived, rows that differ from the stored ones, missing or extra included)."""
    derived = {c.key: row_values(c) for c in clocks_derive(complaint, context)}
    stored = {
        row.key: {name: getattr(row, name) for name in ROW_FIELDS}
        for row in ClockRow.objects.filter(complaint_id=complaint.pk)
    }
    changed = sum(1 for key, values in derived.items() if stored.get(key) != values)
    changed += len(set(stored) - set(derived))
    return len(derived), changed


def clocks_rebuild(*, dry_run: bool = False) -> RebuildResult:
    """Compare (and unless ``dry_run``, rewrite) every complaint's clock rows.

    Run inside a transaction; complaints are locked as the services lock them.
    """
    result = RebuildResult()
    contexts: dict[int, ClockContext] = {}
    ids = list(Complaint.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = Complaint.objects.select_for_update(of=("self",)).filter(pk__in=ids[start:start + CHUNK])
        for complaint in chunk.select_related("organisation").order_by("pk"):
            context = contexts.get(complaint.organisation_id)
            if context is None:
                context = contexts[complaint.organisation_id] = ClockContext.for_organisation(
                    complaint.organisation
                )
            rows, changed = _differences(complaint, context)
            result.complaints += 1
            result.rows += rows
            result.changed += changed
            if changed and not dry_run:
                clocks_refresh(complaint, context)
    return result
