"""Choices of the complaints domain, with the labels people read.

The state and level values come from the pure ``lifecycle`` module; here they
get their translatable labels.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from plaint.complaints.lifecycle import Level, State

STATE_LABELS = {
    State.RECEIVED: _("Received"),
    State.ACKNOWLEDGED: _("Acknowledged"),
    State.INVESTIGATING: _("Investigating"),
    State.AWAITING_CUSTOMER: _("Waiting for the customer"),
    State.DECIDED: _("Decided"),
    State.FINAL_RESPONSE_ISSUED: _("Final response issued"),
    State.REFERRED_EXTERNALLY: _("Referred to an external body"),
    State.EXTERNALLY_RESOLVED: _("Resolved by an external body"),
    State.CLOSED: _("Closed"),
    State.REOPENED: _("Reopened"),
    State.WITHDRAWN: _("Withdrawn"),
}
STATE_CHOICES = [(s.value, STATE_LABELS[s]) for s in State]

LEVEL_LABELS = {
    Level.FRONTLINE: _("Frontline"),
    Level.SUPERVISOR: _("Supervisor"),
    Level.FORMAL: _("Formal complaint"),
    Level.SENIOR_MANAGEMENT: _("Senior management"),
}
LEVEL_CHOICES = [(lv.value, LEVEL_LABELS[lv]) for lv in Level]


class Channel(models.TextChoices):
    """Where a contact happened."""

    PHONE = "phone", _("Phone")
    CHAT = "chat", _("Chat")
    EMAIL = "email", _("E-mail")
    WEB = "web", _("Web form")
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("Visit in person")
    SMS = "sms", _("SMS")
    SOCIAL = "social", _("Social media")
    API = "api", _("Integration")
    # Sent on by a regulator or a public platform (CFPB, consumidor.gov.br): rules of their own.
    REGULATOR = "regulator", _("Regulator or public platform")


class Direction(models.TextChoices):
    INBOUND = "inbound", _("From the customer")
    OUTBOUND = "outbound", _("To the customer")


class Visibility(models.TextChoices):
    CUSTOMER = "customer", _("Visible to the customer")
    INTERNAL = "internal", _("Internal")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class DemandKind(models.TextChoices):
    """What the customer asks for."""

    REFUND = "refund", _("Refund of an amount")
    REPAIR = "repair", _("Repair")
    REPLACEMENT = "replacement", _("Replacement")
    PRICE_REDUCTION = "price_reduction", _("Price reduction")
    CONTRACT_TERMINATION = "contract_termination", _("Contract termination")
    COMPENSATION = "compensation", _("Compensation")
    APOLOGY = "apology", _("Apology")
    EXPLANATION = "explanation", _("Explanation")


DEMANDS_WITH_AMOUNT = frozenset(
    {DemandKind.REFUND, DemandKind.PRICE_REDUCTION, DemandKind.COMPENSATION}
)


class Outcome(models.TextChoices):
    UPHELD = "upheld", pgettext_lazy("decision outcome", "Upheld")
    PARTLY_UPHELD = "partly_upheld", pgettext_lazy("decision outcome", "Partly upheld")
    REJECTED = "rejected", pgettext_lazy("decision outcome", "Rejected")


class RemedyKind(models.TextChoices):
    NONE = "none", _("No remedy")
    REFUND = "refund", _("Refund")
    CREDIT = "credit", _("Credit on the account")
    REPAIR = "repair", _("Repair")
    REPLACEMENT = "replacement", _("Replacement")
    PRICE_REDUCTION = "price_reduction", _("Price reduction")
    CONTRACT_TERMINATION = "contract_termination", _("Contract termination")
    COMPENSATION = "compensation", _("Compensation")
    APOLOGY = "apology", _("Apology")
    EXPLANATION = "explanation", _("Explanation")


class MessageKind(models.TextChoices):
    MESSAGE = "message", _("Message")
    NOTE = "note", _("Internal note")


class PromiseKind(models.TextChoices):
    CALLBACK = "callback", _("Callback")
    ACTION = "action", _("Action by a date")


class PromiseState(models.TextChoices):
    OPEN = "open", pgettext_lazy("promise", "Open")
    KEPT = "kept", pgettext_lazy("promise", "Kept")
    MISSED = "missed", pgettext_lazy("promise", "Missed")


class ChatRole(models.TextChoices):
    """Who wrote a line of a chat."""

    CUSTOMER = "customer", pgettext_lazy("chat participant", "Customer")
    AGENT = "agent", pgettext_lazy("chat participant", "Agent")
    BOT = "bot", _("Chat bot")


class CancellationState(models.TextChoices):
    OPEN = "open", _("Waiting to be executed")
    EXECUTED = "executed", _("Executed")


class EventKind(models.TextChoices):
    """What an event records. One event per service call."""

    RECEIVED = "received", _("Complaint received")
    TRANSITIONED = "transitioned", _("State changed")
    DECIDED = "decided", _("Decision recorded")
    DECISION_REJECTED = "decision_rejected", _("Decision rejected")
    FINAL_RESPONSE_ISSUED = "final_response_issued", pgettext_lazy("event", "Final response issued")
    REFERRED = "referred", pgettext_lazy("event", "Referred to an external body")
    EXTERNAL_OUTCOME = "external_outcome", _("External outcome recorded")
    ESCALATED = "escalated", _("Escalated")
    SUPERVISOR_REQUESTED = "supervisor_requested", _("Supervisor requested")
    ASSIGNED = "assigned", _("Assigned")
    DEMANDS_RECORDED = "demands_recorded", _("Demands recorded")
    INTERACTION_LOGGED = "interaction_logged", _("Interaction logged")
    MESSAGE_ADDED = "message_added", _("Message added")
    NOTE_ADDED = "note_added", _("Internal note added")
    EVIDENCE_ADDED = "evidence_added", _("Evidence added")
    MESSAGE_MOVED = "message_moved", _("Message moved to another complaint")
    MESSAGE_UNDELIVERED = "message_undelivered", _("An e-mail to the customer was not delivered")
    MERGED = "merged", _("Complaints merged")
    CANCELLATION_REQUESTED = "cancellation_requested", _("Cancellation requested")
    CANCELLATION_EXECUTED = "cancellation_executed", _("Cancellation executed")
    CLOCK_WARNED = "clock_warned", _("Deadline warning")
    CLOCK_EXPIRED = "clock_expired", _("Deadline passed")
    CLOCK_EXTENDED = "clock_extended", _("Deadline extended")
    PROMISE_KEPT = "promise_kept", _("Promise kept")
    PROMISE_MISSED = "promise_missed", _("Promise missed")
    EXTERNAL_ROUTE_OPENED = "external_route_opened", _("Right to go to an external body opened")
    CONSUMER_RIGHTS_OPENED = "consumer_rights_opened", _("Consumer's statutory rights opened")
    HISTORY_REQUESTED = "history_requested", _("Case history requested")
    HISTORY_SENT = "history_sent", _("Case history sent")
    POLICY_RULE_SET = "policy_rule_set", _("Deadline policy changed")
    IMPORTED = "imported", _("Imported from another system")
    HANDLING_RATED = "handling_rated", _("Handling rated")
    PERSONAL_DATA_ERASED = "personal_data_erased", _("Personal data erased on request")
    RECORD_REMOVED = "record_removed", _("Record removed after its retention period")
