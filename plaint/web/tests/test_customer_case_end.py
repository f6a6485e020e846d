"""How a customer ends or carries on their complaint from its page: withdraw it, reopen it after
it was closed, record that they took it to an external body and what that body decided. Each
goes through the lifecycle's service (one event), and is offered only in the states that allow
it; a refusal writes nothing."""

from __future__ import annotations

import pytest

from plaint.complaints.choices import EventKind
from plaint.complaints.lifecycle import State
from plaint.complaints.models import Complaint, Event, ExternalReferral
from plaint.testing import builders
from plaint.testing.actors import CUSTOMER_A

pytestmark = pytest.mark.django_db


def _url(cast, suffix: str = "") -> str:
    return f"/my/complaints/{cast.complaint_a.reference}/{suffix}"


def _state(cast) -> str:
    return Complaint.objects.get(pk=cast.complaint_a.pk).state


def _events(cast) -> int:
    return Event.objects.filter(complaint=cast.complaint_a).count()


def test_a_customer_withdraws_an_open_complaint_only_when_they_tick_the_box(cast):
    # given customer A's new complaint, whose page offers to withdraw it
    client = cast.client(CUSTOMER_A)
    assert 'id="withdraw-heading"' in client.get(_url(cast)).content.decode()
    events = _events(cast)
    # when they send the form without ticking the box, then nothing changes and the page says why
    refused = client.post(_url(cast, "withdrawal/"), {"withdraw-reason": "Solved."})
    assert refused.status_code == 200
    assert "<title>Error:" in refused.content.decode()
    assert (_state(cast), _events(cast)) == (State.RECEIVED, events)
    # when they tick it
    done = client.post(_url(cast, "withdrawal/"), {"withdraw-confirm": "on", "withdraw-reason": "Solved."})
    # then the complaint is withdrawn by one event carrying their reason, and the page says so
    assert done.status_code == 302
    assert _state(cast) == State.WITHDRAWN
    event = Event.objects.filter(complaint=cast.complaint_a).latest("position")
    assert (event.kind, event.actor_kind) == (EventKind.TRANSITIONED, "customer")
    assert event.data["action"] == "withdraw"
    assert event.reason.text == "Solved."
    html = client.get(_url(cast)).content.decode()
    assert "You withdrew the complaint." in html
    # and withdrawing is no longer offered
    assert 'id="withdraw-heading"' not in html


def test_a_customer_reopens_a_closed_complaint_with_a_reason(cast):
    # given customer A's complaint, decided and closed
    builders.reach(cast.complaint_a, State.CLOSED)
    client = cast.client(CUSTOMER_A)
    assert 'id="reopen-heading"' in client.get(_url(cast)).content.decode()
    # when they ask without a reason, then it is refused; with one, the complaint is reopened
    assert client.post(_url(cast, "reopening/"), {"reopen-reason": "  "}).status_code == 200
    assert _state(cast) == State.CLOSED
    response = client.post(_url(cast, "reopening/"), {"reopen-reason": "The refund never arrived."})
    assert response.status_code == 302
    assert _state(cast) == State.REOPENED
    assert "The complaint is open again" in client.get(_url(cast)).content.decode()


def test_after_the_final_response_a_customer_records_the_referral_and_its_outcome(cast):
    # given customer A's complaint with a final response that names the ombudsman
    builders.reach(cast.complaint_a, State.FINAL_RESPONSE_ISSUED)
    client = cast.client(CUSTOMER_A)
    page = client.get(_url(cast)).content.decode()
    # then the referral form is offered, filled with the body the final response named
    assert 'id="referral-heading"' in page
    assert 'value="The ombudsman"' in page
    # when they record that they went to it, with its case number
    response = client.post(_url(cast, "referral/"), {"referral-body": "Telecoms Ombudsman",
                                                     "referral-body_reference": "TO-2026-0042"})
    # then the referral is on the complaint and the complaint is with the external body
    assert response.status_code == 302
    assert _state(cast) == State.REFERRED_EXTERNALLY
    referral = ExternalReferral.objects.get(complaint=cast.complaint_a)
    assert (referral.body, referral.body_reference) == ("Telecoms Ombudsman", "TO-2026-0042")
    # when they record the body's decision
    response = client.post(_url(cast, "referral/outcome/"), {"outcome-outcome": "Upheld; refund of 40 EUR."})
    # then it is kept and the complaint is externally resolved
    assert response.status_code == 302
    assert _state(cast) == State.EXTERNALLY_RESOLVED
    referral.refresh_from_db()
    assert referral.outcome == "Upheld; refund of 40 EUR."


def test_actions_the_state_does_not_allow_are_refused_and_write_nothing(cast):
    # given customer A's new complaint (nothing to reopen, no final response to refer)
    client = cast.client(CUSTOMER_A)
    events = _events(cast)
    page = client.get(_url(cast)).content.decode()
    assert 'id="reopen-heading"' not in page
    assert 'id="referral-heading"' not in page
    # when they post the forms anyway
    reopen = client.post(_url(cast, "reopening/"), {"reopen-reason": "Again."})
    refer = client.post(_url(cast, "referral/"), {"referral-body": "Telecoms Ombudsman"})
    # then each is refused on the page with the service's reason, and nothing is written
    for response in (reopen, refer):
        assert response.status_code == 200
        assert "<title>Error:" in response.content.decode()
    assert (_state(cast), _events(cast)) == (State.RECEIVED, events)
    assert not ExternalReferral.objects.filter(complaint=cast.complaint_a).exists()
