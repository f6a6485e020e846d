"""A person's second factor: one TOTP device (an authenticator app) and one set of one-time
recovery codes, both django-otp devices (``otp_totp``, ``otp_static``).

Who must have one: anyone with an active membership as manager or organisation admin anywhere
(they can change who works on complaints, and what the organisation publishes), and the
platform admins (superusers: Django's admin). Everyone else may turn it on. Whoever has a
confirmed device must give a code after the password, every time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from enum import StrEnum

from django.db import transaction
from django.db.models import Exists, OuterRef
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from plaint.parties.choices import Role
from plaint.parties.models import Membership, User

#: Roles whose holders must sign in with a second factor.
ROLES_REQUIRING_TWO_FACTOR = (Role.MANAGER, Role.ORG_ADMIN)
RECOVERY_DEVICE_NAME = "recovery"
TOTP_DEVICE_NAME = "authenticator"
RECOVERY_CODES = 10


class SecondFactor(StrEnum):
    """What a person who has given their password still owes."""

    VERIFY = "verify"  # a code from their device (or a recovery code)
    SET_UP = "set-up"  # nothing to verify with yet, but their role requires it
    NONE = "none"


def two_factor_required(user: User) -> bool:
    """Whether the person's role anywhere (or being a platform admin) requires a second factor."""
    return user.is_superuser or Membership.objects.filter(
        user=user, is_active=True, role__in=ROLES_REQUIRING_TWO_FACTOR).exists()


def second_factor_owed(user: User) -> SecondFactor:
    """What the person owes after the password (one query)."""
    flags = User.objects.filter(pk=user.pk).annotate(
        has_device=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        required=Exists(Membership.objects.filter(
            user=OuterRef("pk"), is_active=True, role__in=ROLES_REQUIRING_TWO_FACTOR)),
    ).values("has_device", "required", "is_superuser").first()
    if flags is None:
        return SecondFactor.NONE
    if flags["has_device"]:
        return SecondFactor.VERIFY
    return SecondFactor.SET_UP if flags["required"] or flags["is_superuser"] else SecondFactor.NONE


def totp_device_of(user: User) -> TOTPDevice | None:
    """The person's confirmed authenticator, if they have set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The authenticator being set up (not confirmed yet): the same secret until it is confirmed,
    so that reloading the page does not change the QR code the person has just scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def totp_secret_base32(device: TOTPDevice) -> str:
    """The secret as authenticator apps ask for it when typed in (base32, no padding)."""
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice) -> list[str]:
    """Turn the checked device on (replacing any earlier one) and give the person new recovery
    codes; returns the codes, to be shown once."""
    TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_renew(user=device.user)


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """Ten new one-time recovery codes; the earlier ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME,
                                                   defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY_DEVICE_NAME).count()


@transaction.atomic
def two_factor_off(*, user: User) -> None:
    """Remove the person's authenticator and recovery codes. Refused (ValueError) for a person
    whose role requires them."""
    if two_factor_required(user):
        raise ValueError("two-factor sign-in is required for this person's role")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def demo_totp_key(*, secret_key: str, email: str) -> str:
    """A fixed TOTP key (hex, as ``TOTPDevice.key`` stores it) for a demo login: derived from the
    instance's SECRET_KEY, so each run of the demo prints the same secret for the same person."""
    digest = hmac.new(secret_key.encode(), f"plaint-demo-totp:{email}".encode(), hashlib.sha256)
    return digest.hexdigest()[:40]  # 20 bytes, the size authenticator apps expect
