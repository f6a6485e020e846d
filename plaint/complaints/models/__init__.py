from plaint.complaints.models.audit import ComplaintRead, EventChainTombstone, ReadChannel
from plaint.complaints.models.cancellations import CancellationRequest
from plaint.complaints.models.complaint import Complaint, Demand, IdempotencyRecord
from plaint.complaints.models.correspondence import (
    ChatLine,
    ChatParticipant,
    ChatTranscript,
    Letter,
)
from plaint.complaints.models.decisions import Decision, ExternalReferral, FinalResponse
from plaint.complaints.models.events import Event, Reason
from plaint.complaints.models.privacy import (
    ErasureChannel,
    ErasureOutcome,
    ErasureRequest,
    RetentionRun,
)
from plaint.complaints.models.records import Evidence, Interaction, Message, Promise
from plaint.complaints.models.staff_notifications import StaffNotification, StaffNotificationKind

__all__ = [
    "CancellationRequest",
    "ChatLine",
    "ChatParticipant",
    "ChatTranscript",
    "Complaint",
    "ComplaintRead",
    "Decision",
    "Demand",
    "ErasureChannel",
    "ErasureOutcome",
    "ErasureRequest",
    "Event",
    "EventChainTombstone",
    "Evidence",
    "ExternalReferral",
    "FinalResponse",
    "IdempotencyRecord",
    "Interaction",
    "Letter",
    "Message",
    "Promise",
    "ReadChannel",
    "Reason",
    "RetentionRun",
    "StaffNotification",
    "StaffNotificationKind",
]
