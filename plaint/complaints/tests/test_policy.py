"""The role-and-level policy table, without a database."""

import pytest

from plaint.complaints.lifecycle import Action
from plaint.complaints.policy import ALL, POLICY, Operation, Who, markdown_table, may, operation_for

HANDLED = [
    Operation.ACKNOWLEDGE, Operation.START_INVESTIGATION, Operation.REQUEST_INFORMATION,
    Operation.RESUME, Operation.DECIDE, Operation.ACCEPT_DECISION, Operation.REJECT_DECISION,
    Operation.CLOSE, Operation.REOPEN, Operation.WITHDRAW, Operation.MERGE,
    Operation.MOVE_MESSAGE,
]
LADDER = {Who.AGENT: 1, Who.TEAM_LEADER: 2, Who.COMPLAINTS_OFFICER: 3, Who.MANAGER: 4}
RECORDS = [
    Operation.RECORD_DEMANDS, Operation.ADD_INTERACTION, Operation.ADD_MESSAGE,
    Operation.ADD_NOTE, Operation.ADD_EVIDENCE,
]


def test_the_table_names_every_operation_and_only_levels_one_to_four():
    assert set(POLICY) == set(Operation)
    for rules in POLICY.values():
        assert set(rules) <= set(Who)
        assert all(1 <= highest <= ALL for highest in rules.values())


def test_every_lifecycle_action_is_an_operation_of_the_same_name():
    for action in Action:
        assert operation_for(action).value == action.value


def test_a_role_may_act_up_to_its_highest_level_and_not_above_and_an_absent_role_never():
    for operation in Operation:
        for who in Who:
            highest = POLICY[operation].get(who, 0)
            assert [may(who, operation, level) for level in (1, 2, 3, 4)] == [
                level <= highest for level in (1, 2, 3, 4)
            ], (operation, who)


@pytest.mark.parametrize("operation", HANDLED)
def test_handling_follows_the_ladder_from_agent_to_manager(operation):
    for who, highest in LADDER.items():
        assert may(who, operation, highest)
        assert highest == ALL or not may(who, operation, highest + 1)


def test_only_a_complaints_officer_or_a_manager_issues_a_final_response_each_up_to_their_level():
    assert POLICY[Operation.ISSUE_FINAL_RESPONSE] == {Who.COMPLAINTS_OFFICER: 3, Who.MANAGER: 4}


def test_nobody_escalates_beyond_senior_management():
    assert not any(may(who, Operation.ESCALATE, 4) for who in Who)
    assert may(Who.MANAGER, Operation.ESCALATE, 3)
    assert not may(Who.AGENT, Operation.ESCALATE, 2)


def test_an_organisation_admin_administers_and_reads_but_handles_no_complaint():
    allowed = {op for op in Operation if any(may(Who.ORG_ADMIN, op, lv) for lv in (1, 2, 3, 4))}
    assert allowed == {Operation.VIEW, Operation.READ_INTERNAL}


def test_the_customer_acts_on_their_complaint_but_never_reads_internal_records_or_handles_it():
    customer_may = {op for op in Operation if may(Who.CUSTOMER, op, 1)}
    assert customer_may == {
        Operation.VIEW, Operation.RESUME, Operation.ACCEPT_DECISION, Operation.REJECT_DECISION,
        Operation.REFER_EXTERNALLY, Operation.RECORD_EXTERNAL_OUTCOME, Operation.REOPEN,
        Operation.WITHDRAW, Operation.REQUEST_SUPERVISOR, Operation.RECORD_DEMANDS,
        Operation.ADD_INTERACTION, Operation.ADD_MESSAGE, Operation.ADD_EVIDENCE,
        Operation.REQUEST_HISTORY,
    }
    # the customer's rights do not depend on the level
    assert customer_may == {op for op in Operation if may(Who.CUSTOMER, op, 4)}


def test_only_the_customer_requests_a_supervisor():
    assert {who for who in Who if may(who, Operation.REQUEST_SUPERVISOR, 1)} == {Who.CUSTOMER}


@pytest.mark.parametrize("operation", RECORDS)
def test_every_handling_role_records_at_every_level(operation):
    for who in LADDER:
        assert may(who, operation, 4)


def test_the_markdown_table_has_a_row_per_operation_and_a_column_per_role():
    # given / when
    lines = markdown_table().splitlines()
    # then
    assert lines[0] == "| operation | " + " | ".join(w.value for w in Who) + " |"
    assert len(lines) == 2 + len(Operation)
    rows = {line.split(" | ")[0].removeprefix("| "): line for line in lines[2:]}
    assert set(rows) == {op.value for op in Operation}
    columns = [w.value for w in Who]
    cells = dict(zip(columns, rows["escalate"].strip("| ").split(" | ")[1:], strict=True))
    assert cells == {"customer": "–", "agent": "≤ 1", "team_leader": "≤ 2",
                     "complaints_officer": "≤ 3", "manager": "≤ 3", "org_admin": "–"}
    assert rows["view"].count("all") == len(Who)
