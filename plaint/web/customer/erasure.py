"""Erasure on request, from the person's data page: confirm with the password, then either a
refusal that names the complaints holding it (open, or with an external body), or the outcome
(erased; or erased except the complaint records a rule still keeps, with the rule and the date).

Erasure deactivates the account, so the person is signed out at once; the outcome page reads the
request from the new session (``SESSION_KEY``), which is all it ever shows.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from plaint.complaints.erasure import ErasureRefused, erasure_request
from plaint.complaints.models import ErasureChannel, ErasureRequest
from plaint.core import references
from plaint.deadlines.retention import retention_schedule
from plaint.web.customer.forms import Described

SESSION_KEY = "plaint_erasure_request"


class ErasureForm(Described, forms.Form):
    password = forms.CharField(
        label=_("Your password"), strip=False,
        help_text=_("To confirm that it is you who asks."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: object, user: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):  # type: ignore[attr-defined]
            raise forms.ValidationError(gettext("The password is not right."))
        return password


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def erase(request: HttpRequest) -> HttpResponse:
    """Ask for erasure: the password confirms, the service decides."""
    form = ErasureForm(request.POST if request.method == "POST" else None, user=request.user)
    held: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            done = erasure_request(user=request.user, channel=ErasureChannel.WEB,  # type: ignore[arg-type]
                                   requested_by=request.user)  # type: ignore[arg-type]
        except ErasureRefused as refused:
            form.add_error(None, refused.message)
            held = [references.display(reference) for reference in refused.references]
        else:
            logout(request)
            request.session[SESSION_KEY] = done.pk
            return redirect("web:my-data-erased")
    return render(request, "web/customer/erase.html", {"form": form.describe_fields(), "held": held})


def _rule_text(label: str) -> str:
    entry = retention_schedule().by_label(label)
    return f"{entry.source.law}, {entry.source.article}" if entry else label


@require_safe
def erased(request: HttpRequest) -> HttpResponse:
    """The outcome of the erasure asked in this browser session; nothing for anyone else."""
    done = ErasureRequest.objects.filter(pk=request.session.get(SESSION_KEY)).first()
    kept = [{"reference": references.display(item["reference"]), "rule": _rule_text(item["rule"]),
             "until": parse_datetime(item["until"]) if item["until"] else None}
            for item in (done.kept if done else [])]
    return render(request, "web/customer/erased.html", {"erasure": done, "kept": kept})
