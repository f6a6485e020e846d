"""Importing the Plaint CSV: complaints with their demands, interactions and decisions.

As with the CFPB import, the complaints are written as history (``is_historical``, their own
state and dates, one ``imported`` event each, no clocks, nothing sent), in batches, one
transaction per batch. A complaint is known by its reference: a row whose reference is already
in the database, or whose origin (a CFPB Complaint ID) was already imported, is unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from plaint.complaints.chain import first_link
from plaint.complaints.choices import EventKind, Visibility
from plaint.complaints.models import Complaint, Decision, Demand, Event, Interaction, Promise
from plaint.core import clock
from plaint.interchange import plaint_csv
from plaint.interchange.csvfiles import Outcome, Refusal
from plaint.interchange.models import ImportedRecord, Source
from plaint.interchange.services.inserts import fresh_plan_values
from plaint.parties.actors import ActorKind
from plaint.parties.models import Customer, Organisation
from plaint.parties.services import CustomerDetails, customer_find_or_create

BATCH_SIZE = 500
ATTEMPTS = 3


def plaint_import(
    *,
    records: Iterable[tuple[int, dict[str, str]]],
    outcome: Outcome,
    organisation: Organisation | None = None,
    batch_size: int = BATCH_SIZE,
    advance: Callable[[int], object] = lambda n: None,
) -> Outcome:
    """Import Plaint CSV rows into ``outcome``; return it. ``organisation``: put every
    complaint there instead of the organisation its row names."""
    seen: set[str] = set()
    batch: list[tuple[int, dict[str, Any]]] = []
    for number, cells in records:
        outcome.rows += 1
        parsed = plaint_csv.row_parse(cells)
        if isinstance(parsed, list):
            outcome.refused.extend(Refusal(number, cells["reference"], p.field, p.reason)
                                   for p in parsed)
        elif parsed.values["reference"] in seen:
            outcome.refused.append(Refusal(number, parsed.values["reference"], "reference",
                                           gettext("This reference is already in the file.")))
        else:
            seen.add(parsed.values["reference"])
            batch.append((number, parsed.values))
        if len(batch) >= batch_size:
            _write_with_retries(batch, outcome, organisation)
            advance(len(batch))
            batch = []
    if batch:
        _write_with_retries(batch, outcome, organisation)
        advance(len(batch))
    return outcome


def _write_with_retries(
    batch: list[tuple[int, dict[str, Any]]], outcome: Outcome, organisation: Organisation | None
) -> None:
    rows = _with_organisations(batch, outcome, organisation)
    for attempt in range(ATTEMPTS):
        try:
            with transaction.atomic():
                imported, unchanged = _write(rows)
        except IntegrityError:
            if attempt == ATTEMPTS - 1:  # another import took these references meanwhile
                raise
        else:
            outcome.imported += imported
            outcome.unchanged += unchanged
            return


def _with_organisations(
    batch: list[tuple[int, dict[str, Any]]], outcome: Outcome, organisation: Organisation | None
) -> list[tuple[Organisation, dict[str, Any]]]:
    if organisation is not None:
        return [(organisation, values) for _, values in batch]
    by_slug = Organisation.objects.in_bulk({v["organisation"] for _, v in batch}, field_name="slug")
    rows = []
    for number, values in batch:
        found = by_slug.get(values["organisation"])
        if found is None:
            outcome.refused.append(Refusal(number, values["reference"], "organisation",
                                           gettext("No organisation has this slug.")))
        else:
            rows.append((found, values))
    return rows


def _customers(rows: list[tuple[Organisation, dict[str, Any]]]) -> list[Customer]:
    """Each row's customer: found by e-mail or phone in the organisation (or created), or, with
    neither, a new customer of its own (written together)."""
    customers: list[Customer | None] = []
    anonymous: list[Customer] = []
    for organisation, values in rows:
        details = CustomerDetails(full_name=values["customer_name"], email=values["customer_email"],
                                  phone=values["customer_phone"])
        if details.email or details.phone:
            customers.append(customer_find_or_create(organisation=organisation, details=details))
        else:
            customers.append(None)
            anonymous.append(Customer(organisation=organisation, full_name=details.full_name,
                                      preferred_language=values["language"] or "en"))
    created = iter(Customer.objects.bulk_create(anonymous))
    return [customer or next(created) for customer in customers]


def _write(rows: list[tuple[Organisation, dict[str, Any]]]) -> tuple[int, int]:
    references = [values["reference"] for _, values in rows]
    taken = set(fresh_plan_values(
        Complaint.objects.filter(reference__in=references).values_list("reference", flat=True)))
    origins = set(fresh_plan_values(ImportedRecord.objects.filter(
        source=Source.CFPB, external_id__in=[v["origin_id"] for _, v in rows if v["origin_source"]]
    ).values_list("external_id", flat=True)))
    new = [(org, v) for org, v in rows
           if v["reference"] not in taken and not (v["origin_source"] and v["origin_id"] in origins)]
    if not new:
        return 0, len(rows)
    now = clock.now()
    complaints = Complaint.objects.bulk_create([
        Complaint(organisation=org, customer=customer, is_historical=True,
                  **{name: values[name] for name in plaint_csv.COMPLAINT_FIELDS})
        for (org, values), customer in zip(new, _customers(new), strict=True)
    ])
    pairs = list(zip(complaints, (v for _, v in new), strict=True))
    Demand.objects.bulk_create([Demand(complaint=c, **d) for c, v in pairs for d in v["demands"]])
    Decision.objects.bulk_create([Decision(complaint=c, **d) for c, v in pairs for d in v["decisions"]])
    specs = [(c, i) for c, v in pairs for i in v["interactions"]]
    interactions = Interaction.objects.bulk_create([
        Interaction(complaint=c, **{k: x for k, x in i.items() if k != "promises"}) for c, i in specs
    ])
    Promise.objects.bulk_create([
        Promise(complaint=c, interaction=interaction, **p)
        for (c, i), interaction in zip(specs, interactions, strict=True) for p in i["promises"]
    ])
    # Each imported complaint's chain starts with its one event (plaint.complaints.chain).
    Event.objects.bulk_create([
        Event(**first_link({
            "organisation_id": c.organisation_id, "complaint_id": c.pk,
            "kind": EventKind.IMPORTED.value, "occurred_at": now,
            "actor_kind": ActorKind.SYSTEM.value, "visibility": Visibility.INTERNAL.value,
            "data": {"source": v["origin_source"] or Source.PLAINT.value,
                     "external_id": v["origin_id"] or v["reference"], "state": v["state"]}}))
        for c, v in pairs
    ])
    ImportedRecord.objects.bulk_create([
        ImportedRecord(complaint=c, organisation_id=c.organisation_id,
                       source=v["origin_source"] or Source.PLAINT,
                       external_id=v["origin_id"] or v["reference"],
                       columns=v["origin_columns"], imported_at=now)
        for c, v in pairs
    ])
    return len(new), len(rows) - len(new)
