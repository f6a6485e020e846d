"""The only way an adapter turns an identifier from a request into an object.

Each function raises the same ``NotFound`` whether the object is missing or
not the caller's to see, so that nobody can probe for references. One
condition per line, so that coverage shows every branch tested.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from plaint.complaints.actors import Actor, customer_actor, staff_actor
from plaint.complaints.choices import Visibility
from plaint.complaints.models import CancellationRequest, Complaint, Evidence, Message
from plaint.core import references
from plaint.core.exceptions import NotFound
from plaint.parties.actors import Principal
from plaint.parties.models import Organisation

# What every reader of a complaint needs with it; joined in the one query.
COMPLAINT_JOINS = ("organisation", "customer", "team", "assignee__user", "merged_into")


def actor_towards(principal: Principal, complaint: Complaint) -> Actor | None:
    """How the principal stands towards the complaint: staff, its customer, or nothing."""
    actor = staff_actor(principal, complaint.organisation_id)
    if actor is not None:
        return actor
    if principal.user is None:
        return None
    if complaint.customer.user_id != principal.user.pk:
        return None
    return customer_actor(principal, complaint.organisation_id)


def access_complaint_by_reference(
    *, principal: Principal, reference: str, for_update: bool = False
) -> tuple[Complaint, Actor]:
    """The complaint with this public reference and the caller as its actor."""
    normalised = references.normalise(reference)
    if normalised is None:
        raise NotFound
    queryset = Complaint.objects.select_related(*COMPLAINT_JOINS)
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    complaint = queryset.filter(reference=normalised).first()
    if complaint is None:
        raise NotFound
    actor = actor_towards(principal, complaint)
    if actor is None:
        raise NotFound
    return complaint, actor


def access_evidence_by_id(
    *, principal: Principal, reference: str, evidence_id: int
) -> tuple[Evidence, Actor]:
    """An evidence item of a complaint the caller may see, if its visibility lets them."""
    complaint, actor = access_complaint_by_reference(principal=principal, reference=reference)
    evidence = Evidence.objects.filter(pk=evidence_id, complaint=complaint).first()
    if evidence is None:
        raise NotFound
    if actor.is_customer and evidence.visibility != Visibility.CUSTOMER:
        raise NotFound
    evidence.complaint = complaint
    return evidence, actor


def access_message_by_id(
    *, principal: Principal, message_id: int, for_update: bool = False
) -> tuple[Message, Actor]:
    """A message as staff of its complaint's organisation (customers cannot move messages)."""
    queryset = Message.objects.select_related("complaint", "complaint__customer")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    message = queryset.filter(pk=message_id).first()
    if message is None:
        raise NotFound
    actor = staff_actor(principal, message.complaint.organisation_id)
    if actor is None:
        raise NotFound
    return message, actor


def access_organisation_for_intake(
    *, principal: Principal, organisation_id: int
) -> tuple[Organisation, Actor]:
    """The organisation a complaint is filed against, and the filer as actor.

    Staff and integrations file for their own organisation; a signed-in person
    files as a customer against any managed organisation.
    """
    organisation = Organisation.objects.filter(pk=organisation_id, is_managed=True).first()
    if organisation is None:
        raise NotFound
    actor = staff_actor(principal, organisation.pk)
    if actor is not None:
        return organisation, actor
    if principal.user is None:
        raise NotFound
    return organisation, customer_actor(principal, organisation.pk)


def access_cancellation_by_protocol(
    *, principal: Principal, protocol_number: str, for_update: bool = False
) -> tuple[CancellationRequest, Actor]:
    normalised = references.normalise(protocol_number)
    if normalised is None:
        raise NotFound
    queryset = CancellationRequest.objects.select_related("customer")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    cancellation = queryset.filter(protocol_number=normalised).first()
    if cancellation is None:
        raise NotFound
    actor = staff_actor(principal, cancellation.organisation_id)
    if actor is not None:
        return cancellation, actor
    if principal.user is None:
        raise NotFound
    if cancellation.customer.user_id != principal.user.pk:
        raise NotFound
    return cancellation, customer_actor(principal, cancellation.organisation_id)


def complaints_visible_to(principal: Principal) -> QuerySet[Complaint]:
    """Every complaint the principal may see: their organisations' and their own."""
    condition = Q(organisation_id__in=principal.staff_organisation_ids())
    if principal.user is not None:
        condition |= Q(customer__user=principal.user)
    return Complaint.objects.filter(condition)
