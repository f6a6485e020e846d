from hypothesis import given
from hypothesis import strategies as st

from plaint.interchange.escaping import DANGEROUS_FIRST, escape, unescape

# Text that often starts with apostrophes and dangerous characters, so the edge cases are met.
cells = st.one_of(
    st.text(),
    st.builds(lambda a, d, rest: "'" * a + d + rest, st.integers(0, 3),
              st.sampled_from([*DANGEROUS_FIRST, "", "x", "'"]), st.text()),
)


@given(cells)
def test_unescape_gives_back_what_escape_was_given(value):
    # given any cell / when it is escaped and unescaped / then it is unchanged
    assert unescape(escape(value)) == value


@given(cells)
def test_no_escaped_cell_starts_with_a_dangerous_character(value):
    # given any cell / when it is escaped / then a spreadsheet would not run it as a formula
    escaped = escape(value)
    assert escaped[:1] not in set(DANGEROUS_FIRST)


@given(st.text().filter(lambda v: not v.lstrip("'")[:1] or v.lstrip("'")[0] not in DANGEROUS_FIRST))
def test_harmless_cells_are_left_alone(value):
    # given a cell no spreadsheet would run / when escaped and unescaped / then nothing changes
    assert escape(value) == value
    assert unescape(value) == value


def test_formulas_get_one_apostrophe_and_apostrophes_stay_reversible():
    # given formulas and cells that already look escaped / when escaped / then one apostrophe more
    assert escape("=SUM(A1:A9)") == "'=SUM(A1:A9)"
    assert escape("+420 123") == "'+420 123"
    assert escape("-5") == "'-5"
    assert escape("@cmd") == "'@cmd"
    assert escape("\tx") == "'\tx"
    assert escape("\rx") == "'\rx"
    assert escape("'=1") == "''=1"
    assert escape("it's") == "it's"
    assert unescape("''=1") == "'=1"
    assert unescape("'plain") == "'plain"
