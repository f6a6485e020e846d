"""Re-check the event log: every chain link by link, and the tombstones of removed chains.

Streams the events ordered by chain and position (``iterator``, tuples, no model instances), so
that a million events take one pass and little memory. Stops at the first broken link of each
chain and names it; the caller decides what to do (``plaint audit verify`` exits non-zero).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from plaint.complaints.chain import HASHED_FIELDS, event_hash, tombstone_hash
from plaint.complaints.models import Complaint, Event, EventChainTombstone

CHUNK = 5000

#: Each kind of chain: which events belong to it, and the field that names its owner.
CHAINS: tuple[tuple[str, Q, str], ...] = (
    ("complaint", Q(complaint__isnull=False), "complaint_id"),
    ("cancellation", Q(complaint__isnull=True, cancellation__isnull=False), "cancellation_id"),
    ("organisation", Q(complaint__isnull=True, cancellation__isnull=True), "organisation_id"),
)


@dataclass(frozen=True)
class BrokenLink:
    """Where a chain stops verifying: which chain, which event, what was expected and found."""

    chain: str  # "complaint", "cancellation", "organisation" or "tombstone"
    owner_id: int
    event_id: int | None
    problem: str
    expected: str
    found: str
    reference: str = ""  # the complaint's public reference, when the chain is a complaint's

    def describe(self) -> str:
        owner = f"{self.chain} {self.owner_id}" + (f" ({self.reference})" if self.reference else "")
        event = f", event {self.event_id}" if self.event_id is not None else ""
        return f"{owner}{event}: {self.problem}: expected {self.expected}, found {self.found}"


@dataclass
class AuditReport:
    events: int = 0
    chains: dict[str, int] = field(default_factory=lambda: {name: 0 for name, _q, _f in CHAINS})
    tombstones: int = 0
    broken: list[BrokenLink] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.broken


def _links(rows: Iterator[dict[str, Any]], owner_field: str) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """The rows grouped by owner, one chain at a time (they come ordered by owner)."""
    owner: int | None = None
    chain: list[dict[str, Any]] = []
    for row in rows:
        if row[owner_field] != owner and chain:
            yield owner, chain  # type: ignore[misc]
            chain = []
        owner = row[owner_field]
        chain.append(row)
    if chain:
        yield owner, chain  # type: ignore[misc]


def chain_check(chain: list[dict[str, Any]]) -> tuple[int | None, str, str, str] | None:
    """The first broken link of one chain as (event id, problem, expected, found), or None."""
    previous = ""
    for number, row in enumerate(chain, start=1):
        if row["position"] != number:
            return row["id"], "position out of sequence", str(number), str(row["position"])
        if row["previous_hash"] != previous:
            return row["id"], "previous hash", previous or "(none)", row["previous_hash"] or "(none)"
        digest = event_hash(row, position=number, previous_hash=previous, stored=True)
        if row["hash"] != digest:
            return row["id"], "content hash", digest, row["hash"] or "(none)"
        previous = digest
    return None


def audit_verify() -> AuditReport:
    """Re-compute every chain and check every tombstone; the report names each broken link."""
    report = AuditReport()
    columns = ("id", "position", "previous_hash", "hash", *HASHED_FIELDS)
    for name, condition, owner_field in CHAINS:
        rows = (Event.objects.filter(condition).order_by(owner_field, "position", "id")
                .values(*columns).iterator(chunk_size=CHUNK))
        for owner, chain in _links(rows, owner_field):
            report.chains[name] += 1
            report.events += len(chain)
            broken = chain_check(chain)
            if broken is not None:
                report.broken.append(BrokenLink(name, owner, *broken))
    _check_tombstones(report)
    references = dict(Complaint.objects.filter(
        pk__in=[b.owner_id for b in report.broken if b.chain == "complaint"]
    ).values_list("pk", "reference"))
    report.broken = [
        BrokenLink(**{**b.__dict__, "reference": references.get(b.owner_id, "")}) for b in report.broken
    ]
    return report


def _check_tombstones(report: AuditReport) -> None:
    """Each tombstone unchanged, and its complaint really gone: no row and no event left."""
    tombstones = EventChainTombstone.objects.order_by("id").values().iterator(chunk_size=CHUNK)
    for stone in tombstones:
        report.tombstones += 1
        digest = tombstone_hash(
            complaint_id=stone["complaint_id"], organisation_id=stone["organisation_id"],
            last_hash=stone["last_hash"], event_count=stone["event_count"], rule=stone["rule"],
            removed_at=stone["removed_at"],
        )
        if stone["hash"] != digest:
            report.broken.append(BrokenLink("tombstone", stone["complaint_id"], None,
                                            "tombstone hash", digest, stone["hash"]))
    left = (Event.objects.filter(complaint_id__in=EventChainTombstone.objects.values("complaint_id"))
            .values("complaint_id").annotate(n=Count("id")).order_by("complaint_id"))
    for row in left:
        report.broken.append(BrokenLink("tombstone", row["complaint_id"], None,
                                        "events left of a removed chain", "0", str(row["n"])))
