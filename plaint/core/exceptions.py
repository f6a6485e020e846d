"""The error hierarchy every domain raises and every adapter renders.

An error carries a stable ``code`` (an enum value that clients branch on), a
human ``message`` in the user's language, and ``fields``: which input fields
were wrong and why. The API renders it as ``{"code", "message", "fields"}``.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.functional import Promise


class ErrorCode(StrEnum):
    """Codes shared by every domain; domains add their own enums beside this one."""

    NOT_FOUND = "not_found"
    PERMISSION_DENIED = "permission_denied"
    VALIDATION_ERROR = "validation_error"
    CONFLICT = "conflict"
    NOT_AUTHENTICATED = "not_authenticated"


class ApplicationError(Exception):
    """Base of every error that a user or client is meant to read."""

    status = 400

    def __init__(
        self,
        code: StrEnum | str,
        message: str | Promise,
        *,
        fields: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.code = str(code)
        self.message = str(message)
        self.fields = fields or {}


class NotFound(ApplicationError):
    """Missing, or not the caller's to see: the two are never told apart."""

    status = 404

    def __init__(self, message: str | Promise | None = None) -> None:
        from django.utils.translation import gettext

        super().__init__(ErrorCode.NOT_FOUND, message or gettext("Not found."))


class PermissionDenied(ApplicationError):
    """The caller may see the object but not do this to it."""

    status = 403


class ValidationFailed(ApplicationError):
    """Input that breaks a rule; ``fields`` names the culprits."""

    status = 422


class Conflict(ApplicationError):
    """The request clashes with the object's current state (e.g. an illegal transition)."""

    status = 409
