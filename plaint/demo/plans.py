"""What happens to each demo complaint, decided before anything is written.

A ``Plan`` is the list of steps that lead a new complaint to the state and
escalation level it should end in, chosen so that every step is one the
lifecycle and the role policy allow. Pure Python, so that the paths can be read
(and reasoned about) apart from the services that carry them out.

``schedule`` spreads the steps over the complaint's life: an acknowledgement
follows within minutes, a decision takes days.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

#: Days ago a complaint ending in each state was received: (youngest, oldest).
AGE_DAYS: dict[str, tuple[float, float]] = {
    "received": (0.05, 2),
    "acknowledged": (0.3, 5),
    "investigating": (3, 35),
    "awaiting_customer": (4, 30),
    "decided": (6, 40),
    "final_response_issued": (20, 70),
    "referred_externally": (30, 85),
    "externally_resolved": (50, 90),
    "closed": (8, 90),
    "reopened": (12, 40),
    "withdrawn": (5, 80),
}
FINISHED = frozenset({"closed", "withdrawn", "externally_resolved"})
ACTIVITIES = ("call_in", "call_out", "message_in", "message_out", "note", "evidence_in",
              "evidence_staff", "own_call")
CUSTOMER_ONLY_WITH_LOGIN = frozenset({"own_call", "supervisor"})
QUICK = {"route": 0.005, "acknowledge": 0.04, "take": 0.04, "investigate": 0.15, "resume": 0.2}
#: Steps a customer or the system takes at any hour; staff work the others in office hours.
ANY_HOUR = frozenset({"route", "message_in", "reply", "own_call", "evidence_in", "supervisor"})
OFFICE_OPENS, OFFICE_CLOSES = 8, 18


@dataclass(frozen=True)
class Step:
    name: str
    arg: str = ""


@dataclass
class Plan:
    target: str
    level: int
    start_level: int
    channel: str
    demands_at_intake: bool
    steps: list[Step] = field(default_factory=list)


class _Builder:
    def __init__(self, plan: Plan, rng: random.Random, has_login: bool) -> None:
        self.plan, self.rng, self.has_login = plan, rng, has_login
        self.level = plan.start_level

    def add(self, *names: str, arg: str = "") -> None:
        for name in names:
            self.plan.steps.append(Step(name, arg))

    def activities(self, low: int, high: int) -> None:
        pool = [a for a in ACTIVITIES if self.has_login or a not in CUSTOMER_ONLY_WITH_LOGIN]
        for _ in range(self.rng.randint(low, high)):
            self.add(self.rng.choice(pool))

    def escalate_to(self, level: int) -> None:
        while self.level < level:
            if self.level == 1 and self.has_login and self.rng.random() < 0.35:
                self.add("supervisor")
            else:
                self.add("escalate")
            self.level += 1

    def ask_cycle(self) -> None:
        self.add("ask", "reply", "resume")

    def decide(self, outcome: str = "") -> None:
        self.add("decide", arg=outcome)

    def final_response_path(self) -> None:
        """To a final response: a deadlock at a formal level, after a rejected decision,
        or straight after a decision."""
        target, roll = self.plan.level, self.rng.random()
        if target >= 3 and roll < 0.35:
            self.escalate_to(target)
            self.activities(1, 2)
        elif target >= 3 and roll < 0.7:
            self.rejected_decision()
        else:
            self.escalate_to(target)
            self.decide(self.rng.choice(["rejected", "partly_upheld"]))
        self.add("final_response")

    def rejected_decision(self) -> None:
        """A decision the customer rejects, ending decided at a formal level (needs level >= 3).

        Below the formal level the rejection makes it a formal complaint, which is
        investigated and decided again; at a formal level it leaves the final
        response due.
        """
        self.decide(self.rng.choice(["rejected", "partly_upheld"]))
        self.add("reject")
        if self.level < 3:
            self.level = 3
            self.activities(1, 2)
            self.escalate_to(self.plan.level)
            self.decide("rejected")
        else:
            self.escalate_to(self.plan.level)


def pick_level(target: str, rng: random.Random) -> int:
    if target in ("received", "acknowledged"):
        return rng.choices([1, 2, 3], weights=[6, 2, 2])[0]
    return rng.choices([1, 2, 3, 4], weights=[5, 3, 3, 1.5])[0]


def pick_channel(start_level: int, has_login: bool, rng: random.Random) -> str:
    if start_level >= 3:
        return rng.choice(["letter", "email"])
    if has_login:
        return rng.choices(["web", "chat", "phone", "email"], weights=[55, 15, 15, 15])[0]
    return rng.choices(["phone", "email", "chat", "visit", "letter"], weights=[40, 25, 15, 10, 10])[0]


def plan_for(target: str, rng: random.Random, *, has_login: bool) -> Plan:
    """The steps that take a new complaint to ``target`` at a level drawn for it."""
    level = pick_level(target, rng)
    start_level = 3 if level >= 3 and rng.random() < 0.35 else 1
    channel = pick_channel(start_level, has_login, rng)
    demands = channel == "web" or (channel == "chat" and rng.random() < 0.3)
    plan = Plan(target, level, start_level, channel, demands)
    b = _Builder(plan, rng, has_login)
    b.add("create")
    if target == "received":
        b.escalate_to(level)
        return plan
    b.add("route", "acknowledge", "take")
    if target == "acknowledged":
        if rng.random() < 0.5:
            b.add("call_in")
        b.escalate_to(level)
        return plan
    b.add("investigate")
    decides = target not in ("investigating", "awaiting_customer", "withdrawn")
    if not demands and (decides or rng.random() < 0.5):
        b.add("demands")
    b.activities(1, 3)
    _tail(b, target)
    return plan


def _tail(b: _Builder, target: str) -> None:  # noqa: C901 - one branch per target state
    rng, level = b.rng, b.plan.level
    if target in ("investigating", "awaiting_customer", "withdrawn"):
        b.escalate_to(level)
        if target == "investigating" and rng.random() < 0.3:
            b.ask_cycle()
        b.activities(0, 2)
        b.add({"investigating": "note", "awaiting_customer": "ask", "withdrawn": "withdraw"}[target])
    elif target == "decided":
        if level >= 3 and rng.random() < 0.35:
            b.rejected_decision()
        else:
            b.escalate_to(level)
            b.decide()
    elif target == "closed":
        _closed(b)
    elif target == "reopened":
        b.escalate_to(level)
        b.decide()
        b.add(rng.choice(["accept", "close"]), "reopen")
    elif target in ("final_response_issued", "referred_externally", "externally_resolved"):
        b.final_response_path()
        if target != "final_response_issued":
            b.add("refer")
        if target == "externally_resolved":
            b.add("outcome")


def _closed(b: _Builder) -> None:
    rng, level = b.rng, b.plan.level
    way = rng.choices(["accepted", "no_reply", "after_final", "after_external"],
                      weights=[50, 20, 15, 15])[0]
    if way in ("after_final", "after_external"):
        b.final_response_path()
        if way == "after_external":
            b.add("refer", "outcome")
        b.add("close")
        return
    b.escalate_to(level)
    if rng.random() < 0.3:
        b.ask_cycle()
    b.decide("upheld" if way == "accepted" and rng.random() < 0.6 else "")
    b.add("accept" if way == "accepted" else "close")


def schedule(
    steps: list[Step],
    start: datetime,
    end: datetime,
    rng: random.Random,
    *,
    at_office: list[bool],
    time_zone: str,
) -> list[datetime]:
    """A time for each step from ``start`` to no later than ``end``, strictly increasing.

    Quick steps (routing, acknowledgement) follow closely, the rest spread with
    irregular gaps, and steps taken by staff (``at_office``) wait for office
    hours. When office hours push the last step past ``end``, the gaps shrink;
    if they cannot shrink enough, office hours are ignored.
    """
    gaps = [0.0] + [QUICK.get(s.name, 1.0) * rng.uniform(0.4, 1.6) for s in steps[1:]]
    scale = (end - start).total_seconds() / (sum(gaps) or 1.0)
    for attempt in range(10):
        times = _lay_out(start, gaps, scale * 0.75**attempt, at_office, time_zone, rng)
        if times[-1] <= end:
            return times
    return _lay_out(start, gaps, scale, [False] * len(steps), time_zone, rng)


def _lay_out(start: datetime, gaps: list[float], scale: float, at_office: list[bool],
             time_zone: str, rng: random.Random) -> list[datetime]:
    times: list[datetime] = []
    moment = start
    for gap, office in zip(gaps, at_office, strict=True):
        if times:
            moment = times[-1] + timedelta(seconds=max(30.0, gap * scale))
        times.append(office_hours(moment, time_zone, rng) if office else moment)
    return times


def lifetime(target: str, now: datetime, rng: random.Random) -> tuple[datetime, datetime]:
    """When a complaint ending in ``target`` was received, and when its last step happened."""
    low, high = AGE_DAYS[target]
    start = now - timedelta(days=rng.uniform(low, high))
    share = rng.uniform(0.35, 0.85) if target in FINISHED else rng.uniform(0.75, 0.97)
    end = start + (now - start) * share
    return start, min(end, now - timedelta(minutes=5))


def office_hours(at: datetime, time_zone: str, rng: random.Random) -> datetime:
    """``at``, or the next moment staff are at work (weekdays, 8 to 18 local time)."""
    zone = ZoneInfo(time_zone)
    local = at.astimezone(zone)
    if OFFICE_OPENS <= local.hour < OFFICE_CLOSES and local.weekday() < 5:
        return at
    day = local.date() if local.hour < OFFICE_OPENS else local.date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    opening = datetime(day.year, day.month, day.day, OFFICE_OPENS, tzinfo=zone)
    return opening + timedelta(minutes=rng.randint(0, 150))
