"""The clock sweep: find the clocks whose warning or due time has come, and act, exactly once.

Exactly once comes from one discipline: clock rows are written only while their complaint's row
is locked (services lock it; ``clocks_refresh`` runs inside them). The sweep takes a batch of
complaints that have due clocks with ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL, so that
several workers share the work without waiting on each other, re-reads their due clocks under the
lock, and acts. A clock handled by one worker is no longer due when the next one looks. SQLite has
no row locks but serialises writers (``BEGIN IMMEDIATE``), which gives the same guarantee.

After downtime the sweep simply finds everything that came due meanwhile: warnings for clocks that
have already run out are recorded as skipped, not sent, and the expiry actions run.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from plaint.clocks.actions import clock_act
from plaint.clocks.context import ClockContext
from plaint.clocks.models import Clock as ClockRow
from plaint.complaints.models import Complaint
from plaint.core import clock

logger = logging.getLogger(__name__)

BATCH = 100
# How many due clocks to look at for each batch of complaints: room to skip those another
# worker holds.
CANDIDATES_PER_BATCH = 10


@dataclass
class SweepReport:
    complaints: int = 0  # complaints locked and looked at
    acted_on: int = 0  # of those, complaints where a clock warned or expired
    warned: int = 0
    expired: int = 0
    failed: int = 0

    def add(self, outcome: str) -> None:
        if outcome == "warned":
            self.warned += 1
        elif outcome == "expired":
            self.expired += 1


def due_clocks(now: datetime, limit: int):  # type: ignore[no-untyped-def]
    """The clocks whose next action is due, earliest first (the partial index serves this)."""
    return ClockRow.objects.filter(next_action_at__lte=now).order_by("next_action_at")[:limit]


def _sweep_batch(now: datetime, batch: int, report: SweepReport) -> int:
    """Lock up to ``batch`` complaints with due clocks and act on them; how many were locked."""
    with transaction.atomic():
        candidates = due_clocks(now, batch * CANDIDATES_PER_BATCH).values("complaint_id")
        complaints = list(
            Complaint.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=candidates)
            .select_related("organisation", "customer", "assignee__user")
            .order_by("pk")[:batch]
        )
        contexts: dict[int, ClockContext] = {}
        for complaint in complaints:
            context = contexts.get(complaint.organisation_id)
            if context is None:
                context = contexts[complaint.organisation_id] = ClockContext.for_organisation(
                    complaint.organisation
                )
            try:
                with transaction.atomic():  # a savepoint: one complaint's failure is its own
                    outcomes = []
                    for row in complaint.clocks.filter(next_action_at__lte=now).order_by("next_action_at"):
                        row.refresh_from_db()  # an earlier action may have moved it
                        outcomes.append(clock_act(complaint, row, context, now))
                for outcome in outcomes:
                    report.add(outcome)
                report.acted_on += any(outcomes)
            except Exception:
                report.failed += 1
                logger.exception("clock actions failed for complaint %s", complaint.reference)
        report.complaints += len(complaints)
        return len(complaints)


def clocks_sweep(
    *, now: datetime | None = None, batch: int = BATCH, max_batches: int | None = None
) -> SweepReport:
    """Act on every clock due at ``now`` (default: the clock's now), batch after batch."""
    now = now or clock.now()
    report = SweepReport()
    batches = 0
    while max_batches is None or batches < max_batches:
        acted = report.warned + report.expired
        locked = _sweep_batch(now, batch, report)
        batches += 1
        if locked < batch or report.warned + report.expired == acted:
            break  # all done, the rest is another worker's, or only failures are left
    return report
