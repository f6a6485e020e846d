"""Removing complaints whose retention period has passed, leaving a tombstone of their chain.

RULES.md § 8.4 (storage limitation): keep complaint records as long as the longest applicable
limitation period of the jurisdiction, then erase. The periods are the setting
``PLAINT_RETENTION_YEARS`` (country → years, from RULES.md § 8.4; a country not listed is
never removed). The period runs from the moment the complaint reached its final state
(``state_changed_at`` of a ``closed`` or ``withdrawn`` complaint): an open complaint, or one
referred to an external body, is on legal hold and never removed; a reopened complaint starts
again.

Each removal deletes the complaint with everything that cascades from it (its events, records,
clocks, read log), the reasons its events pointed to, and (after the commit) its evidence files,
and writes an ``EventChainTombstone`` (complaint id, organisation, last hash, event count, rule,
time). The whole run is one transaction with ``SET LOCAL plaint.retention = 'on'``, the only
setting under which the PostgreSQL trigger lets events be deleted. A complaint that another
kept complaint still points to (a merge, a moved message) is skipped until that one goes too.

Minimal on purpose: privacy export and erasure on request are another task.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import ProtectedError, RestrictedError

from plaint.complaints.chain import tombstone_hash
from plaint.complaints.lifecycle import State
from plaint.complaints.models import Complaint, Event, EventChainTombstone, Evidence, Reason
from plaint.core import clock

logger = logging.getLogger(__name__)

#: The final states from which the retention period runs; every other state is a legal hold.
FINAL_STATES = (State.CLOSED.value, State.WITHDRAWN.value)


@dataclass(frozen=True)
class Due:
    complaint_id: int
    reference: str
    rule: str


@dataclass
class RetentionReport:
    due: list[Due] = field(default_factory=list)
    removed: list[Due] = field(default_factory=list)
    kept: list[Due] = field(default_factory=list)  # due, but another complaint still points to it


def _years_before(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


def retention_due(*, now: datetime) -> list[Due]:
    """The complaints whose retention period has passed at ``now``, oldest first."""
    due: list[Due] = []
    for country, years in sorted(settings.PLAINT_RETENTION_YEARS.items()):
        rows = Complaint.objects.filter(
            organisation__country=country, state__in=FINAL_STATES,
            state_changed_at__lt=_years_before(now, years),
        ).order_by("state_changed_at", "pk").values_list("pk", "reference")
        due.extend(Due(pk, reference, f"retention:{country}:{years}y") for pk, reference in rows)
    return due


def _remove(due: Due, now: datetime) -> None:
    """Delete one complaint and write its tombstone (in the caller's transaction)."""
    complaint = Complaint.objects.select_for_update().filter(pk=due.complaint_id).first()
    if complaint is None or complaint.state not in FINAL_STATES:
        raise ProtectedError("no longer due", set())
    events = Event.objects.filter(complaint_id=complaint.pk)
    tail = events.order_by("-position").values_list("position", "hash").first() or (0, "")
    reason_ids = list(events.filter(reason__isnull=False).values_list("reason_id", flat=True))
    files = [name for name in Evidence.objects.filter(complaint=complaint).values_list("file", flat=True)
             if name]
    complaint.delete()
    Reason.objects.filter(pk__in=reason_ids).delete()
    EventChainTombstone.objects.create(
        complaint_id=due.complaint_id, organisation_id=complaint.organisation_id, last_hash=tail[1],
        event_count=tail[0], rule=due.rule, removed_at=now,
        hash=tombstone_hash(complaint_id=due.complaint_id, organisation_id=complaint.organisation_id,
                            last_hash=tail[1], event_count=tail[0], rule=due.rule, removed_at=now),
    )
    storage = Evidence._meta.get_field("file").storage  # type: ignore[attr-defined]
    transaction.on_commit(lambda: [storage.delete(name) for name in files])


def _retention_setting(value: str) -> None:
    """``SET LOCAL plaint.retention``: the only key to the PostgreSQL trigger (migration 0009)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('plaint.retention', %s, true)", [value])


@contextmanager
def chain_removal() -> Iterator[None]:
    """A transaction (or savepoint) in which whole chains may be deleted: the retention run's,
    and tests that need complaints gone. The setting is turned off again before the block
    ends: inside a caller's transaction the block is only a savepoint, and SET LOCAL would
    otherwise last until the caller's commit (a failure rolls the savepoint back, which
    restores the setting too)."""
    with transaction.atomic():
        _retention_setting("on")
        yield
        _retention_setting("off")


def retention_run(*, apply: bool, now: datetime | None = None) -> RetentionReport:
    """List (``apply=False``) or remove the complaints whose retention period has passed."""
    now = now or clock.now()
    report = RetentionReport(due=retention_due(now=now))
    if not apply:
        return report
    with chain_removal():
        waiting = list(report.due)
        while waiting:
            still: list[Due] = []
            for due in waiting:
                try:
                    with transaction.atomic():  # a savepoint: a refused removal is its own
                        _remove(due, now)
                except (ProtectedError, RestrictedError):
                    still.append(due)
                else:
                    report.removed.append(due)
            if len(still) == len(waiting):
                break  # no progress: the rest are held by complaints that are kept
            waiting = still
        report.kept = waiting
    for due in report.removed:
        logger.info("retention removed complaint %s (%s)", due.complaint_id, due.rule)
    return report
