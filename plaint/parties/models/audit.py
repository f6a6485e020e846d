from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from plaint.parties.models.organisations import Organisation
from plaint.parties.models.tokens import ApiToken


class AdminEventKind(models.TextChoices):
    """The changes to an organisation's set-up that its log records."""

    TEAM_CREATED = "team_created", _("Team created")
    TEAM_CHANGED = "team_changed", _("Team changed")
    MEMBER_ADDED = "member_added", _("Staff member added")
    MEMBER_CHANGED = "member_changed", _("Staff member changed")
    HOURS_SET = "hours_set", _("Working hours set")
    CLOSING_DAY_ADDED = "closing_day_added", _("Closing day added")
    CLOSING_DAY_REMOVED = "closing_day_removed", _("Closing day removed")
    CATEGORY_CREATED = "category_created", _("Category created")
    CATEGORY_CHANGED = "category_changed", _("Category changed")
    DETAILS_SET = "details_set", _("Public details changed")
    MAILBOX_CREATED = "mailbox_created", _("Mailbox added")
    MAILBOX_CHANGED = "mailbox_changed", _("Mailbox changed")
    TOKEN_CREATED = "token_created", _("API token created")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")


class AdminEvent(models.Model):
    """One change to an organisation's set-up: who made it, when, to what.

    Complaint events (``complaints.Event``) record what happened to complaints; this log records
    who changed the things complaints are handled with (staff and roles, teams, hours, categories,
    mailboxes, API tokens), so that a complaints manager can answer "who gave this person admin
    rights, and when?". Append-only: written by ``parties.audit.admin_event_record`` and, on
    PostgreSQL, protected by a trigger that refuses UPDATE and DELETE (migration 0011).

    Like complaint events it holds no personal data of its own: a person appears only through
    ``by_user`` and ``subject_user`` (foreign keys, so that erasing a person's name from ``User``
    erases it here too), and ``data`` holds set-up values (a role, a team's name, a scope) or the
    names of the fields that changed, never a person's name or address.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="admin_events")
    at = models.DateTimeField(_("when"))
    kind = models.CharField(_("what"), max_length=32, choices=AdminEventKind.choices)
    # Who: a person (through the pages or the API), a token (an integration), or neither (the
    # operator's command line).
    by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    by_token = models.ForeignKey(ApiToken, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # To what: the kind of thing and its id, a label that is never personal (a team's or
    # category's name, a token's name), and the person when the subject is a staff member.
    subject_type = models.CharField(max_length=32)
    subject_id = models.BigIntegerField(null=True, blank=True)
    subject_label = models.CharField(max_length=200, blank=True)
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "-at", "-id"], name="parties_adminevent_org_at")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=AdminEventKind.values), name="%(app_label)s_%(class)s_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.subject_type} {self.subject_id}"
