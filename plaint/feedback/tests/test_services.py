"""The feedback services: who may rate a complaint's handling and when, and feedback cards."""

from __future__ import annotations

import pytest
from django.db import transaction

from plaint.complaints.choices import EventKind
from plaint.complaints.lifecycle import Action
from plaint.complaints.models import Event
from plaint.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from plaint.feedback.models import FeedbackCard, HandlingRating
from plaint.feedback.selectors import feedback_card_counts
from plaint.feedback.services import feedback_card_add, handling_rate, rating_open
from plaint.testing import builders
from plaint.testing.actors import AGENT, CUSTOMER_A

pytestmark = pytest.mark.django_db


def _closed(cast):
    builders.move(cast.complaint_a, Action.ACKNOWLEDGE)
    builders.decide(cast.complaint_a)
    builders.move(cast.complaint_a, Action.ACCEPT_DECISION, actor=cast.actor(CUSTOMER_A))
    return cast.complaint_a


def test_the_customer_rates_a_closed_complaint_once_with_one_event(cast):
    complaint = _closed(cast)
    assert rating_open(complaint)
    rating = handling_rate(actor=cast.actor(CUSTOMER_A), complaint=complaint, resolved=False,
                           satisfaction=2, effort=5, comment="  Took too long.  ")
    assert (rating.resolved, rating.satisfaction, rating.effort, rating.comment) == (
        False, 2, 5, "Took too long.")
    event = Event.objects.get(complaint=complaint, kind=EventKind.HANDLING_RATED)
    assert "Took too long." not in str(event.data)
    assert event.reason is None
    with pytest.raises(Conflict) as refused, transaction.atomic():  # a savepoint: the test goes on
        handling_rate(actor=cast.actor(CUSTOMER_A), complaint=complaint, resolved=True,
                      satisfaction=5, effort=1)
    assert refused.value.code == "already_rated"
    assert HandlingRating.objects.count() == 1


def test_an_open_complaint_cannot_be_rated(cast):
    assert not rating_open(cast.complaint_a)
    with pytest.raises(Conflict) as refused, transaction.atomic():  # a savepoint: the test goes on
        handling_rate(actor=cast.actor(CUSTOMER_A), complaint=cast.complaint_a, resolved=True,
                      satisfaction=5, effort=1)
    assert refused.value.code == "rating_not_open"


def test_staff_cannot_rate_their_own_handling(cast):
    complaint = _closed(cast)
    with pytest.raises(PermissionDenied), transaction.atomic():
        handling_rate(actor=cast.actor(AGENT), complaint=complaint, resolved=True,
                      satisfaction=5, effort=1)


@pytest.mark.parametrize(("satisfaction", "effort", "field"), [(0, 3, "satisfaction"), (3, 6, "effort")])
def test_ratings_are_on_a_scale_of_1_to_5(cast, satisfaction, effort, field):
    complaint = _closed(cast)
    with pytest.raises(ValidationFailed) as refused, transaction.atomic():  # a savepoint: the test goes on
        handling_rate(actor=cast.actor(CUSTOMER_A), complaint=complaint, resolved=True,
                      satisfaction=satisfaction, effort=effort)
    assert list(refused.value.fields) == [field]
    assert HandlingRating.objects.count() == 0


def test_feedback_cards_are_counted_per_organisation_and_kind_in_one_query(
    cast, django_assert_num_queries
):
    for kind in ("compliment", "compliment", "suggestion"):
        feedback_card_add(organisation=cast.org1, kind=kind, text="Nice.", language="cs")
    feedback_card_add(organisation=cast.org2, kind="suggestion", text="Open on Sundays.", language="pl")
    with django_assert_num_queries(1):
        counts = feedback_card_counts(cast.org1)
    assert counts == {"compliment": 2, "suggestion": 1}
    assert feedback_card_counts(cast.org2) == {"compliment": 0, "suggestion": 1}


def test_a_feedback_card_needs_a_kind_and_a_text(cast):
    with pytest.raises(ValidationFailed) as refused, transaction.atomic():  # a savepoint: the test goes on
        feedback_card_add(organisation=cast.org1, kind="complaint", text=" ", language="en")
    assert set(refused.value.fields) == {"kind", "text"}
    assert FeedbackCard.objects.count() == 0
