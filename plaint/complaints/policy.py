"""Who may do what at which escalation level.

Pure data and one function. ``POLICY[operation][role]`` is the highest
escalation level at which the role may perform the operation; a role that is
absent may not perform it at all. ``docs/lifecycle.md`` shows this table; a test
(``plaint/complaints/tests/test_docs_tables.py``) fails when the two differ.

The customer is a role here too: the customer of the complaint, for their own
complaint only (the access functions make sure of that).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from plaint.complaints.lifecycle import Action


class Who(StrEnum):
    CUSTOMER = "customer"
    AGENT = "agent"
    TEAM_LEADER = "team_leader"
    COMPLAINTS_OFFICER = "complaints_officer"
    MANAGER = "manager"
    ORG_ADMIN = "org_admin"


class Operation(StrEnum):
    """Every operation on a complaint that a role may or may not perform."""

    VIEW = "view"
    ACKNOWLEDGE = Action.ACKNOWLEDGE.value
    START_INVESTIGATION = Action.START_INVESTIGATION.value
    REQUEST_INFORMATION = Action.REQUEST_INFORMATION.value
    RESUME = Action.RESUME.value
    DECIDE = Action.DECIDE.value
    ACCEPT_DECISION = Action.ACCEPT_DECISION.value
    REJECT_DECISION = Action.REJECT_DECISION.value
    ISSUE_FINAL_RESPONSE = Action.ISSUE_FINAL_RESPONSE.value
    REFER_EXTERNALLY = Action.REFER_EXTERNALLY.value
    RECORD_EXTERNAL_OUTCOME = Action.RECORD_EXTERNAL_OUTCOME.value
    CLOSE = Action.CLOSE.value
    REOPEN = Action.REOPEN.value
    WITHDRAW = Action.WITHDRAW.value
    MERGE = Action.MERGE.value
    ESCALATE = "escalate"
    REQUEST_SUPERVISOR = "request_supervisor"
    ASSIGN = "assign"
    RECORD_DEMANDS = "record_demands"
    ADD_INTERACTION = "add_interaction"
    ADD_MESSAGE = "add_message"
    ADD_NOTE = "add_note"
    ADD_EVIDENCE = "add_evidence"
    RECORD_LETTER = "record_letter"
    ATTACH_TRANSCRIPT = "attach_transcript"
    MOVE_MESSAGE = "move_message"
    READ_INTERNAL = "read_internal"
    EXTEND_DEADLINE = "extend_deadline"
    KEEP_PROMISE = "keep_promise"
    REQUEST_HISTORY = "request_history"
    SEND_HISTORY = "send_history"


ALL: Final = 4
A, TL, CO, M, OA, C = (
    Who.AGENT, Who.TEAM_LEADER, Who.COMPLAINTS_OFFICER, Who.MANAGER, Who.ORG_ADMIN, Who.CUSTOMER,
)
# Handling follows the ladder: an agent handles level 1, a team leader up to 2,
# a complaints officer up to 3, a manager every level.
HANDLING: Final = {A: 1, TL: 2, CO: 3, M: 4}
RECORDING: Final = {A: ALL, TL: ALL, CO: ALL, M: ALL}
Op = Operation

POLICY: Final[dict[Operation, dict[Who, int]]] = {
    Op.VIEW: {C: ALL, A: ALL, TL: ALL, CO: ALL, M: ALL, OA: ALL},
    Op.READ_INTERNAL: {A: ALL, TL: ALL, CO: ALL, M: ALL, OA: ALL},
    Op.ACKNOWLEDGE: HANDLING,
    Op.START_INVESTIGATION: HANDLING,
    Op.REQUEST_INFORMATION: HANDLING,
    Op.RESUME: {C: ALL, **HANDLING},
    Op.DECIDE: HANDLING,
    Op.ACCEPT_DECISION: {C: ALL, **HANDLING},
    Op.REJECT_DECISION: {C: ALL, **HANDLING},
    Op.ISSUE_FINAL_RESPONSE: {CO: 3, M: 4},
    Op.REFER_EXTERNALLY: {C: ALL, CO: ALL, M: ALL},
    Op.RECORD_EXTERNAL_OUTCOME: {C: ALL, CO: ALL, M: ALL},
    Op.CLOSE: HANDLING,
    Op.REOPEN: {C: ALL, **HANDLING},
    Op.WITHDRAW: {C: ALL, **HANDLING},
    Op.MERGE: HANDLING,
    Op.ESCALATE: {A: 1, TL: 2, CO: 3, M: 3},
    Op.REQUEST_SUPERVISOR: {C: ALL},  # the lifecycle allows it from the frontline only
    Op.ASSIGN: {A: 1, TL: 2, CO: 3, M: 4},
    Op.RECORD_DEMANDS: {C: ALL, **RECORDING},
    Op.ADD_INTERACTION: {C: ALL, **RECORDING},
    Op.ADD_MESSAGE: {C: ALL, **RECORDING},
    Op.ADD_NOTE: RECORDING,
    Op.ADD_EVIDENCE: {C: ALL, **RECORDING},
    # The provider's own records of what came in on paper or in its chat: staff and integrations.
    Op.RECORD_LETTER: RECORDING,
    Op.ATTACH_TRANSCRIPT: RECORDING,
    Op.MOVE_MESSAGE: HANDLING,
    # A reasoned extension is a formal notice to the customer: the complaints function decides.
    Op.EXTEND_DEADLINE: {CO: ALL, M: ALL},
    Op.KEEP_PROMISE: RECORDING,
    Op.REQUEST_HISTORY: {C: ALL, **RECORDING},
    Op.SEND_HISTORY: RECORDING,
}


def may(who: Who, operation: Operation, level: int) -> bool:
    """Whether ``who`` may perform ``operation`` on a complaint at ``level``."""
    highest = POLICY[operation].get(who)
    return highest is not None and level <= highest


def operation_for(action: Action) -> Operation:
    return Operation(action.value)


def markdown_table() -> str:
    """The policy as a Markdown table: a row per operation, a column per role."""
    roles = list(Who)
    header = "| operation | " + " | ".join(r.value for r in roles) + " |"
    rule = "|---|" + "---|" * len(roles)
    rows = []
    for operation in Operation:
        cells = []
        for role in roles:
            highest = POLICY[operation].get(role)
            cells.append("–" if highest is None else ("all" if highest == ALL else f"≤ {highest}"))
        rows.append(f"| {operation.value} | " + " | ".join(cells) + " |")
    return "\n".join([header, rule, *rows])
