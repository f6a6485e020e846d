"""The customer portal's forms: one per action, validated on the server. Each renders its fields
through ``web/_field.html`` (``describe_fields`` ties help and errors to the input).

The field ids carry a prefix per form (``call-…``, ``info-…``) since several forms share one
page. A service's ``ValidationFailed`` is put back on the form's fields (``add_service_errors``)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from plaint.complaints.services.evidence import evidence_inspect, sanitise_name
from plaint.core.exceptions import ApplicationError, ValidationFailed
from plaint.feedback.models import FeedbackKind

MAX_FILES = 10
SCALE = [(str(n), str(n)) for n in range(1, 6)]


class Described(forms.Form):
    """``describe_fields`` for screen readers, as ``ComplaintForm`` does it."""

    def describe_fields(self) -> Described:
        for bound in self:
            ids = []
            if bound.help_text:
                ids.append(f"{bound.auto_id}-help")
            if bound.errors:
                ids.append(f"{bound.auto_id}-error")
                bound.field.widget.attrs["aria-invalid"] = "true"
            if ids:
                bound.field.widget.attrs["aria-describedby"] = " ".join(ids)
        return self

    def add_service_errors(self, error: ApplicationError, fields: dict[str, str] | None = None) -> None:
        """A service's refusal on this form: its field errors on our fields (``fields`` maps the
        service's names to ours), anything else at the top of the form."""
        mapping = fields or {}
        placed = False
        if isinstance(error, ValidationFailed):
            for name, messages in error.fields.items():
                ours = mapping.get(name, name)
                if ours in self.fields:
                    for message in messages:
                        self.add_error(ours, message)
                    placed = True
        if not placed:
            self.add_error(None, error.message)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files in one field; each is checked on its content (type and size) by
    ``evidence_inspect``, the check ``evidence_add`` makes, so that a refused file is an error on
    the field before anything is written."""

    widget = MultipleFileInput

    def __init__(self, **kwargs: Any) -> None:  # noqa: ANN401
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:  # noqa: ANN401
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        files = [f for f in files if f]
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("Send at most %(n)d files at once.") % {"n": MAX_FILES})
        errors = []
        for upload in files:
            super().clean(upload, initial)
            try:
                evidence_inspect(upload)
            except ValidationFailed as refused:
                errors.append(forms.ValidationError(
                    _("%(name)s: %(message)s") % {"name": sanitise_name(upload.name or ""),
                                               "message": refused.message}
                ))
        if errors:
            raise forms.ValidationError(errors)
        return files


def _evidence_help_text() -> str:
    return gettext("Optional: photos, PDF documents, texts or sound recordings, up to "
                   "%(limit)d MB each.") % {"limit": settings.PLAINT_EVIDENCE_MAX_BYTES // 2**20}


# Read in the language of each request, not in the one active when the form class was built.
_evidence_help = lazy(_evidence_help_text, str)


def evidence_field() -> EvidenceField:
    return EvidenceField(
        label=_("Files"),
        help_text=_evidence_help(),
    )


class FollowForm(Described):
    reference = forms.CharField(label=_("Reference number"), max_length=40,
                                help_text=_("For example 7K3M-Q9XD-4."))
    contact = forms.CharField(label=_("E-mail address or phone number"), max_length=254,
                              help_text=_("The one you gave when you filed the complaint."))


class InformationForm(Described):
    body = forms.CharField(label=_("What would you like to add?"), widget=forms.Textarea,
                           max_length=20000)
    files = evidence_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401
        super().__init__(*args, prefix="info", **kwargs)


CALL_CHANNELS = [("phone", _("Phone call")), ("chat", _("Chat")), ("visit", _("Visit in person"))]
CALL_DIRECTIONS = [("inbound", _("I contacted the provider")),
                   ("outbound", _("The provider contacted me"))]


class CallForm(Described):
    channel = forms.ChoiceField(label=_("How"), choices=CALL_CHANNELS, initial="phone")
    direction = forms.ChoiceField(label=_("Who called"), choices=CALL_DIRECTIONS, initial="inbound",
                                  widget=forms.RadioSelect)
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}),
                            help_text=_("When the call started, in the provider's time zone."))
    minutes = forms.IntegerField(label=_("Duration in minutes"), min_value=0, max_value=24 * 60,
                                 required=False)
    agent_name = forms.CharField(label=_("Name of the person you spoke to"), max_length=200,
                                 required=False)
    agent_position = forms.CharField(label=_("Their position"), max_length=120, required=False,
                                     help_text=_("For example: customer service agent, supervisor."))
    reference_quoted = forms.CharField(label=_("Reference number they gave you"), max_length=60,
                                       required=False)
    notes = forms.CharField(label=_("What was said"), widget=forms.Textarea, max_length=20000,
                            required=False)
    promised = forms.CharField(label=_("What was promised"), max_length=2000, required=False)
    promised_by = forms.DateField(label=_("Promised by"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}),
                                  help_text=_("The date by which they promised it, if they gave one."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401
        super().__init__(*args, prefix="call", **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("promised_by") and not (data.get("promised") or "").strip() \
                and "promised" not in self.errors:
            self.add_error("promised", _("Say what was promised by that date."))
        return data

    def started_at(self, zone: Any) -> datetime:  # noqa: ANN401 - a ZoneInfo
        return datetime.combine(self.cleaned_data["day"], self.cleaned_data["start"], tzinfo=zone)

    def promised_due(self, zone: Any) -> datetime | None:  # noqa: ANN401
        """The end of the day promised, in the provider's time zone."""
        day = self.cleaned_data.get("promised_by")
        if day is None:
            return None
        return datetime.combine(day, time(0), tzinfo=zone) + timedelta(days=1)


class SupervisorForm(Described):
    words = forms.CharField(label=_("Why do you want a supervisor?"), widget=forms.Textarea,
                            max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401
        super().__init__(*args, prefix="supervisor", **kwargs)


class CancellationForm(Described):
    service = forms.CharField(label=_("Which service do you want to cancel?"), max_length=200)
    account_number = forms.CharField(label=_("Account or contract number"), max_length=64,
                                     required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401
        super().__init__(*args, prefix="cancel", **kwargs)


class DecisionResponseForm(Described):
    answer = forms.ChoiceField(label=_("Your answer"), widget=forms.RadioSelect, choices=[
        ("accept", _("I accept the decision")), ("reject", _("I reject the decision")),
    ])
    reason = forms.CharField(label=_("Why do you reject it?"), widget=forms.Textarea,
                             max_length=2000, required=False,
                             help_text=_("Needed if you reject the decision."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401
        super().__init__(*args, prefix="decision", **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("answer") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Please say why you reject the decision."))
        return data


class RatingForm(Described):
    resolved = forms.TypedChoiceField(
        label=_("Was your problem resolved?"), widget=forms.RadioSelect,
        choices=[("yes", _("Yes")), ("no", _("No"))], coerce=lambda v: v == "yes",
    )
    satisfaction = forms.TypedChoiceField(
        label=_("How satisfied are you with the handling?"), choices=SCALE, coerce=int,
        help_text=_("1 = very dissatisfied, 5 = very satisfied."),
    )
    effort = forms.TypedChoiceField(
        label=_("How much effort did it cost you?"), choices=SCALE, coerce=int,
        help_text=_("1 = very little, 5 = a great deal."),
    )
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea, max_length=2000,
                              required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401
        super().__init__(*args, prefix="rating", **kwargs)


class FeedbackCardForm(Described):
    kind = forms.ChoiceField(label=_("What is it?"), widget=forms.RadioSelect,
                             choices=FeedbackKind.choices)
    text = forms.CharField(label=_("Your message"), widget=forms.Textarea, max_length=2000)
    contact = forms.CharField(label=_("E-mail address or phone number"), max_length=254,
                              required=False,
                              help_text=_("Only if you would like an answer."))


class WithdrawForm(Described):
    """Withdrawing ends the complaint for good on the customer's word (a complaint can be
    reopened only after a decision), so the form asks for an explicit tick."""

    confirm = forms.BooleanField(label=_("Yes, I want to withdraw this complaint"))
    reason = forms.CharField(label=_("Why do you withdraw it?"), widget=forms.Textarea, max_length=2000,
                             required=False, help_text=_("Optional. For example: the problem was solved."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401
        super().__init__(*args, prefix="withdraw", **kwargs)


class ReopenForm(Described):
    reason = forms.CharField(label=_("Why do you want the complaint reopened?"), widget=forms.Textarea,
                             max_length=2000, help_text=_("For example: the promised refund never arrived."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401
        super().__init__(*args, prefix="reopen", **kwargs)


class ReferralForm(Described):
    body = forms.CharField(label=_("Which body did you take the complaint to?"), max_length=200,
                           help_text=_("The ombudsman, dispute resolution body, consumer organisation or "
                                       "regulator."))
    body_reference = forms.CharField(label=_("Their case number"), max_length=120, required=False,
                                     help_text=_("Optional, if they gave you one."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401
        super().__init__(*args, prefix="referral", **kwargs)


class ExternalOutcomeForm(Described):
    outcome = forms.CharField(label=_("What did the external body decide?"), widget=forms.Textarea,
                              max_length=5000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401
        super().__init__(*args, prefix="outcome", **kwargs)
