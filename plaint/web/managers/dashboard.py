"""The managers' dashboard: where an organisation's complaints stand, in aggregate queries only.

Every figure is a GROUP BY or a conditional aggregate, so the dashboard costs the same number
of queries (``DASHBOARD_QUERIES`` at most) whether the organisation has ten complaints or a
million; ``test_dashboard`` asserts it.

Definitions (also in docs/web.md):

- *open*: a complaint in one of ``lifecycle.OPEN_STATES``; imported history (``is_historical``)
  is left out everywhere, as it has no clocks and is not handled in Plaint.
- *missed* (breached) and *at risk*: the provider's clocks of open complaints; a clock is missed
  when the sweep expired it or its due time has passed without the sweep yet (a running clock
  with ``due_at`` in the past); at risk when it is running, not yet due, and its warning time
  has come. Grouped by the complaint's team.
- *received this week*: since Monday 00:00 in the organisation's time zone (the ISO 8601 week,
  the same for every reader, so that the figure does not change with the reader's language).
- *time to first response*: from receipt to the first event visible to the customer made by
  staff or an integration (an acknowledgement or other state change, a message, a logged
  contact, a decision, a final response), for complaints received in the last
  ``PERIOD_DAYS`` days that have had one. The median is ``PERCENTILE_CONT(0.5)`` on PostgreSQL
  and, on SQLite, the middle one or two rows of the sorted delays (a count and one ``LIMIT 2
  OFFSET n`` query), so that both databases give the same answer.
- *what customers told us*: compliments and suggestions (feedback cards, not complaints) and
  the handling ratings given in the last ``PERIOD_DAYS`` days: how many, the share that said
  the problem was resolved, the average satisfaction and effort (1–5), to one decimal
  (``feedback.selectors.feedback_summary``).
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)

from plaint.clocks.models import Clock
from plaint.complaints.choices import LEVEL_LABELS, STATE_LABELS, CancellationState, EventKind, Visibility
from plaint.complaints.lifecycle import OPEN_STATES, Level, State
from plaint.complaints.models import CancellationRequest, Complaint, Decision, Event
from plaint.core import clock
from plaint.deadlines.engine import ClockState
from plaint.deadlines.explanations import RULE_TITLES
from plaint.deadlines.rules import Party, RuleKind
from plaint.feedback.selectors import FeedbackSummary, feedback_summary
from plaint.parties.actors import ActorKind
from plaint.parties.models import Organisation

PERIOD_DAYS = 30
LIST_LENGTH = 10
#: The most queries ``dashboard`` makes, whatever the data (SQLite makes one more than PostgreSQL
#: for the median).
DASHBOARD_QUERIES = 12

OPEN = [s.value for s in OPEN_STATES]
RESPONSE_KINDS = [
    EventKind.TRANSITIONED,
    EventKind.MESSAGE_ADDED,
    EventKind.INTERACTION_LOGGED,
    EventKind.DECIDED,
    EventKind.FINAL_RESPONSE_ISSUED,
]


class Median(Aggregate):
    """PostgreSQL's continuous median of an interval (or a number)."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


@dataclass(frozen=True)
class TeamClocks:
    team: str  # "" for complaints without a team
    breached: int
    breached_statutory: int
    at_risk: int


@dataclass(frozen=True)
class LevelRow:
    level: int
    label: str
    open: int
    escalated_recently: int  # escalations into this level in the period


@dataclass(frozen=True)
class Dashboard:
    organisation: Organisation
    period_days: int
    week_start: datetime
    open: int
    received_this_week: int
    median_first_response: timedelta | None
    responded: int  # complaints the median is over
    clocks_by_team: list[TeamClocks]
    levels: list[LevelRow]
    oldest_open: list[Complaint]
    deemed_accepted: int
    deemed_recent: list[dict]
    cancellations_waiting: int
    oldest_cancellations: list[CancellationRequest]
    feedback: FeedbackSummary


def week_start(now: datetime, time_zone: str) -> datetime:
    """Monday 00:00 of ``now``'s week in the time zone (the ISO 8601 week)."""
    local = now.astimezone(zoneinfo.ZoneInfo(time_zone))
    monday = local.date() - timedelta(days=local.weekday())
    return datetime.combine(monday, time(0), tzinfo=local.tzinfo)


def _headline(complaints: QuerySet[Complaint], since_monday: datetime) -> dict[str, int]:
    is_open = Q(state__in=OPEN)
    levels = {f"level_{lv.value}": Count("pk", filter=is_open & Q(level=lv.value)) for lv in Level}
    return complaints.aggregate(
        open=Count("pk", filter=is_open),
        week=Count("pk", filter=Q(received_at__gte=since_monday)),
        **levels,
    )


def _clocks_by_team(organisation: Organisation, now: datetime) -> list[TeamClocks]:
    breached = Q(state=ClockState.BREACHED) | Q(state=ClockState.RUNNING, due_at__lt=now)
    at_risk = Q(state=ClockState.RUNNING, due_at__gte=now, warn_at__lte=now)
    rows = (
        Clock.objects.filter(
            organisation=organisation,
            party=Party.PROVIDER,
            complaint__state__in=OPEN,
            complaint__is_historical=False,
        )
        .values("complaint__team__name")
        .annotate(
            breached=Count("pk", filter=breached),
            breached_statutory=Count("pk", filter=breached & Q(kind=RuleKind.STATUTORY)),
            at_risk=Count("pk", filter=at_risk),
        )
        .filter(Q(breached__gt=0) | Q(at_risk__gt=0))
        .order_by("complaint__team__name")
    )
    return [
        TeamClocks(
            team=row["complaint__team__name"] or "",
            breached=row["breached"],
            breached_statutory=row["breached_statutory"],
            at_risk=row["at_risk"],
        )
        for row in rows
    ]


def _escalations(organisation: Organisation, since: datetime) -> dict[int, int]:
    rows = (
        Event.objects.filter(
            organisation=organisation,
            kind__in=[EventKind.ESCALATED, EventKind.SUPERVISOR_REQUESTED],
            occurred_at__gte=since,
        )
        .values("data__level_to")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {int(row["data__level_to"]): row["n"] for row in rows if row["data__level_to"] is not None}


def _first_responses(complaints: QuerySet[Complaint], since: datetime) -> QuerySet[Complaint]:
    first = (
        Event.objects.filter(
            complaint=OuterRef("pk"),
            kind__in=RESPONSE_KINDS,
            visibility=Visibility.CUSTOMER,
            actor_kind__in=[ActorKind.STAFF, ActorKind.INTEGRATION],
        )
        .order_by("occurred_at")
        .values("occurred_at")[:1]
    )
    return (
        complaints.filter(received_at__gte=since)
        .annotate(first_response_at=Subquery(first))
        .filter(first_response_at__isnull=False)
        .annotate(
            delay=ExpressionWrapper(F("first_response_at") - F("received_at"), output_field=DurationField())
        )
    )


def median_first_response(complaints: QuerySet[Complaint], since: datetime) -> tuple[timedelta | None, int]:
    """The median time to first response and how many complaints it is over (one query on
    PostgreSQL, two on SQLite)."""
    delays = _first_responses(complaints, since)
    if connection.vendor == "postgresql":
        found = delays.aggregate(median=Median("delay"), n=Count("pk"))
        return found["median"], found["n"]
    n = delays.count()
    if n == 0:
        return None, 0
    middle = list(delays.order_by("delay").values_list("delay", flat=True)[(n - 1) // 2 : n // 2 + 1])
    return sum(middle, timedelta()) / len(middle), n


def dashboard(organisation: Organisation) -> Dashboard:
    """Every figure of the dashboard for one organisation (at most ``DASHBOARD_QUERIES`` queries)."""
    now = clock.now()
    since = now - timedelta(days=PERIOD_DAYS)
    monday = week_start(now, organisation.time_zone)
    complaints = Complaint.objects.filter(organisation=organisation, is_historical=False)
    headline = _headline(complaints, monday)
    escalated = _escalations(organisation, since)
    median, responded = median_first_response(complaints, since)
    oldest = list(
        complaints.filter(state__in=OPEN).select_related("team").order_by("received_at", "pk")[:LIST_LENGTH]
    )
    for complaint in oldest:
        complaint.state_label = STATE_LABELS[State(complaint.state)]
    deemed = Decision.objects.filter(complaint__organisation=organisation).exclude(deemed_by_rule="")
    deemed_recent = [
        {**row, "rule_title": str(RULE_TITLES.get(row["deemed_by_rule"], row["deemed_by_rule"]))}
        for row in deemed.order_by("-decided_at", "-pk").values(
            "complaint__reference", "deemed_by_rule", "decided_at", "outcome"
        )[:LIST_LENGTH]
    ]
    waiting = CancellationRequest.objects.filter(organisation=organisation, state=CancellationState.OPEN)
    return Dashboard(
        organisation=organisation,
        period_days=PERIOD_DAYS,
        week_start=monday,
        open=headline["open"],
        received_this_week=headline["week"],
        median_first_response=median,
        responded=responded,
        clocks_by_team=_clocks_by_team(organisation, now),
        levels=[
            LevelRow(
                level=lv.value,
                label=str(LEVEL_LABELS[lv]),
                open=headline[f"level_{lv.value}"],
                escalated_recently=escalated.get(lv.value, 0),
            )
            for lv in Level
        ],
        oldest_open=oldest,
        deemed_accepted=deemed.count(),
        deemed_recent=deemed_recent,
        cancellations_waiting=waiting.count(),
        oldest_cancellations=list(waiting.order_by("requested_at", "pk")[:LIST_LENGTH]),
        feedback=feedback_summary(organisation, since),
    )
