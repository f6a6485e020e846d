"""The database refuses what the services never write: every check and unique constraint."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction

from plaint.complaints.models import (
    CancellationRequest,
    ChatParticipant,
    ChatTranscript,
    Complaint,
    Decision,
    Demand,
    ErasureRequest,
    Event,
    Evidence,
    IdempotencyRecord,
    Interaction,
    Letter,
    Message,
)
from plaint.complaints.tests.helpers import NOW
from plaint.core import references
from plaint.testing import builders


@pytest.fixture
def rows(db):
    """A complaint and a cancellation to hang rows on, and the valid fields of each model."""
    customer = builders.customer(builders.organisation())
    complaint = builders.complaint(customer)
    cancellation = CancellationRequest.objects.create(
        protocol_number=references.generate(), organisation=customer.organisation,
        customer=customer, service="Internet", channel="web", requested_at=NOW, effective_at=NOW,
    )
    return {
        Complaint: {
            "reference": references.generate(), "organisation": customer.organisation,
            "customer": customer, "channel": "web", "language": "en", "subject": "S",
            "description": "D", "state": "received", "level": 1, "received_at": NOW,
            "created_at": NOW, "updated_at": NOW, "state_changed_at": NOW,
        },
        Demand: {"complaint": complaint, "kind": "refund", "amount": Decimal("5.00"),
                 "currency": "CZK"},
        Decision: {"complaint": complaint, "outcome": "upheld", "reasoning": "R",
                   "decided_by_kind": "staff", "decided_at": NOW},
        Event: {"organisation": customer.organisation, "complaint": complaint,
                "kind": "received", "occurred_at": NOW, "actor_kind": "system",
                "visibility": "customer"},
        Interaction: {"complaint": complaint, "channel": "phone", "direction": "inbound",
                      "started_at": NOW, "visibility": "customer",
                      "recorded_by_kind": "staff", "created_at": NOW},
        Message: {"complaint": complaint, "kind": "message", "channel": "web",
                  "author_kind": "customer", "body": "B", "visibility": "customer",
                  "created_at": NOW},
        Evidence: {"complaint": complaint, "file": "evidence/x.pdf", "original_name": "x.pdf",
                   "content_type": "application/pdf", "size": 1, "sha256": "0" * 64,
                   "visibility": "customer", "added_by_kind": "customer", "created_at": NOW},
        IdempotencyRecord: {"scope": "user:1", "key": "k", "request_sha256": "0" * 64,
                            "complaint": complaint, "created_at": NOW},
        ErasureRequest: {"user": customer.user, "customer_ids": [customer.pk], "channel": "web",
                         "requested_at": NOW, "outcome": "erased", "completed_at": NOW},
        "cancellation": cancellation,
    }


@pytest.fixture
def correspondence(rows):
    """Valid fields of a letter, a chat transcript and a chat participant."""
    def interaction(channel):
        return Interaction.objects.create(**{**rows[Interaction], "channel": channel})

    scan = Evidence.objects.create(**rows[Evidence])
    transcript = ChatTranscript.objects.create(interaction=interaction("chat"), started_at=NOW,
                                               ended_at=NOW, created_at=NOW)
    return {
        **rows,
        Letter: {"complaint": rows[Interaction]["complaint"], "interaction": interaction("letter"),
                 "scan": scan, "received_at": NOW, "recorded_by_kind": "staff", "created_at": NOW},
        ChatTranscript: {"interaction": interaction("chat"), "started_at": NOW, "ended_at": NOW,
                         "created_at": NOW},
        ChatParticipant: {"transcript": transcript, "position_in_chat": 0, "role": "agent"},
    }


CHECKS = [
    (Complaint, {"state": "lost"}, "complaints_complaint_state_valid"),
    (Complaint, {"level": 0}, "complaints_complaint_level_valid"),
    (Complaint, {"level": 5}, "complaints_complaint_level_valid"),
    (Complaint, {"channel": "fax"}, "complaints_complaint_channel_valid"),
    (Complaint, {"amount_in_dispute": Decimal(10)}, "complaints_complaint_amount_has_currency"),
    (Complaint, {"currency": "CZK"}, "complaints_complaint_amount_has_currency"),
    (Complaint, {"amount_in_dispute": Decimal(-1), "currency": "CZK"},
     "complaints_complaint_amount_has_currency"),
    (Complaint, {"amount_in_dispute": Decimal(10), "currency": "czk"},
     "complaints_complaint_amount_has_currency"),
    (Complaint, {"state": "closed"}, "complaints_complaint_closed_has_closed_at"),
    (Demand, {"kind": "wish"}, "complaints_demand_kind_valid"),
    (Demand, {"currency": ""}, "complaints_demand_amount_has_currency"),
    (Demand, {"amount": Decimal(0)}, "complaints_demand_amount_has_currency"),
    (Demand, {"currency": "czk"}, "complaints_demand_amount_has_currency"),
    (Demand, {"kind": "apology", "amount": None},
                 "complaints_demand_amount_has_currency"),
    (Demand, {"amount": None, "currency": ""}, "complaints_demand_money_demand_has_amount"),
    (Decision, {"outcome": "maybe"}, "complaints_decision_outcome_valid"),
    (Decision, {"remedy_amount": Decimal(3)}, "complaints_decision_amount_has_currency"),
    (Decision, {"remedy_currency": "CZK"}, "complaints_decision_amount_has_currency"),
    (Decision, {"remedy_amount": Decimal(-3), "remedy_currency": "CZK"},
     "complaints_decision_amount_has_currency"),
    (Event, {"complaint": None}, "complaints_event_has_subject"),
    (Event, {"kind": "happened"}, "complaints_event_kind_valid"),
    (Interaction, {"visibility": "public"}, "complaints_interaction_visibility_valid"),
    (Message, {"visibility": "public"}, "complaints_message_visibility_valid"),
    (Message, {"kind": "note"}, "complaints_message_note_is_internal"),
    (Evidence, {"visibility": ""}, "complaints_evidence_visibility_valid"),
    (ErasureRequest, {"outcome": "forgotten"}, "complaints_erasurerequest_outcome_valid"),
]
CORRESPONDENCE_CHECKS = [
    (Letter, {"received_at": NOW + timedelta(seconds=1)},
     "complaints_letter_received_before_recorded"),
    (ChatTranscript, {"ended_at": NOW - timedelta(seconds=1)},
     "complaints_chattranscript_ends_after_start"),
    (ChatParticipant, {"role": "lawyer"}, "complaints_chatparticipant_role_valid"),
]


def _case_id(value):
    if isinstance(value, type):
        return value.__name__
    if isinstance(value, dict):
        return ",".join(f"{k}={v}" for k, v in value.items())
    return None


def _create(model, fields):
    return model.objects.create(**fields)


@pytest.mark.parametrize("model", [Complaint, Demand, Decision, Event, Interaction, Message,
                                   Evidence, IdempotencyRecord, ErasureRequest])
def test_a_valid_row_is_accepted(rows, model):
    # the rows the refusals below start from are valid: each refusal is its one change
    assert _create(model, rows[model]).pk is not None


@pytest.mark.parametrize(("model", "change", "constraint"), CHECKS, ids=_case_id)
def test_a_row_breaking_a_check_constraint_is_refused(rows, model, change, constraint):
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        _create(model, {**rows[model], **change})
    assert constraint in str(refused.value)


@pytest.mark.parametrize("model", [Letter, ChatTranscript, ChatParticipant])
def test_a_valid_letter_transcript_and_participant_are_accepted(correspondence, model):
    assert _create(model, correspondence[model]).pk is not None


@pytest.mark.parametrize(("model", "change", "constraint"), CORRESPONDENCE_CHECKS, ids=_case_id)
def test_a_letter_or_chat_breaking_a_check_constraint_is_refused(correspondence, model, change,
                                                                 constraint):
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        _create(model, {**correspondence[model], **change})
    assert constraint in str(refused.value)


def test_a_chat_has_one_participant_per_position(correspondence):
    _create(ChatParticipant, correspondence[ChatParticipant])
    with pytest.raises(IntegrityError), transaction.atomic():
        _create(ChatParticipant, {**correspondence[ChatParticipant], "role": "customer"})


def test_an_event_about_a_cancellation_alone_is_accepted(rows):
    fields = {**rows[Event], "complaint": None, "cancellation": rows["cancellation"]}
    assert _create(Event, fields).pk is not None


def test_a_closed_complaint_with_its_closing_time_and_a_note_that_is_internal_are_accepted(rows):
    assert _create(Complaint, {**rows[Complaint], "state": "closed", "closed_at": NOW}).pk
    assert _create(Message, {**rows[Message], "kind": "note", "visibility": "internal"}).pk


def test_two_complaints_cannot_share_a_reference(rows):
    first = _create(Complaint, rows[Complaint])
    with pytest.raises(IntegrityError), transaction.atomic():
        _create(Complaint, {**rows[Complaint], "reference": first.reference})


def test_an_idempotency_key_is_unique_within_its_scope_only(rows):
    _create(IdempotencyRecord, rows[IdempotencyRecord])
    _create(IdempotencyRecord, {**rows[IdempotencyRecord], "scope": "token:1"})
    with pytest.raises(IntegrityError), transaction.atomic():
        _create(IdempotencyRecord, rows[IdempotencyRecord])


def test_two_cancellations_cannot_share_a_protocol_number(rows):
    existing = rows["cancellation"]
    with pytest.raises(IntegrityError), transaction.atomic():
        CancellationRequest.objects.create(
            protocol_number=existing.protocol_number, organisation=existing.organisation,
            customer=existing.customer, service="TV", channel="web", requested_at=NOW,
            effective_at=NOW,
        )


def test_every_check_constraint_of_the_complaints_app_is_tested():
    declared = {
        constraint.name % {"app_label": "complaints", "class": model.__name__.lower()}
        for model in apps.get_app_config("complaints").get_models()
        for constraint in model._meta.constraints
        if isinstance(constraint, models.CheckConstraint)
    }
    tested = {case.values[2] if hasattr(case, "values") else case[2]
              for case in CHECKS + CORRESPONDENCE_CHECKS}
    assert declared == tested
