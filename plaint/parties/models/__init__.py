from plaint.parties.models.audit import AdminEvent, AdminEventKind
from plaint.parties.models.customers import Customer, CustomerAccountNumber
from plaint.parties.models.organisations import Category, Membership, Organisation, Team
from plaint.parties.models.tokens import ApiToken, ApiTokenUse
from plaint.parties.models.users import NotificationPreferences, User

__all__ = [
    "AdminEvent",
    "AdminEventKind",
    "ApiToken",
    "ApiTokenUse",
    "Category",
    "Customer",
    "CustomerAccountNumber",
    "Membership",
    "NotificationPreferences",
    "Organisation",
    "Team",
    "User",
]
