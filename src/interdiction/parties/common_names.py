"""Person names that very many real people share (张伟 / Zhang Wei, Juan Hernández Hernández).

Token rarity comes from the list's own names, so a name few listed people hold looks rare even
when hundreds of thousands of people bear it. The matcher asks this module whether a person name
is common in the real world; a list match resting on such a name alone is a possible match to
confirm with date of birth, ID number or address (OFAC FAQ on "false hits"), not a listed party.
Table: ``interdiction/data/parties/common_person_names.csv``.

    common_name(("zhang", "wei"))  # -> CommonName("张伟", "CN", "294282", ...)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from interdiction.errors import ReferenceDataError
from interdiction.parties.transliterate import _data_rows

__all__ = ["CommonName", "common_name"]

_TABLE = "common_person_names.csv"
_KINDS = frozenset({"full-name", "given-name", "surname"})
_CONFIDENCE = frozenset({"P", "O", "S", "U"})
# "Juan de la Cruz", "Maria del Carmen": connectives say nothing about who a person is.
_CONNECTIVES = frozenset({"de", "del", "la", "las", "los", "y"})
# "Juan Hernandez Hernandez" has two surnames; a name much longer than given names plus two
# surnames ("Maria Guadalupe ... ") is rarer than its parts suggest.
_MAX_PARTS = 5


@dataclass(frozen=True)
class CommonName:
    """A person name many people share in one country.

    Attributes:
        written: the name as people write it ("张伟", "Juan Hernández").
        country: ISO alpha-2 code of the country where it is common.
        people: how many people bear it per the source, or "not given".
        citation: the sources, copied from the data file (U rows say "unconfirmed").
    """

    written: str
    country: str
    people: str
    citation: str


@dataclass(frozen=True)
class _Table:
    full: dict[tuple[str, ...], CommonName]
    given: dict[tuple[str, str], dict[str, str]]  # (country, token) -> row
    surnames: dict[tuple[str, str], dict[str, str]]


def _row_problem(kind: str, tokens: tuple[str, ...], confidence: str) -> str:
    if kind not in _KINDS:
        return f"kind {kind!r} is not one of {', '.join(sorted(_KINDS))}"
    if confidence not in _CONFIDENCE:
        return f"confidence {confidence!r} is not one of P, O, S, U"
    if not tokens or not all(t.isascii() and t.isalpha() and t.islower() for t in tokens):
        return f"name {' '.join(tokens)!r} is not lower-case ASCII words"
    return ""


@cache
def _table() -> _Table:
    """The common-name table, checked.

    Raises:
        ReferenceDataError: a row with an unknown kind or confidence, or a name that is not
            written as normalised tokens.
    """
    full: dict[tuple[str, ...], CommonName] = {}
    given: dict[tuple[str, str], dict[str, str]] = {}
    surnames: dict[tuple[str, str], dict[str, str]] = {}
    for number, row in enumerate(_data_rows(_TABLE), start=2):
        kind, name, confidence = row["kind"], row["name"], row["confidence"]
        tokens = tuple(name.split())
        problem = _row_problem(kind, tokens, confidence)
        if problem:
            raise ReferenceDataError(
                f"data/parties/{_TABLE} row {number}: {problem}; fix the row or remove it."
            )
        citation = row["citation"] + (" (confidence U)" if confidence == "U" else "")
        entry = {**row, "citation": citation}
        if kind == "full-name":
            found = CommonName(row["written"], row["country"], row["people"], citation)
            full[tuple(sorted(tokens))] = found
            # "Zhangwei" written as one word.
            full[("".join(tokens),)] = found
        elif kind == "given-name":
            given[(row["country"], name)] = entry
        else:
            surnames[(row["country"], name)] = entry
    return _Table(full, given, surnames)


def _from_parts(tokens: Sequence[str], table: _Table) -> CommonName | None:
    """Given names and surnames of one country only, at least one of each."""
    words = [t for t in tokens if t not in _CONNECTIVES]
    if not 2 <= len(words) <= _MAX_PARTS:
        return None
    for country in sorted({c for c, _ in table.surnames}):
        rows: list[dict[str, str]] = []
        has_given = has_surname = False
        for word in words:
            given = table.given.get((country, word))
            surname = table.surnames.get((country, word))
            if given is None and surname is None:
                break
            has_given |= given is not None
            has_surname |= surname is not None
            rows.extend(r for r in (given, surname) if r is not None)
        else:
            if has_given and has_surname:
                spelled = {r["name"]: r["written"] for r in rows}
                written = " ".join(spelled.get(t, t) for t in tokens)
                citations = dict.fromkeys(r["citation"] for r in rows)
                people = "each part among the most frequent in the country"
                return CommonName(written, country, people, "; ".join(citations))
    return None


@lru_cache(maxsize=4096)
def _lookup(tokens: tuple[str, ...]) -> CommonName | None:
    table = _table()
    return table.full.get(tuple(sorted(tokens))) or _from_parts(tokens, table)


def common_name(tokens: Sequence[str]) -> CommonName | None:
    """The common-name entry for a person name given as normalised tokens, else None.

    Args:
        tokens: normalised name tokens in any order ("zhang", "wei") or ("wei", "zhang").

    Returns:
        The matching CommonName, or None when the name is not known to be common.

    Raises:
        ReferenceDataError: the data file is malformed (names the row).
    """
    return _lookup(tuple(tokens)) if tokens else None
