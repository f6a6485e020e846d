"""Each encoded rule set, end to end: a complaint filed in a country and sector gets the clock rows
the rule's text implies, and when the sweep finds a clock run out the rule's expiry action happens
(deemed accepted in Poland, consumer rights in the Czech Republic, the ombudsman route in the UK,
"untimely" for the CFPB, escalation for the ISO 10002 baseline). Time is controlled throughout:
every step runs at a fixed instant, and the sweep is given its ``now``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from plaint.channels.models import OutgoingMessage
from plaint.clocks.models import Clock as ClockRow
from plaint.clocks.refresh import clocks_refresh
from plaint.clocks.sweep import SweepReport, clocks_sweep
from plaint.complaints.actors import SYSTEM_ACTOR, customer_actor, staff_actor
from plaint.complaints.choices import EventKind, Outcome, RemedyKind
from plaint.complaints.lifecycle import Action, Level, State
from plaint.complaints.models import Complaint, Decision, Event
from plaint.complaints.services.decisions import DecisionSpec, complaint_decide
from plaint.complaints.services.demands import DemandSpec
from plaint.complaints.services.transitions import complaint_transition
from plaint.complaints.tests.helpers import refused
from plaint.core import clock, references
from plaint.core.exceptions import Conflict
from plaint.deadlines.explanations import RULE_TITLES
from plaint.parties.actors import Principal
from plaint.parties.choices import Role
from plaint.parties.models import Customer, Membership, Organisation
from plaint.testing import builders

pytestmark = pytest.mark.django_db

WARSAW, PRAGUE, LONDON = ZoneInfo("Europe/Warsaw"), ZoneInfo("Europe/Prague"), ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
SECOND = timedelta(seconds=1)


def end_of(day: date, zone: ZoneInfo) -> datetime:
    """The last instant of a local day: where day-counted deadlines end."""
    return datetime.combine(day, time.max, tzinfo=zone)


class Setting:
    """One organisation in one jurisdiction with a manager (who gets the staff e-mails) and a customer."""

    def __init__(self, *, country: str, sector: str, time_zone: str, subdivision: str = "") -> None:
        self.organisation: Organisation = builders.organisation(
            country=country, sector=sector, time_zone=time_zone, subdivision=subdivision,
            languages=["en"], default_language="en",
        )
        self.manager: Membership = builders.staff(self.organisation, Role.MANAGER)
        self.customer: Customer = builders.customer(self.organisation)

    def file(self, at: datetime, *, channel: str = "web", demands: list[DemandSpec] | bool = True,
             acknowledge_after: timedelta | None = timedelta(hours=1)) -> Complaint:
        """A complaint received at ``at``; acknowledged an hour later unless told otherwise."""
        with clock.frozen_at(at):
            complaint = builders.complaint(self.customer, channel=channel, demands=demands)
        if acknowledge_after is not None:
            with clock.frozen_at(at + acknowledge_after):
                builders.move(complaint, Action.ACKNOWLEDGE)
        return complaint


def sweep(at: datetime) -> SweepReport:
    """Run the sweep at ``at``, with the clock there too so its events carry that time."""
    with clock.frozen_at(at):
        report = clocks_sweep(now=at)
    assert report.failed == 0, "an expiry action raised; see the log"
    return report


def clock_row(complaint: Complaint, rule_id: str) -> ClockRow:
    return complaint.clocks.get(key=rule_id)


def reload(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_related("organisation", "customer").get(pk=complaint.pk)


def events(complaint: Complaint, kind: EventKind, **data: object) -> list[Event]:
    found = Event.objects.filter(complaint=complaint, kind=kind).select_related("reason").order_by("pk")
    return [e for e in found if all(e.data.get(k) == v for k, v in data.items())]


def outbox(complaint: Complaint, kind: str) -> list[OutgoingMessage]:
    found = OutgoingMessage.objects.filter(thread_reference=complaint.reference, kind=kind)
    return list(found.order_by("pk"))


# Clock rows per rule set

ROWS = [
    # country, subdivision, zone, sector, channel, received (local 10:00), {rule: due}
    # PL art. 7a v2: 14 cd land on Independence Day (Wed 11 Nov 2026): rolled to Thu 12 Nov.
    ("PL", "", WARSAW, "retail", "web", date(2026, 10, 28),
     {"PL.consumer.reply": end_of(date(2026, 11, 12), WARSAW)}),
    # PL art. 7a v1 (received 31 Dec 2022, the last day of the 30-day text): Mon 30 Jan 2023.
    ("PL", "", WARSAW, "retail", "web", date(2022, 12, 31),
     {"PL.consumer.reply": end_of(date(2023, 1, 30), WARSAW)}),
    # PL telecoms: 30 cd to Independence Day, rolled; the 14-day confirmation: Mon 26 Oct.
    ("PL", "", WARSAW, "telecom", "web", date(2026, 10, 12),
     {"PL.telecom.reply": end_of(date(2026, 11, 12), WARSAW),
      "PL.telecom.acknowledge": end_of(date(2026, 10, 26), WARSAW)}),
    # CZ § 19: 30 cd end on Sat 10 Oct 2026, rolled to Mon 12 Oct; ISO: next business day, 17:00.
    ("CZ", "", PRAGUE, "retail", "web", date(2026, 9, 10),
     {"CZ.consumer.handle": end_of(date(2026, 10, 12), PRAGUE),
      "ISO10002.acknowledge": datetime(2026, 9, 11, 17, tzinfo=PRAGUE)}),
    # CZ telecoms: 1 month from Sat 31 Jan 2026 is Sat 28 Feb, rolled to Mon 2 Mar.
    ("CZ", "", PRAGUE, "telecom", "web", date(2026, 1, 31),
     {"CZ.telecom.handle": end_of(date(2026, 3, 2), PRAGUE)}),
    # RO: 15 cd to Great Union Day (Tue 1 Dec 2026), no roll.
    ("RO", "", ZoneInfo("Europe/Bucharest"), "retail", "web", date(2026, 11, 16),
     {"RO.goods.remedy": end_of(date(2026, 12, 1), ZoneInfo("Europe/Bucharest"))}),
    # BR SAC: 7 dias corridos from Sat 9 May 2026, Sat 16 May, no roll; BR CDC does not apply to telecoms.
    ("BR", "", ZoneInfo("America/Sao_Paulo"), "telecom", "web", date(2026, 5, 9),
     {"BR.SAC.answer": end_of(date(2026, 5, 16), ZoneInfo("America/Sao_Paulo"))}),
    # BR CDC: 30 cd to Black Awareness Day (Fri 20 Nov 2026), moved past the holiday only: Sat 21 Nov.
    ("BR", "", ZoneInfo("America/Sao_Paulo"), "retail", "web", date(2026, 10, 21),
     {"BR.CDC.defect": end_of(date(2026, 11, 21), ZoneInfo("America/Sao_Paulo"))}),
    # UK DISP: 3 business days from Thu 2 Apr 2026 skip Good Friday and Easter Monday (England):
    # Thu 9 Apr at the close of business; 8 weeks = 56 cd: Thu 28 May, no roll.
    ("GB", "ENG", LONDON, "finance", "web", date(2026, 4, 2),
     {"UK.DISP.summary_resolution": datetime(2026, 4, 9, 17, tzinfo=LONDON),
      "UK.DISP.final_response": end_of(date(2026, 5, 28), LONDON)}),
    # CFPB: 15, 30 and 60 cd from Wed 11 Nov 2026, no roll (Thanksgiving stays the last day).
    ("US", "", NEW_YORK, "finance", "regulator", date(2026, 11, 11),
     {"US.CFPB.response": end_of(date(2026, 11, 26), NEW_YORK),
      "US.CFPB.priority": end_of(date(2026, 12, 11), NEW_YORK),
      "US.CFPB.final": end_of(date(2027, 1, 10), NEW_YORK)}),
]


@pytest.mark.parametrize(
    ("country", "subdivision", "zone", "sector", "channel", "received", "due"),
    ROWS,
    ids=[f"{row[0]}-{row[3]}-{row[5]}" for row in ROWS],
)
def test_a_filed_complaint_gets_the_clock_rows_its_rule_set_implies(
    country, subdivision, zone, sector, channel, received, due
):
    # given an organisation in the jurisdiction and sector
    setting = Setting(country=country, sector=sector, time_zone=zone.key, subdivision=subdivision)
    at = datetime.combine(received, time(10), tzinfo=zone)
    # when a complaint is filed there
    complaint = setting.file(at, channel=channel, acknowledge_after=None)
    # then its stored clocks run from receipt to the due times of the rules
    rows = {row.key: row for row in complaint.clocks.all()}
    for rule_id, due_at in due.items():
        row = rows[rule_id]
        assert (row.state, row.started_at, row.due_at) == ("running", at, due_at), rule_id
        assert row.next_action_at is not None
        assert row.next_action_at <= due_at
    # and the complaint shows its earliest deadline
    running = [row.due_at for row in rows.values() if row.state == "running" and row.party == "provider"]
    assert reload(complaint).next_due_at == min(running)


def test_an_imported_historical_complaint_has_no_clocks():
    # intake has no way to import history, so the complaint is written as an import would
    setting = Setting(country="PL", sector="retail", time_zone="Europe/Warsaw")
    at = datetime(2026, 10, 28, 10, tzinfo=WARSAW)
    complaint = Complaint.objects.create(
        organisation=setting.organisation, customer=setting.customer, reference=references.generate(),
        channel="web", language="en", subject="Old case", description="From the old system.",
        state=State.RECEIVED, level=Level.FRONTLINE, received_at=at, created_at=at, updated_at=at,
        state_changed_at=at, is_historical=True,
    )
    Event.objects.create(
        organisation=setting.organisation, complaint=complaint, kind=EventKind.RECEIVED, occurred_at=at,
        actor_kind=SYSTEM_ACTOR.kind, data={"channel": "web", "level": 1},
    )
    # when its clocks are refreshed
    rows = clocks_refresh(complaint)
    # then it has none: the law's clocks ran in the old system
    assert rows == []
    assert not complaint.clocks.exists()
    assert reload(complaint).next_due_at is None
    # while the same events on a live complaint would start clocks
    Complaint.objects.filter(pk=complaint.pk).update(is_historical=False)
    assert {row.key for row in clocks_refresh(reload(complaint))} >= {"PL.consumer.reply"}


# Expiry actions

PL_RECEIVED = datetime(2026, 10, 28, 10, tzinfo=WARSAW)
PL_DUE = end_of(date(2026, 11, 12), WARSAW)
PL_DEMANDS = [DemandSpec(kind="refund", amount=Decimal("120.00"), currency="PLN")]


def _polish_retailer() -> Setting:
    return Setting(country="PL", sector="retail", time_zone="Europe/Warsaw")


def test_a_polish_consumer_complaint_unanswered_in_14_days_is_deemed_accepted():
    # given a Polish consumer complaint asking for a 120 PLN refund, acknowledged but not answered
    setting = _polish_retailer()
    complaint = setting.file(PL_RECEIVED, demands=PL_DEMANDS)
    assert clock_row(complaint, "PL.consumer.reply").due_at == PL_DUE
    # when the sweep runs on the last day of the term, nothing happens yet
    sweep(PL_DUE - timedelta(minutes=1))
    assert reload(complaint).state == State.ACKNOWLEDGED
    assert not Decision.objects.filter(complaint=complaint).exists()
    # when it runs just after the term
    report = sweep(PL_DUE + SECOND)
    # then the law decides: upheld, with what the customer asked for
    complaint = reload(complaint)
    assert report.expired == 1
    assert complaint.state == State.DECIDED
    decision = Decision.objects.get(complaint=complaint)
    assert decision.outcome == Outcome.UPHELD
    assert decision.deemed_by_rule == "PL.consumer.reply"
    assert (decision.remedy_kind, decision.remedy_amount, decision.remedy_currency) == (
        RemedyKind.REFUND, Decimal("120.00"), "PLN",
    )
    assert decision.decided_by is None
    assert decision.decided_by_kind == SYSTEM_ACTOR.kind
    assert "art. 7a" in decision.reasoning
    # and the events say so, the customer is told and the clock is breached
    [expired] = events(complaint, EventKind.CLOCK_EXPIRED, clock="PL.consumer.reply")
    assert expired.data["actions"] == ["deemed_accepted", "notify_manager"]
    [decided] = events(complaint, EventKind.DECIDED)
    assert decided.data["deemed_by_rule"] == "PL.consumer.reply"
    assert decided.data["to"] == State.DECIDED
    assert len(outbox(complaint, "decided")) == 1
    assert [m.to_address for m in outbox(complaint, "staff_clock_expired")] == [setting.manager.user.email]
    row = clock_row(complaint, "PL.consumer.reply")
    assert row.state == "breached"
    assert row.next_action_at is None


def test_the_deemed_acceptance_happens_once_however_often_the_sweep_runs():
    setting = _polish_retailer()
    complaint = setting.file(PL_RECEIVED, demands=PL_DEMANDS)
    sweep(PL_DUE + SECOND)
    report = sweep(PL_DUE + timedelta(days=3))
    assert report.expired == 0
    assert Decision.objects.filter(complaint=complaint).count() == 1
    assert len(events(complaint, EventKind.CLOCK_EXPIRED, clock="PL.consumer.reply")) == 1


def test_a_complaint_without_recorded_demands_is_deemed_accepted_as_stated():
    # given a complaint taken by a channel with no structure for demands
    setting = _polish_retailer()
    complaint = setting.file(PL_RECEIVED, demands=False)
    # when its term runs out
    sweep(PL_DUE + SECOND)
    # then it is upheld as stated, with no remedy of a kind the customer never named
    decision = Decision.objects.get(complaint=complaint)
    assert reload(complaint).state == State.DECIDED
    assert decision.outcome == Outcome.UPHELD
    assert decision.remedy_kind == RemedyKind.NONE
    assert decision.remedy_amount is None
    assert decision.remedy_detail == f"The complaint as stated: {complaint.subject}"


def test_a_contrary_decision_after_a_deemed_acceptance_is_refused():
    # given a complaint the law deemed accepted, whose customer then rejected that decision
    setting = _polish_retailer()
    complaint = setting.file(PL_RECEIVED, demands=PL_DEMANDS)
    sweep(PL_DUE + SECOND)
    customer = customer_actor(Principal(user=setting.customer.user), setting.organisation.pk)
    with clock.frozen_at(PL_DUE + timedelta(days=1)):
        complaint_transition(actor=customer, complaint=reload(complaint), action=Action.REJECT_DECISION,
                             reason="I also want compensation.")
    complaint = reload(complaint)
    assert complaint.state == State.INVESTIGATING
    manager = staff_actor(Principal(user=setting.manager.user), setting.organisation.pk)
    assert manager is not None
    # when the provider now rejects the complaint
    # then it is refused: the law has already decided in the customer's favour
    with clock.frozen_at(PL_DUE + timedelta(days=2)), refused(Conflict, "deemed_accepted"):
        complaint_decide(actor=manager, complaint=complaint, spec=DecisionSpec(
            outcome=Outcome.REJECTED, reasoning="We looked again and see no double charge."))
    assert Decision.objects.filter(complaint=complaint).count() == 1


def test_a_polish_telecoms_complaint_awaiting_the_customer_still_breaches_on_its_original_date():
    # given a Polish telecoms complaint whose provider asked the customer for information on day 2
    setting = Setting(country="PL", sector="telecom", time_zone="Europe/Warsaw")
    received = datetime(2026, 10, 12, 10, tzinfo=WARSAW)
    due = end_of(date(2026, 11, 12), WARSAW)  # 30 cd to Independence Day, rolled (see ROWS)
    complaint = setting.file(received)
    with clock.frozen_at(received + timedelta(days=2)):
        builders.move(complaint, Action.REQUEST_INFORMATION)
    # then the reply clock does not pause (Reg. 2025 poz. 1371 § 3(5))
    row = clock_row(complaint, "PL.telecom.reply")
    assert reload(complaint).state == State.AWAITING_CUSTOMER
    assert (row.state, row.due_at, row.paused_since, row.pauses) == ("running", due, None, [])
    # when the sweep runs just before and just after the original due time
    sweep(due - timedelta(minutes=1))
    assert events(complaint, EventKind.CLOCK_EXPIRED, clock="PL.telecom.reply") == []
    sweep(due + SECOND)
    # then it breached on the original date, and the complaint is deemed accepted
    assert len(events(complaint, EventKind.CLOCK_EXPIRED, clock="PL.telecom.reply")) == 1
    assert reload(complaint).state == State.DECIDED
    assert Decision.objects.get(complaint=complaint).deemed_by_rule == "PL.telecom.reply"


def test_a_uk_finance_complaint_unanswered_after_8_weeks_opens_the_ombudsman_route():
    # given a UK (England) financial complaint received Mon 2 Nov 2026, acknowledged the same day
    setting = Setting(country="GB", sector="finance", time_zone="Europe/London", subdivision="ENG")
    received = datetime(2026, 11, 2, 10, tzinfo=LONDON)
    due = end_of(date(2026, 12, 28), LONDON)  # 56 cd, a bank holiday, no roll
    complaint = setting.file(received)
    assert clock_row(complaint, "UK.DISP.final_response").due_at == due
    # when the sweep runs on the last day, then after it
    sweep(due - timedelta(minutes=1))
    assert events(complaint, EventKind.EXTERNAL_ROUTE_OPENED) == []
    assert outbox(complaint, "external_route_opened") == []
    sweep(due + SECOND)
    # then the customer may go to the Financial Ombudsman Service, and is told so by e-mail
    [opened] = events(complaint, EventKind.EXTERNAL_ROUTE_OPENED)
    assert opened.data == {"clock": "UK.DISP.final_response", "rule": "UK.DISP.final_response"}
    [mail] = outbox(complaint, "external_route_opened")
    assert mail.to_address == setting.customer.email
    assert "Financial Ombudsman Service" in mail.body
    [expired] = events(complaint, EventKind.CLOCK_EXPIRED, clock="UK.DISP.final_response")
    assert expired.data["actions"] == ["open_external_route", "notify_manager"]
    # and nothing decided for the provider: the complaint stays open
    assert reload(complaint).state == State.ACKNOWLEDGED


def test_a_missed_acknowledgement_escalates_one_level_naming_the_rule():
    # given a complaint received Tue 27 Oct 2026 in Prague and not acknowledged: due Thu 29 Oct 17:00
    setting = Setting(country="CZ", sector="internet", time_zone="Europe/Prague")
    received = datetime(2026, 10, 27, 10, tzinfo=PRAGUE)
    due = datetime(2026, 10, 29, 17, tzinfo=PRAGUE)
    complaint = setting.file(received, acknowledge_after=None)
    assert clock_row(complaint, "ISO10002.acknowledge").due_at == due
    # when the sweep runs at and just after the close of business
    sweep(due)
    assert reload(complaint).level == Level.FRONTLINE
    sweep(due + SECOND)
    # then it is escalated one level, the rule named in the event
    assert reload(complaint).level == Level.SUPERVISOR
    [escalated] = events(complaint, EventKind.ESCALATED)
    assert escalated.data == {"level_from": 1, "level_to": 2, "rule": "ISO10002.acknowledge"}
    assert escalated.actor_kind == SYSTEM_ACTOR.kind
    assert escalated.reason is not None
    assert escalated.reason.text.startswith("Deadline missed: ")
    assert len(outbox(complaint, "staff_clock_expired")) == 1


def test_the_escalation_reason_is_the_rules_title():
    setting = Setting(country="CZ", sector="internet", time_zone="Europe/Prague")
    complaint = setting.file(datetime(2026, 10, 27, 10, tzinfo=PRAGUE), acknowledge_after=None)
    sweep(datetime(2026, 10, 29, 17, tzinfo=PRAGUE) + SECOND)
    [escalated] = events(complaint, EventKind.ESCALATED)
    assert escalated.reason is not None
    assert escalated.reason.text == f"Deadline missed: {RULE_TITLES['ISO10002.acknowledge']}"


def test_a_czech_consumer_complaint_unhandled_in_30_days_opens_the_consumers_rights():
    # given a Czech consumer complaint received Thu 10 Sep 2026: due Mon 12 Oct (Sat 10 Oct, rolled)
    setting = Setting(country="CZ", sector="retail", time_zone="Europe/Prague")
    due = end_of(date(2026, 10, 12), PRAGUE)
    complaint = setting.file(datetime(2026, 9, 10, 10, tzinfo=PRAGUE))
    # when the sweep runs on the weekend the 30th day fell on, nothing happens yet
    sweep(end_of(date(2026, 10, 10), PRAGUE) + SECOND)
    assert events(complaint, EventKind.CONSUMER_RIGHTS_OPENED) == []
    sweep(due + SECOND)
    # then the consumer may withdraw or claim a discount (§ 19(4)), and is told so
    [opened] = events(complaint, EventKind.CONSUMER_RIGHTS_OPENED)
    assert opened.data == {"clock": "CZ.consumer.handle", "rule": "CZ.consumer.handle",
                           "rights": ["withdraw", "discount"]}
    [mail] = outbox(complaint, "consumer_rights_opened")
    assert mail.to_address == setting.customer.email
    [expired] = events(complaint, EventKind.CLOCK_EXPIRED, clock="CZ.consumer.handle")
    assert expired.data["sanction_risk"] is True
    assert expired.data["untimely"] is False


def test_a_cfpb_complaint_without_a_response_in_15_days_is_untimely():
    # given a complaint the CFPB sent to a US financial company on Wed 11 Nov 2026, not acknowledged
    setting = Setting(country="US", sector="finance", time_zone="America/New_York")
    due = end_of(date(2026, 11, 26), NEW_YORK)
    complaint = setting.file(datetime(2026, 11, 11, 10, tzinfo=NEW_YORK), channel="regulator",
                             acknowledge_after=None)
    # when the sweep runs after the 15th day
    sweep(due + SECOND)
    # then the response is marked untimely
    [expired] = events(complaint, EventKind.CLOCK_EXPIRED, clock="US.CFPB.response")
    assert expired.data["untimely"] is True
    assert expired.data["actions"] == ["mark_untimely", "notify_manager"]
    # and the 30- and 60-day clocks still run
    assert clock_row(complaint, "US.CFPB.priority").state == "running"
    assert clock_row(complaint, "US.CFPB.final").state == "running"


# Warnings


def test_a_sweep_at_80_percent_of_the_time_warns_the_managers():
    # given a Polish consumer complaint, acknowledged, with no assignee
    setting = _polish_retailer()
    complaint = setting.file(PL_RECEIVED)
    row = clock_row(complaint, "PL.consumer.reply")
    assert row.warn_at is not None
    at = PL_RECEIVED + (PL_DUE - PL_RECEIVED) * 0.8
    # when the sweep runs at 80 % of the time (the organisation warns at 75 %)
    report = sweep(at)
    # then a warning is recorded and sent, and the clock runs on towards its due time
    assert report.warned == 1
    [warned] = events(complaint, EventKind.CLOCK_WARNED)
    assert warned.data == {"clock": "PL.consumer.reply", "rule": "PL.consumer.reply", "skipped": False}
    assert [m.to_address for m in outbox(complaint, "staff_clock_warning")] == [setting.manager.user.email]
    row = clock_row(complaint, "PL.consumer.reply")
    assert (row.state, row.warned, row.next_action_at) == ("running", True, PL_DUE)
    assert events(complaint, EventKind.CLOCK_EXPIRED) == []


def test_a_warning_found_after_the_due_time_is_recorded_as_skipped_and_not_sent():
    # given a complaint no sweep has looked at until after its due time (the worker was down)
    setting = _polish_retailer()
    complaint = setting.file(PL_RECEIVED)
    # when the sweep runs
    sweep(PL_DUE + timedelta(hours=2))
    # then the warning is recorded as skipped, no warning e-mail goes out, and the clock expires
    [warned] = events(complaint, EventKind.CLOCK_WARNED, clock="PL.consumer.reply")
    assert warned.data["skipped"] is True
    assert outbox(complaint, "staff_clock_warning") == []
    assert len(events(complaint, EventKind.CLOCK_EXPIRED, clock="PL.consumer.reply")) == 1
    assert len(outbox(complaint, "staff_clock_expired")) == 1
