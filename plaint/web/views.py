"""The public pages: no sign-in, nothing about any complaint. A view parses, reads through a
selector and renders; what the pages say comes from the rule files and the providers' data."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from plaint.web import selectors
from plaint.web.countries import country_name


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
