import itertools

import pytest

from plaint.core import references


def test_a_generated_reference_is_valid_and_readable():
    # given / when
    reference = references.generate()
    # then
    assert len(reference) == references.LENGTH
    assert set(reference) <= set(references.ALPHABET)
    assert references.normalise(reference) == reference
    assert references.display(reference).count("-") == 2


def test_every_single_mistyped_character_is_caught():
    for _ in range(200):
        # given a valid reference
        reference = references.generate()
        # when any one character is replaced by any other of the alphabet
        for position, wrong in itertools.product(range(references.LENGTH), references.ALPHABET):
            if reference[position] == wrong:
                continue
            typo = reference[:position] + wrong + reference[position + 1:]
            # then the check character does not match
            assert references.normalise(typo) is None, (reference, typo)


def test_most_swaps_of_neighbours_are_caught():
    # given many references, when two neighbouring characters are swapped
    caught = total = 0
    for _ in range(500):
        reference = references.generate()
        for i in range(references.LENGTH - 1):
            if reference[i] == reference[i + 1]:
                continue
            swapped = reference[:i] + reference[i + 1] + reference[i] + reference[i + 2:]
            total += 1
            caught += references.normalise(swapped) is None
    # then nearly all are caught (Luhn mod N misses only one pair of values)
    assert caught / total > 0.97


def test_typed_references_are_forgiving_about_case_spaces_dashes_and_lookalikes():
    reference = "0123ABCD"
    full = reference + references.check_character(reference)
    typed = f" o12-3abc d{full[-1].lower()} "
    assert references.normalise(typed) == full


@pytest.mark.parametrize("text", ["", "ABC", "0123ABCDE0", "0123ABCU" + "0", "!!!!!!!!!"])
def test_malformed_text_is_not_a_reference(text):
    assert references.normalise(text) is None
