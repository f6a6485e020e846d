"""Everything Plaint holds about a person, for them to download (the right of access, GDPR
article 15): one zip with ``plaint-data.json`` and their files.

What goes in: their account (without the password hash), each customer record the providers
keep about them (contacts, account numbers, accessibility needs), and each of their complaints
with what they may see of it: demands, messages, calls and chats, promises, files, decisions,
final responses, referrals and cancellations. Internal notes and internal records are the
provider's working papers; a person who wants them asks the provider, whose staff see them.
The reads are a fixed number of queries, whatever the number of complaints.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch, QuerySet

from plaint.complaints.choices import Visibility
from plaint.complaints.models import (
    CancellationRequest,
    Complaint,
    Evidence,
    Interaction,
    Message,
)
from plaint.complaints.services.evidence import sanitise_name
from plaint.core import clock
from plaint.parties.models import Customer, User

FORMAT = "plaint-personal-data/1"
USER_FIELDS = ("email", "full_name", "preferred_language", "date_joined", "last_login")
CUSTOMER_FIELDS = (
    "full_name", "email", "phone", "postal_address", "preferred_language", "preferred_channel",
    "accessibility_needs", "is_vulnerable", "created_at",
)
COMPLAINT_FIELDS = (
    "reference", "subject", "description", "state", "level", "channel", "language", "product",
    "account_number", "amount_in_dispute", "currency", "received_at", "closed_at",
)

DECISION_FIELDS = (
    "outcome", "remedy_kind", "remedy_amount", "remedy_currency", "remedy_detail", "reasoning",
    "decided_at", "customer_response", "deemed_by_rule",
)


def _pick(instance: object, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(instance, name, None) for name in fields}


def _values(queryset: QuerySet, *exclude: str) -> list[dict[str, Any]]:
    return [{k: v for k, v in row.items() if k not in exclude} for row in queryset]


def _customer_visible(model: type) -> QuerySet:
    return model.objects.filter(visibility=Visibility.CUSTOMER).order_by("pk")


def _complaints(customers: list[Customer]) -> list[Complaint]:
    return list(
        Complaint.objects.filter(customer__in=customers).select_related("organisation", "handling_rating")
        .prefetch_related(
            "demands", "decisions", "final_responses", "referrals",
            Prefetch("messages", queryset=_customer_visible(Message), to_attr="visible_messages"),
            Prefetch("interactions", queryset=_customer_visible(Interaction).prefetch_related("promises"),
                     to_attr="visible_interactions"),
            Prefetch("evidence", queryset=_customer_visible(Evidence), to_attr="visible_evidence"),
        )
        .order_by("received_at", "pk")
    )


def _file_name(evidence: Evidence, reference: str) -> str:
    return f"files/{reference}/{evidence.pk}-{sanitise_name(evidence.original_name)}"


def _complaint(complaint: Complaint) -> dict[str, Any]:
    return {
        **_pick(complaint, COMPLAINT_FIELDS),
        "provider": complaint.organisation.name,
        "demands": [{"kind": d.kind, "amount": d.amount, "currency": d.currency, "detail": d.detail}
                    for d in complaint.demands.all()],
        "messages": [{"written_at": m.created_at, "by": m.author_kind, "channel": m.channel, "text": m.body}
                     for m in complaint.visible_messages],
        "contacts": [{
            "channel": i.channel, "direction": i.direction, "started_at": i.started_at,
            "duration_seconds": i.duration_seconds, "notes": i.notes,
            "staff_name": i.staff_name, "staff_position": i.staff_position,
            "promises": [{"kind": p.kind, "due_at": p.due_at, "what": p.description, "state": p.state}
                         for p in i.promises.all()],
        } for i in complaint.visible_interactions],
        "files": [{"name": e.original_name, "type": e.content_type, "size": e.size, "sha256": e.sha256,
                   "added_at": e.created_at, "in_this_download": _file_name(e, complaint.reference)}
                  for e in complaint.visible_evidence],
        "decisions": [_pick(d, DECISION_FIELDS) for d in complaint.decisions.all()],
        "final_responses": [_pick(f, ("text", "external_body", "referral_deadline", "issued_at"))
                            for f in complaint.final_responses.all()],
        "referrals": [_pick(r, ("body", "body_reference", "referred_at", "outcome", "resolved_at"))
                      for r in complaint.referrals.all()],
        "handling_rating": _rating(complaint),
    }


def _rating(complaint: Complaint) -> dict[str, Any] | None:
    """The customer's rating of the handling (``feedback.HandlingRating``, reached through its
    reverse one-to-one so that this app does not import ``feedback``), or None."""
    try:
        rating = complaint.handling_rating  # type: ignore[attr-defined]
    except ObjectDoesNotExist:
        return None
    return _pick(rating, ("resolved", "satisfaction", "effort", "comment", "created_at"))


def personal_data(user: User) -> tuple[dict[str, Any], list[tuple[str, Evidence]]]:
    """The person's data as a JSON-ready dict, and the files to put beside it."""
    customers = list(
        Customer.objects.filter(user=user).select_related("organisation")
        .prefetch_related("account_numbers").order_by("pk")
    )
    complaints = _complaints(customers)
    cancellations = CancellationRequest.objects.filter(customer__in=customers).order_by("pk")
    data = {
        "format": FORMAT,
        "exported_at": clock.now(),
        "account": _pick(user, USER_FIELDS),
        "as_a_customer_of": [{
            "provider": c.organisation.name, **_pick(c, CUSTOMER_FIELDS),
            "account_numbers": [{"number": a.number, "service": a.label} for a in c.account_numbers.all()],
        } for c in customers],
        "complaints": [_complaint(c) for c in complaints],
        "cancellations": _values(cancellations.values(
            "protocol_number", "service", "account_number", "channel", "requested_at", "effective_at",
            "state",
        )),
    }
    files = [(_file_name(e, c.reference), e) for c in complaints for e in c.visible_evidence]
    return data, files


def personal_data_zip(user: User) -> bytes:
    """The download: ``plaint-data.json`` and ``files/<reference>/<id>-<name>``."""
    data, files = personal_data(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("plaint-data.json",
                         json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False))
        for name, evidence in files:
            with evidence.file.open("rb") as stream:
                archive.writestr(name, stream.read())
    return buffer.getvalue()
