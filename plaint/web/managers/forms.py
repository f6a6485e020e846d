"""The organisation admins' forms. Each validates what a person typed; the rules about the
organisation (unique names, the last admin, a policy deadline inside the law's) are the
services', whose refusals the views put back on the form (``add_service_errors``)."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from plaint.channels.models.incoming import ImapSecurity
from plaint.complaints.choices import Channel
from plaint.core.exceptions import ApplicationError
from plaint.deadlines.durations import Unit
from plaint.deadlines.explanations import START_TEXT
from plaint.deadlines.rules import Start
from plaint.parties.choices import Role, TeamKind
from plaint.parties.models import Team
from plaint.web.forms import ComplaintForm

UNIT_LABELS = {
    Unit.MINUTES: _("minutes"),
    Unit.HOURS: _("hours"),
    Unit.BUSINESS_MINUTES: _("business minutes"),
    Unit.BUSINESS_HOURS: _("business hours"),
    Unit.CALENDAR_DAYS: _("calendar days"),
    Unit.BUSINESS_DAYS: _("business days"),
    Unit.WEEKS: _("weeks"),
    Unit.MONTHS: _("months"),
    Unit.YEARS: _("years"),
}
EXPIRY_CHOICES = [("escalate", _("Escalate one level")), ("notify_manager", _("Tell the managers"))]


class AdminForm(forms.Form):
    """A form of these pages: fields tied to their help and errors like the complaint form's."""

    describe_fields = ComplaintForm.describe_fields

    def add_service_errors(self, error: ApplicationError) -> None:
        """A service's refusal on the fields it names, or above the form."""
        if not error.fields:
            self.add_error(None, error.message)
        for name, messages in error.fields.items():
            self.add_error(name if name in self.fields else None, messages)


class OrganisationDetailsForm(AdminForm):
    """What the public procedure page says about the organisation."""

    complaints_owner = forms.CharField(
        label=_("Responsible for complaints handling"), max_length=200, required=False,
        help_text=_("A name and position, for example: Jana Nováková, Head of Customer Care. "
                    "The public procedure page names them."),
    )
    complaint_email = forms.EmailField(label=_("E-mail address for complaints"), required=False)
    complaint_address = forms.CharField(
        label=_("Postal address for complaints"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class TeamForm(AdminForm):
    name = forms.CharField(label=_("Team name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind of work"), choices=TeamKind.choices)


class TeamChangeForm(AdminForm):
    name = forms.CharField(label=_("Team name"), max_length=120)
    is_active = forms.BooleanField(
        label=pgettext_lazy("team", "Active"),
        required=False,
        help_text=_("An inactive team keeps its members and complaints but is no longer offered."),
    )


class MemberFields(AdminForm):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    position = forms.CharField(
        label=_("Position"),
        max_length=120,
        required=False,
        help_text=_("Shown on the calls and letters this person records."),
    )
    location = forms.CharField(label=_("Location"), max_length=120, required=False)

    def __init__(
        self, *args: object, organisation_id: int, current_team_id: int | None = None, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # The active teams, and the member's own even if it was switched off since.
        self.fields["team"].queryset = Team.objects.filter(  # type: ignore[attr-defined]
            Q(is_active=True) | Q(pk=current_team_id), organisation_id=organisation_id
        ).order_by("name")


class MemberAddForm(MemberFields):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        required=False,
        help_text=_("Needed for a person who has no account on Plaint yet."),
    )
    field_order = ["email", "full_name", "role", "team", "position", "location"]


class MemberChangeForm(MemberFields):
    is_active = forms.BooleanField(
        label=pgettext_lazy("staff member", "Active"),
        required=False,
        help_text=_(
            "An inactive member can no longer work for the organisation; their records keep their name."
        ),
    )


class HoursForm(AdminForm):
    """Seven days, Monday first: open or closed, and from when to when."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for day in range(7):
            name = WEEKDAYS[day]
            self.fields[f"day{day}_open"] = forms.BooleanField(
                label=_("Open on %(day)s") % {"day": name}, required=False
            )
            self.fields[f"day{day}_from"] = forms.TimeField(
                label=_("Opens at"),
                required=False,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )
            self.fields[f"day{day}_to"] = forms.TimeField(
                label=_("Closes at"),
                required=False,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )

    def days(self) -> list[tuple[str, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (str(WEEKDAYS[d]), self[f"day{d}_open"], self[f"day{d}_from"], self[f"day{d}_to"])
            for d in range(7)
        ]

    def clean(self) -> dict:
        data = super().clean()
        for day in range(7):
            if data.get(f"day{day}_open"):
                for end in ("from", "to"):
                    if data.get(f"day{day}_{end}") is None and f"day{day}_{end}" not in self.errors:
                        self.add_error(f"day{day}_{end}", _("Give the time."))
        return data

    def hours(self) -> list:
        data = self.cleaned_data
        return [
            (data[f"day{d}_from"], data[f"day{d}_to"]) if data.get(f"day{d}_open") else None for d in range(7)
        ]


class ClosingDayForm(AdminForm):
    day = forms.DateField(label=_("Closed on"), widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(
        label=_("Why (for example a company holiday)"), max_length=200, required=False
    )


class CategoryForm(AdminForm):
    code = forms.SlugField(
        label=_("Code"),
        max_length=64,
        help_text=_(
            "Small letters, digits, hyphens and underscores; stored with each complaint and never changed."
        ),
    )
    name = forms.CharField(label=pgettext_lazy("thing", "Name"), max_length=120)


class CategoryChangeForm(AdminForm):
    name = forms.CharField(label=pgettext_lazy("thing", "Name"), max_length=120)
    is_active = forms.BooleanField(
        label=pgettext_lazy("category", "Active"),
        required=False,
        help_text=_("An inactive category is no longer offered; complaints filed under it keep it."),
    )


class PolicyRuleForm(AdminForm):
    code = forms.SlugField(
        label=_("Code"),
        max_length=60,
        help_text=_("Letters, digits, hyphens and underscores; a new version of a rule keeps its code."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    start = forms.ChoiceField(label=_("Starts when"), choices=[(s.value, START_TEXT[s]) for s in Start])
    duration_value = forms.IntegerField(label=_("Duration"), min_value=1, max_value=10000)
    duration_unit = forms.ChoiceField(
        label=_("Unit"), choices=[(u.value, label) for u, label in UNIT_LABELS.items()]
    )
    channel = forms.ChoiceField(
        label=_("Only for complaints that came in by"),
        required=False,
        choices=[("", _("any channel")), *Channel.choices],
    )
    pauses_awaiting_customer = forms.BooleanField(
        label=_("Pauses while waiting for the customer"), required=False
    )
    warning_percent = forms.IntegerField(
        label=_("Warn when this percentage of the time has passed"), min_value=1, max_value=99, required=False
    )
    on_expiry = forms.MultipleChoiceField(
        label=_("When it runs out"),
        choices=EXPIRY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    is_active = forms.BooleanField(
        label=_("In force"), required=False, help_text=_("Clear it to switch the rule off from now.")
    )


class MailboxFields(AdminForm):
    imap_host = forms.CharField(
        label=_("IMAP server"),
        max_length=253,
        required=False,
        help_text=_("Leave empty when the mail server delivers the mail to Plaint itself."),
    )
    imap_port = forms.IntegerField(label=_("IMAP port"), min_value=1, max_value=65535, initial=993)
    imap_security = forms.ChoiceField(
        label=_("Connection security"), choices=ImapSecurity.choices, initial=ImapSecurity.SSL
    )
    imap_username = forms.CharField(label=_("IMAP user name"), max_length=254, required=False)
    imap_password = forms.CharField(
        label=_("IMAP password"),
        max_length=254,
        required=False,
        widget=forms.PasswordInput(render_value=False),
    )
    imap_folder = forms.CharField(label=_("IMAP folder"), max_length=200, initial="INBOX")


class MailboxAddForm(MailboxFields):
    address = forms.EmailField(label=_("Address"), max_length=254)
    field_order = [
        "address",
        "imap_host",
        "imap_port",
        "imap_security",
        "imap_username",
        "imap_password",
        "imap_folder",
    ]


class MailboxChangeForm(MailboxFields):
    is_active = forms.BooleanField(
        label=pgettext_lazy("mailbox", "Active"),
        required=False,
        help_text=_("An inactive mailbox is no longer fetched; its messages stay."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["imap_password"].help_text = _("Leave empty to keep the stored password.")
