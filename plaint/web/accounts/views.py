"""A person's own account: signing in and out, signing up with a confirmed address, a new
password by e-mail, the account page, and the language.

What each page says never tells whether an address has an account: a wrong password and an
unknown address fail alike, a sign-up with a known address shows the same page (the owner gets
an e-mail instead), and a reset asked for an unknown address reads as sent.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from plaint.parties.actors import Principal
from plaint.parties.models import Customer, Membership, User
from plaint.parties.selectors import notification_preferences_of
from plaint.parties.services import (
    SignUp,
    invitation_pending,
    notification_preferences_set,
    user_confirm,
    user_invitation_accept,
    user_profile_set,
    user_sign_up,
)
from plaint.parties.two_factor import SecondFactor
from plaint.web.accounts import forms, mail, throttle
from plaint.web.accounts.middleware import profile_language, second_factor_owed_by

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def refusal_message(refusal: throttle.Refusal) -> str:
    """One message for every refusal: it never says whether the account exists."""
    return ngettext("Too many attempts. Try again in %(minutes)d minute.",
                    "Too many attempts. Try again in %(minutes)d minutes.",
                    refusal.minutes) % {"minutes": refusal.minutes}


def refused_response(request: HttpRequest, template: str, context: dict,
                     refusal: throttle.Refusal) -> HttpResponse:
    """The page again with the refusal's message: 429, and when to come back (Retry-After)."""
    context["refused"] = refusal_message(refusal)
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(refusal.seconds)
    return response


class SignInView(auth_views.LoginView):
    """Django's sign-in (it rotates the session and only follows a ``next`` on this site),
    refused for a while after too many failures for the account or from the client's address
    (``throttle``), and followed by the second step when the person owes one."""

    template_name = "web/accounts/sign_in.html"
    form_class = forms.SignInForm

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        refusal = throttle.sign_in_refused(account=request.POST.get("username", ""),
                                           address=throttle.client_address(request))
        if refusal is not None:
            return self._refused(refusal)
        return super().post(request, *args, **kwargs)

    def _refused(self, refusal: throttle.Refusal) -> HttpResponse:
        form = self.get_form_class()(self.request)
        form.describe_fields()
        return refused_response(self.request, self.template_name,
                                self.get_context_data(form=form), refusal)

    def form_invalid(self, form: forms.SignInForm) -> HttpResponse:  # type: ignore[override]
        account, password = form.data.get("username", ""), form.data.get("password", "")
        if account and password:  # an attempt (an empty form guesses nothing)
            refusal = throttle.sign_in_failed(account=account, address=throttle.client_address(self.request))
            if refusal is not None:
                return self._refused(refusal)
        return super().form_invalid(form)

    def form_valid(self, form: forms.SignInForm) -> HttpResponse:  # type: ignore[override]
        throttle.sign_in_succeeded(account=form.cleaned_data["username"])
        response = super().form_valid(form)  # signs in: a new session key
        owed = second_factor_owed_by(self.request)
        if owed is SecondFactor.NONE:
            return response
        step = "web:two-factor-verify" if owed is SecondFactor.VERIFY else "web:two-factor-setup"
        return redirect(reverse(step) + "?" + urlencode({REDIRECT_FIELD_NAME: response.url}))

    def get_form(self, form_class=None):  # type: ignore[no-untyped-def]  # noqa: ANN001
        form = super().get_form(form_class)
        form.describe_fields()
        return form

    def get_default_redirect_url(self) -> str:
        """Where a person goes when no page sent them here: to their work, not the home page."""
        return landing_url(self.request.user)  # type: ignore[arg-type]


def landing_url(user: User) -> str:
    """Staff go to the console of their first organisation (by name), a customer to their
    complaints, anyone else home."""
    membership = (
        Membership.objects.filter(user=user, is_active=True).select_related("organisation")
        .order_by("organisation__name").first()
    )
    if membership is not None:
        return reverse("web:console-queue", args=[membership.organisation.slug])
    if Customer.objects.filter(user=user).exists():
        return reverse("web:my-complaints")
    return reverse("web:home")


sign_in = SignInView.as_view()
# Signing out is a POST (a link or an image could sign anyone out); Django refuses a GET.
sign_out = auth_views.LogoutView.as_view()


# --- Signing up -------------------------------------------------------------------------------


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "HEAD", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("web:account")
    if request.method == "POST":
        form = forms.SignUpForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            user, outcome = user_sign_up(email=data["email"], full_name=data["full_name"],
                                         password=data["password1"],
                                         preferred_language=data["preferred_language"])
            if outcome is SignUp.EXISTS:
                mail.account_exists_send(request, user)
            else:
                mail.confirmation_send(request, user)
            return redirect("web:sign-up-sent")
    else:
        form = forms.SignUpForm(initial={"preferred_language": translation.get_language()})
    form.describe_fields()
    return render(request, "web/accounts/sign_up.html", {"form": form})


@require_http_methods(["GET", "HEAD"])
def sign_up_sent(request: HttpRequest) -> HttpResponse:
    """The same page whether the address was new or not."""
    return render(request, "web/accounts/sign_up_sent.html")


def _user_from_link(uidb64: str, token: str) -> User | None:
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = User.objects.filter(pk=pk).first()
    if user is None or not mail.sign_up_tokens.check_token(user, token):
        return None
    return user


@never_cache
@sensitive_post_parameters("password")
@require_http_methods(["GET", "HEAD", "POST"])
def sign_up_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """Opening the link asks for the password chosen at sign-up; with it (a POST) the account is
    turned on, the person signed in and given the customer records of their address.

    A GET changes nothing, so that a mail scanner opening the link neither uses it up nor gets a
    signed-in session. The password is asked because the link proves the mailbox, not who chose
    the password: someone who signed up with another person's address could otherwise have that
    person confirm it by a click, then sign in with the password they chose and read that
    person's complaints."""
    user = _user_from_link(uidb64, token)
    if user is None:
        return render(request, "web/accounts/sign_up_confirm.html", {"valid": False})
    form = forms.ConfirmForm(user, request.POST if request.method == "POST" else None)
    if form.is_valid():
        linked = user_confirm(user=user)
        login(request, user, backend=MODEL_BACKEND)  # a new session; the link is now used up
        with translation.override(user.preferred_language):  # the page after is in it
            messages.success(request, gettext("Your e-mail address is confirmed and your account is on."))
            if linked:
                messages.info(request, ngettext(
                    "We found the complaints you made to %(count)d provider with this address; "
                    "they are in your account.",
                    "We found the complaints you made to %(count)d providers with this address; "
                    "they are in your account.", len(linked)) % {"count": len(linked)})
        return redirect("web:account")
    form.describe_fields()
    return render(request, "web/accounts/sign_up_confirm.html",
                  {"valid": True, "email": user.email, "form": form})


# --- A staff invitation ----------------------------------------------------------------------


def _invited_from_link(uidb64: str, token: str) -> User | None:
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = User.objects.filter(pk=pk).first()
    if user is None or not invitation_pending(user) or not mail.invitation_tokens.check_token(user, token):
        return None
    return user


@never_cache
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "HEAD", "POST"])
def invitation(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The link of a staff invitation: a GET asks for a password (a mail scanner opening the link
    changes nothing); the POST sets it, turns the account on, signs the person in and takes them
    to the console of the organisation that invited them. The link works once."""
    user = _invited_from_link(uidb64, token)
    if user is None:
        return render(request, "web/accounts/invitation.html", {"valid": False})
    membership = (Membership.objects.filter(user=user, is_active=True).select_related("organisation")
                  .order_by("-pk").first())
    form = forms.InvitationForm(user, request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            user = user_invitation_accept(user=user, password=form.cleaned_data["password1"])
        except ValueError:  # taken up (or switched off) since the link was checked
            return render(request, "web/accounts/invitation.html", {"valid": False})
        login(request, user, backend=MODEL_BACKEND)  # a new session; the link is now used up
        with translation.override(user.preferred_language):
            messages.success(request, gettext("Your account is on. Welcome to Plaint."))
        return redirect("web:console-queue", org=membership.organisation.slug)  # type: ignore[union-attr]
    form.describe_fields()
    return render(request, "web/accounts/invitation.html", {
        "valid": True, "email": user.email, "organisation": membership.organisation,  # type: ignore[union-attr]
        "form": form})


# --- A new password ---------------------------------------------------------------------------

class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset, refused for a while after too many requests from one client address (each
    request may send an e-mail: the limit keeps the site from being used to flood a mailbox)."""

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        refusal = throttle.password_reset_requested(address=throttle.client_address(request))
        if refusal is not None:
            form = self.get_form_class()()
            form.describe_fields()
            return refused_response(request, self.template_name, self.get_context_data(form=form), refusal)
        return super().post(request, *args, **kwargs)


password_reset = PasswordResetView.as_view(
    template_name="web/accounts/password_reset.html",
    form_class=forms.PasswordResetForm,
    email_template_name="web/accounts/email/password_reset_body.txt",
    subject_template_name="web/accounts/email/password_reset_subject.txt",
    success_url=reverse_lazy("web:password-reset-done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="web/accounts/password_reset_done.html")
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="web/accounts/password_reset_confirm.html",
    form_class=forms.SetPasswordForm,
    success_url=reverse_lazy("web:password-reset-complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="web/accounts/password_reset_complete.html")
password_change = auth_views.PasswordChangeView.as_view(
    template_name="web/accounts/password_change.html",
    form_class=forms.PasswordChangeForm,
    success_url=reverse_lazy("web:password-change-done"),
)
password_change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="web/accounts/password_change_done.html")


# --- The account page -------------------------------------------------------------------------


def _is_staff(user: User) -> bool:
    return bool(Principal(user=user).memberships)


def _with_language_cookie(response: HttpResponse, language: str) -> HttpResponse:
    """Keep the cookie in step with the profile, so the pages stay in it after signing out."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    """The person's name and language (a new language applies at once: the page after the
    redirect is in it) and, for staff, which notifications they get by e-mail."""
    user: User = request.user  # type: ignore[assignment]
    if request.method == "POST":
        form = forms.ProfileForm(request.POST)
        if form.is_valid():
            user_profile_set(user=user, full_name=form.cleaned_data["full_name"],
                             preferred_language=form.cleaned_data["preferred_language"])
            with translation.override(user.preferred_language):
                messages.success(request, gettext("Your details are saved."))
            return _with_language_cookie(redirect("web:account"), user.preferred_language)
    else:
        form = forms.ProfileForm(initial={"full_name": user.full_name,
                                          "preferred_language": profile_language(user.preferred_language)})
    form.describe_fields()
    context = {"form": form, "is_staff": _is_staff(user)}
    if context["is_staff"]:
        context["notifications"] = forms.NotificationPreferencesForm(
            initial=notification_preferences_of(user), auto_id="id_notify_%s")
    return render(request, "web/accounts/account.html", context)


@login_required
@require_POST
def account_notifications(request: HttpRequest) -> HttpResponse:
    """Staff only (a customer has no staff notifications): the boxes ticked are the ones wanted."""
    user: User = request.user  # type: ignore[assignment]
    if not _is_staff(user):
        raise PermissionDenied
    form = forms.NotificationPreferencesForm(request.POST)
    form.is_valid()  # check boxes: every value is valid, a missing one is "no"
    notification_preferences_set(user=user, wanted=form.wanted())
    messages.success(request, gettext("Your notification settings are saved."))
    return redirect("web:account")


# --- The language switcher --------------------------------------------------------------------


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's ``set_language`` (the cookie, then back to ``next``), which for a signed-in
    person also saves the choice in their profile: their language comes from it on every page
    (``ProfileLanguageMiddleware``), so a cookie alone would change nothing for them."""
    language = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated \
            and language in dict(settings.LANGUAGES):
        user_profile_set(user=request.user, preferred_language=language)  # type: ignore[arg-type]
    return django_set_language(request)
