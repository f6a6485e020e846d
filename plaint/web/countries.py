"""Names of the countries that have statutory rule packs, as people read them."""

from django.utils.translation import gettext_lazy as _

COUNTRY_NAMES = {
    "BR": _("Brazil"),
    "CZ": _("Czechia"),
    "GB": _("United Kingdom"),
    "PL": _("Poland"),
    "RO": _("Romania"),
    "US": _("United States"),
}


def country_name(code: str) -> str:
    return str(COUNTRY_NAMES.get(code, code))
