"""The forms of a person's own account. Each one follows the house form rules (docs/web.md): a
Django form validated on the server, rendered field by field through ``web/_field.html``, its
help and errors tied to the input by ``describe_fields()``."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from plaint.parties.models import NotificationPreferences, User


class Described:
    """``describe_fields()`` for any form: ``aria-describedby`` to the field's help and error
    (``<field id>-help``, ``<field id>-error``, the ids ``web/_field.html`` gives them)."""

    def describe_fields(self) -> None:
        for bound in self:  # type: ignore[attr-defined]
            ids = []
            if bound.help_text:
                ids.append(f"{bound.auto_id}-help")
            if bound.errors:
                ids.append(f"{bound.auto_id}-error")
                bound.field.widget.attrs["aria-invalid"] = "true"
            if ids:
                bound.field.widget.attrs["aria-describedby"] = " ".join(ids)


def _password_help() -> str:
    """What the validators ask for, as one sentence per validator (plain text: the help is a
    paragraph), in the language of the request that reads it."""
    return lazy(lambda: " ".join(password_validation.password_validators_help_texts()), str)()


def _language_choices() -> list[tuple[str, str]]:
    """Each language in its own name, as the switcher in the header lists them."""
    return [(code, translation.get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]


class SignInForm(Described, auth_forms.AuthenticationForm):
    """Django's sign-in with our labels and one message for every failure: a wrong password, an
    unknown address and an account not confirmed yet read the same (nothing says which)."""

    username = forms.EmailField(
        label=_("E-mail address"), max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("The e-mail address or the password is not right, or the account is not "
                           "confirmed yet. Check them and try again."),
        "inactive": _("The e-mail address or the password is not right, or the account is not "
                      "confirmed yet. Check them and try again."),
    }

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class SignUpForm(Described, forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}),
                             help_text=_("We send a link to this address; the account works once "
                                         "you open it."))
    full_name = forms.CharField(label=_("Your name"), max_length=200,
                                widget=forms.TextInput(attrs={"autocomplete": "name"}))
    password1 = forms.CharField(label=_("Password"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=_password_help())
    password2 = forms.CharField(label=_("The same password again"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    preferred_language = forms.ChoiceField(label=_("Language"), choices=_language_choices,
                                           help_text=_("The pages and our e-mails use it."))

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_full_name(self) -> str:
        return self.cleaned_data["full_name"].strip()

    def clean(self) -> dict:
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        elif first:
            # The validators compare the password with the name and the address too.
            person = User(email=data.get("email", ""), full_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(first, person)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class ConfirmForm(Described, forms.Form):
    """The password chosen at sign-up, which turns the account on with the link."""

    password = forms.CharField(
        label=_("The password you chose"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("If you did not create this account, close this page: nothing happens."),
    )

    def __init__(self, user: User, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not the password chosen for this account. If you "
                                          "forgot it, create the account again to get a new link."))
        return password


class InvitationForm(Described, forms.Form):
    """The password an invited staff member chooses, twice, checked by Django's validators
    (which compare it with the person's name and address too)."""

    password1 = forms.CharField(label=_("Password"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=_password_help())
    password2 = forms.CharField(label=_("The same password again"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, user: User, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.user = user

    def clean(self) -> dict:
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        elif first:
            try:
                password_validation.validate_password(first, self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class ProfileForm(Described, forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=200,
                                widget=forms.TextInput(attrs={"autocomplete": "name"}))
    preferred_language = forms.ChoiceField(label=_("Language"), choices=_language_choices,
                                           help_text=_("The pages and our e-mails use it."))

    def clean_full_name(self) -> str:
        return self.cleaned_data["full_name"].strip()


class NotificationPreferencesForm(Described, forms.Form):
    """A staff member's e-mail notifications: a box per kind, ticked when they want it."""

    assigned = forms.BooleanField(label=_("A complaint is assigned to me"), required=False)
    customer_replied = forms.BooleanField(label=_("A customer replied"), required=False)
    clock_at_risk = forms.BooleanField(label=_("A deadline is close"), required=False)
    clock_breached = forms.BooleanField(label=_("A deadline was missed"), required=False)

    def wanted(self) -> dict[str, bool]:
        return {kind: bool(self.cleaned_data[kind]) for kind in NotificationPreferences.KINDS}


class PasswordResetForm(Described, auth_forms.PasswordResetForm):
    """Django's reset, with our label, and the e-mail in the person's own language."""

    email = forms.EmailField(label=_("E-mail address"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):  # type: ignore[no-untyped-def]  # noqa: ANN001
        with translation.override(context["user"].preferred_language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class SetPasswordForm(Described, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(Described, auth_forms.PasswordChangeForm):
    pass


class TwoFactorCodeForm(Described, forms.Form):
    """The six digits an authenticator app shows, to confirm a new device."""

    code = forms.CharField(
        label=_("The code your app shows"), max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autofocus": True}),
        help_text=_("Six digits; a new one comes every 30 seconds."),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split())


class TwoFactorVerifyForm(Described, forms.Form):
    """The second step of signing in: a code from the app, or one of the recovery codes."""

    code = forms.CharField(
        label=_("Code"), max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).lower()
