"""Money, numbers and dates are written the way each language writes them (CLDR through Babel
for money; Django's format files for dates)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from plaint.web.templatetags.plaint_format import day, moment, money, number


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "CZK1,234.50"), ("cs", "1\xa0234,50\xa0Kč"), ("pl", "1\xa0234,50\xa0CZK"),
    ("ro", "1.234,50\xa0CZK"), ("pt-br", "CZK\xa01.234,50"),
])
def test_money_is_written_with_the_languages_separators_and_the_currencys_sign(language, expected):
    # given an amount in Czech crowns, when written in the language, then it reads as that language does
    with translation.override(language):
        assert money(Decimal("1234.5"), "CZK") == expected


def test_money_without_an_amount_is_empty_and_numbers_group_digits():
    with translation.override("cs"):
        assert money(None, "EUR") == ""
        assert number(Decimal("12345.67")) == "12\xa0345,67"


@pytest.mark.parametrize(("language", "expected"), [
    ("cs", "4. prosince 2026"), ("pl", "4 grudnia 2026"), ("pt-br", "4 de Dezembro de 2026"),
])
def test_a_day_is_written_in_the_language(language, expected):
    with translation.override(language):
        assert day(date(2026, 12, 4)) == expected


def test_a_moment_is_read_in_the_current_time_zone():
    # given 23:30 UTC, which is already the next day in Prague
    instant = datetime(2026, 12, 4, 23, 30, tzinfo=UTC)
    with translation.override("cs"), timezone.override("Europe/Prague"):
        # then the day and the time are Prague's
        assert day(instant) == "5. prosince 2026"
        assert moment(instant) == "5. prosince 2026 0:30"
