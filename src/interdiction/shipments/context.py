"""Reference data for shipment screening, loaded once per process or Dask worker."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from interdiction.errors import ConfigError
from interdiction.parties.model import PartyMatch
from interdiction.regulations import load_regulations
from interdiction.shipments.goods import GoodsIndex, substance_checker
from interdiction.shipments.hscodes import HsTables, load_hs_tables
from interdiction.shipments.reference import CountryTables, TermLists, load_countries, load_terms
from interdiction.shipments.rules import RuleSet, load_rules
from interdiction.shipments.terms import TermIndex

__all__ = ["LIST_MODES", "PartySearch", "ScreeningContext", "party_key"]

LIST_MODES = ("auto", "store", "sample", "none")
PartySearch = Callable[[str, str], tuple[PartyMatch, ...]]


def party_key(name: str) -> str:
    """Cache key of a party name: width/case folded, spacing and punctuation collapsed."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return " ".join("".join(c if c.isalnum() else " " for c in folded).split())


def _party_search(lists: str) -> tuple[PartySearch | None, str]:
    """Build the party engine's search over the chosen lists; (None, why) when unavailable."""
    if lists == "none":
        return None, "party lists switched off (--lists none)"
    try:
        from interdiction.parties.matcher import Matcher
    except ImportError:
        return None, "party engine not installed: names were not screened against lists"
    entities: Any = None
    source = ""
    if lists in ("auto", "store"):
        try:
            from interdiction.parties.store import ListStore

            entities = ListStore.open().current_entities()
            source = "imported lists (list store)"
        except ImportError:
            entities = None
        if lists == "store" and not entities:
            raise ConfigError(
                "no imported party lists found; run `interdiction lists import` or use --lists sample."
            )
    if not entities:
        from interdiction.parties.loaders import load_bundled_sample

        entities = load_bundled_sample()
        source = "bundled sample lists"
    matcher = Matcher.build(entities)

    def search(name: str, country: str) -> tuple[PartyMatch, ...]:
        return tuple(matcher.search(name, country=country or None, limit=3))

    return search, f"party names screened against {source}"


@dataclass
class ScreeningContext:
    """Read-only reference data: rules, HS tables, word lists, chemical index, party engine.

    Build with ``ScreeningContext.load()``; the only mutable parts are caches.
    """

    rules: RuleSet
    hs: HsTables
    terms: TermLists
    countries: CountryTables
    goods: GoodsIndex
    party_search: PartySearch | None = None
    notes: tuple[str, ...] = ()
    today: date = field(default_factory=date.today)
    _indexes: dict[str, TermIndex] = field(default_factory=dict, repr=False)
    _party_cache: dict[tuple[str, str], tuple[PartyMatch, ...]] = field(
        default_factory=dict, repr=False
    )

    @classmethod
    def load(
        cls,
        *,
        rule_packs: Sequence[Path] = (),
        lists: str = "auto",
        party_search: PartySearch | None = None,
    ) -> ScreeningContext:
        """Load rules (bundled pack, then ``rule_packs``), HS tables, word lists, the legal
        data for goods detection, and the party engine.

        Args:
            rule_packs: extra rule packs applied in order over the bundled one.
            lists: "auto" (imported lists, else the bundled sample), "store", "sample" or "none".
            party_search: use this search instead of the party engine (name, country) -> matches.

        Raises:
            ReferenceDataError: a malformed rule pack or data file (names file and entry).
            ConfigError: an unknown ``lists`` value, or "store" with nothing imported.
        """
        if lists not in LIST_MODES:
            raise ConfigError(f"lists={lists!r} is not one of {', '.join(LIST_MODES)}.")
        checker = substance_checker()
        notes = [
            "chemicals classified with the substance engine"
            if checker
            else "substance engine not available: chemicals classified from the legal entries by name/CAS"
        ]
        search = party_search
        if search is None:
            search, note = _party_search(lists)
            notes.append(note)
        return cls(
            rules=load_rules(rule_packs),
            hs=load_hs_tables(),
            terms=load_terms(),
            countries=load_countries(),
            goods=GoodsIndex.build(load_regulations(), checker=checker),
            party_search=search,
            notes=tuple(notes),
        )

    def index(self, list_name: str) -> TermIndex:
        """Compiled index of a word list plus the rule packs' extensions (built on first use)."""
        index = self._indexes.get(list_name)
        if index is None:
            terms = (*self.terms.get(list_name), *self.rules.extensions.get(list_name, ()))
            index = TermIndex((t, list_name) for t in terms)
            self._indexes[list_name] = index
        return index

    def keyword_index(self, rule_id: str) -> TermIndex:
        """Compiled index of a ``kind: keywords`` rule's terms."""
        key = f"rule:{rule_id}"
        index = self._indexes.get(key)
        if index is None:
            terms = self.rules.get(rule_id).param("terms", ())
            index = TermIndex((t, rule_id) for t in terms)
            self._indexes[key] = index
        return index

    def screen_party(self, name: str, country: str) -> tuple[PartyMatch, ...]:
        """Party-engine matches for a name, cached by normalised name and country."""
        if self.party_search is None:
            return ()
        key = (party_key(name), country)
        if key not in self._party_cache:
            self._party_cache[key] = self.party_search(name, country)
        return self._party_cache[key]
