"""Every operation, for every role at every escalation level, as ``policy.POLICY`` says.

For each operation a complaint is brought to a state where the lifecycle allows
it, at each level 1 to 4; then every actor of the cast tries it, each in a
savepoint that is rolled back so that the next one starts from the same state.
The service succeeds, with one event naming the actor, iff ``policy.may`` says
so; otherwise it raises ``PermissionDenied`` and the database is unchanged.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction

from plaint.clocks.models import Clock as ClockRow
from plaint.clocks.services import clock_extend, history_request, history_send, promise_keep
from plaint.complaints import selectors
from plaint.complaints.access import access_complaint_by_reference
from plaint.complaints.actors import SYSTEM_ACTOR, Actor
from plaint.complaints.lifecycle import Action, State
from plaint.complaints.models import Message
from plaint.complaints.policy import POLICY, Operation, Who, may
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
from plaint.complaints.services.letters import LetterSpec, letter_record
from plaint.complaints.services.merge import complaint_merge
from plaint.complaints.services.records import (
    InteractionSpec,
    PromiseSpec,
    interaction_log,
    message_add,
    message_move,
)
from plaint.complaints.services.transcripts import (
    LineSpec,
    ParticipantSpec,
    TranscriptSpec,
    chat_transcript_attach,
)
from plaint.complaints.services.transitions import complaint_transition
from plaint.complaints.tests.helpers import (
    FREE_TEXT,
    NOW,
    actor_of,
    assert_no_free_text,
    assert_recorded_by,
    database_snapshot,
    last_event_id,
    load,
    only_new_event,
)
from plaint.core import clock
from plaint.core.exceptions import Conflict, NotFound, PermissionDenied
from plaint.parties.actors import Principal
from plaint.parties.models import ApiToken
from plaint.testing import builders
from plaint.testing.actors import (
    AGENT,
    COMPLAINTS_OFFICER,
    CUSTOMER_A,
    INTERNAL_MARK,
    MANAGER,
    ORG_ADMIN,
    OTHER_ORG_AGENT,
    TEAM_LEADER,
    TOKEN,
    Cast,
)

LEVELS = [1, 2, 3, 4]
REASON = f"{FREE_TEXT}: a reason"
WORDS = f"{FREE_TEXT}: I want to speak to a supervisor"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

#: The actors who try each operation, with the role the policy knows them by
#: (None: staff of another organisation, refused everything).
COLUMNS: dict[str, Who | None] = {
    CUSTOMER_A: Who.CUSTOMER,
    AGENT: Who.AGENT,
    TEAM_LEADER: Who.TEAM_LEADER,
    COMPLAINTS_OFFICER: Who.COMPLAINTS_OFFICER,
    MANAGER: Who.MANAGER,
    ORG_ADMIN: Who.ORG_ADMIN,
    TOKEN: Who.AGENT,  # the token of organisation 1 has the agent role
    OTHER_ORG_AGENT: None,
}


@dataclass(frozen=True)
class Subject:
    cast: Cast
    complaint_id: int
    other_id: int | None = None
    message_id: int | None = None
    promise_id: int | None = None


@dataclass(frozen=True)
class Scenario:
    """Where the lifecycle allows ``perform``; ``levels`` where it allows it by level,
    else it refuses with ``refusal``; ``reason`` is what the event's Reason says."""

    state: State
    perform: Callable[[Actor, Subject], object]
    reason: str = ""
    levels: tuple[int, ...] = tuple(LEVELS)
    refusal: str = ""
    other: bool = False
    message: bool = False
    promise: bool = False
    sector: str = ""  # the organisation's sector, for a clock whose rule allows an extension


def _transition(action: Action) -> Callable[[Actor, Subject], object]:
    def perform(actor: Actor, s: Subject) -> object:
        return complaint_transition(actor=actor, complaint=load(s.complaint_id), action=action,
                                    reason=REASON)
    return perform


def _decide(actor: Actor, s: Subject) -> object:
    return complaint_decide(actor=actor, complaint=load(s.complaint_id), spec=DecisionSpec(
        outcome="partly_upheld", reasoning=FREE_TEXT, remedy_kind="credit",
        remedy_amount=Decimal("10.00"), remedy_currency="CZK", remedy_detail=FREE_TEXT,
    ))


def _final_response(actor: Actor, s: Subject) -> object:
    return complaint_final_response_issue(actor=actor, complaint=load(s.complaint_id),
                                          text=FREE_TEXT, external_body=FREE_TEXT)


def _refer(actor: Actor, s: Subject) -> object:
    return complaint_refer(actor=actor, complaint=load(s.complaint_id), body=FREE_TEXT,
                           body_reference=FREE_TEXT)


def _external_outcome(actor: Actor, s: Subject) -> object:
    return complaint_external_outcome_record(actor=actor, complaint=load(s.complaint_id),
                                             outcome_text=FREE_TEXT)


def _merge(actor: Actor, s: Subject) -> object:
    assert s.other_id is not None
    return complaint_merge(actor=actor, source=load(s.complaint_id), target=load(s.other_id),
                           reason=REASON)


def _escalate(actor: Actor, s: Subject) -> object:
    return complaint_escalate(actor=actor, complaint=load(s.complaint_id), reason=REASON)


def _request_supervisor(actor: Actor, s: Subject) -> object:
    return complaint_request_supervisor(actor=actor, complaint=load(s.complaint_id), words=WORDS)


def _assign(actor: Actor, s: Subject) -> object:
    member = s.cast.memberships[AGENT]
    return complaint_assign(actor=actor, complaint=load(s.complaint_id), team_id=member.team_id,
                            assignee_id=member.pk)


def _record_demands(actor: Actor, s: Subject) -> object:
    return complaint_demands_record(actor=actor, complaint=load(s.complaint_id), demands=[
        DemandSpec(kind="compensation", amount=Decimal("99.00"), currency="CZK", detail=FREE_TEXT),
    ])


def _log_interaction(actor: Actor, s: Subject) -> object:
    return interaction_log(actor=actor, complaint=load(s.complaint_id), spec=InteractionSpec(
        channel="phone", direction="inbound", started_at=clock.now() - timedelta(hours=1),
        duration_seconds=60, notes=FREE_TEXT, staff_name=FREE_TEXT,
    ))


def _add_message(actor: Actor, s: Subject) -> object:
    return message_add(actor=actor, complaint=load(s.complaint_id), body=FREE_TEXT)


def _add_note(actor: Actor, s: Subject) -> object:
    return message_add(actor=actor, complaint=load(s.complaint_id), body=FREE_TEXT, internal=True)


def _add_evidence(actor: Actor, s: Subject) -> object:
    return evidence_add(actor=actor, complaint=load(s.complaint_id), stream=io.BytesIO(PDF),
                        name=f"{FREE_TEXT}.pdf", description=FREE_TEXT)


def _record_letter(actor: Actor, s: Subject) -> object:
    return letter_record(actor=actor, complaint=load(s.complaint_id), spec=LetterSpec(
        received_at=clock.now() - timedelta(days=1), stream=io.BytesIO(PDF),
        name=f"{FREE_TEXT}.pdf", summary=FREE_TEXT,
    ))


def _attach_transcript(actor: Actor, s: Subject) -> object:
    start = clock.now() - timedelta(hours=1)
    return chat_transcript_attach(actor=actor, complaint=load(s.complaint_id), spec=TranscriptSpec(
        started_at=start, ended_at=start + timedelta(minutes=5), notes=FREE_TEXT,
        participants=[ParticipantSpec(role="customer", name=FREE_TEXT),
                      ParticipantSpec(role="agent", name=FREE_TEXT, position=FREE_TEXT)],
        lines=[LineSpec(at=start + timedelta(minutes=1), participant=1, text=FREE_TEXT)],
    ))


def _move_message(actor: Actor, s: Subject) -> object:
    assert s.other_id is not None
    message = Message.objects.select_related("complaint").get(pk=s.message_id)
    return message_move(actor=actor, message=message, to_complaint=load(s.other_id), reason=REASON)


def _extend_deadline(actor: Actor, s: Subject) -> object:
    # CZ consumer complaints (a retail provider): extendable by agreement with the consumer.
    row = ClockRow.objects.get(complaint_id=s.complaint_id, key="CZ.consumer.handle")
    return clock_extend(actor=actor, complaint=load(s.complaint_id), key=row.key,
                        due=row.due_at + timedelta(days=5), reason=REASON, customer_agreed=True)


def _keep_promise(actor: Actor, s: Subject) -> object:
    assert s.promise_id is not None
    return promise_keep(actor=actor, complaint=load(s.complaint_id), promise_id=s.promise_id)


def _request_history(actor: Actor, s: Subject) -> object:
    return history_request(actor=actor, complaint=load(s.complaint_id))


def _send_history(actor: Actor, s: Subject) -> object:
    return history_send(actor=actor, complaint=load(s.complaint_id))


S = State
Op = Operation
SCENARIOS: dict[Operation, Scenario] = {
    Op.ACKNOWLEDGE: Scenario(S.RECEIVED, _transition(Action.ACKNOWLEDGE), REASON),
    Op.START_INVESTIGATION: Scenario(
        S.ACKNOWLEDGED, _transition(Action.START_INVESTIGATION), REASON
    ),
    Op.REQUEST_INFORMATION: Scenario(
        S.ACKNOWLEDGED, _transition(Action.REQUEST_INFORMATION), REASON
    ),
    Op.RESUME: Scenario(S.AWAITING_CUSTOMER, _transition(Action.RESUME), REASON),
    Op.DECIDE: Scenario(S.INVESTIGATING, _decide),
    Op.ACCEPT_DECISION: Scenario(S.DECIDED, _transition(Action.ACCEPT_DECISION), REASON),
    Op.REJECT_DECISION: Scenario(S.DECIDED, _transition(Action.REJECT_DECISION), REASON),
    Op.ISSUE_FINAL_RESPONSE: Scenario(S.DECIDED, _final_response),
    Op.REFER_EXTERNALLY: Scenario(S.FINAL_RESPONSE_ISSUED, _refer),
    Op.RECORD_EXTERNAL_OUTCOME: Scenario(S.REFERRED_EXTERNALLY, _external_outcome),
    Op.CLOSE: Scenario(S.DECIDED, _transition(Action.CLOSE), REASON),
    Op.REOPEN: Scenario(S.CLOSED, _transition(Action.REOPEN), REASON),
    Op.WITHDRAW: Scenario(S.INVESTIGATING, _transition(Action.WITHDRAW), REASON),
    Op.MERGE: Scenario(S.INVESTIGATING, _merge, REASON, other=True),
    Op.ESCALATE: Scenario(S.INVESTIGATING, _escalate, REASON, levels=(1, 2, 3),
                          refusal="level_maximum"),
    Op.REQUEST_SUPERVISOR: Scenario(S.INVESTIGATING, _request_supervisor, WORDS, levels=(1,),
                                    refusal="supervisor_only_from_frontline"),
    Op.ASSIGN: Scenario(S.INVESTIGATING, _assign),
    Op.RECORD_DEMANDS: Scenario(S.INVESTIGATING, _record_demands),
    Op.ADD_INTERACTION: Scenario(S.INVESTIGATING, _log_interaction),
    Op.ADD_MESSAGE: Scenario(S.INVESTIGATING, _add_message),
    Op.ADD_NOTE: Scenario(S.INVESTIGATING, _add_note),
    Op.ADD_EVIDENCE: Scenario(S.INVESTIGATING, _add_evidence),
    Op.RECORD_LETTER: Scenario(S.INVESTIGATING, _record_letter),
    Op.ATTACH_TRANSCRIPT: Scenario(S.INVESTIGATING, _attach_transcript),
    Op.MOVE_MESSAGE: Scenario(S.INVESTIGATING, _move_message, REASON, other=True, message=True),
    Op.EXTEND_DEADLINE: Scenario(S.INVESTIGATING, _extend_deadline, REASON, sector="retail"),
    Op.KEEP_PROMISE: Scenario(S.INVESTIGATING, _keep_promise, promise=True),
    Op.REQUEST_HISTORY: Scenario(S.INVESTIGATING, _request_history),
    Op.SEND_HISTORY: Scenario(S.INVESTIGATING, _send_history),
}
#: Operations that are reads, not services: tested below through access and selectors.
READS = {Op.VIEW, Op.READ_INTERNAL}


class _Undo(Exception):  # noqa: N818 - not an error: the signal to roll a savepoint back
    pass


def _set_up(cast: Cast, scenario: Scenario, level: int) -> Subject:
    customer = cast.customers[CUSTOMER_A]
    if scenario.sector:
        type(cast.org1).objects.filter(pk=cast.org1.pk).update(sector=scenario.sector)
        customer.organisation.refresh_from_db()
    complaint = builders.reach(builders.complaint(customer), scenario.state, level=level)
    other = None
    if scenario.other:
        other = builders.reach(builders.complaint(customer, subject="The same bill again"),
                               State.INVESTIGATING, level=level)
    message = None
    if scenario.message:
        message = message_add(actor=SYSTEM_ACTOR, complaint=complaint, body="Misfiled letter")
    promise = None
    if scenario.promise:
        interaction = interaction_log(actor=SYSTEM_ACTOR, complaint=complaint, spec=InteractionSpec(
            channel="phone", direction="outbound", started_at=clock.now() - timedelta(minutes=5),
            staff_name="Eva",
            promises=[PromiseSpec(kind="callback", due_at=clock.now() + timedelta(hours=2))],
        ))
        promise = interaction.promises.get()
    return Subject(cast=cast, complaint_id=complaint.pk, other_id=other.pk if other else None,
                   message_id=message.pk if message else None,
                   promise_id=promise.pk if promise else None)


def _attempt(actor: Actor, scenario: Scenario, subject: Subject, before: dict[str, object]) -> str:
    """What happens when ``actor`` performs the scenario: done, denied or refused; the
    database is as ``before`` afterwards (a refusal keeps nothing; success is rolled back)."""
    customer = subject.cast.customers[CUSTOMER_A]
    after = last_event_id()
    try:
        with transaction.atomic():
            scenario.perform(actor, subject)
            event = only_new_event(after)
            assert_recorded_by(event, actor)
            assert event.occurred_at == NOW
            assert (event.reason.text if event.reason else "") == scenario.reason
            assert_no_free_text(event, customer.email, customer.full_name)
            raise _Undo
    except _Undo:
        outcome = "done"
    except PermissionDenied as denied:
        outcome = f"denied: {denied.code}"
    except Conflict as conflict:
        outcome = f"refused: {conflict.code}"
    assert database_snapshot() == before
    return outcome


def _expected(operation: Operation, who: Who | None, level: int, scenario: Scenario) -> str:
    if who is None or not may(who, operation, level):
        return "denied: not_permitted"
    if level not in scenario.levels:
        return f"refused: {scenario.refusal}"
    return "done"


def test_every_operation_of_the_policy_has_a_scenario():
    assert set(SCENARIOS) | READS == set(Operation) == set(POLICY)
    assert not set(SCENARIOS) & READS


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("operation", list(SCENARIOS))
def test_a_service_succeeds_exactly_when_the_policy_allows_the_role_at_the_level(
    cast, operation, level
):
    scenario = SCENARIOS[operation]
    with clock.frozen_at(NOW):
        # given a complaint where the lifecycle allows the operation, at the level
        subject = _set_up(cast, scenario, level)
        before = database_snapshot()
        # when every actor tries it
        outcomes = {
            name: _attempt(actor_of(cast, name), scenario, subject, before) for name in COLUMNS
        }
    # then those the policy allows succeed, with one event, and the rest change nothing
    assert outcomes == {
        name: _expected(operation, who, level, scenario) for name, who in COLUMNS.items()
    }


@pytest.mark.parametrize("level", LEVELS)
def test_viewing_a_complaint_is_allowed_exactly_as_the_policy_says(cast, level):
    # given a complaint of customer A at the level
    complaint = builders.escalate_to(builders.complaint(cast.customers[CUSTOMER_A]), level)
    token = ApiToken.objects.get(organisation=cast.org1)
    principals = {name: Principal(user=cast.users[name]) for name in COLUMNS if name != TOKEN}
    principals[TOKEN] = Principal(token=token)
    outcomes = {}
    for name, principal in principals.items():
        # when each actor asks for it by reference
        try:
            _, actor = access_complaint_by_reference(principal=principal,
                                                     reference=complaint.reference)
        except NotFound:
            outcomes[name] = False
        else:
            outcomes[name] = actor.who is COLUMNS[name]
    # then exactly those the policy lets view it get it, as the role it knows them by
    assert outcomes == {
        name: who is not None and may(who, Op.VIEW, level) for name, who in COLUMNS.items()
    }


@pytest.mark.parametrize("level", LEVELS)
def test_internal_records_are_read_exactly_by_the_roles_the_policy_allows(cast, level):
    # given a complaint at the level with an internal note, interaction and evidence
    complaint = builders.escalate_to(cast.complaint_a, level)
    # when each actor of the organisation reads its detail
    seen = {}
    for name, who in COLUMNS.items():
        if who is None:
            continue
        detail = selectors.complaint_detail(complaint=complaint, actor=actor_of(cast, name))
        texts = [m.body for m in detail.messages.all()]
        texts += [i.notes for i in detail.interactions.all()]
        texts += [e.original_name for e in detail.evidence.all()]
        seen[who, name] = any(INTERNAL_MARK in text for text in texts)
    # then exactly those the policy lets read internal records see them
    assert seen == {key: may(key[0], Op.READ_INTERNAL, level) for key in seen}
