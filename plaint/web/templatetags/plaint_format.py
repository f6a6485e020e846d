"""Numbers, money and dates written the way the reader's language writes them.

Django localises plain numbers and dates (``{{ value|date:"DATE_FORMAT" }}``, ``{{ n }}``) from its
own format files; money needs the currency's symbol and placement too ("1 234,50 Kč",
"R$ 1.234,50", "£1,234.50"), which is what Babel's CLDR data is for. Use::

    {% load plaint_format %}
    {{ demand.amount|money:demand.currency }}    {{ complaint.received_at|day }}
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel import Locale
from babel.numbers import format_currency, format_decimal
from django import template
from django.utils import formats, timezone, translation

register = template.Library()


def babel_locale(language: str | None = None) -> Locale:
    """Babel's locale for a Django language code (``pt-br`` → ``pt_BR``)."""
    code = translation.to_locale(language or translation.get_language() or "en")
    return Locale.parse(code)


@register.filter
def money(amount: Decimal | int | str | None, currency: str) -> str:
    """``amount`` in ``currency`` for the active language; empty when there is no amount."""
    if amount is None or amount == "":
        return ""
    return format_currency(Decimal(amount), currency, locale=babel_locale())


@register.filter
def number(value: Decimal | int | float | None) -> str:
    """A number with the language's grouping and decimal separator."""
    if value is None:
        return ""
    return format_decimal(value, locale=babel_locale())


@register.filter
def day(value: datetime | date | None) -> str:
    """A date in the language's long form ("4. prosince 2026", "4 December 2026"); an aware
    datetime is read in the current time zone first (``{% timezone %}`` sets it)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return formats.date_format(value, "DATE_FORMAT")


@register.filter
def moment(value: datetime | None) -> str:
    """A date and time in the language's form, in the current time zone."""
    if value is None:
        return ""
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
