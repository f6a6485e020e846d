"""The forms of a complaint's console page, one per action. Each only parses what a person typed;
the rules are the services' (a refusal comes back as an ``ApplicationError`` whose ``fields``
``add_service_error`` puts on the form's own fields)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from plaint.complaints.choices import Channel, DemandKind, Direction, Outcome, PromiseKind, RemedyKind
from plaint.complaints.services.demands import CURRENCY
from plaint.core.exceptions import ApplicationError

DEMAND_ROWS = 3
PROMISE_ROWS = 2
MONEY = {"min_value": Decimal("0.01"), "max_digits": 14, "decimal_places": 2}


def _text(label: object, *, required: bool = True, rows: bool = True, **kwargs: object) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": 4}) if rows else forms.TextInput
    return forms.CharField(label=label, required=required, widget=widget, **kwargs)  # type: ignore[arg-type]


def _moment(label: object, *, required: bool = True, **kwargs: object) -> forms.DateTimeField:
    """A date and time typed in the organisation's time zone (the view activates it)."""
    return forms.DateTimeField(label=label, required=required,
                               widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                          format="%Y-%m-%dT%H:%M"), **kwargs)  # type: ignore[arg-type]


def _currency(value: str) -> str:
    value = value.strip().upper()
    if value and not CURRENCY.match(value):
        raise forms.ValidationError(_("Give the currency as three letters, for example EUR."))
    return value


class CaseForm(forms.Form):
    """Shared by every action's form: the accessible description of fields and the mapping of a
    service's field names (``team_id``, ``demands.0.amount``) onto the form's."""

    service_fields: dict[str, str] = {}

    def describe_fields(self) -> None:
        """Tie each field to its help and its errors (``aria-describedby``), as the public form does."""
        for bound in self:
            ids = []
            if bound.help_text:
                ids.append(f"{bound.auto_id}-help")
            if bound.errors:
                ids.append(f"{bound.auto_id}-error")
                bound.field.widget.attrs["aria-invalid"] = "true"
            if ids:
                bound.field.widget.attrs["aria-describedby"] = " ".join(ids)

    def add_service_error(self, error: ApplicationError) -> None:
        """Show a service's refusal: on the fields it names, else above the form."""
        placed = False
        for key, texts in error.fields.items():
            name = self.service_fields.get(key, key)
            if name in self.fields and name not in self.errors:
                for text in texts:
                    self.add_error(name, text)
                placed = True
        if not placed:
            self.add_error(None, error.message)


class AcknowledgeForm(CaseForm):
    """Nothing to type: the acknowledgement is sent to the customer by the service."""


class InteractionForm(CaseForm):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.PHONE)
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    started_at = _moment(_("Started"), help_text=_("Date and time in the organisation's time zone."))
    duration_minutes = forms.IntegerField(label=_("Duration in minutes"), min_value=0, max_value=24 * 60,
                                          initial=0)
    notes = _text(_("Summary"), help_text=_("What was said and agreed."))
    references_quoted = forms.CharField(label=_("Reference numbers the customer quoted"), required=False,
                                        max_length=500, help_text=_("Separated by commas."))
    internal = forms.BooleanField(label=_("Internal: not shown to the customer"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.service_fields = {"duration_seconds": "duration_minutes", "visibility": "internal"}
        for row in range(PROMISE_ROWS):
            number = {"n": row + 1}
            self.fields[f"promise_kind_{row}"] = forms.ChoiceField(
                label=_("Promise %(n)d") % number, required=False,
                choices=[("", _("No promise")), *PromiseKind.choices])
            self.fields[f"promise_due_{row}"] = _moment(_("Promise %(n)d is due") % number, required=False)
            self.fields[f"promise_description_{row}"] = forms.CharField(
                label=_("What was promised (promise %(n)d)") % number, required=False, max_length=500)
            for part in ("kind", "due_at", "description"):
                name = "due" if part == "due_at" else part
                self.service_fields[f"promises.{row}.{part}"] = f"promise_{name}_{row}"

    def clean(self) -> dict:
        data = super().clean()
        for row in range(PROMISE_ROWS):
            due = f"promise_due_{row}"
            if data.get(f"promise_kind_{row}") and not data.get(due) and due not in self.errors:
                self.add_error(due, _("Say when the promise falls due."))
        return data

    def references(self) -> list[str]:
        return [r.strip() for r in self.cleaned_data["references_quoted"].split(",") if r.strip()]

    def promises(self) -> list[dict]:
        """The promise rows with a kind, as the service's ``PromiseSpec`` arguments."""
        data = self.cleaned_data
        return [{"kind": data[f"promise_kind_{row}"], "due_at": data[f"promise_due_{row}"],
                 "description": data[f"promise_description_{row}"]}
                for row in range(PROMISE_ROWS) if data.get(f"promise_kind_{row}")]


class MessageForm(CaseForm):
    body = _text(_("Message to the customer"), max_length=20000,
                 help_text=_("Sent to the customer by e-mail and shown on their page."))


class NoteForm(CaseForm):
    body = _text(_("Internal note"), max_length=20000,
                 help_text=_("Only staff read it; the customer never sees it."))


class DemandsForm(CaseForm):
    """Up to three demands; recording them replaces those recorded before."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for row in range(DEMAND_ROWS):
            number = row + 1
            blank = [] if row == 0 else [("", _("None"))]
            self.fields[f"kind_{row}"] = forms.ChoiceField(
                label=_("Demand %(n)d") % {"n": number}, choices=[*blank, *DemandKind.choices],
                required=row == 0)
            self.fields[f"amount_{row}"] = forms.DecimalField(
                label=_("Amount of demand %(n)d") % {"n": number}, required=False, **MONEY)  # type: ignore[arg-type]
            self.fields[f"currency_{row}"] = forms.CharField(
                label=_("Currency of demand %(n)d") % {"n": number}, required=False, max_length=3)
            self.fields[f"detail_{row}"] = forms.CharField(
                label=_("Detail of demand %(n)d") % {"n": number}, required=False, max_length=2000)
        self.service_fields = {"demands": "kind_0"}
        for row in range(DEMAND_ROWS):
            for part in ("kind", "amount", "currency", "detail"):
                self.service_fields[f"demands.{row}.{part}"] = f"{part}_{row}"

    def clean(self) -> dict:
        data = super().clean()
        for row in range(DEMAND_ROWS):
            name = f"currency_{row}"
            if name in data:
                try:
                    data[name] = _currency(data[name])
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return data

    def rows(self) -> list[list[forms.BoundField]]:
        return [[self[f"{part}_{row}"] for part in ("kind", "amount", "currency", "detail")]
                for row in range(DEMAND_ROWS)]

    def demands(self) -> list[dict]:
        """The rows with a kind, as the service's ``DemandSpec`` arguments."""
        data = self.cleaned_data
        return [
            {"kind": data[f"kind_{row}"], "amount": data.get(f"amount_{row}"),
             # the currency is pre-filled: it counts only with an amount
             "currency": data.get(f"currency_{row}", "") if data.get(f"amount_{row}") is not None else "",
             "detail": data.get(f"detail_{row}", "")}
            for row in range(DEMAND_ROWS) if data.get(f"kind_{row}")
        ]


class RequestInformationForm(CaseForm):
    question = _text(_("What do you need from the customer?"), max_length=5000,
                     help_text=_("Sent to the customer with the request."))
    service_fields = {"reason": "question"}


class EscalateForm(CaseForm):
    reason = _text(_("Why escalate?"), max_length=5000)


class AssignForm(CaseForm):
    team = forms.ChoiceField(label=_("Team"), required=False)
    member = forms.ChoiceField(label=_("Handler"), required=False,
                               help_text=_("A handler chosen alone brings their team."))
    service_fields = {"team_id": "team", "assignee_id": "member"}

    def __init__(self, *args: object, teams: list = (), members: list = (), **kwargs: object) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["team"].choices = [("", _("No team")), *((str(t.pk), t.name) for t in teams)]
        self.fields["member"].choices = [("", _("Nobody")), *(
            (str(m.pk), f"{m.user.full_name} ({m.get_role_display()})") for m in members)]

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("team") and not data.get("member") and not self.errors:
            self.add_error(None, _("Choose a team, a handler, or both."))
        return data


class DecideForm(CaseForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", _("Choose")), *Outcome.choices])
    remedy_kind = forms.ChoiceField(label=_("Remedy"), choices=RemedyKind.choices)
    remedy_amount = forms.DecimalField(label=_("Amount"), required=False, **MONEY)  # type: ignore[arg-type]
    remedy_currency = forms.CharField(label=_("Currency"), required=False, max_length=3,
                                      help_text=_("Three letters, for example EUR."))
    remedy_detail = forms.CharField(label=_("Remedy detail"), required=False, max_length=2000)
    reasoning = _text(_("Reasoning"), max_length=20000,
                      help_text=_("Sent to the customer: explain the decision in plain words."))

    def clean_remedy_currency(self) -> str:
        return _currency(self.cleaned_data["remedy_currency"])

    def clean(self) -> dict:
        data = super().clean()
        if data.get("remedy_amount") is None and "remedy_amount" not in self.errors:
            data["remedy_currency"] = ""  # pre-filled: it counts only with an amount
        return data


class FinalResponseForm(CaseForm):
    text = _text(_("Final response"), max_length=20000)
    external_body = forms.CharField(label=_("External body the customer may turn to"), required=False,
                                    max_length=200)
    referral_deadline = forms.DateField(label=_("The customer may refer it until"), required=False,
                                        widget=forms.DateInput(attrs={"type": "date"}))


class CancellationExecutedForm(CaseForm):
    protocol = forms.CharField(widget=forms.HiddenInput, max_length=20)


class MoveMessageForm(CaseForm):
    message = forms.ChoiceField(label=_("Message"))
    to_reference = forms.CharField(label=_("Reference of the complaint it belongs to"), max_length=20)
    reason = forms.CharField(label=_("Why"), required=False, max_length=2000)

    def __init__(self, *args: object, messages: list = (), **kwargs: object) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["message"].choices = [
            (str(m.pk), f"{m.get_kind_display()} #{m.pk}: {m.body[:60]}") for m in messages]


class MergeForm(CaseForm):
    into_reference = forms.CharField(label=_("Merge this complaint into (reference)"), max_length=20,
                                     help_text=_("Another open complaint of the same customer. "
                                                 "This one is closed as merged into it."))
    reason = _text(_("Why merge?"), rows=False, max_length=2000)
