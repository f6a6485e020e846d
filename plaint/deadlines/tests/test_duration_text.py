"""Durations in words, as the public pages print them after "within"."""

from __future__ import annotations

import pytest
from django.utils import translation

from plaint.deadlines.durations import Duration, Unit
from plaint.deadlines.explanations import duration_text, within_text


@pytest.mark.parametrize(
    ("duration", "text"),
    [
        (Duration(1, Unit.CALENDAR_DAYS), "1 day"),
        (Duration(14, Unit.CALENDAR_DAYS), "14 days"),
        (Duration(3, Unit.BUSINESS_DAYS), "3 working days"),
        (Duration(1, Unit.MONTHS), "1 month"),
        (Duration(8, Unit.WEEKS), "8 weeks"),
        (Duration(24, Unit.HOURS), "24 hours"),
        (Duration(4, Unit.BUSINESS_HOURS), "4 working hours"),
        (Duration(30, Unit.MINUTES), "30 minutes"),
        (Duration(90, Unit.BUSINESS_MINUTES), "90 minutes of working time"),
        (Duration(6, Unit.YEARS), "6 years"),
    ],
)
def test_every_unit_reads_in_words_with_its_plural(duration, text):
    with translation.override("en"):
        assert duration_text(duration) == text


def test_within_text_wraps_the_duration():
    with translation.override("en"):
        assert within_text(Duration(14, Unit.CALENDAR_DAYS)) == "within 14 days"


@pytest.mark.parametrize(
    ("language", "value", "text"),
    [
        ("cs", 1, "nejpozději za 1 měsíc"),
        ("cs", 2, "nejpozději za 2 měsíce"),
        ("cs", 6, "nejpozději za 6 měsíců"),
        ("pl", 1, "w ciągu 1 miesiąca"),
        ("pl", 3, "w ciągu 3 miesięcy"),
        ("ro", 2, "în termen de 2 luni"),
        ("ro", 20, "în termen de 20 de luni"),
        ("pt-br", 1, "em até 1 mês"),
        ("pt-br", 2, "em até 2 meses"),
    ],
)
def test_plural_forms_follow_each_language(language, value, text):
    with translation.override(language):
        assert within_text(Duration(value, Unit.MONTHS)) == text
