"""Writes of the parties domain."""

from __future__ import annotations

import hashlib
import ipaddress
import secrets
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from plaint.core import clock
from plaint.parties.audit import admin_event_record
from plaint.parties.choices import ContactChannel, Role, TokenScope
from plaint.parties.models import (
    AdminEventKind,
    ApiToken,
    ApiTokenUse,
    Customer,
    CustomerAccountNumber,
    NotificationPreferences,
    Organisation,
    User,
)

TOKEN_BYTES = 32


@dataclass(frozen=True)
class CustomerDetails:
    """What an intake knows about the customer; any of it may be missing."""

    full_name: str = ""
    email: str = ""
    phone: str = ""
    postal_address: str = ""
    account_number: str = ""
    preferred_language: str = ""
    preferred_channel: str = ""
    accessibility_needs: str = ""
    is_vulnerable: bool = False


def customer_find_or_create(
    *, organisation: Organisation, details: CustomerDetails, user: User | None = None
) -> Customer:
    """The organisation's customer record for this person, created if unknown.

    A signed-in user is found by their user; anybody else by account number,
    then e-mail, then phone. Details already on file are not overwritten.
    """
    by_account_number = _find_by_account_number(organisation, details) if user is None else None
    customer = by_account_number or _find_customer(organisation, details, user)
    if customer is None:
        customer = Customer.objects.create(
            organisation=organisation,
            user=user,
            full_name=details.full_name or (user.full_name if user else ""),
            email=details.email or (user.email if user else ""),
            phone=details.phone,
            postal_address=details.postal_address,
            preferred_language=details.preferred_language
            or (user.preferred_language if user else organisation.default_language),
            preferred_channel=details.preferred_channel or ContactChannel.EMAIL,
            accessibility_needs=details.accessibility_needs,
            is_vulnerable=details.is_vulnerable,
        )
    if details.account_number and by_account_number is None:  # else it is on file already
        CustomerAccountNumber.objects.get_or_create(
            organisation=organisation,
            number=details.account_number,
            defaults={"customer": customer},
        )
    return customer


def _find_by_account_number(organisation: Organisation, details: CustomerDetails) -> Customer | None:
    if not details.account_number:
        return None
    found = (
        CustomerAccountNumber.objects.filter(organisation=organisation, number=details.account_number)
        .select_related("customer")
        .first()
    )
    return found.customer if found is not None else None


def _find_customer(
    organisation: Organisation, details: CustomerDetails, user: User | None
) -> Customer | None:
    """By user for a signed-in person; else (not found by account number) by e-mail, then phone."""
    customers = Customer.objects.filter(organisation=organisation)
    if user is not None:
        return customers.filter(user=user).first()
    if details.email:
        found_by_email = customers.filter(email__iexact=details.email).first()
        if found_by_email is not None:
            return found_by_email
    if details.phone:
        return customers.filter(phone=details.phone).first()
    return None


def api_token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *,
    organisation: Organisation,
    name: str,
    role: Role = Role.AGENT,
    scope: TokenScope = TokenScope.WRITE,
    created_by: User | None = None,
    created_by_token: ApiToken | None = None,
    expires_at: datetime | None = None,
    raw: str | None = None,
    rate_limit_exempt: bool = False,
) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is shown only this once.

    ``raw`` lets the demo loader recreate a known token; everything else lets it
    be drawn from 32 random bytes. ``created_by`` or ``created_by_token`` is who asked (neither:
    the operator's command line), for the organisation's set-up log.
    """
    secret = raw or secrets.token_urlsafe(TOKEN_BYTES)
    token = ApiToken.objects.create(
        organisation=organisation,
        name=name,
        key_sha256=api_token_hash(secret),
        prefix=secret[:8],
        role=role,
        scope=scope,
        created_by=created_by,
        created_at=clock.now(),
        expires_at=expires_at,
        rate_limit_exempt=rate_limit_exempt,
    )
    admin_event_record(organisation=organisation, kind=AdminEventKind.TOKEN_CREATED, subject=token,
                       by=created_by or created_by_token, label=token.name,
                       data={"role": token.role, "scope": token.scope,
                             "expires_at": expires_at.isoformat() if expires_at else None,
                             "rate_limit_exempt": rate_limit_exempt})
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User | ApiToken | None = None) -> ApiToken:
    """Revoke the token from now on; a token revoked already keeps the moment it was (and the
    second revocation, which changes nothing, is not logged). ``by``: who asked (None: the
    operator's command line)."""
    token = ApiToken.objects.select_for_update().select_related("organisation").get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        admin_event_record(organisation=token.organisation, kind=AdminEventKind.TOKEN_REVOKED, subject=token,
                           by=by, label=token.name)
    return token


@dataclass
class _PendingUse:
    count: int = 0
    written_at: datetime | None = None


_pending_uses: dict[tuple[int, str], _PendingUse] = {}
_pending_lock = threading.Lock()


def api_token_use_record(*, token: ApiToken, address: str) -> None:
    """Count one use of ``token`` from ``address``.

    Uses are added up in this process and written at most every
    ``PLAINT_TOKEN_USE_WRITE_INTERVAL`` seconds per token (and on the first use, and when the
    hour turns): one UPDATE of the hour's row, an INSERT for a new hour. A write on every
    request would serialise an integration's parallel requests on that row and put a write into
    every read; the price is that a killed process loses up to a minute of counted uses, and
    uses waiting when the hour turns count in the new hour.
    """
    now = clock.now()
    hour = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    interval = timedelta(seconds=settings.PLAINT_TOKEN_USE_WRITE_INTERVAL)
    with _pending_lock:
        pending = _pending_uses.setdefault((token.pk, token.key_sha256), _PendingUse())
        pending.count += 1
        last = pending.written_at
        if last is not None and now - last < interval and last >= hour:
            return
        count, pending.count, pending.written_at = pending.count, 0, now
    _use_add(token_id=token.pk, hour=hour, count=count, at=now, address=_ip_or_none(address))


def _ip_or_none(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _use_add(*, token_id: int, hour: datetime, count: int, at: datetime, address: str | None) -> None:
    changes = {"count": F("count") + count, "last_used_at": at, "last_address": address}
    with transaction.atomic():
        if ApiTokenUse.objects.filter(token_id=token_id, hour=hour).update(**changes):
            return
        try:
            with transaction.atomic():
                ApiTokenUse.objects.create(token_id=token_id, hour=hour, count=count,
                                           last_used_at=at, last_address=address)
        except IntegrityError:  # another process wrote the hour's row meanwhile
            ApiTokenUse.objects.filter(token_id=token_id, hour=hour).update(**changes)


def api_token_uses_forget_pending() -> None:
    """Drop the uses this process has not written yet (tests start from nothing)."""
    with _pending_lock:
        _pending_uses.clear()


@transaction.atomic
def notification_preferences_set(*, user: User, wanted: dict[str, bool]) -> NotificationPreferences:
    """Set which notifications ``user`` gets by e-mail; kinds not named keep their value.

    The row is created on the first change: until then every notification is on.
    """
    unknown = set(wanted) - set(NotificationPreferences.KINDS)
    if unknown:
        raise ValueError(f"unknown notification kinds: {sorted(unknown)}")
    preferences, _created = NotificationPreferences.objects.select_for_update().get_or_create(
        user=user
    )
    for kind, value in wanted.items():
        setattr(preferences, kind, bool(value))
    preferences.updated_at = clock.now()
    preferences.save(update_fields=[*wanted, "updated_at"])
    return preferences


# ---------------------------------------------------------------------------------------------
# A person's own account: signing up, confirming the address, the profile.


class SignUp(StrEnum):
    """What a sign-up did; the page shown is the same in every case (it never says which)."""

    CREATED = "created"  # a new account, waiting for its address to be confirmed
    RENEWED = "renewed"  # an account still waiting: the new details replace the old ones
    EXISTS = "exists"  # a confirmed (or closed) account: nothing changed


def _language(code: str) -> str:
    if code not in {language for language, _name in settings.LANGUAGES}:
        raise ValueError(f"unknown language: {code!r}")
    return code


@transaction.atomic
def user_sign_up(
    *, email: str, full_name: str, password: str, preferred_language: str
) -> tuple[User, SignUp]:
    """Create an account that cannot sign in until its address is confirmed (``user_confirm``).

    An account never confirmed and never used takes the new details: whoever holds the mailbox
    confirms the latest sign-up, and the links sent before stop working (the confirmation token
    covers the password). A confirmed or closed account is left alone, so that nobody can take
    over an address by signing up with it.
    """
    email = User.objects.normalize_email(email).strip().lower()
    language = _language(preferred_language)
    user = User.objects.select_for_update().filter(email__iexact=email).first()
    if user is None:
        user = User(email=email, full_name=full_name, preferred_language=language, is_active=False)
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:  # the same address signed up at the same moment: that one stands
            return User.objects.get(email=email), SignUp.EXISTS
        return user, SignUp.CREATED
    if user.is_active or user.last_login is not None:
        return user, SignUp.EXISTS
    user.full_name = full_name
    user.preferred_language = language
    user.set_password(password)
    user.save(update_fields=["full_name", "preferred_language", "password"])
    return user, SignUp.RENEWED


@transaction.atomic
def user_confirm(*, user: User) -> list[Customer]:
    """Activate an account whose address was just proven, and give it the customer records of
    that address (at most one per organisation) that belong to nobody yet.

    Only here, after the proof: a record linked at sign-up would let anyone read another
    person's complaints by signing up with their address. A record that already has a user keeps
    it. Returns the records linked.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    taken = set(Customer.objects.filter(user=user).values_list("organisation_id", flat=True))
    linked: list[Customer] = []
    candidates = (
        Customer.objects.select_for_update()
        .filter(email__iexact=user.email, user__isnull=True)
        .order_by("organisation_id", "created_at", "pk")
    )
    for customer in candidates:
        if customer.organisation_id in taken:  # one account per person and organisation
            continue
        customer.user = user
        customer.save(update_fields=["user"])
        taken.add(customer.organisation_id)
        linked.append(customer)
    return linked


def invitation_pending(user: User) -> bool:
    """Whether the person was added as staff and has not taken up the account yet: never signed
    in, not active, and staff somewhere. A closed account (it signed in once) is never reopened
    by an invitation; only a platform admin can do that."""
    return (
        not user.is_active
        and user.last_login is None
        and user.memberships.filter(is_active=True).exists()
    )


@transaction.atomic
def user_invitation_accept(*, user: User, password: str) -> User:
    """Take up the account an organisation's admin made: the invitation link proved the address,
    so the person sets their password and the account goes on like a confirmed sign-up (with the
    customer records of the address, ``user_confirm``). The password changes, so the link is
    used up. Returns the user as stored now (signing in needs the new password's hash)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not invitation_pending(user):
        raise ValueError("no invitation is waiting for this person")
    user.set_password(password)
    user.save(update_fields=["password"])
    user_confirm(user=user)
    user.refresh_from_db()
    return user


@transaction.atomic
def user_profile_set(
    *, user: User, full_name: str | None = None, preferred_language: str | None = None
) -> User:
    """Change the person's name or language; what is not given keeps its value."""
    fields = []
    if full_name is not None:
        user.full_name = full_name.strip()
        fields.append("full_name")
    if preferred_language is not None:
        user.preferred_language = _language(preferred_language)
        fields.append("preferred_language")
    if fields:
        user.save(update_fields=fields)
    return user
