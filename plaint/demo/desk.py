"""One organisation's complaints desk over the last three months.

Draws which state each complaint ends in (``catalogue.STATE_QUOTA``), plans and
walks each one in the order they were received (so that newer complaints get
higher ids, as in real life), then adds the duplicates that staff merged and
the cancellations customers asked for.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from plaint.complaints.models import Complaint
from plaint.complaints.services.cancellations import cancellation_execute, cancellation_request
from plaint.complaints.services.merge import complaint_merge
from plaint.core import clock
from plaint.demo.catalogue import CANCELLATIONS_PER_ORGANISATION, STATE_QUOTA
from plaint.demo.people import DemoCustomer, OrganisationCast
from plaint.demo.plans import Plan, Step, lifetime, office_hours, plan_for
from plaint.demo.stories import Story

MERGE_TARGET_STATES = ("investigating", "awaiting_customer", "acknowledged", "received")


def desk_fill(cast: OrganisationCast, rng: random.Random, now: datetime) -> list[Complaint]:
    """Create the organisation's complaints and cancellations; return the complaints."""
    stories = [_story(cast, target, rng, now) for target in _targets(cast, rng)]
    complaints = [story.run() for story in sorted(stories, key=lambda story: story.times[0])]
    timing = random.Random(rng.getrandbits(64))
    complaints += _merged_duplicates(cast, stories, rng, timing, now)
    _cancellations(cast, rng, timing, now)
    return complaints


def _targets(cast: OrganisationCast, rng: random.Random) -> list[str]:
    quota = {state: n for state, n in STATE_QUOTA.items() if state != "merged"}
    closed = cast.spec.complaints - sum(STATE_QUOTA.values())
    targets = [state for state, n in quota.items() for _ in range(n)] + ["closed"] * closed
    rng.shuffle(targets)
    return targets


def _customer(cast: OrganisationCast, rng: random.Random) -> DemoCustomer:
    """Some customers complain more than others: the first ones are drawn more often."""
    customers = cast.customers
    return customers[min(int(rng.expovariate(1 / 9)), len(customers) - 1)]


def _story(cast: OrganisationCast, target: str, rng: random.Random, now: datetime) -> Story:
    customer = _customer(cast, rng)
    plan = plan_for(target, rng, has_login=customer.has_login)
    theme = rng.choice(cast.spec.texts.themes)
    # Each story draws from its own generators, so that what happens in it does not
    # depend on the order the stories run in (which follows their dates).
    own, timing = random.Random(rng.getrandbits(64)), random.Random(rng.getrandbits(64))
    start, end = lifetime(target, now, timing)
    return Story(cast, plan, customer, theme, own, timing, start, end)


def _merged_duplicates(
    cast: OrganisationCast, stories: list[Story], rng: random.Random, timing: random.Random,
    now: datetime,
) -> list[Complaint]:
    """The same customer complains again about an open complaint; staff merge the two."""
    open_stories = [
        s for s in stories
        if s.complaint.state in MERGE_TARGET_STATES and s.complaint.merged_into_id is None
    ]
    open_stories.sort(key=lambda s: MERGE_TARGET_STATES.index(s.complaint.state))  # stable
    duplicates = []
    for original in open_stories[: STATE_QUOTA["merged"]]:
        created_at = original.last_at + (now - original.last_at) * timing.uniform(0.2, 0.5)
        merged_at = _at_work(cast, created_at + (now - created_at) * timing.uniform(0.2, 0.6), now,
                             timing)
        channel = "web" if original.customer.has_login else "email"
        plan = Plan("closed", 1, 1, channel, channel == "web", [Step("create")])
        duplicate = Story(cast, plan, original.customer, original.theme, rng, timing, created_at,
                          merged_at)
        source = duplicate.run()
        clock.set_now(merged_at)
        complaint_merge(actor=original.handler, source=source, target=original.complaint,
                        reason=cast.spec.texts.merge_reason)
        duplicates.append(source)
    return duplicates


def _at_work(cast: OrganisationCast, at: datetime, now: datetime, rng: random.Random) -> datetime:
    """``at`` moved into office hours, unless that would put it in the future."""
    moved = office_hours(at, cast.spec.time_zone, rng)
    return moved if moved < now else at


def _cancellations(
    cast: OrganisationCast, rng: random.Random, timing: random.Random, now: datetime
) -> None:
    """Cancellations: the older ones executed a few days later, the recent ones still open."""
    executed, still_open = CANCELLATIONS_PER_ORGANISATION
    agents = cast.staff["agent"]
    for index in range(executed + still_open):
        customer = cast.customers[rng.randrange(len(cast.customers))]
        done = index < executed
        requested_at = now - timedelta(days=timing.uniform(15, 85) if done else timing.uniform(0.2, 6))
        clock.set_now(requested_at)
        by_portal = customer.has_login
        cancellation = cancellation_request(
            actor=customer.actor if by_portal else agents[index % len(agents)].actor,
            customer=customer.customer,
            service_name=rng.choice(cast.spec.people.services),
            account_number=customer.account_number,
            channel="web" if by_portal else "phone",
        )
        if done:
            executed_at = requested_at + timedelta(days=timing.uniform(0.5, 5))
            clock.set_now(_at_work(cast, executed_at, now, timing))
            cancellation_execute(actor=agents[(index + 1) % len(agents)].actor,
                                 cancellation=cancellation)
