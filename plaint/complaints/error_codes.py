"""Error codes of the complaints domain, beside the shared ``core.exceptions.ErrorCode``."""

from enum import StrEnum


class ComplaintErrorCode(StrEnum):
    NOT_PERMITTED = "not_permitted"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    INVALID_DEMAND = "invalid_demand"
    INVALID_ASSIGNEE = "invalid_assignee"
    INVALID_MERGE = "invalid_merge"
    EVIDENCE_TOO_LARGE = "evidence_too_large"
    EVIDENCE_TYPE_NOT_ALLOWED = "evidence_type_not_allowed"
    EVIDENCE_EMPTY = "evidence_empty"
    EVIDENCE_ALTERED = "evidence_altered"
    CANCELLATION_ALREADY_EXECUTED = "cancellation_already_executed"
    NO_DECISION = "no_decision"
    UNKNOWN_ORGANISATION = "unknown_organisation"
    CUSTOMER_REQUIRED = "customer_required"
    DEEMED_ACCEPTED = "deemed_accepted"
    ERASURE_LEGAL_HOLD = "erasure_legal_hold"
    ERASURE_STAFF_ACCOUNT = "erasure_staff_account"
