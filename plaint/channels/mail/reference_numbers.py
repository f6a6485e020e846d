"""Finding Plaint complaint references in what a customer sends back.

Replies usually keep our subject ("Re: Stížnost 7K3M-Q9XD-4"), and customers
paste references into the text, grouped or not, in upper or lower case. Only a
candidate whose check character is right counts (``plaint.core.references``),
so a tracking number or an order number of nine characters does not match by chance.
"""

from __future__ import annotations

import re

from plaint.core import references

# Nine characters of the alphabet (and the letters normalise() reads as digits), grouped
# 4-4-1 with dashes or spaces, or written together; not part of a longer word.
_SEPARATOR = r"[-\u2010-\u2015 ]?"
_CHAR = r"[0-9A-Za-z]"
_CANDIDATE = re.compile(
    rf"(?<![0-9A-Za-z-])({_CHAR}{{4}}{_SEPARATOR}{_CHAR}{{4}}{_SEPARATOR}{_CHAR})(?![0-9A-Za-z])"
)


def _plausible(candidate: str) -> bool:
    """Grouped with dashes as we print it, or else mixing letters and digits.

    Nine letters written together are an ordinary word one time in 32 by the check
    character alone ("COMPLAINT" reads as C0MP1A1NT), and nine digits are a phone
    number, so those only count in the dashed form.
    """
    if candidate.count("-") == 2 and " " not in candidate:
        return True
    if " " in candidate and candidate.count(" ") != 2:
        return False  # one space inside is a boundary between words, not a grouping
    compact = candidate.replace(" ", "").replace("-", "")
    return any(ch.isdigit() for ch in compact) and any(ch.isalpha() for ch in compact)


def references_in(text: str) -> list[str]:
    """Valid complaint references in ``text``, normalised (``7K3MQ9XD4``), in order, without duplicates."""
    found: list[str] = []
    for match in _CANDIDATE.finditer(text or ""):
        candidate = re.sub(r"[\u2010-\u2015]", "-", match.group(1))
        if not _plausible(candidate):
            continue
        normalised = references.normalise(candidate)
        if normalised and normalised not in found:
            found.append(normalised)
    return found
