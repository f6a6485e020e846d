"""references_in: complaint references in subjects and bodies, only with a correct check character."""

from __future__ import annotations

import pytest

from plaint.channels.mail import references_in
from plaint.core import references

REF = "7K3MQ9XD6"  # check character computed by plaint.core.references
OTHER = "ABCDEFGHV"


def test_the_fixed_references_are_valid():
    assert references.normalise(REF) == REF
    assert references.normalise(OTHER) == OTHER


@pytest.mark.parametrize("text", [
    "Re: Reklamace 7K3M-Q9XD-6",
    "Re: Re: [Plaint 7K3M-Q9XD-6] Vaše stížnost",
    "re: stížnost 7k3m-q9xd-6",
    "Číslo reklamace: 7K3MQ9XD6.",
    "číslo 7k3mq9xd6, prosím",
    "ref 7K3M Q9XD 6 z telefonu",
    "(7K3M‐Q9XD‐6)",  # typographic hyphens
    "reference:7K3M-Q9XD-6\n",
])
def test_a_reference_is_found_in_its_written_forms(text):
    assert references_in(text) == [REF]


@pytest.mark.parametrize("text", [
    "Re: Reklamace 7K3M-Q9XD-7",  # wrong check character
    "tracking 7K3MQ9XD67",  # part of a longer token
    "X7K3MQ9XD6",
    "Call me on 777 123 456 or 777123456",
    "COMPLAINT about my ORDER",
    "ABCDEFGHV",  # nine letters written together: a word, not a reference
    "",
])
def test_text_without_a_valid_reference_gives_none(text):
    assert references_in(text) == []


def test_letter_only_references_count_when_grouped_as_we_print_them():
    assert references_in("Re: ABCD-EFGH-V") == [OTHER]


def test_several_references_in_order_without_duplicates():
    text = f"Týká se {references.display(OTHER)} a 7K3M-Q9XD-6; znovu {references.display(OTHER)}."
    assert references_in(text) == [OTHER, REF]


def test_every_generated_reference_is_found_in_its_displayed_form():
    for _ in range(300):
        reference = references.generate()
        assert references_in(f"Re: Stížnost {references.display(reference)}") == [reference]
        assert references_in(f"Re: Stížnost {references.display(reference).lower()}") == [reference]
