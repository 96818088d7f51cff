"""Chemicals in goods text: names, synonyms, abbreviations, Chinese and Spanish names, systematic
names (as the legal data files write them) and CAS numbers (check digit tested), each classified
per jurisdiction on the shipment date.

The index is built once per context from ``Regulations.entries``; entries of different
jurisdictions with one structure form one chemical. Classification is cached per chemical and
per *legal period* (the span between two days on which some entry changes), so a million records
cost a few dozen classifications.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pandas as pd

from interdiction.errors import ReferenceDataError
from interdiction.regulations import Regulations, normalise_name
from interdiction.regulations.model import JURISDICTIONS
from interdiction.shipments.hscodes import data_path, read_yaml
from interdiction.shipments.terms import TermIndex
from interdiction.substances.cas import is_valid_cas, normalise_cas

__all__ = ["Chemical", "ChemicalStatus", "GoodsIndex", "Mention", "substance_checker"]

# 2-7 digits, 2 digits, check digit; not glued to other digits ("1609-66-1", "1609 - 66 - 1").
_CAS_IN_TEXT = re.compile(r"(?<![\d-])(\d{2,7})\s?-\s?(\d{2})\s?-\s?(\d)(?![\d-])")
_LISTED = ("controlled", "precursor")


@dataclass(frozen=True)
class Chemical:
    """One substance as the legal files name it, across jurisdictions."""

    key: str
    name: str
    smiles: str
    cas: tuple[str, ...]
    entry_ids: tuple[str, ...]
    kind: str


@dataclass(frozen=True)
class Mention:
    """A chemical found in a record's goods text."""

    position: int
    chemical: str
    matched: str
    via: str  # "name" or "CAS"


@dataclass(frozen=True)
class ChemicalStatus:
    """Status of one chemical on one day, per jurisdiction that has legal data."""

    chemical: str
    on: date
    statuses: Mapping[str, str]
    bases: Mapping[str, str]
    categories: Mapping[str, str]
    source: str  # "substance engine" or "legal entries"

    def listed_in(self) -> tuple[str, ...]:
        """Jurisdictions that control it or list it as a precursor on that day."""
        return tuple(j for j, s in self.statuses.items() if s in _LISTED)

    def strongest(self) -> str:
        """'controlled', 'precursor' or 'not-listed' (the most severe status anywhere)."""
        values = set(self.statuses.values())
        return next((s for s in _LISTED if s in values), "not-listed")

    def describe(self, jurisdictions: tuple[str, ...] = ()) -> str:
        """Plain words: "precursor in us (List I, us-npp), un (Table I, un-npp)"."""
        keys = jurisdictions or tuple(self.statuses)
        parts = []
        for j in keys:
            status = self.statuses.get(j, "")
            if status in _LISTED:
                detail = ", ".join(
                    p for p in (self.categories.get(j, ""), self.bases.get(j, "")) if p
                )
                parts.append(f"{status} in {j}" + (f" ({detail})" if detail else ""))
        return "; ".join(parts) if parts else "not listed in " + ", ".join(keys)


Checker = Callable[..., Any]


def substance_checker() -> Checker | None:
    """The substance engine's ``check`` when it is installed and importable, else None."""
    try:
        from interdiction.substances.screen import check
    except ImportError:
        return None
    return check


@dataclass
class GoodsIndex:
    """Chemical names and CAS numbers compiled for scanning, with a classification cache."""

    regulations: Regulations
    chemicals: dict[str, Chemical]
    names: TermIndex
    cas_to_chemical: Mapping[str, str]
    cas_bodies: Mapping[str, str]
    jurisdictions: tuple[str, ...]
    checker: Checker | None = None
    abbreviations: TermIndex = field(default_factory=lambda: TermIndex(()))
    other_meanings: Mapping[str, TermIndex] = field(default_factory=dict)
    _periods: tuple[date, ...] = ()
    _cache: dict[tuple[str, int], ChemicalStatus] = field(default_factory=dict)

    @classmethod
    def build(cls, regulations: Regulations, *, checker: Checker | None = None) -> GoodsIndex:
        """Index every entry's names and CAS numbers; group entries by structure."""
        keys = dict(regulations.structure_keys)
        groups: dict[str, list[Any]] = {}
        for entry in regulations.entries:
            key = keys.get(entry.id) or entry.smiles or normalise_name(entry.name)
            groups.setdefault(key, []).append(entry)
        chemicals: dict[str, Chemical] = {}
        pairs: list[tuple[str, str]] = []
        cas_map: dict[str, str] = {}
        for key, entries in groups.items():
            first = min(entries, key=lambda e: JURISDICTIONS.index(e.jurisdiction))
            cas = tuple(dict.fromkeys(c for e in entries for c in e.cas))
            kinds = {e.kind for e in entries}
            chemicals[key] = Chemical(
                key=key,
                name=first.name,
                smiles=first.smiles,
                cas=cas,
                entry_ids=tuple(e.id for e in entries),
                kind="controlled" if "controlled" in kinds else "precursor",
            )
            for entry in entries:
                pairs.extend((name, key) for name in entry.all_names() if len(name) >= 3)
            for number in cas:
                cas_map[number] = key
        bodies = {number.rsplit("-", 1)[0]: number for number in cas_map}
        ambiguous = _ambiguous_abbreviations()
        present = tuple(
            j for j in JURISDICTIONS if any(e.jurisdiction == j for e in regulations.entries)
        )
        return cls(
            regulations=regulations,
            chemicals=chemicals,
            names=TermIndex(pairs),
            cas_to_chemical=cas_map,
            cas_bodies=bodies,
            jurisdictions=present,
            checker=checker,
            abbreviations=TermIndex((entry, entry) for entry in ambiguous),
            other_meanings={
                entry: TermIndex((term, entry) for term in terms)
                for entry, terms in ambiguous.items()
            },
            _periods=_change_dates(regulations),
        )

    def mentions(self, folded: pd.Series) -> tuple[list[Mention], list[tuple[int, str, str]]]:
        """Chemicals named in a folded text column, and CAS numbers with a wrong check digit
        that differ from a listed CAS number only in that digit (position, written, listed)."""
        found: list[Mention] = []
        for hit in self.names.scan(folded):
            if self._other_meaning(hit.matched, folded.iat[hit.position]):
                continue
            found.extend(Mention(hit.position, key, hit.matched, "name") for key in hit.payloads)
        typos: list[tuple[int, str, str]] = []
        has_digits = folded.str.contains(r"\d{2}\s?-\s?\d", regex=True)
        for position in has_digits.to_numpy().nonzero()[0]:
            for match in _CAS_IN_TEXT.finditer(folded.iat[position]):
                written = "-".join(match.groups())
                if is_valid_cas(written):
                    key = self.cas_to_chemical.get(normalise_cas(written))
                    if key:
                        found.append(Mention(int(position), key, written, "CAS"))
                else:
                    body = f"{int(match.group(1))}-{match.group(2)}"
                    if body in self.cas_bodies:
                        typos.append((int(position), written, self.cas_bodies[body]))
        return found, typos

    def _other_meaning(self, matched: str, text: str) -> bool:
        """True when ``matched`` is an ambiguous abbreviation and ``text`` names its other meaning."""
        return any(
            self.other_meanings[a].find(text) for a in self.abbreviations.payloads_of(matched)
        )

    def status(self, chemical: str, on: date) -> ChemicalStatus:
        """Status of a chemical on a day, per jurisdiction with legal data (cached per period)."""
        period = bisect_right(self._periods, on)
        cached = self._cache.get((chemical, period))
        if cached is not None:
            return cached
        result = self._classify(self.chemicals[chemical], on)
        self._cache[(chemical, period)] = result
        return result

    def _classify(self, chem: Chemical, on: date) -> ChemicalStatus:
        statuses: dict[str, str] = {}
        bases: dict[str, str] = {}
        categories: dict[str, str] = {}
        if self.checker is not None and chem.smiles:
            verdict = self.checker(chem.smiles, as_of=on)
            for jv in verdict.jurisdictions:
                if jv.jurisdiction in self.jurisdictions:
                    statuses[jv.jurisdiction] = jv.status
                    bases[jv.jurisdiction] = jv.basis
                    categories[jv.jurisdiction] = jv.category
            if statuses and "invalid-input" not in statuses.values():
                return ChemicalStatus(chem.key, on, statuses, bases, categories, "substance engine")
            statuses, bases, categories = {}, {}, {}
        for j in self.jurisdictions:
            statuses[j] = "not-listed"
        for entry_id in chem.entry_ids:
            entry = self.regulations.get(entry_id)
            if entry.in_force(on) and statuses[entry.jurisdiction] != "controlled":
                statuses[entry.jurisdiction] = entry.kind
                bases[entry.jurisdiction] = entry.id
                categories[entry.jurisdiction] = entry.category
        return ChemicalStatus(chem.key, on, statuses, bases, categories, "legal entries")


def _ambiguous_abbreviations() -> dict[str, tuple[str, ...]]:
    """Abbreviation -> its other, unlisted meanings (``data/hs/abbreviations.yaml``).

    Raises:
        ReferenceDataError: an entry lacks its abbreviation, other meanings or citation.
    """
    data = read_yaml(data_path("hs", "abbreviations.yaml"))
    out: dict[str, tuple[str, ...]] = {}
    for entry in data.get("abbreviations") or ():
        meanings = entry.get("other_meanings") if isinstance(entry, dict) else None
        if not meanings or not entry.get("abbreviation") or not entry.get("citation"):
            raise ReferenceDataError(
                f"abbreviations.yaml: every entry needs abbreviation, other_meanings and "
                f"citation; got {entry!r}."
            )
        out[str(entry["abbreviation"])] = tuple(str(m) for m in meanings)
    return out


def _change_dates(regulations: Regulations) -> tuple[date, ...]:
    """Days on which a legal status can change: entry dates plus class-definition periods
    (the US fentanyl-related-substances class from 2018-02-06, China's from 2019-05-01 ...)."""
    days = set(regulations.change_dates())
    try:
        from interdiction.substances.classes import load_class_definitions
    except ImportError:
        return tuple(sorted(days))
    for definition in load_class_definitions():
        for period in definition.periods:
            days.add(period.effective_from)
            if period.effective_to is not None:
                days.add(period.effective_to + timedelta(days=1))
    return tuple(sorted(days))
