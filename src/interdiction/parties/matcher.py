"""Match a party name (and optional country, date of birth, identifiers) against listed parties.

Score = name similarity weighted by token rarity, then secondary attributes: an identical
identifier (USCC, RFC, CURP, passport, e-mail, phone) is decisive; a date of birth more than a
year off the listed ones, or a country the entity is not tied to, lowers the score; matching
ones raise it a little. A person match that rests on a common name alone (张伟 / Zhang Wei, Juan
Hernández: ``common_names``) is held below the threshold until an identifier, date of birth,
address or country outside the name's home country agrees. Every match says which parts matched.

    matcher = Matcher.build(entities)
    matcher.search("上海慈顺精细化工有限公司")
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from rapidfuzz.distance import OSA, Levenshtein

from interdiction.parties import tuning
from interdiction.parties.common_names import CommonName, common_name
from interdiction.parties.index import IndexedName, NameIndex, identifier_keys
from interdiction.parties.model import Address, ListedEntity, PartyMatch
from interdiction.parties.normalise import (
    NormalisedName,
    consonant_skeleton,
    joined_spellings,
    normalise_name,
    phonetic_key,
    validate_name,
)

__all__ = ["DEFAULT_THRESHOLD", "Matcher", "NameScore", "country_code"]

DEFAULT_THRESHOLD = tuning.DEFAULT_THRESHOLD
# A person match resting on a common name alone is held at this score, just under
# DEFAULT_THRESHOLD: "Zhang Wei" meets the SDN entry ZHANG, Wei at 1.00 by name, yet some 290,000
# people in China bear the name, so it is a possible match to confirm, not a listed party (and a
# shipment rule reading the default search does not fire on it). threshold=0 still shows it.
COMMON_NAME_SCORE = round(DEFAULT_THRESHOLD - 0.01, 4)
_WORD = re.compile(r"[0-9a-z]+")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_RANGE = re.compile(r"\b(1[89]\d\d|20\d\d)\s*(?:to|-)\s*(1[89]\d\d|20\d\d)\b")


@cache
def _countries() -> dict[str, str]:
    base = resources.files("interdiction") / "data" / "mappings"
    table: dict[str, str] = {}
    with (base / "countries.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = row["alpha2"]
            for key in ("alpha2", "alpha3", "name", "official_name", "common_name"):
                if row.get(key):
                    table[row[key].casefold()] = code
    with (base / "country_aliases.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            table[row["alias"].casefold()] = row["alpha2"]
    return table


def country_code(text: str) -> str:
    """ISO alpha-2 code of a country given as code or name ("MX", "MEX", "Mexico"); else ""."""
    return _countries().get(text.strip().casefold(), "")


def _years(dates: Iterable[str]) -> set[int]:
    years: set[int] = set()
    for text in dates:
        for low, high in _RANGE.findall(text):
            years.update(range(int(low), int(high) + 1))
        years.update(int(y) for y in _YEAR.findall(text))
    return years


def _address_words(text: str) -> set[str]:
    return set(_WORD.findall(text.casefold()))


def _address_agrees(query: set[str], listed: Sequence[Address]) -> str:
    """The listed address a query address agrees with ("" if none): its city and at least two
    thirds of its street words ("Rm 1705, No. 158, Zhangyang Road, Pudong") are in the query.
    A city or country alone is not an address: many people share it."""
    for address in listed:
        street = _address_words(address.street)
        city = _address_words(address.city)
        if len(street) < 2 or not city <= query:
            continue
        if 3 * len(street & query) >= 2 * len(street):
            return ", ".join(p for p in (address.street, address.city) if p)
    return ""


def _token_similarity(query: str, listed: str, abjad: bool) -> float:
    if query == listed:
        return 1.0
    if len(query) == 1 or len(listed) == 1:
        # An initial: "O. Guzman Lopez" meets "Ovidio".
        return (
            tuning.INITIAL_SIMILARITY
            if query[0] == listed[0] and len(query) != len(listed)
            else 0.0
        )
    if abjad and consonant_skeleton(query) == consonant_skeleton(listed):
        return 0.9
    if min(len(query), len(listed)) <= 3:
        return 0.0
    folded_query, folded_listed = phonetic_key(query), phonetic_key(listed)
    if folded_query == folded_listed:
        return 0.95
    similarity = OSA.normalized_similarity(query, listed, score_cutoff=tuning.FUZZY_MIN)
    if not similarity:
        # "aleksandr" / "alexander": compare after folding romanisation variants.
        similarity = 0.95 * OSA.normalized_similarity(
            folded_query, folded_listed, score_cutoff=tuning.FUZZY_MIN
        )
    if (
        similarity
        and len(query) == len(listed) <= 5
        and similarity == Levenshtein.normalized_similarity(query, listed)
    ):
        # One changed letter in a short word is a different word as often as a typo
        # (Cemex/Cimex); a swapped, dropped or doubled letter (Saqr/Sqar, Habibi/Habbi) is a typo.
        similarity -= tuning.SHORT_TYPO_PENALTY
    return similarity if similarity >= tuning.FUZZY_MIN else 0.0


def _join_similarity(first: str, second: str, word: str, abjad: bool) -> tuple[float, str, bool]:
    """How closely two adjacent words written as one meet a word; the two words as written;
    whether the letters are the same.

    The same letters ("sumi lab" / "sumilab", the abbreviation as written) score
    JOINED_SIMILARITY; a near spelling ("ci shun" / "cishum") its token similarity. Fragments
    that say nothing joined ("co" + "ltd", "de" + "los": ``joined_spellings``) score 0.
    """
    spellings = joined_spellings(first, second)
    for joined, written in spellings:
        if joined == word:
            return tuning.JOINED_SIMILARITY, written, True
    if spellings or abjad:
        return _token_similarity(first + second, word, abjad), f"{first} {second}", False
    return 0.0, "", False


def _join_leftovers(
    left: Sequence[str],
    right: Sequence[str],
    free_left: list[int],
    free_right: list[int],
    abjad: bool,
) -> list[tuple[int, int, int, float, str, bool]]:
    """Adjacent unmatched words of one side meeting one unmatched word of the other:
    "ci shun" / "cishun", "nsr llh" / "nasrallah". Returns (i, i + 1, j, similarity, the two
    words as written, same letters)."""
    found = []
    free = set(free_left)
    for i in free_left:
        if i + 1 not in free:
            continue
        for j in free_right:
            s, written, same = _join_similarity(left[i], left[i + 1], right[j], abjad)
            if s > 0.0:
                found.append((i, i + 1, j, s, written, same))
                break
    return found


@dataclass(frozen=True)
class NameScore:
    """How a query name met one listed name."""

    score: float
    pairs: tuple[
        tuple[str, str, float, float], ...
    ]  # query token, listed token, similarity, weight
    unmatched: tuple[str, ...]
    joined: bool
    # (query words, listed words) met with a space put in or left out: ("sumi lab", "sumilab").
    written: tuple[tuple[str, str], ...] = ()


def _score_name(
    query: NormalisedName, weights: Sequence[float], name: IndexedName, *, person: bool = False
) -> NameScore:
    sims: list[tuple[float, int, int]] = []
    for i, q in enumerate(query.tokens):
        for j, n in enumerate(name.tokens):
            s = _token_similarity(q, n, query.abjad)
            if s > 0.0:
                sims.append((s, i, j))
    sims.sort(reverse=True)
    used_q: set[int] = set()
    used_n: set[int] = set()
    pairs: list[tuple[str, str, float, float]] = []
    matched_q = matched_n = 0.0
    for s, i, j in sims:
        if i in used_q or j in used_n:
            continue
        used_q.add(i)
        used_n.add(j)
        matched_q += weights[i] * s
        matched_n += name.weights[j] * s
        pairs.append((query.tokens[i], name.tokens[j], s, weights[i]))
    free_q = [i for i in range(len(query.tokens)) if i not in used_q]
    free_n = [j for j in range(len(name.tokens)) if j not in used_n]
    written: list[tuple[str, str]] = []
    for i, i2, j, s, words, same in _join_leftovers(
        query.tokens, name.tokens, free_q, free_n, query.abjad
    ):
        if {i, i2} & used_q or j in used_n:
            continue
        used_q.update((i, i2))
        used_n.add(j)
        matched_q += (weights[i] + weights[i2]) * s
        matched_n += name.weights[j] * s
        pairs.append((words, name.tokens[j], s, weights[i]))
        if same:
            written.append((words, name.tokens[j]))
    for j, j2, i, s, words, same in _join_leftovers(
        name.tokens, query.tokens, free_n, free_q, query.abjad
    ):
        if {j, j2} & used_n or i in used_q:
            continue
        used_n.update((j, j2))
        used_q.add(i)
        matched_q += weights[i] * s
        matched_n += (name.weights[j] + name.weights[j2]) * s
        pairs.append((query.tokens[i], words, s, weights[i]))
        if same:
            written.append((query.tokens[i], words))
    total_q = sum(weights) or 1.0
    total_n = sum(name.weights) or 1.0
    cover_q, cover_n = matched_q / total_q, matched_n / total_n
    score = 2 * cover_q * cover_n / (cover_q + cover_n) if cover_q + cover_n else 0.0
    joined = False
    if score < 1.0:
        # "shanghaicishun" / "shanghai cishun", "li minghua" / "li ming hua".
        whole = OSA.normalized_similarity(
            "".join(query.tokens), "".join(name.tokens), score_cutoff=tuning.JOINED_MIN
        )
        # The epsilon: "hb atun" / HBATUN already scores 0.98 give or take a rounding error.
        if whole and whole * 0.98 > score + 1e-9:
            score, joined = whole * 0.98, True
    unmatched = tuple(t for i, t in enumerate(query.tokens) if i not in used_q)
    if unmatched and len(used_n) < len(name.tokens) and not joined:
        # Both names hold words the other lacks ("Atlas Trading" / "Atlas Holding"): a
        # different company or person sharing a word, not a shortened name.
        score *= tuning.CONFLICT_FACTOR
    elif unmatched and len(used_n) == len(name.tokens) and not joined and not person:
        # The whole listed name sits inside a longer query ("Smart Home Depot" / SMART DEPOT,
        # "Lucky Star Restaurant Group" / LUCKY STAR): often another business using the words.
        # Not for persons: a query often gives more given names than the list (Joaquin
        # Archivaldo / GUZMAN LOERA, Joaquin).
        score *= tuning.SUPERSET_FACTOR
    return NameScore(min(score, 1.0), tuple(pairs), unmatched, joined, tuple(written))


class Matcher:
    """Screens names against a fixed set of listed entities. Build once, search many times."""

    def __init__(self, index: NameIndex) -> None:
        self.index = index
        self._years = [_years(e.dates_of_birth) for e in index.entities]
        self._countries = [
            {
                c
                for c in (
                    country_code(x)
                    for x in (*e.countries, *(i.country for i in e.identifiers if i.country))
                )
                if c
            }
            for e in index.entities
        ]

    @classmethod
    def build(cls, entities: Iterable[ListedEntity]) -> Matcher:
        """Index the names and identifiers of the entities (primary names, aliases, scripts)."""
        return cls(NameIndex.build(entities))

    def __len__(self) -> int:
        return len(self.index.entities)

    def _query_weights(self, query: NormalisedName) -> list[float]:
        weights = []
        for token in query.tokens:
            if len(token) == 1:
                # An initial says little on its own, whether or not it meets a given name.
                weights.append(self.index.max_idf * tuning.INITIAL_WEIGHT)
                continue
            if token in self.index.idf:
                weights.append(self.index.weight(token))
                continue
            hits = self.index.resolve(token, abjad=query.abjad)
            weights.append(self.index.weight(token, like=hits[0].token if hits else None))
        return weights

    def search(
        self,
        name: str,
        *,
        country: str | None = None,
        dob: str | None = None,
        identifiers: Sequence[str] = (),
        address: str | None = None,
        limit: int = 10,
        threshold: float | None = None,
    ) -> tuple[PartyMatch, ...]:
        """Listed entities that match a party, best first.

        Args:
            name: the party's name in any script; may be empty when identifiers are given.
            country: country code or name tied to the party ("CN", "Mexico").
            dob: date of birth or year ("1990", "1990-05-01").
            identifiers: USCC, RFC, CURP, passport numbers, e-mails, phones ...
            address: the party's postal address as one text; it only serves to confirm a
                match on a common person name.
            limit: most matches returned.
            threshold: lowest score returned (default DEFAULT_THRESHOLD).

        Returns:
            PartyMatch tuples with score in [0, 1] and an explanation, best first.

        Raises:
            InputError: the name is empty (and no identifier given), too long or holds
                control characters.
        """
        if name or not identifiers:
            validate_name(name)
        cutoff = DEFAULT_THRESHOLD if threshold is None else threshold
        query = normalise_name(name) if name else NormalisedName(())
        best: dict[int, tuple[float, IndexedName | None, NameScore | None]] = {}
        if query.tokens:
            weights = self._query_weights(query)
            for name_id in self.index.candidates(query.tokens, abjad=query.abjad):
                listed = self.index.names[name_id]
                person = self.index.entities[listed.entity].kind == "person"
                scored = _score_name(query, weights, listed, person=person)
                value = scored.score * tuning.NAME_KIND_FACTOR.get(listed.kind, 1.0)
                if listed.entity not in best or value > best[listed.entity][0]:
                    best[listed.entity] = (value, listed, scored)
        id_hits: dict[int, list[str]] = {}
        for text in identifiers:
            for key in identifier_keys(text):
                for position, kind, listed_value in self.index.identifiers.get(key, ()):
                    id_hits.setdefault(position, []).append(f"{kind} {listed_value}")
                    best.setdefault(position, (0.0, None, None))
        query_country = country_code(country) if country else ""
        query_years = _years([dob]) if dob else set()
        query_address = _address_words(address) if address else set()
        query_common = common_name(query.tokens)
        results = []
        for position, (score, found_name, found_score) in best.items():
            notes: list[str] = []
            if position in id_hits:
                score = max(score, tuning.IDENTIFIER_SCORE)
                notes.append("identical " + ", ".join(dict.fromkeys(id_hits[position])))
            score, extra, agreed = self._attributes(position, score, query_country, query_years)
            notes.extend(extra)
            common = None
            if found_name is not None and self.index.entities[position].kind == "person":
                common = query_common or common_name(found_name.tokens)
            if common is not None:
                if position in id_hits:
                    agreed.append("identifier")
                listed_address = _address_agrees(
                    query_address, self.index.entities[position].addresses
                )
                if listed_address:
                    agreed.append(f"address ({listed_address})")
                score = _weigh_common_name(common, score, agreed, query_country, notes)
            if score + 1e-9 < cutoff:
                continue
            results.append(
                self._match(position, score, found_name, found_score, query, notes, common)
            )
        results.sort(key=lambda m: (-m.score, m.entity_id))
        return tuple(results[:limit])

    def _attributes(
        self, position: int, value: float, country: str, years: set[int]
    ) -> tuple[float, list[str], list[str]]:
        """Score after date of birth and country; notes; the attributes that agree."""
        notes: list[str] = []
        agreed: list[str] = []
        listed_years = self._years[position]
        if years and listed_years:
            if any(abs(y - x) <= 1 for y in years for x in listed_years):
                value += tuning.DOB_BONUS
                notes.append("date of birth agrees")
                agreed.append("date of birth")
            else:
                value *= tuning.DOB_PENALTY
                notes.append(f"date of birth differs (listed {min(listed_years)})")
        listed_countries = self._countries[position]
        if country and listed_countries:
            if country in listed_countries:
                value += tuning.COUNTRY_BONUS
                notes.append(f"country {country} agrees")
                agreed.append(f"country {country}")
            else:
                value *= tuning.COUNTRY_PENALTY
                notes.append(f"country {country} not among {', '.join(sorted(listed_countries))}")
        return min(max(value, 0.0), 1.0), notes, agreed

    def _match(
        self,
        position: int,
        value: float,
        listed: IndexedName | None,
        scored: NameScore | None,
        query: NormalisedName,
        notes: list[str],
        common: CommonName | None = None,
    ) -> PartyMatch:
        entity = self.index.entities[position]
        parts: list[str] = []
        if listed is not None and scored is not None:
            parts.extend(_explain_tokens(scored, common=common is not None))
            if listed.kind != "primary":
                parts.append(f"{listed.kind} name {listed.text!r}")
            forms = sorted(set(query.legal_forms) | set(listed.legal_forms))
            if forms:
                parts.append(f"legal form {'/'.join(forms)} ignored")
            parts.extend(query.notes)
        parts.extend(notes)
        return PartyMatch(
            score=round(value, 4),
            source=entity.source,
            entity_id=entity.entity_id,
            matched_name=listed.text if listed is not None else entity.primary_name,
            primary_name=entity.primary_name,
            explanation="; ".join(parts),
            programs=entity.programs,
        )


def _weigh_common_name(
    common: CommonName, score: float, agreed: list[str], country: str, notes: list[str]
) -> float:
    """Hold a name-only match on a common person name below the threshold; keep the score when
    a secondary attribute agrees. The name's own country is no evidence: most of the 290,000
    people named Zhang Wei live in China."""
    support = [a for a in agreed if a != f"country {common.country}"]
    people = f"about {int(common.people):,} people" if common.people.isdigit() else "many people"
    said = f"{common.written} is a common name: {people} in {common.country} ({common.citation})"
    if support:
        notes.append(f"{said}; {', '.join(support)} agrees, so the match stands")
        return score
    home = (
        f"; country {country} is where the name is common, so it does not confirm"
        if country == common.country
        else ""
    )
    held = min(score, COMMON_NAME_SCORE)
    lowered = (
        f", so the score is held at {held:.2f}, below the alert threshold" if held < score else ""
    )
    notes.append(
        f"{said}{home}; the name alone is weak evidence{lowered}: a possible match only - confirm "
        "with date of birth, ID number or address before treating this party as the listed one"
    )
    return held


def _explain_tokens(scored: NameScore, *, common: bool = False) -> list[str]:
    rare = [q for q, n, s, w in scored.pairs if s == 1.0 and w >= tuning.RARE_WEIGHT]
    frequent = [q for q, n, s, w in scored.pairs if s == 1.0 and w < tuning.RARE_WEIGHT]
    written = set(scored.written)
    near = [f"{q}~{n}" for q, n, s, w in scored.pairs if s < 1.0 and (q, n) not in written]
    parts = []
    if rare:
        # Rarity is counted over the list's names: "zhang+wei" is rare there, not among people.
        where = " on the list, not among people" if common else ""
        parts.append(f"tokens {'+'.join(rare)} matched (rare{where})")
    if frequent:
        parts.append(f"{'+'.join(frequent)} matched (common)")
    if near:
        parts.append(f"{', '.join(near)} near spelling")
    parts.extend(f"'{q}' written as '{n}'" for q, n in scored.written)
    if scored.joined:
        parts.append("words joined/split differently")
    if scored.unmatched:
        parts.append(f"{'+'.join(scored.unmatched)} not in listed name")
    return parts
