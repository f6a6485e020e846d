"""The customer's complaint form: what a person without an account may tell a provider.

Only what the complaint needs is asked; nothing personal beyond a way to answer (an e-mail
address or a phone number) and an optional name."""

from __future__ import annotations

import re
import secrets
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from plaint.complaints.choices import DEMANDS_WITH_AMOUNT, DemandKind
from plaint.complaints.services.demands import CURRENCY
from plaint.parties.choices import ContactChannel
from plaint.web.customer.forms import evidence_field

SUBMISSION = re.compile(r"[0-9a-f]{32}")
PHONE = re.compile(r"\+?[0-9 ()./-]{6,40}")

# The currency a provider's customers most likely pay in; a field the customer can change.
COUNTRY_CURRENCY = {"CZ": "CZK", "PL": "PLN", "RO": "RON", "BR": "BRL", "US": "USD", "GB": "GBP"}
EURO_COUNTRIES = {"AT", "BE", "DE", "EE", "ES", "FI", "FR", "GR", "HR", "IE", "IT", "LT", "LU",
                  "LV", "MT", "NL", "PT", "SI", "SK", "CY"}


def country_currency(country: str) -> str:
    if country in EURO_COUNTRIES:
        return "EUR"
    return COUNTRY_CURRENCY.get(country, "")


# How a person may ask to be reached from the form (the web portal is where they follow it anyway).
PREFERRED_CHANNELS = (ContactChannel.EMAIL, ContactChannel.PHONE, ContactChannel.SMS, ContactChannel.LETTER)


class ComplaintForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail address"), max_length=254, required=False)
    phone = forms.CharField(label=_("Phone number"), max_length=40, required=False,
                            help_text=_("Give an e-mail address or a phone number, or both, so "
                                        "that the provider can answer you."))
    preferred_channel = forms.ChoiceField(
        label=_("How would you like to be contacted?"), required=False,
        choices=[("", _("As I wrote above")), *((c.value, c.label) for c in PREFERRED_CHANNELS)],
    )
    accessibility_needs = forms.CharField(
        label=_("Anything we should know to reach you well?"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example large print, calls instead of letters, or a sign-language interpreter."),
    )
    product = forms.CharField(label=_("Which service or product?"), max_length=120, required=False,
                              help_text=_("For example your internet tariff, a phone line or an order."))
    account_number = forms.CharField(
        label=_("Contract, account or order number"), max_length=64, required=False,
        help_text=_("If you know it: it helps the provider find your account."),
    )
    subject = forms.CharField(label=_("What is it about?"), max_length=200)
    description = forms.CharField(label=_("What happened?"), widget=forms.Textarea, max_length=20000)
    since = forms.DateField(label=_("Since when?"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}),
                            help_text=_("The date the problem started."))
    demand = forms.ChoiceField(label=_("What do you want?"), choices=DemandKind.choices)
    amount = forms.DecimalField(label=_("Amount"), required=False, min_value=Decimal("0.01"),
                                max_digits=14, decimal_places=2,
                                help_text=_("Needed for a refund, a price reduction or compensation."))
    currency = forms.CharField(label=_("Currency"), max_length=3, required=False,
                               help_text=_("Three letters, for example EUR."))
    # Files that show what happened, each checked on its content (type, size) before anything is
    # written: a refused file is an error on this field and no complaint is filed.
    evidence = evidence_field()
    language = forms.ChoiceField(label=_("Language for our answers"), choices=settings.LANGUAGES)
    # A random key per form shown: sending the same form twice (a double click, a retry after a
    # lost response) files one complaint (the intake's idempotency). Optional: a form without it
    # is still taken.
    submission = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_submission(self) -> str:
        value = self.cleaned_data["submission"]
        return value if SUBMISSION.fullmatch(value) else ""

    @staticmethod
    def new_submission() -> str:
        return secrets.token_hex(16)

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and (not PHONE.fullmatch(phone) or sum(c.isdigit() for c in phone) < 6):
            raise forms.ValidationError(_("Give the phone number in digits, for example +420 601 234 567."))
        return phone

    def clean_currency(self) -> str:
        currency = self.cleaned_data["currency"].strip().upper()
        if currency and not CURRENCY.match(currency):
            raise forms.ValidationError(_("Give the currency as three letters, for example EUR."))
        return currency

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("email") and not (data.get("phone") or "").strip() \
                and "email" not in self.errors and "phone" not in self.errors:
            message = _("Give an e-mail address or a phone number, so that the provider can answer you.")
            self.add_error("email", message)
            self.add_error("phone", message)
        if data.get("demand") in DEMANDS_WITH_AMOUNT and data.get("amount") is None \
                and "amount" not in self.errors:
            self.add_error("amount", _("Say how much you ask for."))
        channel = data.get("preferred_channel")
        if channel == ContactChannel.EMAIL and not data.get("email") and "email" not in self.errors:
            self.add_error("email", _("Give the e-mail address to be contacted by e-mail."))
        if channel in (ContactChannel.PHONE, ContactChannel.SMS) and not (data.get("phone") or "").strip() \
                and "phone" not in self.errors:
            self.add_error("phone", _("Give the phone number to be contacted by phone or SMS."))
        if data.get("amount") is not None and not data.get("currency") and "currency" not in self.errors:
            self.add_error("currency", _("Give the currency of the amount."))
        return data

    def describe_fields(self) -> None:
        """Tie each field to its help and its errors (``aria-describedby``) for screen readers;
        the template gives those elements the ids ``<field id>-help`` and ``<field id>-error``."""
        for bound in self:
            ids = []
            if bound.help_text:
                ids.append(f"{bound.auto_id}-help")
            if bound.errors:
                ids.append(f"{bound.auto_id}-error")
                bound.field.widget.attrs["aria-invalid"] = "true"
            if ids:
                bound.field.widget.attrs["aria-describedby"] = " ".join(ids)
