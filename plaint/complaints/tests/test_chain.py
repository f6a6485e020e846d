"""The hash of an event: canonical, covering what the docs say, independent of key order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from plaint.complaints.chain import HASHED_FIELDS, event_hash, first_link

FIELDS = {
    "organisation_id": 1, "complaint_id": 7, "related_complaint_id": None, "cancellation_id": None,
    "kind": "transitioned", "occurred_at": datetime(2026, 11, 23, 9, 30, 0, 123456, tzinfo=UTC),
    "actor_kind": "staff", "actor_user_id": 3, "actor_token_id": None, "actor_role": "agent",
    "visibility": "customer", "data": {"from": "received", "to": "acknowledged"}, "reason_id": None,
}


def test_the_hash_is_hex_sha256_and_the_same_for_the_same_content():
    # when
    first = event_hash(FIELDS, position=1, previous_hash="")
    # then
    assert len(first) == 64
    assert int(first, 16) >= 0
    assert event_hash(dict(FIELDS), position=1, previous_hash="") == first


def test_every_hashed_field_the_position_and_the_previous_hash_change_the_hash():
    # given
    base = event_hash(FIELDS, position=2, previous_hash="a" * 64)
    changed = {"organisation_id": 2, "complaint_id": 8, "related_complaint_id": 9,
               "cancellation_id": 4, "kind": "decided",
               "occurred_at": FIELDS["occurred_at"] + timedelta(microseconds=1),
               "actor_kind": "system", "actor_user_id": 4, "actor_token_id": 1,
               "actor_role": "manager", "visibility": "internal", "data": {"from": "x"},
               "reason_id": 5}
    assert set(changed) == set(HASHED_FIELDS)
    # then each change gives another hash
    for name, value in changed.items():
        assert event_hash({**FIELDS, name: value}, position=2, previous_hash="a" * 64) != base, name
    assert event_hash(FIELDS, position=3, previous_hash="a" * 64) != base
    assert event_hash(FIELDS, position=2, previous_hash="b" * 64) != base


def test_key_order_of_data_and_the_time_zone_of_the_moment_do_not_matter():
    # given the same content with keys in another order and the time in another zone
    reordered = {**FIELDS, "data": {"to": "acknowledged", "from": "received"},
                 "occurred_at": FIELDS["occurred_at"].astimezone(timezone(timedelta(hours=2)))}
    # then
    assert event_hash(reordered, position=1, previous_hash="") == event_hash(
        FIELDS, position=1, previous_hash="")


def test_a_bulk_inserted_first_event_gets_position_1_and_the_hash_of_its_defaults():
    # given an importer's row without the fields it leaves to their defaults
    row = {k: FIELDS[k] for k in ("organisation_id", "complaint_id", "kind", "occurred_at",
                                  "actor_kind", "visibility", "data")}
    # when
    linked = first_link(row)
    # then
    expected = {**FIELDS, "actor_user_id": None, "actor_role": ""}
    assert linked["position"] == 1
    assert linked["previous_hash"] == ""
    assert linked["hash"] == event_hash(expected, position=1, previous_hash="")
