"""The signed-in staff member's own settings: which notifications they get by e-mail."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Router

from plaint.api.auth import principal
from plaint.api.correspondence_schemas import NotificationPreferencesIn, NotificationPreferencesOut
from plaint.api.errors import errors
from plaint.complaints.error_codes import ComplaintErrorCode
from plaint.core.exceptions import PermissionDenied
from plaint.parties.models import User
from plaint.parties.selectors import notification_preferences_of
from plaint.parties.services import notification_preferences_set

router = Router(tags=["me"])


def _staff_user(request: HttpRequest) -> User:
    """The signed-in person, if they work for an organisation (an API token has no inbox)."""
    who = principal(request)
    if who.user is None or not who.memberships:
        raise PermissionDenied(ComplaintErrorCode.NOT_PERMITTED,
                               gettext("Only signed-in staff have notification preferences."))
    return who.user


@router.get("/me/notification-preferences",
            response={200: NotificationPreferencesOut, **errors(403)},
            summary="Read my notification preferences")
def get_notification_preferences(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Which staff notifications you get by e-mail; all are on until you switch one off."""
    return notification_preferences_of(_staff_user(request))


@router.put("/me/notification-preferences",
            response={200: NotificationPreferencesOut, **errors(403)},
            summary="Change my notification preferences")
def put_notification_preferences(request: HttpRequest, payload: NotificationPreferencesIn):  # type: ignore[no-untyped-def]
    """Switch notifications on or off; those you leave out keep their setting."""
    user = _staff_user(request)
    wanted = {kind: value for kind, value in payload.model_dump().items() if value is not None}
    if wanted:
        notification_preferences_set(user=user, wanted=wanted)
    return notification_preferences_of(user)
