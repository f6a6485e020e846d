"""Carrying out a complaint's plan through the real services, with the clock at each step's time.

Every change goes through the service a person or an integration would call,
with the actor who would call it: the customer, the staff member whose role
handles the complaint's level, or the system (mail intake, routing, a missed
callback). So each demo complaint carries the events the product itself writes.
"""

from __future__ import annotations

import io
import random
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from plaint.complaints.actors import SYSTEM_ACTOR, Actor
from plaint.complaints.choices import DEMANDS_WITH_AMOUNT, Outcome, Priority, RemedyKind
from plaint.complaints.lifecycle import Action
from plaint.complaints.models import Complaint
from plaint.complaints.services.assignment import complaint_assign
from plaint.complaints.services.decisions import (
    DecisionSpec,
    complaint_decide,
    complaint_external_outcome_record,
    complaint_final_response_issue,
    complaint_refer,
)
from plaint.complaints.services.demands import DemandSpec, complaint_demands_record
from plaint.complaints.services.escalation import complaint_escalate, complaint_request_supervisor
from plaint.complaints.services.evidence import evidence_add
from plaint.complaints.services.intake import ComplaintDraft, complaint_create
from plaint.complaints.services.records import (
    InteractionSpec,
    PromiseSpec,
    interaction_log,
    message_add,
)
from plaint.complaints.services.transitions import complaint_transition
from plaint.core import clock, references
from plaint.demo import files
from plaint.demo.people import DemoCustomer, OrganisationCast, StaffMember
from plaint.demo.plans import ANY_HOUR, Plan, schedule
from plaint.demo.specs import Theme
from plaint.parties.choices import TeamKind

CENTS = Decimal("0.01")


def money(amount: Decimal, currency: str) -> str:
    """The amount as a customer of the organisation would write it."""
    whole, cents = f"{amount:.2f}".split(".")
    grouped = f"{int(whole):,}"
    if currency == "BRL":
        return f"R$ {grouped.replace(',', '.')},{cents}"
    spaced = grouped.replace(",", "\u00a0")
    if currency == "CZK":
        return f"{spaced}\u00a0Kč" if cents == "00" else f"{spaced},{cents}\u00a0Kč"
    return f"{spaced},{cents}\u00a0zł" if currency == "PLN" else f"{spaced}.{cents} {currency}"


class Story:
    """One complaint's life: created at its first step's time, then walked step by step.

    ``rng`` draws what happens and ``timing`` when: how many draws the timing
    needs depends on today's date (office hours, weekends), and keeping those
    apart keeps the content of the demo the same whatever day it is loaded.
    """

    def __init__(self, cast: OrganisationCast, plan: Plan, customer: DemoCustomer, theme: Theme,
                 rng: random.Random, timing: random.Random, start: datetime, end: datetime) -> None:
        self.cast, self.plan, self.customer, self.theme, self.rng = cast, plan, customer, theme, rng
        self.timing = timing
        self.texts = cast.spec.texts
        self.times = schedule(
            plan.steps, start, end, timing, time_zone=cast.spec.time_zone,
            at_office=[self._at_the_office(step.name) for step in plan.steps],
        )
        self.pick = rng.randint(0, 1000)
        self.amount = self._amount()
        self.complaint: Complaint = None  # type: ignore[assignment] - set by the first step
        self.last_at = start
        self.promise_due: datetime | None = None
        self.question = ("", "")

    def run(self) -> Complaint:
        for index, step in enumerate(self.plan.steps):
            at = self.times[index]
            if step.name == "reopen" and self.complaint.closed_at is not None:
                # Reopening is allowed only within the organisation's period after closing.
                latest = self.complaint.closed_at + timedelta(days=self.timing.uniform(1, 20))
                if latest < at:
                    at = max(latest, self.last_at + timedelta(minutes=5))
            clock.set_now(at)
            getattr(self, f"_{step.name}")(step.arg)
            self.last_at = at
        return self.complaint

    def _at_the_office(self, name: str) -> bool:
        """Whether staff take this step (then it happens in office hours)."""
        channel = self.plan.channel
        if name == "create":
            return channel in ("phone", "visit", "letter")
        if name == "acknowledge":
            return channel not in ("web", "email", "chat")
        return name not in ANY_HOUR

    # -- who acts ---------------------------------------------------------------------------

    def staff(self, level: int | None = None) -> StaffMember:
        return self.cast.handler(level or self.complaint.level, self.theme.team, self.pick)

    @property
    def handler(self) -> Actor:
        return self.staff().actor

    @property
    def officer(self) -> Actor:
        """A complaints officer, or the manager at the highest level (final responses, ADR)."""
        return self.staff(max(self.complaint.level, 3)).actor

    def customer_or_staff(self) -> Actor:
        """The customer acts in the portal if they can sign in; otherwise staff record it."""
        return self.customer.actor if self.customer.has_login else self.handler

    def _amount(self) -> Decimal | None:
        if self.theme.amount is None:
            return None
        whole = self.rng.randint(*self.theme.amount)
        cents = {"CZK": ["00"], "PLN": ["00", "99", "50"], "BRL": ["90", "99", "00"]}
        return Decimal(f"{whole}.{self.rng.choice(cents.get(self.cast.spec.currency, ['00']))}")

    def _demands(self, *_: str) -> None:
        complaint_demands_record(actor=self.customer_or_staff() if self.rng.random() < 0.4
                                 else self.handler, complaint=self.complaint, demands=self.demands())

    def demands(self) -> list[DemandSpec]:
        kinds = list(self.theme.demands[: 1 + (self.rng.random() < 0.5)])
        currency = self.cast.spec.currency
        return [
            DemandSpec(kind=kind, amount=self.amount, currency=currency)
            if kind in DEMANDS_WITH_AMOUNT and self.amount is not None else DemandSpec(kind=kind)
            for kind in kinds
        ]

    # -- intake and routing -----------------------------------------------------------------

    def _create(self, *_: str) -> None:
        spec, plan, theme = self.cast.spec, self.plan, self.theme
        description = self.rng.choice(theme.descriptions).format(
            amount=money(self.amount, spec.currency) if self.amount is not None else ""
        )
        draft = ComplaintDraft(
            channel=plan.channel,
            subject=self.rng.choice(theme.subjects),
            description=description,
            demands=self.demands() if plan.demands_at_intake else None,
            language=self.cast.organisation.default_language,
            category=theme.category,
            subcategory=theme.subcategory,
            product=theme.product,
            account_number=self.customer.account_number,
            amount_in_dispute=self.amount,
            currency=spec.currency if self.amount is not None else "",
            priority=self._priority(),
            level=plan.start_level,
            received_at=clock.now(),
        )
        self.complaint, _ = complaint_create(
            actor=self._intake_actor(), organisation=self.cast.organisation,
            customer=self.customer.customer, draft=draft,
        )

    def _intake_actor(self) -> Actor:
        channel = self.plan.channel
        if channel in ("web", "chat") and self.customer.has_login:
            return self.customer.actor
        if channel == "email":
            return SYSTEM_ACTOR  # the mail intake
        return self.staff(self.plan.start_level).actor

    def _priority(self) -> str:
        roll = self.rng.random()
        if self.customer.customer.is_vulnerable and roll < 0.5:
            return Priority.URGENT
        if self.plan.start_level >= 3 or self.theme.subcategory in ("outage", "no_coverage"):
            return Priority.HIGH
        return Priority.LOW if roll > 0.9 else Priority.NORMAL

    def _route(self, *_: str) -> None:
        kind = TeamKind.COMPLAINTS if self.complaint.level >= 3 else self.theme.team
        complaint_assign(actor=SYSTEM_ACTOR, complaint=self.complaint,
                         team_id=self.cast.teams[kind].pk, assignee_id=None)

    def _take(self, *_: str) -> None:
        member = self.staff()
        complaint_assign(actor=member.actor, complaint=self.complaint, team_id=None,
                         assignee_id=member.membership.pk)

    def _move(self, action: Action, actor: Actor, reason: str = "") -> None:
        complaint_transition(actor=actor, complaint=self.complaint, action=action, reason=reason)

    def _acknowledge(self, *_: str) -> None:
        automatic = self.plan.channel in ("web", "email", "chat")
        self._move(Action.ACKNOWLEDGE, SYSTEM_ACTOR if automatic else self.handler)

    def _investigate(self, *_: str) -> None:
        self._move(Action.START_INVESTIGATION, self.handler)

    # -- escalation --------------------------------------------------------------------------

    def _escalate(self, *_: str) -> None:
        roll, reason = self.rng.random(), self.rng.choice(self.texts.escalation_reasons)
        missed = (roll < 0.6 and self.complaint.level == 1 and self.promise_due is not None
                  and self.promise_due < clock.now())
        complaint_escalate(
            actor=SYSTEM_ACTOR if missed else self.handler,
            complaint=self.complaint,
            reason=self.texts.missed_callback_reason if missed else reason,
        )
        self._take()

    def _supervisor(self, *_: str) -> None:
        complaint_request_supervisor(actor=self.customer.actor, complaint=self.complaint,
                                     words=self.rng.choice(self.texts.supervisor_words))
        self._take()

    # -- what is said and shown ------------------------------------------------------------

    def _call(self, direction: str, notes: str) -> None:
        duration = self.rng.randint(90, 1500)
        started = clock.now() - timedelta(seconds=duration + self.rng.randint(0, 600))
        promises = []
        if self.rng.random() < 0.4:
            due = started + timedelta(days=self.rng.uniform(1, 3))
            callback = self.rng.random() < 0.6
            promises.append(PromiseSpec(
                kind="callback" if callback else "action", due_at=due,
                description=self.texts.callback_promise if callback else self.texts.action_promise,
            ))
            self.promise_due = min(due, self.promise_due or due)
        interaction_log(actor=self.handler, complaint=self.complaint, spec=InteractionSpec(
            channel="phone", direction=direction, started_at=started, duration_seconds=duration,
            notes=notes, references_quoted=[references.display(self.complaint.reference)],
            visibility="internal" if self.rng.random() < 0.15 else "customer", promises=promises,
        ))

    def _call_in(self, *_: str) -> None:
        self._call("inbound", self.rng.choice(self.texts.calls_in))

    def _call_out(self, *_: str) -> None:
        self._call("outbound", self.rng.choice(self.texts.calls_out[self.theme.team]))

    def _own_call(self, *_: str) -> None:
        """The customer records their own call, with the agent's name as the agent gave it."""
        agent = self.staff(1).membership
        duration = self.rng.randint(120, 900)
        interaction_log(actor=self.customer.actor, complaint=self.complaint, spec=InteractionSpec(
            channel="phone", direction="inbound",
            started_at=clock.now() - timedelta(seconds=duration + 300), duration_seconds=duration,
            notes=self.rng.choice(self.texts.own_calls),
            references_quoted=[references.display(self.complaint.reference)],
            staff_name=agent.user.full_name.split()[0], staff_position=agent.position,
        ))

    def _message_in(self, *_: str, body: str = "") -> None:
        message_add(actor=self.customer.actor, complaint=self.complaint,
                    body=body or self.rng.choice(self.texts.customer_messages),
                    channel="web" if self.customer.has_login else "email")

    def _message_out(self, *_: str) -> None:
        message_add(actor=self.handler, complaint=self.complaint,
                    body=self.rng.choice(self.texts.staff_messages), channel="email")

    def _note(self, *_: str) -> None:
        message_add(actor=self.handler, complaint=self.complaint,
                    body=self.rng.choice(self.texts.notes[self.theme.team]), internal=True)

    def _evidence_in(self, *_: str) -> None:
        theme, spec = self.theme, self.cast.spec
        if theme.evidence_kind == "png":
            content = files.png(seed=self.pick)
        else:
            lines = [spec.name, theme.evidence_description, self.customer.customer.full_name,
                     self.customer.account_number, theme.product]
            if self.amount is not None:
                lines.append(f"{self.amount} {spec.currency}")
            content = files.pdf(lines)
        evidence_add(actor=self.customer.actor, complaint=self.complaint, stream=io.BytesIO(content),
                     name=theme.evidence_name, description=theme.evidence_description)

    def _evidence_staff(self, *_: str) -> None:
        item = self.rng.choice(self.texts.staff_evidence[self.theme.team])
        evidence_add(actor=self.handler, complaint=self.complaint,
                     stream=io.BytesIO(files.text(item.lines)), name=item.name,
                     description=item.description, internal=self.rng.random() < 0.7)

    def _ask(self, *_: str) -> None:
        self.question = self.rng.choice(self.texts.questions[self.theme.team])
        self._move(Action.REQUEST_INFORMATION, self.handler, self.question[0])

    def _reply(self, *_: str) -> None:
        self._message_in(body=self.question[1])

    def _resume(self, *_: str) -> None:
        self._move(Action.RESUME, self.handler)

    # -- the provider's answer and what follows ------------------------------------------------

    def _decide(self, outcome: str = "") -> None:
        outcome = outcome or self.rng.choices(
            [Outcome.UPHELD, Outcome.PARTLY_UPHELD, Outcome.REJECTED], weights=[4, 3, 3])[0]
        complaint_decide(actor=self.handler, complaint=self.complaint, spec=self._decision(outcome))

    def _decision(self, outcome: str) -> DecisionSpec:
        texts, amount, currency = self.texts, self.amount, self.cast.spec.currency
        main = self.theme.demands[0]
        if outcome == Outcome.UPHELD:
            reasoning = self.rng.choice(texts.reasoning_upheld)
            if amount is not None:
                kind = RemedyKind.REFUND if main == "refund" else RemedyKind.CREDIT
                return DecisionSpec(outcome, reasoning, kind, amount, currency, texts.remedy_detail)
            return DecisionSpec(outcome, reasoning, RemedyKind(main))
        if outcome == Outcome.PARTLY_UPHELD:
            reasoning = self.rng.choice(texts.reasoning_partly[self.theme.team])
            if amount is not None:
                part = (amount * Decimal(str(self.rng.uniform(0.3, 0.7)))).quantize(CENTS)
                return DecisionSpec(outcome, reasoning, RemedyKind.CREDIT, part, currency,
                                    texts.remedy_detail)
            return DecisionSpec(outcome, reasoning, RemedyKind.APOLOGY)
        return DecisionSpec(outcome, self.rng.choice(texts.reasoning_rejected[self.theme.team]),
                            self.rng.choice([RemedyKind.NONE, RemedyKind.EXPLANATION]))

    def _accept(self, *_: str) -> None:
        self._move(Action.ACCEPT_DECISION, self.customer_or_staff())

    def _reject(self, *_: str) -> None:
        level = self.complaint.level
        self._move(Action.REJECT_DECISION, self.customer_or_staff(),
                   self.rng.choice(self.texts.decision_rejections))
        if self.complaint.level != level:  # now a formal complaint: the complaints team takes it
            self._take()

    def _close(self, *_: str) -> None:
        reason = self.texts.closing_without_reply if self.complaint.state == "decided" else ""
        self._move(Action.CLOSE, self.handler, reason)

    def _reopen(self, *_: str) -> None:
        self._move(Action.REOPEN, self.customer_or_staff(), self.rng.choice(self.texts.reopenings))

    def _withdraw(self, *_: str) -> None:
        actor = self.customer_or_staff()
        reasons = self.texts.withdrawals
        self._move(Action.WITHDRAW, actor, reasons[1] if actor.is_customer else reasons[0])

    def _final_response(self, *_: str) -> None:
        spec = self.cast.spec
        deadline = None
        if spec.referral_days is not None:
            local_today = clock.now().astimezone(ZoneInfo(spec.time_zone)).date()
            deadline = local_today + timedelta(days=spec.referral_days)
        text = self.texts.final_response.format(
            body=self.texts.external_body,
            deadline=spec.date_format.format(d=deadline) if deadline else "",
        )
        complaint_final_response_issue(actor=self.officer, complaint=self.complaint, text=text,
                                       external_body=self.texts.external_body,
                                       referral_deadline=deadline)

    def _refer(self, *_: str) -> None:
        actor = self.customer.actor if self.customer.has_login else self.officer
        complaint_refer(actor=actor, complaint=self.complaint, body=self.texts.external_body,
                        body_reference=self.texts.external_reference.format(
                            number=self.rng.randint(1000, 99999)))

    def _outcome(self, *_: str) -> None:
        complaint_external_outcome_record(actor=self.officer, complaint=self.complaint,
                                          outcome_text=self.rng.choice(self.texts.external_outcomes))
