"""Clocks under a controlled clock: pause and resume, reasoned extensions, promises kept and
missed, the case history, organisations' own rules, catching up after downtime, and the
rebuild that reproduces every stored row from the events."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings

from plaint.channels.models import OutgoingMessage
from plaint.clocks.models import Clock as ClockRow
from plaint.clocks.models import ClosingDay, PolicyRule
from plaint.clocks.rebuild import clocks_rebuild
from plaint.clocks.refresh import ROW_FIELDS
from plaint.clocks.services import (
    PolicyRuleSpec,
    clock_extend,
    history_request,
    history_send,
    policy_rule_set,
    promise_keep,
)
from plaint.clocks.sweep import clocks_sweep
from plaint.complaints.actors import SYSTEM_ACTOR, staff_actor
from plaint.complaints.choices import EventKind, PromiseState
from plaint.complaints.lifecycle import Action
from plaint.complaints.models import Complaint, Event
from plaint.complaints.services.records import InteractionSpec, PromiseSpec, interaction_log
from plaint.core import clock
from plaint.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from plaint.parties.actors import Principal
from plaint.parties.choices import Role
from plaint.parties.models import Organisation
from plaint.testing import builders

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")
PRAGUE = ZoneInfo("Europe/Prague")
SAO_PAULO = ZoneInfo("America/Sao_Paulo")
# Monday 2 March 2026, 10:00 in Warsaw: no public holiday near it.
MONDAY = datetime(2026, 3, 2, 10, tzinfo=WARSAW)


def at(moment: datetime):  # type: ignore[no-untyped-def]
    return clock.frozen_at(moment)


def organisation(**fields: object) -> Organisation:
    defaults = {"country": "PL", "sector": "retail", "time_zone": "Europe/Warsaw",
                "languages": ["pl", "en"], "default_language": "en"}
    org = builders.organisation(**{**defaults, **fields})
    builders.staff(org, Role.MANAGER)
    return org


def manager_of(org: Organisation):  # type: ignore[no-untyped-def]
    member = org.memberships.get(role=Role.MANAGER)
    return staff_actor(Principal(user=member.user), org.pk)


def officer_of(org: Organisation):  # type: ignore[no-untyped-def]
    member = builders.staff(org, Role.COMPLAINTS_OFFICER)
    return staff_actor(Principal(user=member.user), org.pk)


def row(complaint: Complaint, key: str) -> ClockRow:
    return ClockRow.objects.get(complaint=complaint, key=key)


def locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_related("organisation", "customer").get(pk=complaint.pk)


def sweep(moment: datetime):  # type: ignore[no-untyped-def]
    with at(moment):
        report = clocks_sweep(now=moment)
    assert report.failed == 0
    return report


def end_of(day: datetime) -> datetime:
    return datetime.combine(day.date(), time.max, tzinfo=day.tzinfo)


# ---- pause and resume


def test_an_organisations_rule_that_pauses_for_the_customer_moves_by_the_paused_days_and_the_law_does_not():
    # given a Polish retailer whose own reply target (10 calendar days) pauses while it waits
    org = organisation()
    with at(MONDAY - timedelta(days=7)):
        policy_rule_set(actor=manager_of(org), organisation=org, spec=PolicyRuleSpec(
            code="reply", title="Reply within ten days", duration_value=10, duration_unit="calendar_days",
            pauses_awaiting_customer=True, on_expiry=("escalate",),
        ))
    with at(MONDAY):
        complaint = builders.complaint(builders.customer(org))
    assert row(complaint, "policy.reply").due_at == end_of(MONDAY + timedelta(days=10))
    # when the provider asks the customer on Tuesday and the customer answers on Friday
    with at(MONDAY + timedelta(days=1)):
        builders.move(locked(complaint), Action.ACKNOWLEDGE, Action.REQUEST_INFORMATION)
    paused = row(complaint, "policy.reply")
    # then while it waits, its own clock is paused, with no due time and nothing for the sweep
    assert (paused.state, paused.due_at, paused.next_action_at) == ("paused", None, None)
    assert paused.paused_since == MONDAY + timedelta(days=1)
    with at(MONDAY + timedelta(days=4)):
        builders.move(locked(complaint), Action.RESUME)
    # and after it, the clock is due three days later, while the law's 14 days did not move
    resumed = row(complaint, "policy.reply")
    assert resumed.state == "running"
    assert resumed.due_at == end_of(MONDAY + timedelta(days=13))
    assert row(complaint, "PL.consumer.reply").due_at == end_of(MONDAY + timedelta(days=14))
    assert resumed.pauses == [[(MONDAY + timedelta(days=1)).astimezone(ZoneInfo("UTC")).isoformat(),
                               (MONDAY + timedelta(days=4)).astimezone(ZoneInfo("UTC")).isoformat()]]


def test_the_law_counts_public_holidays_only_and_the_organisations_rules_its_own_closing_days():
    # given a Polish retailer closed on Thursday 5 and Monday 16 March (days of its own)
    org = organisation()
    for day in (date(2026, 3, 5), date(2026, 3, 16)):
        ClosingDay.objects.create(organisation=org, day=day, description="Stocktaking")
    with at(MONDAY - timedelta(days=1)):
        policy_rule_set(actor=manager_of(org), organisation=org, spec=PolicyRuleSpec(
            code="answer", title="Answer in seven business days", duration_value=7,
        ))
    # when a complaint comes in on Monday 2 March
    with at(MONDAY):
        complaint = builders.complaint(builders.customer(org))
    # then the law's 14 days end on Monday 16 March, closing day or not
    assert row(complaint, "PL.consumer.reply").due_at == end_of(datetime(2026, 3, 16, tzinfo=WARSAW))
    # and the organisation's seven business days skip its own closing day: Thursday 12 March
    assert row(complaint, "policy.answer").due_at == datetime(2026, 3, 12, 17, tzinfo=WARSAW)


# ---- extensions


def test_a_financial_complaint_is_extended_with_reasons_up_to_sixty_days_and_no_further():
    # given a Polish financial institution's complaint (30 days, up to 60 with a reasoned notice)
    org = organisation(sector="finance")
    officer = officer_of(org)
    with at(MONDAY):
        complaint = builders.complaint(builders.customer(org))
    first_due = row(complaint, "PL.finance.reply").due_at
    # 60 days from 2 March end on Friday 1 May, Labour Day; Saturday 2 May is closed and Sunday
    # 3 May is Constitution Day: the last day rolls to Monday 4 May (KC art. 115).
    limit = datetime(2026, 5, 4, 23, 59, 59, 999999, tzinfo=WARSAW)
    # when an officer tries to extend it past the cap, then within it
    with at(MONDAY + timedelta(days=20)), pytest.raises(ValidationFailed) as too_long, transaction.atomic():
        clock_extend(actor=officer, complaint=locked(complaint), key="PL.finance.reply",
                     due=limit + timedelta(seconds=1), reason="The card scheme has not answered.")
    with at(MONDAY + timedelta(days=20)):
        clock_extend(actor=officer, complaint=locked(complaint), key="PL.finance.reply", due=limit,
                     reason="The card scheme has not answered.")
    # then the first is refused, naming the field, and the second moves the deadline
    assert too_long.value.code == "extension_too_long"
    assert set(too_long.value.fields) == {"due"}
    extended = row(complaint, "PL.finance.reply")
    assert extended.due_at == limit > first_due
    assert extended.extended_to == limit
    # and the extension is an event with its reason, and the customer is told the new date
    event = complaint.events.get(kind=EventKind.CLOCK_EXTENDED)
    assert event.reason.text == "The card scheme has not answered."
    assert event.data["clock"] == "PL.finance.reply"
    letters = OutgoingMessage.objects.filter(kind="deadline_extended", thread_reference=complaint.reference)
    assert letters.count() == 1
    assert "The card scheme has not answered." in letters.get().body


def test_a_deadline_the_law_does_not_let_extend_is_refused_and_nothing_changes():
    # given a Polish consumer complaint: 14 days, no extension in the law
    org = organisation()
    with at(MONDAY):
        complaint = builders.complaint(builders.customer(org))
    events = Event.objects.count()
    # when an officer tries to extend it
    with at(MONDAY), pytest.raises(Conflict) as refused, transaction.atomic():
        clock_extend(actor=officer_of(org), complaint=locked(complaint), key="PL.consumer.reply",
                     due=MONDAY + timedelta(days=30), reason="Busy.")
    # then it is refused and nothing was written
    assert refused.value.code == "extension_not_allowed"
    assert Event.objects.count() == events


def test_a_czech_consumer_deadline_is_extended_only_with_the_consumers_agreement():
    org = organisation(country="CZ", time_zone="Europe/Prague")
    with at(MONDAY):
        complaint = builders.complaint(builders.customer(org))
    due = row(complaint, "CZ.consumer.handle").due_at + timedelta(days=7)
    with at(MONDAY), pytest.raises(ValidationFailed) as refused, transaction.atomic():
        clock_extend(actor=officer_of(org), complaint=locked(complaint), key="CZ.consumer.handle",
                     due=due, reason="Waiting for the manufacturer.")
    assert set(refused.value.fields) == {"customer_agreed"}
    with at(MONDAY):
        clock_extend(actor=officer_of(org), complaint=locked(complaint), key="CZ.consumer.handle",
                     due=due, reason="Waiting for the manufacturer.", customer_agreed=True)
    assert row(complaint, "CZ.consumer.handle").due_at == due


# ---- promises


def promise_call_back(complaint: Complaint, due: datetime) -> int:
    interaction = interaction_log(actor=SYSTEM_ACTOR, complaint=locked(complaint), spec=InteractionSpec(
        channel="phone", direction="inbound", started_at=clock.now(), duration_seconds=240,
        staff_name="Eva Dvořák", promises=[PromiseSpec(kind="callback", due_at=due,
                                                      description="Call back with the refund date")],
    ))
    return interaction.promises.get().pk


def test_a_missed_callback_writes_an_event_and_escalates_once():
    # given a call on Monday in which a callback was promised for Tuesday 14:30
    org = organisation()
    with at(MONDAY):
        complaint = builders.complaint(builders.customer(org))
        builders.move(locked(complaint), Action.ACKNOWLEDGE)
        promise_id = promise_call_back(complaint, datetime(2026, 3, 3, 14, 30, tzinfo=WARSAW))
    assert row(complaint, f"promise:{promise_id}").due_at == datetime(2026, 3, 3, 14, 30, tzinfo=WARSAW)
    # when the sweep runs at 14:30 (still in time) and at 14:31 (missed), and again later
    sweep(datetime(2026, 3, 3, 14, 30, tzinfo=WARSAW))
    in_time = Event.objects.filter(complaint=complaint, kind=EventKind.PROMISE_MISSED).count()
    sweep(datetime(2026, 3, 3, 14, 31, tzinfo=WARSAW))
    sweep(datetime(2026, 3, 3, 16, 0, tzinfo=WARSAW))
    # then nothing happened at 14:30; at 14:31 the promise was missed, once, and the complaint escalated
    assert in_time == 0
    missed = Event.objects.get(complaint=complaint, kind=EventKind.PROMISE_MISSED)
    assert missed.data["promise"] == promise_id
    complaint.refresh_from_db()
    assert complaint.level == 2
    escalation = Event.objects.get(complaint=complaint, kind=EventKind.ESCALATED)
    assert escalation.reason.text == "Promise missed: Call the customer back as promised"
    assert complaint.promises.get().state == PromiseState.MISSED
    assert row(complaint, f"promise:{promise_id}").state == "breached"


def test_a_kept_promise_is_met_and_never_escalates():
    org = organisation()
    with at(MONDAY):
        complaint = builders.complaint(builders.customer(org))
        builders.move(locked(complaint), Action.ACKNOWLEDGE)
        promise_id = promise_call_back(complaint, MONDAY + timedelta(hours=4))
    with at(MONDAY + timedelta(hours=3)):
        promise_keep(actor=SYSTEM_ACTOR, complaint=locked(complaint), promise_id=promise_id)
    sweep(MONDAY + timedelta(days=1))
    assert row(complaint, f"promise:{promise_id}").state == "met"
    assert not Event.objects.filter(complaint=complaint, kind=EventKind.PROMISE_MISSED).exists()
    with at(MONDAY), pytest.raises(Conflict), transaction.atomic():
        promise_keep(actor=SYSTEM_ACTOR, complaint=locked(complaint), promise_id=promise_id)


# ---- the case history (Brazil's SAC: sent within 5 days of the request)


def test_a_history_request_starts_a_five_day_clock_that_sending_the_history_meets():
    org = organisation(country="BR", sector="telecom", time_zone="America/Sao_Paulo")
    received = datetime(2026, 3, 2, 10, tzinfo=SAO_PAULO)
    with at(received):
        complaint = builders.complaint(builders.customer(org))
    with at(received + timedelta(days=1)):
        history_request(actor=SYSTEM_ACTOR, complaint=locked(complaint))
    assert row(complaint, "BR.SAC.history").due_at == end_of(received + timedelta(days=6))
    with at(received + timedelta(days=2)):
        history_send(actor=SYSTEM_ACTOR, complaint=locked(complaint))
    assert row(complaint, "BR.SAC.history").state == "met"
    letter = OutgoingMessage.objects.get(kind="history", thread_reference=complaint.reference)
    assert "Complaint received" in letter.body


# ---- organisations' own rules


def test_an_organisations_deadline_later_than_the_laws_is_refused_with_the_rule_it_breaks():
    # given a Polish retailer (the law: 14 calendar days)
    org = organisation()
    events = Event.objects.count()
    # when its manager sets a 15-business-day reply target
    with at(MONDAY), pytest.raises(ValidationFailed) as refused, transaction.atomic():
        policy_rule_set(actor=manager_of(org), organisation=org, spec=PolicyRuleSpec(
            code="reply", title="Reply in three weeks", duration_value=15, duration_unit="business_days",
        ))
    # then it is refused, naming the statutory rule, and nothing is written
    assert refused.value.code == "policy_later_than_statutory"
    assert "Reply to a consumer complaint (Polish law)" in refused.value.fields["duration"][0]
    assert not PolicyRule.objects.exists()
    assert Event.objects.count() == events


def test_a_complaint_keeps_the_version_of_a_policy_rule_in_force_when_its_clock_started():
    org = organisation()
    manager = manager_of(org)
    with at(MONDAY - timedelta(days=1)):
        policy_rule_set(actor=manager, organisation=org, spec=PolicyRuleSpec(
            code="answer", title="Answer in five business days", duration_value=5,
        ))
    with at(MONDAY):
        before = builders.complaint(builders.customer(org))
    with at(MONDAY + timedelta(hours=1)):
        policy_rule_set(actor=manager, organisation=org, spec=PolicyRuleSpec(
            code="answer", title="Answer in three business days", duration_value=3,
        ))
    with at(MONDAY + timedelta(hours=2)):
        after = builders.complaint(builders.customer(org))
    assert (row(before, "policy.answer").rule_version, row(after, "policy.answer").rule_version) == (1, 2)
    assert row(before, "policy.answer").due_at == datetime(2026, 3, 9, 17, tzinfo=WARSAW)
    assert row(after, "policy.answer").due_at == datetime(2026, 3, 5, 17, tzinfo=WARSAW)
    assert list(PolicyRule.objects.order_by("version").values_list("effective_to", flat=True)) == [
        MONDAY + timedelta(hours=1), None,
    ]
    assert Event.objects.filter(kind=EventKind.POLICY_RULE_SET, complaint=None).count() == 2
    assert clocks_rebuild(dry_run=True).changed == 0


def test_only_managers_and_admins_set_deadline_policy():
    org = organisation()
    agent = builders.staff(org, Role.AGENT)
    with at(MONDAY), pytest.raises(PermissionDenied) as refused, transaction.atomic():
        policy_rule_set(actor=staff_actor(Principal(user=agent.user), org.pk), organisation=org,
                        spec=PolicyRuleSpec(code="x", title="X"))
    assert refused.value.code == "not_permitted"


# ---- downtime


def test_a_worker_back_after_ten_days_acts_on_what_came_due_and_skips_stale_warnings():
    # given, on Monday, a Polish telecom complaint (30 days; ISO acknowledgement 1 business day)
    # and a financial one filed a fortnight earlier (30 days, warning at 75 %: on 11 March)
    telecom = organisation(sector="telecom")
    finance = organisation(sector="finance")
    with at(MONDAY - timedelta(days=14)):
        early = builders.complaint(builders.customer(finance))
        builders.move(locked(early), Action.ACKNOWLEDGE)
    with at(MONDAY):
        late = builders.complaint(builders.customer(telecom))
    warnings_before = OutgoingMessage.objects.filter(kind="staff_clock_warning").count()
    # when no sweep ran for ten days and then one runs
    report = sweep(MONDAY + timedelta(days=10))
    # then the acknowledgement that ran out is escalated, its warning recorded as skipped
    ack = Event.objects.filter(complaint=late, kind=EventKind.CLOCK_WARNED,
                               data__clock="ISO10002.acknowledge")
    assert [e.data["skipped"] for e in ack] == [True]
    assert Event.objects.filter(complaint=late, kind=EventKind.ESCALATED).count() == 1
    # and the financial complaint, now past 75 % of its time but not due, gets a real warning
    finance_warning = Event.objects.get(complaint=early, kind=EventKind.CLOCK_WARNED,
                                        data__clock="PL.finance.reply")
    assert finance_warning.data["skipped"] is False
    assert OutgoingMessage.objects.filter(kind="staff_clock_warning").count() == warnings_before + 1
    assert report.expired >= 1
    # and a second sweep at the same time finds nothing more to do
    again = sweep(MONDAY + timedelta(days=10))
    assert (again.warned, again.expired) == (0, 0)


# ---- the sweep's own task


def test_the_sweep_task_keeps_exactly_one_successor_waiting():
    from django_tasks_db.models import DBTaskResult

    from plaint.clocks.tasks import clock_sweep, sweep_ensure_scheduled

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        # given no sweep queued, when the worker starts twice
        assert sweep_ensure_scheduled() is True
        assert sweep_ensure_scheduled() is False
        waiting = DBTaskResult.objects.filter(task_path=clock_sweep.module_path, status="READY")
        assert waiting.count() == 1
        # when a sweep runs while another waits, it queues no second one
        clock_sweep.call()
        assert waiting.count() == 1
        # and when it runs alone, it queues its successor about 30 seconds later
        waiting.delete()
        clock_sweep.call()
        successor = waiting.get()
        assert timedelta(seconds=25) < successor.run_after - successor.enqueued_at <= timedelta(seconds=31)


def test_with_the_immediate_backend_the_sweep_schedules_nothing():
    from plaint.clocks.tasks import sweep_ensure_scheduled

    assert sweep_ensure_scheduled() is False


# ---- rebuild


def _stored() -> dict[tuple[int, str], tuple[object, ...]]:
    return {
        (r.complaint_id, r.key): tuple(getattr(r, f) for f in ROW_FIELDS)
        for r in ClockRow.objects.all()
    }


def test_the_rebuild_reproduces_every_stored_row_from_the_events():
    # given complaints in several jurisdictions that went through pauses, escalations,
    # extensions, promises, decisions and expiry
    pl, finance = organisation(), organisation(sector="finance")
    cz = organisation(country="CZ", sector="internet", time_zone="Europe/Prague")
    uk = organisation(country="GB", subdivision="ENG", sector="finance", time_zone="Europe/London")
    with at(MONDAY - timedelta(days=1)):
        policy_rule_set(actor=manager_of(pl), organisation=pl, spec=PolicyRuleSpec(
            code="reply", title="Reply within a week", duration_value=7, duration_unit="calendar_days",
            pauses_awaiting_customer=True,
        ))
    with at(MONDAY):
        paused = builders.complaint(builders.customer(pl))
        decided = builders.complaint(builders.customer(cz))
        late = builders.complaint(builders.customer(uk))
        promised = builders.complaint(builders.customer(pl))
        extended = builders.complaint(builders.customer(finance))
        builders.move(locked(paused), Action.ACKNOWLEDGE, Action.REQUEST_INFORMATION)
        builders.move(locked(decided), Action.ACKNOWLEDGE)
        builders.decide(locked(decided))
        promise_call_back(promised, MONDAY + timedelta(hours=5))
    with at(MONDAY + timedelta(days=2)):
        builders.move(locked(paused), Action.RESUME)
        clock_extend(actor=officer_of(finance), complaint=locked(extended), key="PL.finance.reply",
                     due=MONDAY + timedelta(days=45), reason="Waiting for the card scheme.")
    sweep(MONDAY + timedelta(days=70))
    stored = _stored()
    assert len(stored) >= 8
    # when every row is rebuilt from the events, after the rows were lost and one was tampered with
    assert clocks_rebuild(dry_run=True).changed == 0
    ClockRow.objects.filter(complaint=late).delete()
    ClockRow.objects.filter(complaint=paused, key="policy.reply").update(due_at=MONDAY, warned=True)
    with pytest.raises(CommandError):
        call_command("clocks", "rebuild", "--check")
    call_command("clocks", "rebuild")
    # then the rows are exactly those the events gave before, and the check passes again
    assert _stored() == stored
    call_command("clocks", "rebuild", "--check")


def test_a_closing_day_added_later_reaches_the_next_complaint():
    # given a policy rule already used once (so the organisation's rules are cached)
    org = organisation()
    with at(MONDAY - timedelta(days=1)):
        policy_rule_set(actor=manager_of(org), organisation=org, spec=PolicyRuleSpec(
            code="answer", title="Answer in two business days", duration_value=2,
        ))
    with at(MONDAY):
        first = builders.complaint(builders.customer(org))
    # when the organisation closes on Wednesday 4 March and another complaint comes in
    ClosingDay.objects.create(organisation=org, day=date(2026, 3, 4))
    with at(MONDAY):
        second = builders.complaint(builders.customer(org))
    # then the first keeps Wednesday and the second is due Thursday
    assert row(first, "policy.answer").due_at == datetime(2026, 3, 4, 17, tzinfo=WARSAW)
    assert row(second, "policy.answer").due_at == datetime(2026, 3, 5, 17, tzinfo=WARSAW)


def test_complaints_the_sweep_cannot_act_on_do_not_hold_up_the_others():
    # given three complaints whose clocks name a rule version that no longer exists, due first,
    # and one ordinary complaint due after them
    org = organisation(country="DE", sector="other", time_zone="Europe/Berlin")
    with at(MONDAY):
        broken = [builders.complaint(builders.customer(org)) for _ in range(3)]
    with at(MONDAY + timedelta(hours=1)):
        fine = builders.complaint(builders.customer(org))
    ClockRow.objects.filter(complaint__in=broken).update(rule_version=99)
    # when a sweep runs in batches of two
    with at(MONDAY + timedelta(days=3)):
        report = clocks_sweep(now=MONDAY + timedelta(days=3), batch=2)
    # then the ordinary complaint was acted on, and the broken ones were left as they were
    assert report.acted_on == 1
    assert row(fine, "ISO10002.acknowledge").state == "breached"
    assert set(ClockRow.objects.filter(complaint__in=broken).values_list("state", flat=True)) == {"running"}
