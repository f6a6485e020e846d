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

import copy
import logging
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from plaint.channels.services import outbox_batched, outbox_buffered
from plaint.clocks.actions import clock_act
from plaint.clocks.context import ClockContext
from plaint.clocks.models import Clock as ClockRow
from plaint.clocks.refresh import Facts, clocks_deferred, clocks_refresh, facts_of
from plaint.complaints.models import Complaint
from plaint.core import clock
from plaint.core.memo import memoised

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


def due_clocks(now: datetime, limit: int, *, passed: Collection[int] = ()):  # type: ignore[no-untyped-def]
    """The clocks whose next action is due, earliest first (the partial index serves this)."""
    rows = ClockRow.objects.filter(next_action_at__lte=now)
    if passed:
        rows = rows.exclude(complaint_id__in=passed)
    return rows.order_by("next_action_at")[:limit]


def _act_on_complaint(
    complaint: Complaint, context: ClockContext, now: datetime, rows: list[ClockRow], facts: Facts
) -> list[str]:
    """Act on each clock of the (locked) complaint that is due, earliest first.

    ``rows`` and ``facts``: the complaint's clock rows as stored and its events and promises,
    read for the whole batch at once (the events written here are added to them). The events
    an action writes only note the complaint (``clocks_deferred``); its clocks are refreshed
    once after each clock against those rows, so that the next one is read as the last action
    left it (a deemed acceptance meets the complaint's other answer clocks). An action works on
    a copy of its row, so that the rows keep saying what is stored.
    """
    outcomes: list[str] = []
    done: set[str] = set()
    while True:
        due = [
            row for row in rows
            if row.next_action_at is not None and row.next_action_at <= now and row.key not in done
        ]
        if not due:
            return outcomes
        row = min(due, key=lambda r: (r.next_action_at, r.pk))
        done.add(row.key)
        with clocks_deferred() as pending:
            outcomes.append(clock_act(complaint, copy.copy(row), context, now))
        noted = pending.get(complaint.pk)
        if noted is not None:
            for event in noted.events:
                facts.add(event)
            if noted.refresh:
                rows = clocks_refresh(complaint, context, stored=rows, facts=facts)


def _rows_by_complaint(complaints: list[Complaint]) -> dict[int, list[ClockRow]]:
    rows: dict[int, list[ClockRow]] = defaultdict(list)
    for row in ClockRow.objects.filter(complaint_id__in=[c.pk for c in complaints]):
        rows[row.complaint_id].append(row)
    return rows


def _sweep_batch(now: datetime, batch: int, report: SweepReport, passed: set[int]) -> int:
    """Lock up to ``batch`` complaints with due clocks and act on them; how many were locked.

    ``passed``: complaints this sweep already looked at and could not act on (an action failed,
    a rule is gone); they are left for the next sweep so that they cannot starve the others.
    """
    with transaction.atomic(), memoised(), outbox_batched():
        candidates = due_clocks(now, batch * CANDIDATES_PER_BATCH, passed=passed).values("complaint_id")
        complaints = list(
            Complaint.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=candidates)
            .select_related("organisation", "customer", "assignee__user")
            .order_by("pk")[:batch]
        )
        contexts: dict[int, ClockContext] = {}
        rows = _rows_by_complaint(complaints)
        facts = facts_of([c.pk for c in complaints])
        for complaint in complaints:
            context = contexts.get(complaint.organisation_id)
            if context is None:
                context = contexts[complaint.organisation_id] = ClockContext.for_organisation(
                    complaint.organisation
                )
            try:
                # A savepoint: one complaint's failure is its own (its messages are not written).
                with transaction.atomic(), outbox_buffered():
                    outcomes = _act_on_complaint(complaint, context, now, rows[complaint.pk],
                                                 facts[complaint.pk])
            except Exception:
                report.failed += 1
                passed.add(complaint.pk)
                logger.exception("clock actions failed for complaint %s", complaint.reference)
                continue
            for outcome in outcomes:
                report.add(outcome)
            if any(outcomes):
                report.acted_on += 1
            else:
                passed.add(complaint.pk)  # nothing left to do (another worker was first) or no rule
        report.complaints += len(complaints)
        return len(complaints)


def clocks_sweep(
    *, now: datetime | None = None, batch: int = BATCH, max_batches: int | None = None
) -> SweepReport:
    """Act on every clock due at ``now`` (default: the clock's now), batch after batch."""
    now = now or clock.now()
    report = SweepReport()
    passed: set[int] = set()
    batches = 0
    while max_batches is None or batches < max_batches:
        locked = _sweep_batch(now, batch, report, passed)
        batches += 1
        if locked == 0:
            break  # nothing due is left that another worker does not hold
    return report
