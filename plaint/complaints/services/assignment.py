"""Routing: which team and which staff member handle a complaint."""

from __future__ import annotations

from django.utils.translation import gettext

from plaint.complaints.actors import Actor
from plaint.complaints.choices import EventKind, Visibility
from plaint.complaints.error_codes import ComplaintErrorCode
from plaint.complaints.models import Complaint
from plaint.complaints.notifications import notify_assigned
from plaint.complaints.policy import Operation
from plaint.complaints.services.common import authorise, event_record, service, touch
from plaint.core.exceptions import ValidationFailed
from plaint.parties.choices import Role
from plaint.parties.models import Membership, Team


@service
def complaint_assign(
    *,
    actor: Actor,
    complaint: Complaint,
    team_id: int | None,
    assignee_id: int | None,
) -> Complaint:
    """Route the complaint to a team and/or a staff member of its organisation.

    ``assignee_id`` is a membership id. An organisation admin cannot be an
    assignee: admins administer, they do not handle complaints. A new handler is
    told by e-mail (if their preferences say so), unless they assigned it to themselves.
    """
    authorise(actor, Operation.ASSIGN, complaint)
    team = None
    if team_id is not None:
        team = Team.objects.filter(pk=team_id, organisation_id=complaint.organisation_id).first()
        if team is None:
            message = gettext("No such team in this organisation.")
            raise ValidationFailed(
                ComplaintErrorCode.INVALID_ASSIGNEE, message, fields={"team_id": [message]}
            )
    assignee = None
    if assignee_id is not None:
        assignee = (
            Membership.objects.filter(
                pk=assignee_id, organisation_id=complaint.organisation_id, is_active=True
            )
            .exclude(role=Role.ORG_ADMIN)
            .select_related("user", "team")  # shown with the complaint at once
            .first()
        )
        if assignee is None:
            message = gettext("No such staff member in this organisation.")
            raise ValidationFailed(
                ComplaintErrorCode.INVALID_ASSIGNEE, message, fields={"assignee_id": [message]}
            )
        if team is None and assignee.team_id is not None:
            team = assignee.team
    data = {
        "team_from": complaint.team_id,
        "team_to": team.pk if team else None,
        "assignee_from": complaint.assignee_id,
        "assignee_to": assignee.pk if assignee else None,
    }
    newly_assigned = assignee is not None and assignee.pk != complaint.assignee_id
    complaint.team = team
    complaint.assignee = assignee
    touch(complaint, "team", "assignee")
    event_record(
        actor=actor,
        kind=EventKind.ASSIGNED,
        complaint=complaint,
        visibility=Visibility.INTERNAL,
        data=data,
    )
    if newly_assigned:
        # Not to someone who took the complaint themselves; queued in the outbox, sent on commit.
        notify_assigned(complaint, assignee, by_user_id=actor.user.pk if actor.user else None)  # type: ignore[arg-type]
    return complaint
