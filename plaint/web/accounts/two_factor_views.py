"""Two-factor sign-in: setting up an authenticator app (TOTP), the second step after the
password, recovery codes, and turning it off (docs/security.md).

The devices are django-otp's (``plaint.parties.two_factor``); a session is verified when
``django_otp.login`` has recorded the device that gave the code, which ``OTPMiddleware`` reads
on every request. ``TwoFactorMiddleware`` sends a person who owes a code (or, for managers and
organisation admins, a device) here before any other page.
"""

from __future__ import annotations

import io

import segno
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import DEVICE_ID_SESSION_KEY, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from plaint.parties.models import User
from plaint.parties.two_factor import (
    SecondFactor,
    recovery_codes_left,
    recovery_codes_renew,
    totp_device_confirm,
    totp_device_of,
    totp_device_pending,
    totp_secret_base32,
    two_factor_off,
    two_factor_required,
)
from plaint.web.accounts import forms, throttle
from plaint.web.accounts.middleware import OWED_KEY, second_factor_owed_by
from plaint.web.accounts.views import landing_url, refused_response

#: Recovery codes just made, shown once by the next page (then gone from the session).
NEW_CODES_KEY = "plaint_new_recovery_codes"


def _next_url(request: HttpRequest) -> str:
    """Where the person was going (only on this site), or where their work is."""
    url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return landing_url(request.user)  # type: ignore[arg-type]


def _verified(request: HttpRequest, device: object) -> None:
    """Record the device in the session, under a new session key (the session's rights grew)."""
    otp_login(request, device)
    request.session.pop(OWED_KEY, None)
    request.session.cycle_key()


@login_required
@require_http_methods(["GET", "HEAD"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Whether two-factor sign-in is on, and the ways to set it up, renew the codes, turn it off."""
    user: User = request.user  # type: ignore[assignment]
    device = totp_device_of(user)
    return render(request, "web/accounts/two_factor.html", {
        "device": device, "codes_left": recovery_codes_left(user) if device else 0,
        "required": two_factor_required(user)})


def _setup_allowed(request: HttpRequest) -> bool:
    """Not for a session still owing a code: it could otherwise replace the device it owes."""
    return second_factor_owed_by(request) is not SecondFactor.VERIFY


@never_cache
@login_required
@sensitive_post_parameters("code")
@require_http_methods(["GET", "HEAD", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """The secret (as a QR code and as text) of a new authenticator; the code it then shows turns
    it on, verifies this session and makes the recovery codes (shown once on the next page)."""
    if not _setup_allowed(request):
        return redirect("web:two-factor-verify")
    user: User = request.user  # type: ignore[assignment]
    device = totp_device_pending(user=user)
    form = forms.TwoFactorCodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            codes = totp_device_confirm(device=device)
            _verified(request, device)
            request.session[NEW_CODES_KEY] = codes
            messages.success(request, gettext("Two-factor sign-in is on."))
            return redirect("web:two-factor-recovery-codes")
        form.add_error("code", gettext("This code is not right. Check the app shows Plaint and try "
                                       "the code it shows now."))
    form.describe_fields()
    return render(request, "web/accounts/two_factor_setup.html", {
        "form": form, "secret": totp_secret_base32(device), "required": two_factor_required(user),
        "next": request.GET.get(REDIRECT_FIELD_NAME, "")})


@never_cache
@login_required
@require_http_methods(["GET", "HEAD"])
def two_factor_qr(request: HttpRequest) -> HttpResponse:
    """The QR code of the authenticator being set up, as an SVG image (served from this site, so
    the page needs no inline image data or script)."""
    if not _setup_allowed(request):
        raise PermissionDenied
    device = totp_device_pending(user=request.user)  # type: ignore[arg-type]
    buffer = io.BytesIO()
    segno.make(device.config_url, error="m").save(buffer, kind="svg", scale=5, border=2,
                                                  xmldecl=False, svgns=True, title="")
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
@sensitive_post_parameters("code")
@require_http_methods(["GET", "HEAD", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step after the password: a code from the app or a recovery code (used up).
    Wrong codes count towards the same refusal as wrong passwords (``throttle``)."""
    if second_factor_owed_by(request) is not SecondFactor.VERIFY:
        return redirect(_next_url(request))
    user: User = request.user  # type: ignore[assignment]
    address = throttle.client_address(request)
    context: dict = {"next": _next_url(request)}
    if request.method == "POST":
        refusal = throttle.sign_in_refused(account=user.email, address=address)
        if refusal is None:
            form = forms.TwoFactorVerifyForm(request.POST)
            if form.is_valid():
                device = match_token(user, form.cleaned_data["code"])
                if device is not None:
                    throttle.sign_in_succeeded(account=user.email)
                    _verified(request, device)
                    if isinstance(device, StaticDevice):
                        left = recovery_codes_left(user)
                        messages.warning(request, ngettext(
                            "You signed in with a recovery code. %(count)d code is left.",
                            "You signed in with a recovery code. %(count)d codes are left.",
                            left) % {"count": left})
                    return redirect(context["next"])
                refusal = throttle.sign_in_failed(account=user.email, address=address)
                form.add_error("code", gettext("This code is not right, or it was used already."))
        if refusal is not None:
            form = forms.TwoFactorVerifyForm()
            form.describe_fields()
            context["form"] = form
            return refused_response(request, "web/accounts/two_factor_verify.html", context, refusal)
    else:
        form = forms.TwoFactorVerifyForm()
    form.describe_fields()
    context["form"] = form
    return render(request, "web/accounts/two_factor_verify.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def two_factor_recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes are shown once, right after they are made; later the page says how many
    are left and makes new ones (the old ones stop working)."""
    user: User = request.user  # type: ignore[assignment]
    if totp_device_of(user) is None:
        return redirect("web:two-factor")
    if request.method == "POST":
        request.session[NEW_CODES_KEY] = recovery_codes_renew(user=user)
        return redirect("web:two-factor-recovery-codes")
    codes = request.session.pop(NEW_CODES_KEY, None)
    return render(request, "web/accounts/two_factor_recovery_codes.html", {
        "codes": codes, "codes_left": recovery_codes_left(user)})


@login_required
@require_POST
def two_factor_turn_off(request: HttpRequest) -> HttpResponse:
    """Remove the authenticator and the codes; refused (403) to a manager or organisation admin."""
    user: User = request.user  # type: ignore[assignment]
    try:
        two_factor_off(user=user)
    except ValueError as refused:
        raise PermissionDenied from refused
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    messages.success(request, gettext("Two-factor sign-in is off."))
    return redirect("web:two-factor")
