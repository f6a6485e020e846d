"""The public pages: no sign-in, nothing about any complaint. A view parses, reads through a
selector and renders; what the pages say comes from the rule files and the providers' data."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_safe

from plaint.clocks.notifications import answer_deadline_context
from plaint.core import references
from plaint.core.exceptions import Conflict
from plaint.web import portal, selectors
from plaint.web.countries import country_name
from plaint.web.customer.access import follow_grant
from plaint.web.forms import ComplaintForm, country_currency
from plaint.web.ratelimits import limited


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"organisations": selectors.managed_organisations()})


@require_safe
def procedure(request: HttpRequest, slug: str) -> HttpResponse:
    found = selectors.organisation_procedure(slug)
    if found is None:
        raise Http404
    context = {"procedure": found, "country_name": country_name(found.organisation.country)}
    return render(request, "web/procedure.html", context)


@require_safe
def rights_index(request: HttpRequest) -> HttpResponse:
    countries = sorted(
        ((code, country_name(code), sectors) for code, sectors in selectors.rights_index()),
        key=lambda country: country[1],
    )
    return render(request, "web/rights_index.html", {"countries": countries})


@require_safe
def rights(request: HttpRequest, country: str, sector: str) -> HttpResponse:
    found = selectors.sector_rights(country.upper(), sector)
    if found is None:
        raise Http404
    return render(request, "web/rights.html", {"rights": found, "country_name": country_name(found.country)})


# The customer's complaint form: anyone may file, without an account. The confirmation page shows
# the complaint only to the session that filed it; nothing personal ever goes into a URL.
FILED_SESSION_KEY = "web.filed_complaint"


@require_http_methods(["GET", "HEAD", "POST"])
def complain(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.managed_organisation(slug)
    if organisation is None:
        raise Http404
    if (refused := limited(request, "complaint_form")) is not None:
        return refused
    if request.method == "POST":
        form = ComplaintForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                complaint = portal.complaint_file(organisation=organisation, data=form.cleaned_data)
            except Conflict:
                # This form was sent before with other details: take it again only on purpose.
                form = ComplaintForm({**request.POST.dict(), "submission": ComplaintForm.new_submission()},
                                     request.FILES)
                form.is_valid()
                form.add_error(None, gettext("This form was already sent with other details. "
                                             "Check them and send the complaint again."))
            else:
                request.session[FILED_SESSION_KEY] = {
                    "reference": complaint.reference, "emailed": bool(form.cleaned_data["email"]),
                }
                # The session that filed may follow the complaint at once (``/my/complaints/…``).
                follow_grant(request, complaint)
                return redirect("web:complaint-filed", slug=organisation.slug)
    else:
        form = ComplaintForm(initial={
            "submission": ComplaintForm.new_submission(),
            "currency": country_currency(organisation.country),
            "language": translation.get_language() or organisation.default_language,
        })
    form.describe_fields()
    return render(request, "web/complain.html", {"organisation": organisation, "form": form})


@require_safe
def complaint_filed(request: HttpRequest, slug: str) -> HttpResponse:
    filed = request.session.get(FILED_SESSION_KEY) or {}
    complaint = selectors.filed_complaint(slug, filed.get("reference", ""))
    if complaint is None:
        return redirect("web:complain", slug=slug)
    context = {
        "complaint": complaint,
        "reference": references.display(complaint.reference),
        "emailed": filed.get("emailed", False),
        **answer_deadline_context(complaint, "received"),
    }
    return render(request, "web/complaint_filed.html", context)
