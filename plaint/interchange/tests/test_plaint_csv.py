import json

import pytest

from plaint.interchange import plaint_csv

CELLS = {
    "reference": "7K3MQ9XD6", "organisation": "acme", "customer_name": "Ana", "customer_email": "",
    "customer_phone": "", "account_number": "", "channel": "web", "language": "en",
    "category": "", "subcategory": "", "product": "", "subject": "Charged twice",
    "description": "Twice in October.", "demands_recorded": "true", "amount_in_dispute": "12.50",
    "currency": "EUR", "priority": "normal", "state": "closed", "level": "3",
    "final_response_due": "false", "received_at": "2026-01-02T08:00:00+00:00",
    "created_at": "2026-01-02T08:00:00+00:00", "updated_at": "2026-01-09T10:00:00+00:00",
    "state_changed_at": "2026-01-09T10:00:00+00:00", "closed_at": "2026-01-09T10:00:00+00:00",
    "demands": json.dumps([{"kind": "refund", "amount": "12.50", "currency": "EUR", "detail": ""}]),
    "interactions": "[]",
    "decisions": json.dumps([{
        "outcome": "upheld", "remedy_kind": "refund", "remedy_amount": "12.50",
        "remedy_currency": "EUR", "remedy_detail": "", "reasoning": "Our error.",
        "decided_by_kind": "staff", "decided_at": "2026-01-08T10:00:00+00:00",
        "customer_response": "accepted", "deemed_by_rule": ""}]),
    "origin_source": "", "origin_id": "", "origin_columns": "{}",
}


def test_a_row_parses_and_renders_back_to_the_same_cells():
    # given a valid row / when parsed and rendered / then the cells are the same
    parsed = plaint_csv.row_parse(CELLS)
    assert isinstance(parsed, plaint_csv.Parsed)
    rendered = plaint_csv.row_render(parsed.values)
    assert dict(zip(plaint_csv.HEADER, rendered, strict=True)) == {
        **CELLS, "demands": json.dumps(json.loads(CELLS["demands"]), separators=(",", ":")),
        "decisions": json.dumps(json.loads(CELLS["decisions"]), separators=(",", ":"))}


def test_times_are_given_in_utc_whatever_offset_they_came_with():
    parsed = plaint_csv.row_parse(CELLS | {"received_at": "2026-01-02T09:00:00+01:00"})
    assert plaint_csv.row_render(parsed.values)[plaint_csv.HEADER.index("received_at")] == (
        "2026-01-02T08:00:00+00:00")


@pytest.mark.parametrize(("column", "value", "at_fault"), [
    ("reference", "7K3MQ9XD5", "reference"),  # wrong check character
    ("channel", "pigeon", "channel"),
    ("level", "5", "level"),
    ("received_at", "2026-01-02T08:00:00", "received_at"),  # no offset
    ("amount_in_dispute", "12.345", "amount_in_dispute"),
    ("demands_recorded", "yes", "demands_recorded"),
    ("subject", "x" * 201, "subject"),
    ("demands", '[{"kind": "refund"}]', "demands"),
    ("decisions", "{}", "decisions"),
    ("closed_at", "", "closed_at"),  # a closed complaint needs it
    ("currency", "", "amount_in_dispute"),  # an amount needs a currency
    ("origin_source", "elsewhere", "origin_source"),
])
def test_a_bad_cell_refuses_the_row_naming_its_column(column, value, at_fault):
    # given a row with one bad cell / when parsed / then refused, naming the column at fault
    problems = plaint_csv.row_parse(CELLS | {column: value})
    assert isinstance(problems, list)
    assert [p.field for p in problems] == [at_fault]


def test_a_money_demand_needs_an_amount():
    demands = json.dumps([{"kind": "refund", "amount": None, "currency": "", "detail": ""}])
    problems = plaint_csv.row_parse(CELLS | {"demands": demands})
    assert [p.field for p in problems] == ["demands"]
