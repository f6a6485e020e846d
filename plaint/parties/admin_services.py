"""Writes an organisation's admins make to their own organisation: teams, staff and roles,
working hours and complaint categories.

Each service is keyword-only, takes ``by``, the acting admin's membership (the parties layer
knows no ``Actor``), refuses anyone who is not an active admin of that organisation, and runs in
one transaction. These changes are not complaint events (``complaints.Event`` records what
happened to complaints and, for the deadlines, to policy rules): each one writes a line of the
organisation's set-up log instead (``parties.audit.admin_event_record``, ``AdminEvent``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import time
from functools import wraps
from typing import ParamSpec, TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from plaint.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from plaint.parties.audit import admin_event_record, changed_fields
from plaint.parties.choices import Role, TeamKind
from plaint.parties.models import AdminEventKind, Category, Membership, Organisation, Team, User

P = ParamSpec("P")
R = TypeVar("R")

CODE = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


def admin_service(function: Callable[P, R]) -> Callable[P, R]:
    """Run in a transaction (the caller's if there is one)."""

    @wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with transaction.atomic(savepoint=False):
            return function(*args, **kwargs)

    return wrapper


def require_org_admin(by: Membership, organisation: Organisation) -> None:
    """Refuse unless ``by`` is an active admin of ``organisation`` (used by the services of other
    apps that organisation admins call: closing days, mailboxes)."""
    if not (by.is_active and by.organisation_id == organisation.pk and by.role == Role.ORG_ADMIN):
        raise PermissionDenied("not_permitted", gettext("Only the organisation's admins may do this."))


def _invalid(field: str, message: str, code: str = "validation_error") -> ValidationFailed:
    return ValidationFailed(code, message, fields={field: [message]})


def _name(value: str, field: str = "name") -> str:
    name = value.strip()
    if not name:
        raise _invalid(field, gettext("Give a name."))
    return name


# ---------------------------------------------------------------------------------------- teams


@admin_service
def team_create(*, by: Membership, organisation: Organisation, name: str, kind: str) -> Team:
    """A new team, active at once; names are unique within the organisation."""
    require_org_admin(by, organisation)
    name = _name(name)
    if kind not in TeamKind.values:
        raise _invalid("kind", gettext("Choose a kind of team."))
    if Team.objects.filter(organisation=organisation, name__iexact=name).exists():
        raise _invalid("name", gettext("The organisation already has a team of this name."), "name_taken")
    team = Team.objects.create(organisation=organisation, name=name, kind=kind)
    admin_event_record(organisation=organisation, kind=AdminEventKind.TEAM_CREATED, subject=team, by=by,
                       label=team.name, data={"kind": kind})
    return team


@admin_service
def team_change(*, by: Membership, team: Team, name: str, is_active: bool) -> Team:
    """Rename a team, or switch it off (its members and complaints keep naming it) or on."""
    require_org_admin(by, team.organisation)
    name = _name(name)
    if (
        Team.objects.filter(organisation_id=team.organisation_id, name__iexact=name)
        .exclude(pk=team.pk)
        .exists()
    ):
        raise _invalid("name", gettext("The organisation already has a team of this name."), "name_taken")
    before = {"name": team.name, "is_active": team.is_active}
    team.name = name
    team.is_active = is_active
    team.save(update_fields=["name", "is_active"])
    admin_event_record(organisation=team.organisation, kind=AdminEventKind.TEAM_CHANGED, subject=team, by=by,
                       label=team.name, data={"fields": changed_fields(before, team), "is_active": is_active})
    return team


# ---------------------------------------------------------------------------------------- staff


@dataclass(frozen=True)
class MemberSpec:
    """What an admin sets about one staff member."""

    role: str
    team: Team | None = None
    position: str = ""
    location: str = ""


def _check_spec(organisation: Organisation, spec: MemberSpec) -> None:
    if spec.role not in Role.values:
        raise _invalid("role", gettext("Choose a role."))
    if spec.team is not None and spec.team.organisation_id != organisation.pk:
        raise _invalid("team", gettext("Choose one of the organisation's teams."))


def _spec_data(membership: Membership) -> dict[str, object]:
    """What the log keeps of a member's place: the role, the team and whether active (their
    position and location are the person's own details and stay out of the log)."""
    return {"role": membership.role, "team": membership.team.name if membership.team else None,
            "is_active": membership.is_active}


def _other_active_admins(membership: Membership) -> bool:
    return (
        Membership.objects.filter(
            organisation_id=membership.organisation_id,
            role=Role.ORG_ADMIN,
            is_active=True,
        )
        .exclude(pk=membership.pk)
        .exists()
    )


@admin_service
def membership_add(
    *,
    by: Membership,
    organisation: Organisation,
    email: str,
    full_name: str,
    spec: MemberSpec,
) -> Membership:
    """Make the person with this e-mail address staff of the organisation.

    A person Plaint does not know yet gets an inactive user without a password, in the
    organisation's default language: they cannot sign in until they accept the invitation the
    page e-mails them (``user_invitation_accept``). A former member who was switched off is
    switched on again with the new role.
    """
    require_org_admin(by, organisation)
    email = email.strip().lower()
    if not email:
        raise _invalid("email", gettext("Give the person's e-mail address."))
    _check_spec(organisation, spec)
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        language = organisation.default_language
        if language not in {code for code, _name in settings.LANGUAGES}:
            language = settings.LANGUAGE_CODE
        user = User(
            email=email, full_name=_name(full_name, "full_name"), preferred_language=language, is_active=False
        )
        user.set_unusable_password()
        user.save()
    membership = Membership.objects.select_for_update().filter(user=user, organisation=organisation).first()
    if membership is not None and membership.is_active:
        raise _invalid(
            "email", gettext("This person is already staff of the organisation."), "already_member"
        )
    if membership is None:
        membership = Membership(user=user, organisation=organisation)
    membership.role = spec.role
    membership.team = spec.team
    membership.position = spec.position.strip()
    membership.location = spec.location.strip()
    membership.is_active = True
    membership.save()
    admin_event_record(organisation=organisation, kind=AdminEventKind.MEMBER_ADDED, subject=membership, by=by,
                       subject_user=user, data=_spec_data(membership))
    return membership


@admin_service
def membership_change(
    *, by: Membership, membership: Membership, spec: MemberSpec, is_active: bool
) -> Membership:
    """Change a member's role, team, position or location, or switch the membership off or on.

    An admin may not change their own role or switch themselves off, and the organisation always
    keeps one active admin.
    """
    organisation = membership.organisation
    require_org_admin(by, organisation)
    _check_spec(organisation, spec)
    # One writer of the organisation's admins at a time, so that two admins cannot remove each
    # other at once and leave none: under the lock, the acting admin must still be one.
    admins = Membership.objects.select_for_update().filter(organisation=organisation, role=Role.ORG_ADMIN)
    if not any(admin.pk == by.pk and admin.is_active for admin in admins):
        raise PermissionDenied("not_permitted", gettext("Only the organisation's admins may do this."))
    removes_admin = (
        membership.role == Role.ORG_ADMIN
        and membership.is_active
        and (spec.role != Role.ORG_ADMIN or not is_active)
    )
    if membership.pk == by.pk and removes_admin:
        raise Conflict(
            "own_role", gettext("You cannot change your own role or switch yourself off; ask another admin.")
        )
    if removes_admin and not _other_active_admins(membership):
        raise Conflict("last_admin", gettext("The organisation must keep at least one admin."))
    watched = ("role", "team_id", "position", "location", "is_active")
    before = {name: getattr(membership, name) for name in watched}
    membership.role = spec.role
    membership.team = spec.team
    membership.position = spec.position.strip()
    membership.location = spec.location.strip()
    membership.is_active = is_active
    membership.save(update_fields=["role", "team", "position", "location", "is_active"])
    admin_event_record(organisation=organisation, kind=AdminEventKind.MEMBER_CHANGED, subject=membership,
                       by=by, subject_user=membership.user,
                       data={**_spec_data(membership), "fields": changed_fields(before, membership)})
    return membership


# ---------------------------------------------------------------------------------- working hours


def _hours_entry(hours: tuple[time, time] | None, weekday: int) -> list[str] | None:
    if hours is None:
        return None
    opening, closing = hours
    if opening >= closing:
        raise _invalid(f"day{weekday}", gettext("The closing time must be after the opening time."))
    return [opening.strftime("%H:%M"), closing.strftime("%H:%M")]


@admin_service
def organisation_hours_set(
    *,
    by: Membership,
    organisation: Organisation,
    hours: Sequence[tuple[time, time] | None],
) -> Organisation:
    """Set the working hours, Monday first (``None`` closes the day).

    They make the organisation's business calendar (``clocks.context.organisation_calendar``), on
    which its policy rules and promises count; statutory deadlines count on the law's calendar.
    Open clocks follow at their next event or at ``plaint clocks rebuild``.
    """
    require_org_admin(by, organisation)
    if len(hours) != 7:  # noqa: PLR2004 - one entry per weekday
        raise _invalid("hours", gettext("Give the hours of each day of the week."))
    entries = [_hours_entry(h, weekday) for weekday, h in enumerate(hours)]
    if not any(entries):
        raise _invalid("hours", gettext("The organisation must be open on at least one day."))
    organisation.working_hours = entries
    organisation.save(update_fields=["working_hours"])
    admin_event_record(organisation=organisation, kind=AdminEventKind.HOURS_SET, subject=None, by=by,
                       data={"hours": entries})
    return organisation


# ------------------------------------------------------------------------------------ categories


@admin_service
def category_create(*, by: Membership, organisation: Organisation, code: str, name: str) -> Category:
    """A new complaint category; its code is what complaints store and never changes."""
    require_org_admin(by, organisation)
    code = code.strip().lower()
    if not CODE.fullmatch(code):
        raise _invalid("code", gettext("Use small letters, digits, hyphens and underscores."))
    name = _name(name)
    try:
        with transaction.atomic():
            category = Category.objects.create(organisation=organisation, code=code, name=name)
    except IntegrityError:
        raise _invalid(
            "code", gettext("The organisation already has a category with this code."), "code_taken"
        ) from None
    admin_event_record(organisation=organisation, kind=AdminEventKind.CATEGORY_CREATED, subject=category,
                       by=by, label=category.name, data={"code": code})
    return category


@admin_service
def category_change(*, by: Membership, category: Category, name: str, is_active: bool) -> Category:
    """Rename a category or switch it off (complaints filed under it keep it) or on."""
    require_org_admin(by, category.organisation)
    before = {"name": category.name, "is_active": category.is_active}
    category.name = _name(name)
    category.is_active = is_active
    category.save(update_fields=["name", "is_active"])
    admin_event_record(organisation=category.organisation, kind=AdminEventKind.CATEGORY_CHANGED,
                       subject=category, by=by, label=category.name,
                       data={"code": category.code, "fields": changed_fields(before, category),
                             "is_active": is_active})
    return category


# ------------------------------------------------------------------------------- public details


@admin_service
def organisation_details_set(
    *,
    by: Membership,
    organisation: Organisation,
    complaints_owner: str,
    complaint_email: str,
    complaint_address: str,
) -> Organisation:
    """Set what the public procedure page says about the organisation: who is responsible for
    complaints handling (ISO 10002 asks for the process to have an owner) and where complaints
    are sent. The e-mail address is checked by the form; blanks are allowed (not published)."""
    require_org_admin(by, organisation)
    fields = ("complaints_owner", "complaint_email", "complaint_address")
    before = {name: getattr(organisation, name) for name in fields}
    organisation.complaints_owner = complaints_owner.strip()
    organisation.complaint_email = complaint_email.strip().lower()
    organisation.complaint_address = complaint_address.strip()
    organisation.save(update_fields=list(fields))
    # The values may name a person (the owner): the log keeps which fields changed, not to what.
    admin_event_record(organisation=organisation, kind=AdminEventKind.DETAILS_SET, subject=None, by=by,
                       data={"fields": changed_fields(before, organisation)})
    return organisation
