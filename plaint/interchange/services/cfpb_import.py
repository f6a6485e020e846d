"""Importing the CFPB Consumer Complaint Database: validate in Python, write in batches.

Imported complaints are history: they are written in their final state with their own dates,
``is_historical`` set, and one ``imported`` event each. They are written with multi-row
INSERTs (``inserts.insert_rows``), not through ``complaint_create``: no clock is derived
(``clocks.refresh`` starts none for history anyway), no acknowledgement is queued, nothing is
sent. Each batch is one transaction; a row whose Complaint ID is already imported is counted
as unchanged, so a second run of the same file changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from plaint.complaints.chain import first_link
from plaint.complaints.choices import EventKind, Visibility
from plaint.complaints.lifecycle import State
from plaint.complaints.models import Complaint, Decision, Event
from plaint.core import clock, references
from plaint.interchange import cfpb
from plaint.interchange.csvfiles import Outcome, Refusal
from plaint.interchange.models import ImportedRecord, Source
from plaint.interchange.services.inserts import fresh_plan_values, insert_rows
from plaint.parties.actors import ActorKind
from plaint.parties.choices import Sector
from plaint.parties.models import Customer, Organisation

BATCH_SIZE = 1000
ATTEMPTS = 3
US_TIME_ZONE = "America/New_York"


def cfpb_import(
    *,
    records: Iterable[tuple[int, dict[str, str]]],
    outcome: Outcome,
    batch_size: int = BATCH_SIZE,
    advance: Callable[[int], object] = lambda n: None,
) -> Outcome:
    """Import CFPB rows (row number, cells by column name) into ``outcome``; return it.

    Every row is checked first; refused rows go to ``outcome.refused``. A Complaint ID seen
    earlier in the same file is refused as a duplicate.
    """
    importer = _Importer(outcome)
    seen: set[str] = set()
    batch: list[tuple[int, cfpb.Row]] = []
    for number, values in records:
        outcome.rows += 1
        parsed = cfpb.row_parse(values)
        if isinstance(parsed, list):
            outcome.refused.extend(
                Refusal(number, values["Complaint ID"], p.field, p.reason) for p in parsed
            )
        elif parsed.facts.external_id in seen:
            outcome.refused.append(Refusal(number, parsed.facts.external_id, "Complaint ID",
                                           gettext("This complaint ID is already in the file.")))
        else:
            seen.add(parsed.facts.external_id)
            batch.append((number, parsed))
        if len(batch) >= batch_size:
            importer.write(batch)
            advance(len(batch))
            batch = []
    if batch:
        importer.write(batch)
        advance(len(batch))
    return outcome


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    """The start of a calendar day in the organisation's time zone, in UTC."""
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


class _Importer:
    """Writes batches of valid rows; remembers the organisations it has found or made."""

    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome
        self.organisations: dict[str, Organisation] = {}

    def write(self, batch: list[tuple[int, cfpb.Row]]) -> None:
        for attempt in range(ATTEMPTS):
            try:
                with transaction.atomic():
                    found, imported, unchanged = self._write(batch)
            except IntegrityError:
                # Another import took one of these IDs meanwhile, or (once in a trillion) a
                # random reference was taken: the batch rolled back; look again.
                self.organisations.clear()
                if attempt == ATTEMPTS - 1:
                    raise
            else:
                self.organisations.update(found)
                self.outcome.imported += imported
                self.outcome.unchanged += unchanged
                return

    def _write(
        self, batch: list[tuple[int, cfpb.Row]]
    ) -> tuple[dict[str, Organisation], int, int]:
        """Write the rows not imported yet; the organisations used, and the rows imported and
        found already imported."""
        ids = [row.facts.external_id for _, row in batch]
        existing = set(fresh_plan_values(
            ImportedRecord.objects.filter(source=Source.CFPB, external_id__in=ids)
            .values_list("external_id", flat=True)
        ))
        rows = [row for _, row in batch if row.facts.external_id not in existing]
        if not rows:
            return {}, 0, len(batch)
        organisations = self._organisations({row.facts.company for row in rows})
        now = clock.now()
        customer_ids = insert_rows(Customer, [
            {"organisation_id": organisations[row.facts.company].pk, "preferred_language": "en",
             "created_at": now}
            for row in rows
        ])
        complaints = [self._complaint(row, organisations[row.facts.company], customer_id)
                      for row, customer_id in zip(rows, customer_ids, strict=True)]
        complaint_ids = insert_rows(Complaint, complaints)
        written = list(zip(rows, complaints, complaint_ids, strict=True))
        insert_rows(Decision, [
            {"complaint_id": pk, "outcome": row.facts.outcome, "remedy_kind": row.facts.remedy_kind,
             "decided_by_kind": ActorKind.SYSTEM.value,
             "reasoning": row.facts.columns.get("Company response to consumer")
             or cfpb.row_render(row.facts)["Company response to consumer"],
             "decided_at": complaint["state_changed_at"],
             "customer_response": row.facts.customer_response}
            for row, complaint, pk in written if row.facts.outcome
        ])
        # Each imported complaint's chain starts with its one event (plaint.complaints.chain).
        insert_rows(Event, [
            first_link({"organisation_id": complaint["organisation_id"], "complaint_id": pk,
                        "kind": EventKind.IMPORTED.value, "occurred_at": now,
                        "actor_kind": ActorKind.SYSTEM.value, "visibility": Visibility.INTERNAL.value,
                        "data": {"source": Source.CFPB.value, "external_id": row.facts.external_id,
                                 "state": row.facts.state, "timely_response": row.timely}})
            for row, complaint, pk in written
        ])
        insert_rows(ImportedRecord, [
            {"complaint_id": pk, "organisation_id": complaint["organisation_id"],
             "source": Source.CFPB.value, "external_id": row.facts.external_id,
             "columns": dict(row.facts.columns), "imported_at": now}
            for row, complaint, pk in written
        ])
        return organisations, len(rows), len(batch) - len(rows)

    @staticmethod
    def _complaint(row: cfpb.Row, organisation: Organisation, customer_id: int) -> dict[str, Any]:
        """The complaint's columns (the rest take the model's defaults)."""
        facts = row.facts
        zone = ZoneInfo(organisation.time_zone)
        received_at = _midnight(facts.received_on, zone)
        final = facts.state in cfpb.CLOSED_STATES or bool(facts.outcome)
        # The CFPB publishes no date of the company's answer: the day the complaint was sent
        # to the company is the earliest it can have been, and stands for it.
        answered_at = max(received_at, _midnight(row.sent_on, zone)) if final else received_at
        return {
            "reference": references.generate(),
            "organisation_id": organisation.pk,
            "customer_id": customer_id,
            "channel": facts.channel,
            "language": "en",
            "category": facts.category,
            "subcategory": facts.subcategory,
            "product": facts.product,
            "subject": row.subject,
            "description": facts.description,
            "state": str(facts.state),
            "is_historical": True,
            "received_at": received_at,
            "created_at": received_at,
            "updated_at": answered_at,
            "state_changed_at": answered_at,
            "closed_at": answered_at if facts.state == State.CLOSED else None,
        }

    def _organisations(self, companies: set[str]) -> dict[str, Organisation]:
        """Each company's organisation: the known one of that name, or a new unmanaged one."""
        found = {name: self.organisations[name] for name in companies if name in self.organisations}
        wanted = companies - found.keys()
        if wanted:
            for organisation in Organisation.objects.filter(name__in=wanted).order_by("-pk"):
                found[organisation.name] = organisation  # the oldest of a name wins
        missing = sorted(companies - found.keys())
        if missing:
            slugs = _free_slugs([cfpb.organisation_slug(name) for name in missing])
            created = Organisation.objects.bulk_create([
                Organisation(name=name, slug=slug, country="US", sector=Sector.FINANCE,
                             time_zone=US_TIME_ZONE, languages=["en"], default_language="en",
                             is_managed=False, created_at=clock.now())
                for name, slug in zip(missing, slugs, strict=True)
            ])
            found.update((o.name, o) for o in created)
        return found


def _free_slugs(wanted: list[str]) -> list[str]:
    """The wanted slugs, with ``-2``, ``-3``… where one is taken or wanted twice."""
    taken = set(Organisation.objects.filter(slug__in=wanted).values_list("slug", flat=True))
    result = []
    for slug in wanted:
        candidate, n = slug, 1
        while candidate in taken:
            n += 1
            candidate = f"{slug}-{n}"
            if candidate not in taken and Organisation.objects.filter(slug=candidate).exists():
                taken.add(candidate)
        taken.add(candidate)
        result.append(candidate)
    return result
