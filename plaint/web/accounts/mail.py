"""The e-mails of signing up: the link that confirms an address, and the note sent instead when
the address already has an account; and those of a person an organisation's admin makes
staff: the invitation with its link, or a note that an existing account has access. Each is
written in the person's chosen language and sent through Django's mail settings
(``EMAIL_BACKEND``, ``DEFAULT_FROM_EMAIL``), like the password reset e-mails Django sends for us."""

from __future__ import annotations

import logging

from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.core.mail import EmailMessage
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from plaint.parties.models import Membership, User
from plaint.parties.services import invitation_pending

logger = logging.getLogger(__name__)


class SignUpTokenGenerator(PasswordResetTokenGenerator):
    """One-time links that confirm an address: Django's password-reset tokens with a salt of
    their own (a reset link cannot confirm, nor a confirmation link reset) that also cover
    ``is_active``, so a link stops working once it has been used (and when the password of a
    renewed sign-up changes)."""

    key_salt = "plaint.web.accounts.SignUpTokenGenerator"

    def _make_hash_value(self, user: User, timestamp: int) -> str:  # type: ignore[override]
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


sign_up_tokens = SignUpTokenGenerator()


class InvitationTokenGenerator(SignUpTokenGenerator):
    """One-time links of staff invitations: a salt of their own (neither a sign-up nor a reset
    link opens one). The hash covers the password, ``last_login`` and ``is_active``, all of which
    accepting changes, so a link works once. It lasts ``PASSWORD_RESET_TIMEOUT``; the staff page
    sends a new one."""

    key_salt = "plaint.web.accounts.InvitationTokenGenerator"


invitation_tokens = InvitationTokenGenerator()


def uid_of(user: User) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def confirmation_send(request: HttpRequest, user: User) -> None:
    """The link that proves the address and turns the account on."""
    link = request.build_absolute_uri(reverse(
        "web:sign-up-confirm", kwargs={"uidb64": uid_of(user), "token": sign_up_tokens.make_token(user)}))
    _send(user, "confirm", {"user": user, "link": link})


def account_exists_send(request: HttpRequest, user: User) -> None:
    """The note for a sign-up with an address that has an account: the owner learns of it (and
    gets a link to set a new password), the person who signed up learns nothing."""
    reset = request.build_absolute_uri(reverse(
        "web:password-reset-confirm",
        kwargs={"uidb64": uid_of(user), "token": default_token_generator.make_token(user)}))
    sign_in = request.build_absolute_uri(reverse("web:sign-in"))
    _send(user, "exists", {"user": user, "reset_link": reset, "sign_in_link": sign_in})


def staff_welcome_send(request: HttpRequest, membership: Membership) -> bool:
    """Tell a person just made staff: an invitation with a link to choose a password when they
    have no account they can use yet, a short note when they have one. A closed account gets
    nothing (an invitation must not reopen it). True when an e-mail was sent."""
    user = membership.user
    if invitation_pending(user):
        invitation_send(request, membership)
        return True
    if user.is_active:
        console = request.build_absolute_uri(
            reverse("web:console-queue", kwargs={"org": membership.organisation.slug}))
        _send(user, "staff_access", {"user": user, "organisation": membership.organisation, "link": console})
        return True
    return False


def invitation_send(request: HttpRequest, membership: Membership) -> None:
    """The one-time link with which an invited person chooses a password and signs in."""
    user = membership.user
    link = request.build_absolute_uri(reverse(
        "web:invitation", kwargs={"uidb64": uid_of(user), "token": invitation_tokens.make_token(user)}))
    _send(user, "invitation", {"user": user, "organisation": membership.organisation, "link": link})


def _send(user: User, name: str, context: dict) -> None:
    with translation.override(user.preferred_language):
        subject = "".join(render_to_string(f"web/accounts/email/{name}_subject.txt", context).splitlines())
        body = render_to_string(f"web/accounts/email/{name}_body.txt", context)
    message = EmailMessage(subject, body, to=[user.email], headers={
        # RFC 3282, so a mail client knows what it reads; RFC 3834: written by a program.
        "Content-Language": user.preferred_language, "Auto-Submitted": "auto-generated",
    })
    try:
        message.send()
    except OSError:  # smtplib's errors are OSErrors; the page must not say whether this was sent
        logger.exception("could not send the %s e-mail to user %s", name, user.pk)
