"""The console's forms: the queue's filters, bulk assignment, finding a caller, logging a call and
opening a complaint for a caller. Validation only; the services decide what is allowed."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from plaint.complaints.choices import (
    LEVEL_CHOICES,
    STATE_CHOICES,
    Channel,
    Direction,
    PromiseKind,
    Visibility,
)
from plaint.core import clock
from plaint.web.forms import PHONE, SUBMISSION

OPEN = "open"
ANY = "any"
TABS = ("mine", "team", "all")


class DescribedForm(forms.Form):
    """A form whose fields are tied to their help and errors for screen readers (as the
    complaint form's ``describe_fields``)."""

    def describe_fields(self) -> None:
        for bound in self:
            ids = []
            if bound.help_text:
                ids.append(f"{bound.auto_id}-help")
            if bound.errors:
                ids.append(f"{bound.auto_id}-error")
                bound.field.widget.attrs["aria-invalid"] = "true"
            if ids:
                bound.field.widget.attrs["aria-describedby"] = " ".join(ids)


class QueueFilterForm(DescribedForm):
    """The queue's filters, read from the query string (every field optional)."""

    q = forms.CharField(label=_("Search"), max_length=200, required=False,
                        help_text=_("A reference, words of the subject, or the customer's name, "
                                    "e-mail address or phone number."))
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=[("", _("Open")), (ANY, _("Any state")), *STATE_CHOICES])
    level = forms.TypedChoiceField(label=_("Level"), required=False, coerce=int, empty_value=None,
                                   choices=[("", _("Any level")), *LEVEL_CHOICES])
    category = forms.CharField(label=_("Category"), max_length=64, required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False,
                                choices=[("", _("Any channel")), *Channel.choices])
    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int, empty_value=None)
    assignee = forms.TypedChoiceField(label=_("Handled by"), required=False, coerce=int,
                                      empty_value=None)

    def __init__(self, *args: object, teams: list, members: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["team"].choices = [("", _("Any team")), *((t.pk, t.name) for t in teams)]  # type: ignore[attr-defined]
        self.fields["assignee"].choices = [  # type: ignore[attr-defined]
            ("", _("Anyone")), *((m.pk, m.user.full_name or m.user.email) for m in members)
        ]


class AnyReferences(forms.MultipleChoiceField):
    """Any short values: the references a page listed (each is checked again when assigned)."""

    def valid_value(self, value: str) -> bool:
        return len(value) <= 20


class BulkAssignForm(forms.Form):
    """Several complaints of the queue to one handler."""

    complaint = AnyReferences(label=_("Complaints"),
                                          error_messages={"required": _("Choose at least one complaint.")})
    assignee = forms.TypedChoiceField(label=_("Assign to"), coerce=int,
                                      error_messages={"required": _("Choose who handles them.")})
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, members: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["assignee"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose a person")), *((m.pk, m.user.full_name or m.user.email) for m in members)
        ]

    def clean_complaint(self) -> list[str]:
        return [r for r in self.cleaned_data["complaint"] if r][:200]


class CallerSearchForm(DescribedForm):
    """Who is calling: any of these finds the organisation's customers."""

    phone = forms.CharField(label=_("Phone number"), max_length=40, required=False)
    account_number = forms.CharField(label=_("Account number"), max_length=64, required=False)
    email = forms.CharField(label=_("E-mail address"), max_length=254, required=False)
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=200, required=False)

    def has_query(self) -> bool:
        return self.is_valid() and any(v.strip() for v in self.cleaned_data.values())


class CallLogForm(DescribedForm):
    """A call or chat as it happens, with what was promised in it."""

    channel = forms.ChoiceField(label=_("How"), choices=[(Channel.PHONE, Channel.PHONE.label),
                                                          (Channel.CHAT, Channel.CHAT.label)])
    direction = forms.ChoiceField(label=_("Who called"), choices=Direction.choices)
    started_at = forms.DateTimeField(
        label=_("Started at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                          format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    duration_minutes = forms.IntegerField(label=_("Duration in minutes"), min_value=0,
                                          max_value=24 * 60, initial=0)
    notes = forms.CharField(label=_("What was said"), widget=forms.Textarea(attrs={"rows": 4}),
                            max_length=20000, required=False)
    visibility = forms.ChoiceField(label=_("Who may read it"), choices=Visibility.choices,
                                   initial=Visibility.CUSTOMER)
    promise_kind = forms.ChoiceField(label=_("What was promised"), required=False,
                                     choices=[("", _("Nothing")), *PromiseKind.choices])
    promise_due_at = forms.DateTimeField(
        label=_("Promised by"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    promise_description = forms.CharField(label=_("The promise in words"), max_length=2000,
                                          required=False)

    @classmethod
    def initial_now(cls) -> dict[str, object]:
        now = timezone.localtime(clock.now()).replace(second=0, microsecond=0)
        return {"started_at": now, "promise_due_at": None, "duration_minutes": 0}

    def clean(self) -> dict:
        data = super().clean()
        if data.get("promise_kind") and not data.get("promise_due_at") \
                and "promise_due_at" not in self.errors:
            self.add_error("promise_due_at", _("Say by when it was promised."))
        if data.get("promise_due_at") and not data.get("promise_kind") and "promise_kind" not in self.errors:
            self.add_error("promise_kind", _("Say what was promised."))
        return data

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.cleaned_data["duration_minutes"])


class CallComplaintForm(DescribedForm):
    """A new complaint taken on a call: what it is about, in the caller's words."""

    channel = forms.ChoiceField(label=_("How"), choices=[(Channel.PHONE, Channel.PHONE.label),
                                                          (Channel.CHAT, Channel.CHAT.label)])
    subject = forms.CharField(label=_("What is it about?"), max_length=200)
    description = forms.CharField(label=_("What happened?"), widget=forms.Textarea, max_length=20000)
    category = forms.CharField(label=_("Category"), max_length=64, required=False)
    submission = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_submission(self) -> str:
        value = self.cleaned_data["submission"]
        return value if SUBMISSION.fullmatch(value) else ""

    @staticmethod
    def new_submission() -> str:
        return secrets.token_hex(16)


class NewCallerForm(CallComplaintForm):
    """A caller who is not yet a customer: a name and a way to answer them."""

    full_name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=200)
    phone = forms.CharField(label=_("Phone number"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail address"), max_length=254, required=False)
    field_order = ["full_name", "phone", "email", "channel", "subject", "description", "category"]

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and (not PHONE.fullmatch(phone) or sum(c.isdigit() for c in phone) < 6):
            raise forms.ValidationError(_("Give the phone number in digits, for example +420 601 234 567."))
        return phone

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("email") and not data.get("phone") \
                and "email" not in self.errors and "phone" not in self.errors:
            message = _("Give a phone number or an e-mail address.")
            self.add_error("phone", message)
        return data
