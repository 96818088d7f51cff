"""Reference data for shipment screening, loaded once per process or Dask worker."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from interdiction.errors import ConfigError
from interdiction.parties.model import ListedEntity, PartyMatch
from interdiction.regulations import load_regulations
from interdiction.shipments.goods import GoodsIndex, substance_checker
from interdiction.shipments.hscodes import HsTables, load_hs_tables
from interdiction.shipments.reference import CountryTables, TermLists, load_countries, load_terms
from interdiction.shipments.rules import RuleSet, load_rules
from interdiction.shipments.systematic import SystematicReader
from interdiction.shipments.terms import TermIndex

__all__ = [
    "LIST_MODES",
    "ListedContacts",
    "PartySearch",
    "ScreeningContext",
    "company_key",
    "party_key",
    "phone_key",
]

LIST_MODES = ("auto", "store", "sample", "none")
PartySearch = Callable[[str, str], tuple[PartyMatch, ...]]


def party_key(name: str) -> str:
    """Cache key of a party name: width/case folded, spacing and punctuation collapsed."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return " ".join("".join(c if c.isalnum() else " " for c in folded).split())


# Legal forms say nothing about which company it is: "Hebei Atun Trading Co., Ltd." meets
# "HEBEI ATUN TRADING COMPANY LIMITED".
_LEGAL_FORMS = re.compile(
    r"\b(?:co|company|corp|corporation|inc|incorporated|ltd|limited|llc|llp|plc|gmbh|ag|bv|nv|sa"
    r"|sas|srl|spa|sl|pte|pvt|pty|kk|de cv|de rl|s de rl|sa de cv|sapi)\b|有限责任公司|有限公司|公司"
)


def company_key(name: str) -> str:
    """Name key for linking: ``party_key`` without legal forms ("acme trading")."""
    return " ".join(_LEGAL_FORMS.sub(" ", party_key(name)).split())


def phone_key(phone: str) -> str:
    """Last nine digits of a phone number ("" when fewer than seven digits)."""
    digits = "".join(c for c in phone if c.isdigit())
    return digits[-9:] if len(digits) >= 7 else ""


@dataclass(frozen=True)
class ListedContacts:
    """E-mails and phones given for listed entities (identifiers of type email / phone)."""

    emails: Mapping[str, ListedEntity]
    phones: Mapping[str, ListedEntity]

    @classmethod
    def build(cls, entities: Sequence[ListedEntity]) -> ListedContacts:
        """Index the contact identifiers of the entities."""
        emails: dict[str, ListedEntity] = {}
        phones: dict[str, ListedEntity] = {}
        for entity in entities:
            for identifier in entity.identifiers:
                if identifier.type == "email" and "@" in identifier.value:
                    emails.setdefault(identifier.value.strip().casefold(), entity)
                elif identifier.type == "phone" and phone_key(identifier.value):
                    phones.setdefault(phone_key(identifier.value), entity)
        return cls(emails=emails, phones=phones)


def _load_entities(lists: str) -> tuple[tuple[ListedEntity, ...], str]:
    """Entities of the chosen lists and a note saying which ones."""
    if lists == "none":
        return (), "party lists switched off (--lists none)"
    from interdiction.parties.loaders import load_bundled_sample

    if lists in ("auto", "store"):
        from interdiction.parties.store import ListStore

        entities = tuple(ListStore.open().current_entities())
        if entities:
            return (
                entities,
                f"party names screened against the imported lists ({len(entities)} entities)",
            )
        if lists == "store":
            raise ConfigError(
                "no imported party lists found; run `interdiction lists import` or use --lists sample."
            )
    entities = load_bundled_sample()
    return (
        entities,
        f"party names screened against the bundled sample lists ({len(entities)} entities)",
    )


def _exact_search(entities: Sequence[ListedEntity]) -> PartySearch:
    """Fallback when the fuzzy party matcher is not installed: exact name keys (all aliases)."""
    index: dict[str, tuple[ListedEntity, str]] = {}
    for entity in entities:
        for listed in entity.names:
            key = company_key(listed.name)
            if len(key) >= 5:
                index.setdefault(key, (entity, listed.name))

    def search(name: str, country: str) -> tuple[PartyMatch, ...]:
        found = index.get(company_key(name))
        if found is None:
            return ()
        entity, matched = found
        return (
            PartyMatch(
                score=1.0,
                source=entity.source,
                entity_id=entity.entity_id,
                matched_name=matched,
                primary_name=entity.primary_name,
                explanation="same name after dropping case, punctuation and legal forms",
                programs=entity.programs,
            ),
        )

    return search


def _party_search(entities: Sequence[ListedEntity]) -> tuple[PartySearch | None, str]:
    """The party engine's fuzzy search when installed, else exact name keys."""
    if not entities:
        return None, ""
    try:
        from interdiction.parties.matcher import Matcher
    except ImportError:
        return _exact_search(entities), "party matcher not installed: exact name keys used"
    matcher = Matcher.build(entities)

    def search(name: str, country: str) -> tuple[PartyMatch, ...]:
        return tuple(matcher.search(name, country=country or None, limit=3))

    return search, "party names matched with the party engine"


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
    contacts: ListedContacts = field(default_factory=lambda: ListedContacts({}, {}))
    systematic: SystematicReader | None = None
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
        entities, note = _load_entities(lists)
        notes.append(note)
        search = party_search
        if search is None:
            search, how = _party_search(entities)
            if how:
                notes.append(how)
        from interdiction.substances.opsin import opsin_available

        goods = GoodsIndex.build(load_regulations(), checker=checker)
        reader = SystematicReader(goods) if opsin_available() else None
        notes.append(
            "systematic names read with OPSIN"
            if reader
            else "OPSIN not available: systematic names only as listed"
        )
        return cls(
            rules=load_rules(rule_packs),
            hs=load_hs_tables(),
            terms=load_terms(),
            countries=load_countries(),
            goods=goods,
            systematic=reader,
            party_search=search,
            contacts=ListedContacts.build(entities),
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
