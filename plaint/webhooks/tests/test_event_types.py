"""The public event types: a fixed table from Plaint's event kinds, and the documentation's list."""

from plaint.complaints.choices import EventKind
from plaint.complaints.lifecycle import Action
from plaint.webhooks.event_types import EVENT_TYPES, PUBLIC_TYPES, public_type, unknown_types
from plaint.webhooks.tests.documented import DOC


def test_every_public_type_comes_from_an_existing_event_kind_and_action():
    for name, (kind, action) in EVENT_TYPES.items():
        assert kind in EventKind.values, name
        assert action is None or action in {a.value for a in Action}, name


def test_the_requested_types_exist():
    for name in ("complaint.received", "complaint.acknowledged", "complaint.escalated",
                 "complaint.decided", "complaint.final_response_issued", "complaint.referred",
                 "complaint.closed", "cancellation.requested", "cancellation.executed",
                 "clock.warned", "clock.breached", "promise.missed"):
        assert name in PUBLIC_TYPES


def test_a_state_change_is_named_after_its_action():
    assert public_type("transitioned", {"action": "close", "from": "decided", "to": "closed"}) == (
        "complaint.closed")
    assert public_type("transitioned", {"action": "acknowledge"}) == "complaint.acknowledged"
    assert public_type("transitioned", {"action": "merge"}) is None
    assert public_type("transitioned", {}) is None


def test_internal_work_is_never_sent():
    for kind in ("note_added", "evidence_added", "interaction_logged", "message_moved",
                 "promise_kept", "history_requested", "history_sent", "policy_rule_set"):
        assert public_type(kind, {}) is None, kind


def test_a_deadline_that_passed_is_a_breach():
    assert public_type("clock_expired", {"clock": "CZ.telecom.handle"}) == "clock.breached"


def test_unknown_names_are_reported_in_order():
    assert unknown_types(["complaint.received", "complaint.eaten", "x"]) == ["complaint.eaten", "x"]


def test_the_documentation_lists_every_type():
    text = DOC.read_text(encoding="utf-8")
    missing = [name for name in PUBLIC_TYPES if f"| `{name}` |" not in text]
    assert missing == []
