"""Public reference numbers: short, readable on the phone, with a check character.

A reference is eight random characters and one check character from Crockford's
base-32 alphabet (digits and capitals without I, L, O and U, so that nothing
is read out ambiguously), shown as ``7K3M-Q9XD-4``. The check character is
Luhn mod 32, which catches every single mistyped character and nearly every
swap of two neighbours. Input is normalised before checking: lower case,
spaces and dashes are accepted, and O, I and L are read as 0, 1 and 1.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
BODY_LENGTH = 8
LENGTH = BODY_LENGTH + 1


def check_character(body: str) -> str:
    """The Luhn mod 32 check character for ``body`` (already normalised)."""
    n = len(ALPHABET)
    factor = 2
    total = 0
    for ch in reversed(body):
        addend = factor * _VALUE[ch]
        factor = 1 if factor == 2 else 2
        total += addend // n + addend % n
    return ALPHABET[(n - total % n) % n]


def generate() -> str:
    """A new random reference, normalised (no separators)."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return body + check_character(body)


def normalise(text: str) -> str | None:
    """The canonical form of a typed reference, or None if it cannot be one.

    Returns None when the characters are not in the alphabet, the length is wrong,
    or the check character does not match.
    """
    cleaned = "".join(text.split()).replace("-", "").upper().translate(_CONFUSABLE)
    if len(cleaned) != LENGTH or any(ch not in _VALUE for ch in cleaned):
        return None
    if check_character(cleaned[:BODY_LENGTH]) != cleaned[BODY_LENGTH]:
        return None
    return cleaned


def display(reference: str) -> str:
    """Group a normalised reference for reading aloud: ``7K3M-Q9XD-4``."""
    return f"{reference[:4]}-{reference[4:8]}-{reference[8:]}"
