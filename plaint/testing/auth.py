"""Signing a test client in as a person, second factor included.

``Client.force_login`` skips the sign-in form; for a person whose role requires two-factor
sign-in (or who has it on) the session would then still owe a code, and every page would send
them to the second step, as it must in production. ``force_login`` here does what the second
step does on success: it records a confirmed device of the person in the session, the way
``django_otp.login`` does (the key ``DEVICE_ID_SESSION_KEY`` holding the device's
``persistent_id``), which ``OTPMiddleware`` then reads on every request.
"""

from __future__ import annotations

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from plaint.parties.models import User
from plaint.parties.two_factor import SecondFactor, second_factor_owed
from plaint.web.accounts.middleware import OWED_KEY


def force_login(client: Client, user: User) -> Client:
    """Sign ``client`` in as ``user``, with the second factor given when one is owed."""
    client.force_login(user)
    if second_factor_owed(user) is not SecondFactor.NONE:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() \
            or TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.pop(OWED_KEY, None)
        session.save()
    return client
