"""CAS Registry Numbers: recognise, validate (check digit) and normalise."""

from __future__ import annotations

import re

from interdiction.errors import InputError

__all__ = ["CAS_PATTERN", "looks_like_cas", "is_valid_cas", "normalise_cas"]

# 2-7 digits, 2 digits, 1 check digit, hyphenated; spaces around hyphens tolerated on input.
CAS_PATTERN = re.compile(r"^\s*(\d{2,7})\s*-\s*(\d{2})\s*-\s*(\d)\s*$")


def _check_digit(body: str) -> int:
    # The check digit is the sum of each digit times its position counted from the right, mod 10.
    return sum(int(d) * i for i, d in enumerate(reversed(body), start=1)) % 10


def looks_like_cas(text: str) -> bool:
    """True when the text has the shape of a CAS number (check digit not tested)."""
    return CAS_PATTERN.match(text) is not None


def is_valid_cas(text: str) -> bool:
    """True when the text is a CAS number whose check digit is right."""
    match = CAS_PATTERN.match(text)
    if match is None:
        return False
    first, second, check = match.groups()
    return _check_digit(first + second) == int(check)


def normalise_cas(text: str) -> str:
    """Return the CAS number in canonical form ("125541-22-2").

    Raises:
        InputError: when the text is not CAS-shaped or its check digit is wrong.
    """
    match = CAS_PATTERN.match(text)
    if match is None:
        raise InputError(
            f"{text!r} is not a CAS number: expected digits like 125541-22-2 (2-7 digits, 2 digits, 1 check digit)."
        )
    first, second, check = match.groups()
    expected = _check_digit(first + second)
    if expected != int(check):
        raise InputError(
            f"CAS number {text.strip()!r} fails its check digit (should end in {expected}); "
            "check for a typing error, or give the structure as SMILES instead."
        )
    return f"{int(first)}-{second}-{check}"
