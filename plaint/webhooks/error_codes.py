"""Error codes of the webhooks domain, beside the shared ``core.exceptions.ErrorCode``."""

from enum import StrEnum


class WebhookErrorCode(StrEnum):
    NOT_PERMITTED = "not_permitted"
    URL_INVALID = "webhook_url_invalid"
    URL_NOT_HTTPS = "webhook_url_not_https"
    URL_PRIVATE = "webhook_url_private"
    URL_UNRESOLVABLE = "webhook_url_unresolvable"
    EVENT_TYPES_REQUIRED = "webhook_event_types_required"
    UNKNOWN_EVENT_TYPE = "webhook_unknown_event_type"
