"""Writes of an organisation's closing days (company holidays beyond the public ones), made by
its admins. A closing day moves the organisation's own deadlines (policy rules, promises), never
a statutory one (``ClockContext.law_calendar``); the ``ClosingDay`` signals bump the
organisation's ``rules_version`` so that every process reads the new calendar."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext

from plaint.clocks.models import ClosingDay
from plaint.core.exceptions import NotFound, ValidationFailed
from plaint.parties.admin_services import require_org_admin
from plaint.parties.audit import admin_event_record
from plaint.parties.models import AdminEventKind, Membership, Organisation


@transaction.atomic(savepoint=False)
def closing_day_add(
    *, by: Membership, organisation: Organisation, day: date, description: str = ""
) -> ClosingDay:
    """Close the organisation on ``day`` (once: a day already closed is refused)."""
    require_org_admin(by, organisation)
    if ClosingDay.objects.filter(organisation=organisation, day=day).exists():
        message = gettext("The organisation is already closed on this day.")
        raise ValidationFailed("day_taken", message, fields={"day": [message]})
    row = ClosingDay.objects.create(organisation=organisation, day=day, description=description.strip())
    admin_event_record(organisation=organisation, kind=AdminEventKind.CLOSING_DAY_ADDED, subject=row, by=by,
                       label=row.description, data={"day": day.isoformat()})
    return row


@transaction.atomic(savepoint=False)
def closing_day_remove(*, by: Membership, organisation: Organisation, closing_day_id: int) -> None:
    """Open the organisation again on a day it had closed."""
    require_org_admin(by, organisation)
    row = ClosingDay.objects.filter(organisation=organisation, pk=closing_day_id).first()
    if row is None:
        raise NotFound
    admin_event_record(organisation=organisation, kind=AdminEventKind.CLOSING_DAY_REMOVED, subject=row, by=by,
                       label=row.description, data={"day": row.day.isoformat()})
    row.delete()
