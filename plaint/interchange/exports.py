"""Reading complaints out: the CFPB's 18 columns and the Plaint CSV.

Reads only, for the ``plaint export`` command (a platform operator's tool: it sees every
complaint of the organisation it is given, internal records included). Complaints come in the
order they were stored, in chunks, with their nested records prefetched per chunk.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, QuerySet

from plaint.complaints.models import Complaint, Decision, Interaction
from plaint.interchange import cfpb, plaint_csv
from plaint.interchange.models import Source
from plaint.parties.models import Organisation

CHUNK = 2000


def _complaints(organisation: Organisation | None) -> QuerySet[Complaint]:
    complaints = Complaint.objects.select_related("organisation", "imported_record").order_by("pk")
    return complaints.filter(organisation=organisation) if organisation else complaints


CFPB_VALUES = (
    "pk", "reference", "received_at", "product", "category", "subcategory", "description",
    "channel", "state", "overdue_since", "organisation__name", "organisation__time_zone",
    "imported_record__source", "imported_record__external_id", "imported_record__columns",
)


def cfpb_rows(organisation: Organisation | None = None) -> Iterator[list[str]]:
    """Every complaint as a CFPB row. An imported complaint gives its Complaint ID and its kept
    cells back; any other gives its reference as its ID and what Plaint knows.

    Plain values, not model instances, and the latest decisions read per chunk: an export of
    every complaint is a long read."""
    rows = _complaints(organisation).values_list(*CFPB_VALUES).iterator(chunk_size=CHUNK)
    zones: dict[str, ZoneInfo] = {}
    while chunk := list(islice(rows, CHUNK)):
        latest = {
            complaint_id: (outcome, remedy_kind, response)
            for complaint_id, outcome, remedy_kind, response in Decision.objects.filter(
                complaint_id__in=[row[0] for row in chunk]
            ).order_by("decided_at", "pk").values_list(
                "complaint_id", "outcome", "remedy_kind", "customer_response")
        }
        for (pk, reference, received_at, product, category, subcategory, description, channel,
             state, overdue_since, company, time_zone, source, external_id, columns) in chunk:
            zone = zones.setdefault(time_zone, ZoneInfo(time_zone))
            from_cfpb = source == Source.CFPB
            outcome, remedy_kind, response = latest.get(pk, ("", "none", "pending"))
            facts = cfpb.Facts(
                external_id=external_id if from_cfpb else reference,
                company=company,
                received_on=received_at.astimezone(zone).date(),
                product=product,
                category=category,
                subcategory=subcategory,
                description=description,
                channel=channel,
                state=state,
                outcome=outcome,
                remedy_kind=remedy_kind,
                customer_response=response,
                overdue=overdue_since is not None,
                columns=columns if from_cfpb else {},
            )
            yield list(cfpb.row_render(facts).values())


def _fields(instance: Any, names: Any) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in names}


def plaint_values(complaint: Complaint) -> dict[str, Any]:
    """A complaint's values for the Plaint CSV (its prefetched records included)."""
    record = getattr(complaint, "imported_record", None)
    origin = record if record is not None and record.source != Source.PLAINT else None
    customer = complaint.customer
    interactions = []
    for interaction in complaint.interactions.all():
        values = _fields(interaction, [n for n in plaint_csv.INTERACTION if n != "promises"])
        values["promises"] = [_fields(p, plaint_csv.PROMISE) for p in interaction.promises.all()]
        interactions.append(values)
    return {
        **_fields(complaint, plaint_csv.COMPLAINT_FIELDS),
        "organisation": complaint.organisation.slug,
        "customer_name": customer.full_name,
        "customer_email": customer.email,
        "customer_phone": customer.phone,
        "demands": [_fields(d, plaint_csv.DEMAND) for d in complaint.demands.all()],
        "interactions": interactions,
        "decisions": [_fields(d, plaint_csv.DECISION) for d in complaint.decisions.all()],
        "origin_source": origin.source if origin else "",
        "origin_id": origin.external_id if origin else "",
        "origin_columns": dict(origin.columns) if origin else {},
    }


def plaint_rows(organisation: Organisation | None = None) -> Iterator[list[str]]:
    """Every complaint as a Plaint CSV row, with its demands, interactions and decisions."""
    complaints = _complaints(organisation).select_related("customer").prefetch_related(
        Prefetch("demands", queryset=_by_pk("demands")),
        Prefetch("interactions", queryset=Interaction.objects.order_by("started_at", "pk")
                 .prefetch_related(Prefetch("promises", queryset=_by_pk("promises")))),
        Prefetch("decisions", queryset=Decision.objects.order_by("decided_at", "pk")),
    )
    for complaint in complaints.iterator(chunk_size=CHUNK):
        yield plaint_csv.row_render(plaint_values(complaint))


def _by_pk(relation: str) -> QuerySet[Any]:
    model = Complaint._meta.get_field(relation).related_model
    return model._default_manager.order_by("pk")  # type: ignore[union-attr]
