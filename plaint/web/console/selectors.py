"""Reads for the console's pages. The queue is the complaints list selector
(``complaints.selectors.complaints_filtered``, the same filters as the API) in the console's order;
each page reads in a fixed number of queries whatever the number of rows (tests assert it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import F, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Replace

from plaint.channels.models import IncomingMessage, IncomingState
from plaint.complaints.lifecycle import OPEN_STATES
from plaint.complaints.models import Complaint, StaffNotification
from plaint.complaints.selectors import ComplaintFilters, organisation_complaints_filtered
from plaint.core import clock, references
from plaint.parties.choices import Role
from plaint.parties.models import Customer, Membership, Team
from plaint.web.staff import Staff

PAGE_SIZE = 50
#: A running deadline this close is "at risk" in the queue (the clocks' own warnings go out by
#: e-mail and as notifications; the queue needs no query for them).
AT_RISK = timedelta(hours=24)
CALLERS_SHOWN = 20
#: The queue's order: late complaints by when they became late, then the next running deadline.
QUEUE_ORDER = Coalesce("overdue_since", "next_due_at")


@dataclass(frozen=True)
class Due:
    """How a complaint stands against its deadlines, for the queue's "next deadline" column."""

    status: str  # overdue, at_risk, due, none
    since: datetime | None  # overdue since
    due_at: datetime | None  # the next running deadline


def due_of(complaint: Complaint, now: datetime) -> Due:
    late = complaint.overdue_since or (
        complaint.next_due_at if complaint.next_due_at and complaint.next_due_at < now else None
    )
    if late is not None:
        return Due("overdue", late, complaint.next_due_at)
    if complaint.next_due_at is None:
        return Due("none", None, None)
    if complaint.next_due_at - now <= AT_RISK:
        return Due("at_risk", None, complaint.next_due_at)
    return Due("due", None, complaint.next_due_at)


def assignable_members(staff: Staff) -> list[Membership]:
    """Who may handle complaints here: active staff but organisation admins (one query)."""
    return list(
        Membership.objects.filter(organisation=staff.organisation, is_active=True)
        .exclude(role=Role.ORG_ADMIN).select_related("user").order_by("user__full_name", "pk")
    )


def teams(staff: Staff) -> list[Team]:
    return list(Team.objects.filter(organisation=staff.organisation).order_by("name"))


def queue_filters(staff: Staff, tab: str, data: dict) -> ComplaintFilters | None:
    """The list selector's filters for a tab and the form's cleaned data; None when the tab is
    empty by definition (my team's queue for someone in no team)."""
    member = staff.actor.membership
    assignee_id = data.get("assignee")
    team_id = data.get("team")
    if tab == "mine":
        if member is None:
            return None
        if assignee_id is not None and assignee_id != member.pk:
            return None
        assignee_id = member.pk
    elif tab == "team":
        if member is None or member.team_id is None:
            return None
        if team_id is not None and team_id != member.team_id:
            return None
        team_id = member.team_id
    state = data.get("state") or ""
    states = sorted(OPEN_STATES) if state == "" else None if state == "any" else [state]
    return ComplaintFilters(
        organisation_id=staff.organisation.pk, state=states, level=data.get("level"),
        category=data.get("category") or None, channel=data.get("channel") or None,
        team_id=team_id, assignee_id=assignee_id,
    )


def search(queryset: QuerySet[Complaint], text: str, *, organisation_id: int) -> QuerySet[Complaint]:
    """The queue's free-text search: a complaint's reference (however it is typed; then nothing
    else, through the unique index), or words of the subject, or the customer's name, e-mail
    address or phone number. Not the description: reading every complaint's text to find a word
    made a search of 100,000 complaints slow (BENCHMARKS.md), and an agent looks for a case, not a
    phrase in it."""
    text = text.strip()
    if not text:
        return queryset
    reference = references.normalise(text)
    if reference is not None:
        return queryset.filter(reference=reference)
    # The customers first (a small table), then their complaints: no join of every customer.
    customers = Customer.objects.filter(organisation_id=organisation_id).filter(
        Q(full_name__icontains=text) | Q(email__icontains=text) | Q(phone__icontains=text)
    )
    return queryset.filter(Q(subject__icontains=text) | Q(customer_id__in=customers.values("pk")))


def queue_page(staff: Staff, filters: ComplaintFilters | None, page_number: str | int | None,
               text: str = "") -> Page:
    """One page of the queue, the nearest deadline first: a complaint already late (by the time it
    became late) before one still running, then by its next deadline; none last (the index
    ``complaint_org_queue`` holds that order). Two queries: the count and the page."""
    queryset: QuerySet[Complaint]
    if filters is None:
        queryset = Complaint.objects.none()
    else:
        queryset = search(organisation_complaints_filtered(organisation_id=staff.organisation.pk,
                                                           filters=filters), text,
                          organisation_id=staff.organisation.pk)
        queryset = queryset.order_by(QUEUE_ORDER.asc(nulls_last=True), "id")
    page = Paginator(queryset, PAGE_SIZE).get_page(page_number)
    now = clock.now()
    for complaint in page.object_list:
        complaint.due = due_of(complaint, now)  # type: ignore[attr-defined]
    return page


def unread_count(staff: Staff) -> int:
    """The console nav's number: one indexed count."""
    return StaffNotification.objects.filter(
        recipient_id=staff.actor.user.pk, organisation=staff.organisation, read_at__isnull=True  # type: ignore[union-attr]
    ).count()


def notifications(staff: Staff, limit: int = 100) -> list[StaffNotification]:
    """The person's notices here, unread first, newest first, with their complaint (one query)."""
    return list(
        StaffNotification.objects.filter(
            recipient_id=staff.actor.user.pk, organisation=staff.organisation  # type: ignore[union-attr]
        ).select_related("complaint").order_by(F("read_at").desc(nulls_first=True), "-id")[:limit]
    )


def callers(staff: Staff, *, phone: str = "", account_number: str = "", email: str = "",
            name: str = "") -> list[Customer]:
    """The organisation's customers matching every key given, each with their open complaints
    (``open_complaints``): two queries whatever their number."""
    condition = Q()
    customers = Customer.objects.filter(organisation=staff.organisation)
    if phone.strip():
        digits = "".join(c for c in phone if c.isdigit())
        by_phone = Q(phone__icontains=phone.strip())
        if len(digits) >= 6:
            # However it was typed: "+420 601 234 567" is found by "601234567" and the reverse.
            customers = customers.annotate(phone_digits=_digits_only(F("phone")))
            by_phone |= Q(phone_digits__contains=digits[-9:])
        condition &= by_phone
    if account_number.strip():
        condition &= Q(account_numbers__number=account_number.strip(),
                       account_numbers__organisation=staff.organisation)
    if email.strip():
        condition &= Q(email__iexact=email.strip())
    if name.strip():
        condition &= Q(full_name__icontains=name.strip())
    open_complaints = Complaint.objects.filter(state__in=sorted(OPEN_STATES)).order_by(
        Coalesce("overdue_since", "next_due_at").asc(nulls_last=True), "id"
    )
    return list(
        customers.filter(condition).distinct()
        .order_by("full_name", "pk")
        .prefetch_related(Prefetch("complaints", queryset=open_complaints, to_attr="open_complaints"))
        [:CALLERS_SHOWN]
    )


def _digits_only(expression: F | Replace) -> F | Replace:
    for separator in (" ", "-", "(", ")", ".", "/", "+"):
        expression = Replace(expression, Value(separator), Value(""))
    return expression


def held_messages(staff: Staff, limit: int = 200) -> list[IncomingMessage]:
    """The organisation's held incoming e-mail, newest first, without the raw message."""
    return list(
        IncomingMessage.objects.filter(organisation=staff.organisation, state=IncomingState.HELD)
        .defer("raw").order_by("-received_at", "-id")[:limit]
    )
