"""Staff notification preferences: on until switched off, one row per person."""

from __future__ import annotations

import pytest

from plaint.parties.choices import Role
from plaint.parties.models import NotificationPreferences
from plaint.parties.selectors import notification_preferences_of, users_not_wanting
from plaint.parties.services import notification_preferences_set
from plaint.testing import builders


@pytest.mark.django_db
def test_a_person_without_preferences_gets_every_notification():
    member = builders.staff(builders.organisation(), Role.AGENT)
    assert notification_preferences_of(member.user) == dict.fromkeys(
        NotificationPreferences.KINDS, True)
    assert users_not_wanting([member.user_id], "assigned") == set()


@pytest.mark.django_db
def test_switching_one_kind_off_leaves_the_others_and_only_that_person():
    org = builders.organisation()
    quiet, other = builders.staff(org, Role.AGENT), builders.staff(org, Role.MANAGER)
    notification_preferences_set(user=quiet.user, wanted={"clock_at_risk": False})
    notification_preferences_set(user=quiet.user, wanted={"assigned": False})
    assert users_not_wanting([quiet.user_id, other.user_id], "clock_at_risk") == {quiet.user_id}
    assert users_not_wanting([quiet.user_id, other.user_id], "clock_breached") == set()
    assert notification_preferences_of(quiet.user)["assigned"] is False
    assert NotificationPreferences.objects.count() == 1


@pytest.mark.django_db
def test_an_unknown_kind_is_a_programming_error():
    member = builders.staff(builders.organisation(), Role.AGENT)
    with pytest.raises(ValueError, match="unknown"):
        notification_preferences_set(user=member.user, wanted={"newsletter": False})
    with pytest.raises(ValueError, match="newsletter"):
        users_not_wanting([member.user_id], "newsletter")
