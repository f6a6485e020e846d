"""Removing what has passed its retention period, leaving a tombstone of each removed chain.

RULES.md § 8.4 (storage limitation): a retention schedule per record type and jurisdiction
(``plaint.deadlines.retention``, encoded in the packs beside the deadline rules, each entry with
its source and confidence). ``plaint retention run`` applies it:

- **Complaint records** go when the longest applicable period has passed (the regulator's
  record-keeping rule or the general limitation period, e.g. CZ 3 years from the final state, UK
  6 years; a country without entries is never removed). An open complaint, or one referred to an
  external body, is on legal hold and never removed; a reopened complaint starts again. Each
  removal deletes the complaint with everything that cascades from it (its events, records,
  clocks, read log), the reasons its events pointed to, and (after the commit) its evidence
  files, and writes an ``EventChainTombstone`` (complaint id, organisation, last hash, event
  count, rule, time). A complaint that another kept complaint still points to (a merge, a moved
  message) is skipped until that one goes too.
- **Call recordings** (audio evidence) go after their own period where the schedule limits it
  (BR: 90 days from the call, and no longer without a reason), once no legal hold applies: the
  file and its row go, and an event ``record_removed`` on the complaint says which file, under
  which rule (no personal data in it).
- **Erasure requests** waiting for a kept record are completed once their records are gone
  (``plaint.complaints.erasure.erasures_complete``).

An applied run is one transaction with ``SET LOCAL plaint.retention = 'on'``, the only setting
under which the PostgreSQL trigger lets events be deleted, and records itself as a
``RetentionRun`` (what, how many, under which rule). ``retention_run_task`` runs it daily.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction
from django.db.models import ProtectedError, Q, RestrictedError

from plaint.complaints.actors import SYSTEM_ACTOR
from plaint.complaints.chain import tombstone_hash
from plaint.complaints.choices import EventKind, Visibility
from plaint.complaints.lifecycle import State
from plaint.complaints.models import (
    Complaint,
    Event,
    EventChainTombstone,
    Evidence,
    ExternalReferral,
    Reason,
    RetentionRun,
)
from plaint.core import clock
from plaint.deadlines.retention import (
    Keep,
    Kind,
    RecordType,
    RetentionEntry,
    Trigger,
    period_start,
    retention_schedule,
)
from plaint.parties.choices import Sector

logger = logging.getLogger(__name__)

#: The final states from which the retention period runs; every other state is a legal hold.
FINAL_STATES = (State.CLOSED.value, State.WITHDRAWN.value)
#: What a call recording is: evidence whose detected type is a sound.
RECORDING_TYPES = Q(content_type__startswith="audio/")


@dataclass(frozen=True)
class Due:
    complaint_id: int
    reference: str
    rule: str
    record_type: str = RecordType.COMPLAINT_RECORD.value
    evidence_id: int | None = None


@dataclass
class RetentionReport:
    due: list[Due] = field(default_factory=list)
    removed: list[Due] = field(default_factory=list)
    kept: list[Due] = field(default_factory=list)  # due, but another complaint still points to it
    erasures_completed: int = 0
    run: RetentionRun | None = None


_TRIGGER_FIELDS = {Trigger.RESOLUTION: "state_changed_at", Trigger.RECEIPT: "received_at"}


def under_legal_hold() -> Q:
    """Complaints on legal hold: not in a final state, or referred to an external body that
    has not given its outcome."""
    open_referral = ExternalReferral.objects.filter(resolved_at__isnull=True).values("complaint_id")
    return ~Q(state__in=FINAL_STATES) | Q(pk__in=open_referral)


def complaint_keep(complaint: Complaint) -> Keep | None:
    """Until when the complaint record must be kept, under which entry (None: no entry of the
    schedule applies to it; ``until`` None: its period has not started)."""
    final = complaint.state in FINAL_STATES
    return retention_schedule().keep_until(
        country=complaint.organisation.country, sector=complaint.organisation.sector,
        record_type=RecordType.COMPLAINT_RECORD,
        moments={Trigger.RESOLUTION: complaint.state_changed_at if final else None,
                 Trigger.RECEIPT: complaint.received_at},
    )


def _complaint_records_due(now: datetime) -> list[Due]:
    """Complaint records past the longest applicable period: one query per country and sector
    the schedule names, each period a condition on the complaint's own moment."""
    schedule = retention_schedule()
    due: list[Due] = []
    for country in sorted(schedule.countries()):
        for sector in Sector.values:
            entries = [e for e in schedule.applicable(country=country, sector=sector,
                                                       record_type=RecordType.COMPLAINT_RECORD)
                       if e.trigger in _TRIGGER_FIELDS]
            if not entries:
                continue
            passed = Q()
            for entry in entries:
                passed &= Q(**{f"{_TRIGGER_FIELDS[entry.trigger]}__lt": period_start(now, entry.period)})
            rows = (Complaint.objects.filter(passed, organisation__country=country,
                                             organisation__sector=sector, state__in=FINAL_STATES)
                    .exclude(under_legal_hold()).select_related("organisation")
                    .order_by("state_changed_at", "pk"))
            for complaint in rows:
                keep = complaint_keep(complaint)
                rule = keep.entry.label if keep else "retention"
                due.append(Due(complaint.pk, complaint.reference, rule))
    return sorted(due, key=lambda d: d.complaint_id)


def _recordings_due(now: datetime) -> list[Due]:
    """Call recordings past an ``at_most`` period of their country, on complaints without a
    legal hold."""
    schedule = retention_schedule()
    entries: list[RetentionEntry] = [e for e in schedule.entries
                                     if e.record_type is RecordType.CALL_RECORDING
                                     and e.kind is Kind.AT_MOST and e.trigger is Trigger.RECORDED]
    due: list[Due] = []
    for entry in entries:
        rows = (Evidence.objects.filter(RECORDING_TYPES, created_at__lt=period_start(now, entry.period),
                                        complaint__organisation__country__in=entry.countries)
                .exclude(complaint__in=Complaint.objects.filter(under_legal_hold()))
                .order_by("pk").values_list("pk", "complaint_id", "complaint__reference",
                                            "complaint__organisation__sector"))
        due.extend(Due(complaint_id, reference, entry.label, RecordType.CALL_RECORDING.value, pk)
                   for pk, complaint_id, reference, sector in rows
                   if not entry.sectors or sector in entry.sectors)
    return due


def retention_due(*, now: datetime) -> list[Due]:
    """What has passed its retention period at ``now``: call recordings, then complaints."""
    return _recordings_due(now) + _complaint_records_due(now)


def _storage_delete_on_commit(names: list[str]) -> None:
    storage = Evidence._meta.get_field("file").storage  # type: ignore[attr-defined]
    transaction.on_commit(lambda: [storage.delete(name) for name in names if name])


def _remove_recording(due: Due) -> None:
    """Delete one recording and say so on its complaint's chain (in the caller's transaction)."""
    from plaint.complaints.services.common import event_record

    complaint = Complaint.objects.select_for_update().get(pk=due.complaint_id)
    evidence = Evidence.objects.filter(pk=due.evidence_id, complaint=complaint).first()
    if evidence is None:
        raise ProtectedError("no longer there", set())
    name = evidence.file.name
    evidence.delete()
    event_record(actor=SYSTEM_ACTOR, kind=EventKind.RECORD_REMOVED, complaint=complaint,
                 visibility=Visibility.CUSTOMER,
                 data={"record_type": due.record_type, "evidence": due.evidence_id, "rule": due.rule})
    _storage_delete_on_commit([name])


def _remove(due: Due, now: datetime) -> None:
    """Delete one complaint and write its tombstone (in the caller's transaction)."""
    complaint = Complaint.objects.select_for_update().filter(pk=due.complaint_id).first()
    if complaint is None or complaint.state not in FINAL_STATES:
        raise ProtectedError("no longer due", set())
    events = Event.objects.filter(complaint_id=complaint.pk)
    tail = events.order_by("-position").values_list("position", "hash").first() or (0, "")
    reason_ids = list(events.filter(reason__isnull=False).values_list("reason_id", flat=True))
    files = list(Evidence.objects.filter(complaint=complaint).values_list("file", flat=True))
    complaint.delete()
    Reason.objects.filter(pk__in=reason_ids).delete()
    EventChainTombstone.objects.create(
        complaint_id=due.complaint_id, organisation_id=complaint.organisation_id, last_hash=tail[1],
        event_count=tail[0], rule=due.rule, removed_at=now,
        hash=tombstone_hash(complaint_id=due.complaint_id, organisation_id=complaint.organisation_id,
                            last_hash=tail[1], event_count=tail[0], rule=due.rule, removed_at=now),
    )
    _storage_delete_on_commit(files)
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


def _remove_all(report: RetentionReport, now: datetime) -> None:
    """Each due record in its own savepoint; complaints another one points to wait for it."""
    waiting = list(report.due)
    while waiting:
        still: list[Due] = []
        for due in waiting:
            try:
                with transaction.atomic():  # a savepoint: a refused removal is its own
                    if due.evidence_id is not None:
                        _remove_recording(due)
                    else:
                        _remove(due, now)
            except (ProtectedError, RestrictedError):
                still.append(due)
            else:
                report.removed.append(due)
        if len(still) == len(waiting):
            break  # no progress: the rest are held by complaints that are kept
        waiting = still
    report.kept = waiting


def retention_run(*, apply: bool, now: datetime | None = None,
                  started_by: str = "command") -> RetentionReport:
    """List (``apply=False``) or remove what has passed its retention period; an applied run
    also completes the erasure requests whose kept records are now gone, and records itself."""
    from plaint.complaints.erasure import erasures_complete

    now = now or clock.now()
    report = RetentionReport(due=retention_due(now=now))
    if not apply:
        return report
    with chain_removal():
        _remove_all(report, now)
        report.erasures_completed = erasures_complete(now=now)
        counts = Counter((due.record_type, due.rule) for due in report.removed)
        report.run = RetentionRun.objects.create(
            started_at=now, finished_at=clock.now(), started_by=started_by,
            removed=[{"record_type": record_type, "rule": rule, "count": count}
                     for (record_type, rule), count in sorted(counts.items())],
            removed_count=len(report.removed), held_back=len(report.kept),
            erasures_completed=report.erasures_completed,
        )
    for due in report.removed:
        logger.info("retention removed %s of complaint %s (%s)", due.record_type, due.complaint_id,
                    due.rule)
    return report
