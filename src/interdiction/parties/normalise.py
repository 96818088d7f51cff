"""Normalise party names into comparable tokens.

NFKC, any script to Latin (``transliterate``), case and punctuation folded, dotted
abbreviations closed up ("S.A." -> "sa"), abbreviations and plurals folded ("Chem" ->
"chemical"), legal forms across languages taken out and kept aside ("Co., Ltd.", "Company
Limited", "有限公司", "S. de R.L. de C.V.", "LLC", "GmbH" ...). Tables live in
``interdiction/data/parties``; OpenSanctions' ``rigour`` org-type table is used as well when
it is installed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from interdiction.errors import InputError
from interdiction.parties.transliterate import _data_rows, transliterate
from interdiction.parties.tuning import CONNECTIVE_WEIGHT, JOIN_MIN_CHARS, PLACE_WEIGHT

__all__ = [
    "MAX_NAME_CHARS",
    "NormalisedName",
    "consonant_skeleton",
    "generic_weight",
    "joined_spellings",
    "name_key",
    "normalise_name",
    "phonetic_key",
    "validate_name",
]

MAX_NAME_CHARS = 1000
_DOTTED = re.compile(r"(?<![a-z0-9])(?:[a-z]\.){2,}(?:[a-z](?![a-z0-9]))?")
_PUNCT = re.compile(r"[^a-z0-9]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_VOWELS = re.compile(r"[aeiouyw]+")
# Spelling variants of one sound across romanisations: Aleksandr/Alexander, Dmitriy/Dmitry,
# Yevgeniy/Evgenii, Mikhail/Michail, Jeong/Jong. Applied in order.
_PHONETIC = (
    ("ks", "x"),
    ("ph", "f"),
    ("kh", "h"),
    ("ck", "k"),
    ("eo", "o"),
    ("eu", "u"),
    ("ou", "u"),
    ("oo", "u"),
    ("w", "v"),
    ("y", "i"),
    ("j", "i"),
)


@dataclass(frozen=True)
class NormalisedName:
    """A name as comparable tokens.

    Attributes:
        tokens: Latin words in their written order, legal forms removed.
        legal_forms: canonical legal forms removed ("co ltd", "sa de cv").
        notes: readings applied ("化工 read as chemical", "script Cyrillic transliterated").
        abjad: tokens came from Arabic/Hebrew script, so vowels are missing.
    """

    tokens: tuple[str, ...]
    legal_forms: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    abjad: bool = False

    @property
    def key(self) -> str:
        """The tokens joined by single spaces."""
        return " ".join(self.tokens)


def validate_name(text: str) -> None:
    """Refuse names no screener should silently guess at.

    Raises:
        InputError: empty name, longer than MAX_NAME_CHARS, or holding control characters.
    """
    if not text or not text.strip():
        raise InputError("empty name: give the party's name (or an identifier).")
    if len(text) > MAX_NAME_CHARS:
        raise InputError(
            f"name of {len(text)} characters is longer than {MAX_NAME_CHARS}: "
            "check the column mapping (a whole record may have landed in the name column)."
        )
    if _CONTROL.search(text):
        raise InputError(
            f"name {text[:60]!r} holds control characters: clean the input file "
            "(a binary or mis-decoded column?)."
        )


Phrases = dict[tuple[str, ...], tuple[str, str]]


@cache
def _phrases() -> tuple[Phrases, Phrases, int]:
    """(abbreviations, legal forms, longest phrase) keyed by token tuples."""
    # Words that can open or close a phrase; most tokens are neither, so most lookups are skipped.
    abbreviations: Phrases = {}
    for row in _data_rows("abbreviations.csv"):
        abbreviations[tuple(row["phrase"].split())] = ("abbr", row["canonical"])
    legal: Phrases = {}
    for row in _data_rows("legal_forms.csv"):
        if row["form"].isascii():
            legal[tuple(row["form"].split())] = (row["position"], row["canonical"])
    longest = max(len(k) for k in [*abbreviations, *legal])
    return abbreviations, legal, longest


@cache
def _phrase_words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(first words of abbreviations, first words of legal forms, last words of legal forms)."""
    abbreviations, legal, _ = _phrases()
    return (
        frozenset(k[0] for k in abbreviations),
        frozenset(k[0] for k in legal),
        frozenset(k[-1] for k in legal),
    )


@cache
def _generic() -> dict[str, float]:
    weights = {row["word"]: float(row["weight"]) for row in _data_rows("generic_words.csv")}
    for row in _data_rows("place_names_zh.csv"):
        for word in row["latin"].split():
            weights.setdefault(word, PLACE_WEIGHT)
    return weights


def generic_weight(token: str) -> float:
    """Multiplier of a token's rarity weight: below 1 for words like "trading" or "hubei"."""
    return _generic().get(token, 1.0)


@cache
def _written_forms() -> dict[str, tuple[str, ...]]:
    """Canonical token -> the one-word spellings folded into it ("laboratory": lab, labs ...)."""
    abbreviations, _, _ = _phrases()
    forms: dict[str, list[str]] = {}
    for phrase, (_, canonical) in abbreviations.items():
        if len(phrase) == 1 and " " not in canonical and phrase[0] != canonical:
            forms.setdefault(canonical, [canonical]).append(phrase[0])
    return {canonical: tuple(written) for canonical, written in forms.items()}


@cache
def _fillers() -> frozenset[str]:
    """Short connectives and legal-form words ("de", "los", "y", "co", "sa", "ltd")."""
    _, legal, _ = _phrases()
    words = {w for phrase in legal for w in phrase if len(phrase) == 1}
    words.update(w for w, weight in _generic().items() if weight <= CONNECTIVE_WEIGHT)
    return frozenset(w for w in words if len(w) <= 3)


@lru_cache(maxsize=65536)
def joined_spellings(first: str, second: str) -> tuple[tuple[str, str], ...]:
    """Ways two adjacent tokens may be written as one word: (joined, the two as written).

    Abbreviations count as written ("sumi" + "laboratory" gives "sumilab" from "sumi lab").
    Empty when the join says nothing: a fragment of one letter or digits only, two connectives
    or legal-form words ("co" + "ltd", "de" + "la"), a connective on a short word ("de" +
    "rio"), or fewer than JOIN_MIN_CHARS letters in all.

    Args:
        first: a normalised token.
        second: the normalised token that follows it.

    Returns:
        (joined, "first second" as written) pairs, the normalised spelling first.
    """
    if min(len(first), len(second)) < 2 or first.isdigit() or second.isdigit():
        return ()
    if len(first) + len(second) < JOIN_MIN_CHARS:
        return ()
    fillers = _fillers()
    for one, other in ((first, second), (second, first)):
        # "los zetas" / "loszetas" is one name; "de rio" / "derio" or "co ltd" is noise.
        if one in fillers and (other in fillers or len(other) < 4):
            return ()
    forms = _written_forms()
    return tuple(
        (a + b, f"{a} {b}")
        for a in forms.get(first, (first,))
        for b in forms.get(second, (second,))
    )


@cache
def _legal_words() -> dict[str, str]:
    """Long words of legal forms, reachable from a one-letter slip ("comeany" -> "company")."""
    _, legal, _ = _phrases()
    words = {w for phrase in legal for w in phrase if len(w) >= 6 and w.isascii()}
    slips: dict[str, str] = {}
    # Sorted: a slip shared by two words ("ogranichenno") must mend the same way on every run.
    for word in sorted(words):
        for i in range(len(word)):
            slips.setdefault(word[:i] + word[i + 1 :], word)
    return slips


def _mend_legal_words(tokens: list[str]) -> list[str]:
    """Correct one-letter slips in legal-form words so the form is still recognised."""
    slips = _legal_words()
    words = set(slips.values())
    out = []
    for token in tokens:
        if len(token) >= 6 and token not in words:
            found: set[str] = {slips[token]} if token in slips else set()
            for i in range(len(token)):
                shorter = token[:i] + token[i + 1 :]
                if shorter in words:
                    found.add(shorter)
                elif shorter in slips:
                    found.add(slips[shorter])
            if len(found) == 1:
                token = found.pop()
        out.append(token)
    return out


def _fold_abbreviations(tokens: list[str]) -> list[str]:
    abbreviations, _, longest = _phrases()
    starts = _phrase_words()[0]
    if not any(t in starts for t in tokens):
        return tokens
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i] not in starts:
            out.append(tokens[i])
            i += 1
            continue
        for size in range(min(longest, len(tokens) - i), 0, -1):
            hit = abbreviations.get(tuple(tokens[i : i + size]))
            if hit is not None:
                out.extend(hit[1].split())
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def _strip_legal(tokens: list[str], found: list[str]) -> list[str]:
    """Take legal forms off both ends (any length) and multi-word forms from the middle."""
    _, legal, longest = _phrases()
    _, starts, ends = _phrase_words()
    if not any(t in starts or t in ends for t in tokens):
        return tokens
    changed = True
    while changed and tokens:
        changed = False
        for size in range(min(longest, len(tokens)), 0, -1):
            end = legal.get(tuple(tokens[-size:]))
            if end is not None and size < len(tokens):
                found.append(end[1])
                tokens = tokens[:-size]
                changed = True
                break
            start = legal.get(tuple(tokens[:size]))
            if start is not None and size < len(tokens):
                found.append(start[1])
                tokens = tokens[size:]
                changed = True
                break
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i] not in starts:
            out.append(tokens[i])
            i += 1
            continue
        for size in range(min(longest, len(tokens) - i), 1, -1):
            hit = legal.get(tuple(tokens[i : i + size]))
            if hit is not None and hit[0] == "any" and len(tokens) > size:
                found.append(hit[1])
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


@cache
def _rigour_extract() -> object | None:
    try:
        from rigour.names import extract_org_types
    except ImportError:  # rigour is optional: our own table covers the common forms
        return None
    found: object = extract_org_types
    return found


def _strip_rigour(text: str, tokens: list[str], found: list[str]) -> list[str]:
    """Legal forms rigour knows and our table lacks (e.g. "Kft.", "S.p.A."), at the ends only."""
    extract = _rigour_extract()
    if extract is None or len(tokens) < 2:
        return tokens
    for matched, compare in extract(text):  # type: ignore[operator]
        form = _PUNCT.sub(" ", _DOTTED.sub(lambda m: m.group(0).replace(".", ""), matched.lower()))
        words = form.split()
        if not words or len(words) >= len(tokens):
            continue
        if tokens[-len(words) :] == words:
            tokens = tokens[: -len(words)]
            found.append(compare)
        elif tokens[: len(words)] == words:
            tokens = tokens[len(words) :]
            found.append(compare)
    return tokens


@lru_cache(maxsize=65536)
def normalise_name(text: str) -> NormalisedName:
    """Comparable tokens of a party name in any script.

    Args:
        text: a person or organisation name as written ("GUZMAN LOPEZ, Ovidio",
            "上海慈顺精细化工有限公司", "Shanghai Cishun Fine Chem Co Ltd").

    Returns:
        NormalisedName; tokens may be empty for a name made only of punctuation.
    """
    text = unicodedata.normalize("NFKC", text)
    latin = transliterate(text)
    notes = list(latin.notes)
    if latin.scripts:
        notes.append(f"{'/'.join(latin.scripts)} script transliterated")
    lowered = latin.text.replace("'", "").replace("\u2019", "").replace("&", " and ")
    lowered = _DOTTED.sub(lambda m: m.group(0).replace(".", "") + " ", lowered)
    tokens = _PUNCT.sub(" ", lowered).split()
    tokens = _fold_abbreviations(_mend_legal_words(tokens))
    found = list(latin.legal_forms)
    tokens = _strip_legal(tokens, found)
    tokens = _strip_rigour(" ".join(tokens), tokens, found)
    return NormalisedName(tuple(tokens), tuple(dict.fromkeys(found)), tuple(notes), latin.abjad)


def name_key(text: str) -> str:
    """Normalised tokens joined by spaces: equal keys mean the same name for screening."""
    return normalise_name(text).key


@lru_cache(maxsize=65536)
def consonant_skeleton(token: str) -> str:
    """Consonants only, doubles collapsed: "mohamed" and "mhmd" both give "mhmd".

    Used for names read from Arabic or Hebrew script, which leave short vowels unwritten.
    """
    skeleton = _VOWELS.sub("", token)
    return re.sub(r"(.)\1+", r"\1", skeleton)


@lru_cache(maxsize=65536)
def phonetic_key(token: str) -> str:
    """One spelling for romanisation variants: "aleksandr" and "alexandr" give "alexandr",
    "dmitriy" and "dmitry" give "dmitrii" -> "dmitri"; doubled letters collapsed."""
    for old, new in _PHONETIC:
        token = token.replace(old, new)
    return re.sub(r"(.)\1+", r"\1", token)
