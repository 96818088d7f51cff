"""Inverted index of listed names: candidate retrieval without scanning every name.

Every listed name (primary, aliases, original script) is normalised once into tokens. A query
token finds names through: its exact token; spelling neighbours within one edit (a
deletion-neighbourhood table, as in SymSpell: "cishum" meets "cishun"); the consonant skeleton
for Arabic/Hebrew readings ("mhmd" meets "mohamed"); and split or joined words: two adjacent
words of a listed name are also indexed written as one ("ci shun" as "cishun", "sumi lab" as
"sumilab"), and two adjacent query words are looked up written as one. Names collect the
rarity weight (IDF x generic weight) of the query tokens they hold; the heaviest few go on to
full scoring.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from interdiction.parties.model import ListedEntity
from interdiction.parties.normalise import (
    consonant_skeleton,
    generic_weight,
    joined_spellings,
    normalise_name,
    phonetic_key,
)
from interdiction.parties.tuning import (
    CANDIDATES,
    FUZZY_MIN,
    JOIN_MIN_CHARS,
    JOINED_SIMILARITY,
    MAX_POSTINGS,
    RETRIEVAL_FRACTION,
)

__all__ = ["IndexedName", "NameIndex", "TokenHit", "identifier_keys"]

_MIN_FUZZY_LEN = 4
_PREFIX = 4
_PREFIX_FROM = 7
_NON_ALNUM = re.compile(r"[^0-9A-Za-z]+")


@dataclass(frozen=True)
class IndexedName:
    """One listed name, normalised.

    Attributes:
        entity: position of its entity in NameIndex.entities.
        text: the name as listed.
        kind: primary / aka / fka / nka / weak-aka / original-script.
        tokens: normalised tokens.
        weights: rarity weight of each token.
        legal_forms: legal forms removed.
    """

    entity: int
    text: str
    kind: str
    tokens: tuple[str, ...]
    weights: tuple[float, ...]
    legal_forms: tuple[str, ...]


@dataclass(frozen=True)
class TokenHit:
    """A list token a query token reaches, how closely (0..1) and how."""

    token: str
    similarity: float
    how: str  # exact / typo / spelling / skeleton / split


def _deletions(token: str) -> set[str]:
    return {token[:i] + token[i + 1 :] for i in range(len(token))}


def identifier_keys(value: str) -> tuple[str, ...]:
    """Lookup keys of an identifier as a user may type it.

    "91130104MA09YL9T2W", "9113 0104-MA09YL9T2W" -> same key; e-mails lower-cased; phones by
    their last 10 digits (so "+86 158 1535 1839" meets "8615815351839"); websites without
    scheme and "www.".
    """
    text = value.strip()
    if not text:
        return ()
    keys: list[str] = []
    if "@" in text:
        keys.append("mail:" + text.lower())
    lowered = text.lower()
    for prefix in ("https://", "http://"):
        lowered = lowered.removeprefix(prefix)
    lowered = lowered.removeprefix("www.").rstrip("/")
    if "." in lowered and "@" not in lowered and " " not in lowered:
        keys.append("web:" + lowered)
    digits = re.sub(r"\D", "", text)
    if len(digits) >= 8 and len(digits) >= len(_NON_ALNUM.sub("", text)) - 1:
        keys.append("tel:" + digits[-10:])
    alnum = _NON_ALNUM.sub("", text).upper()
    if len(alnum) >= 5:
        keys.append("id:" + alnum)
    return tuple(dict.fromkeys(keys))


class NameIndex:
    """Tokens of every listed name, with postings, rarity and spelling neighbours.

    Build with ``NameIndex.build(entities)``.
    """

    def __init__(self, entities: tuple[ListedEntity, ...]) -> None:
        self.entities = entities
        self.names: list[IndexedName] = []
        self.totals: list[float] = []
        self.postings: dict[str, list[int]] = {}
        self.idf: dict[str, float] = {}
        self.max_idf = 1.0
        self._neighbours: dict[str, list[str]] = {}
        self._skeletons: dict[str, list[str]] = {}
        self._phonetic: dict[str, list[str]] = {}
        self._prefixes: dict[str, list[str]] = {}
        # "sumilab" -> ("sumi", "laboratory"): words side by side in a listed name, as one.
        # Flat pairs (first, second, first, second ...): one object per key keeps the build
        # light on memory and garbage collection.
        self._splits: dict[str, tuple[str, ...]] = {}
        self.identifiers: dict[str, list[tuple[int, str, str]]] = {}

    @classmethod
    def build(cls, entities: Iterable[ListedEntity]) -> NameIndex:
        """Normalise every name of every entity and index its tokens and identifiers."""
        index = cls(tuple(entities))
        raw: list[tuple[int, str, str, tuple[str, ...], tuple[str, ...]]] = []
        postings: dict[str, list[int]] = defaultdict(list)
        splits: dict[str, tuple[str, ...]] = {}
        for position, entity in enumerate(index.entities):
            seen: set[tuple[str, ...]] = set()
            for listed in entity.names:
                normalised = normalise_name(listed.name)
                tokens = normalised.tokens
                if not tokens or tokens in seen:
                    continue
                # Weak aliases such as '40' or 'El' would match half the world.
                if listed.kind == "weak-aka" and len("".join(tokens)) < 4:
                    continue
                seen.add(tokens)
                name_id = len(raw)
                raw.append((position, listed.name, listed.kind, tokens, normalised.legal_forms))
                for token in set(tokens):
                    postings[token].append(name_id)
                for first, second in zip(tokens, tokens[1:], strict=False):
                    for joined, _ in joined_spellings(first, second):
                        pairs = splits.get(joined)
                        if pairs is None:
                            splits[joined] = (first, second)
                        elif (first, second) not in zip(pairs[::2], pairs[1::2], strict=True):
                            splits[joined] = (*pairs, first, second)
            for identifier in entity.identifiers:
                for key in identifier_keys(identifier.value):
                    index.identifiers.setdefault(key, []).append(
                        (position, identifier.type, identifier.value)
                    )
        total = len(raw) + 1
        index.postings = dict(postings)
        index.idf = {t: math.log(total / (len(p) + 1)) + 1.0 for t, p in postings.items()}
        index.max_idf = math.log(total) + 1.0
        index.names = [
            IndexedName(e, text, kind, tokens, tuple(index.weight(t) for t in tokens), legal)
            for e, text, kind, tokens, legal in raw
        ]
        index.totals = [sum(n.weights) or 1.0 for n in index.names]
        neighbours: dict[str, list[str]] = defaultdict(list)
        skeletons: dict[str, list[str]] = defaultdict(list)
        phonetic: dict[str, list[str]] = defaultdict(list)
        prefixes: dict[str, list[str]] = defaultdict(list)
        for token in postings:
            if len(token) >= _PREFIX_FROM:
                prefixes[token[:_PREFIX]].append(token)
            phonetic[phonetic_key(token)].append(token)
            if len(token) >= _MIN_FUZZY_LEN and not token.isdigit():
                for variant in _deletions(token):
                    neighbours[variant].append(token)
            skeleton = consonant_skeleton(token)
            if len(skeleton) >= 2:
                skeletons[skeleton].append(token)
        index._neighbours = dict(neighbours)
        index._skeletons = dict(skeletons)
        index._phonetic = dict(phonetic)
        index._prefixes = dict(prefixes)
        index._splits = splits
        return index

    def weight(self, token: str, *, like: str | None = None) -> float:
        """Rarity weight of a token: IDF (of ``like`` when given) times its generic weight."""
        idf = self.idf.get(like if like is not None else token, self.max_idf)
        return idf * generic_weight(token)

    def resolve(self, token: str, *, abjad: bool = False) -> list[TokenHit]:
        """List tokens a query token reaches, best first (at most a handful)."""
        if token in self.postings:
            return [TokenHit(token, 1.0, "exact")]
        hits: dict[str, TokenHit] = {}
        if len(token) >= _MIN_FUZZY_LEN and not token.isdigit():
            for variant in {token} | _deletions(token):
                for candidate in self._neighbours.get(variant, ()):
                    if candidate in hits:
                        continue
                    similarity = OSA.normalized_similarity(token, candidate, score_cutoff=FUZZY_MIN)
                    if similarity:
                        hits[candidate] = TokenHit(candidate, similarity, "typo")
                if variant in self.postings and variant not in hits:
                    similarity = OSA.normalized_similarity(token, variant)
                    if similarity >= FUZZY_MIN:
                        hits[variant] = TokenHit(variant, similarity, "typo")
        for candidate in self._phonetic.get(phonetic_key(token), ()):
            # "aleksei" meets "alexey": one sound, two romanisations.
            hits.setdefault(candidate, TokenHit(candidate, 0.95, "spelling"))
        if abjad:
            for candidate in self._skeletons.get(consonant_skeleton(token), ()):
                hits.setdefault(candidate, TokenHit(candidate, 0.9, "skeleton"))
        if not hits and len(token) >= _PREFIX_FROM:
            # Two slips in a long word ("alexandros" / "alexander"): words sharing its start.
            for candidate in self._prefixes.get(token[:_PREFIX], ()):
                similarity = OSA.normalized_similarity(token, candidate, score_cutoff=FUZZY_MIN)
                if similarity:
                    hits[candidate] = TokenHit(candidate, similarity, "typo")
        if not hits:
            # "hebeiatun" is HEBEI ATUN: two words side by side in a listed name, joined.
            for first, second, similarity in self.joined_words(token, near=True)[:1]:
                hits[first] = TokenHit(first, similarity, "split")
                hits[second] = TokenHit(second, similarity, "split")
        return sorted(hits.values(), key=lambda h: -h.similarity)[:6]

    def joined_words(self, token: str, *, near: bool = False) -> list[tuple[str, str, float]]:
        """Adjacent words of a listed name that, written as one, are the token.

        Args:
            token: a normalised query token ("hebeiatun").
            near: when nothing matches exactly, also allow one letter too many in the token
                ("alaaqsa" for AL-AQSA).

        Returns:
            (first word, second word, similarity) for each such pair.
        """
        exact = self._splits.get(token)
        if exact is not None:
            return [(a, b, JOINED_SIMILARITY) for a, b in zip(exact[::2], exact[1::2], strict=True)]
        found: list[tuple[str, str, float]] = []
        if not near or len(token) <= JOIN_MIN_CHARS:
            return found
        for variant in _deletions(token):
            pairs = self._splits.get(variant, ())
            similarity = OSA.normalized_similarity(token, variant)
            found.extend((a, b, similarity) for a, b in zip(pairs[::2], pairs[1::2], strict=True))
        return found

    def _side_by_side(self, first: str, second: str) -> list[int]:
        """Ids of the names holding ``first`` directly followed by ``second``."""
        one, other = self.postings[first], self.postings[second]
        names = self.names
        return [
            name_id
            for name_id in (one if len(one) <= len(other) else other)
            if any(
                a == first and b == second
                for a, b in zip(names[name_id].tokens, names[name_id].tokens[1:], strict=False)
            )
        ]

    def candidates(
        self, tokens: tuple[str, ...], *, abjad: bool = False, limit: int = CANDIDATES
    ) -> list[int]:
        """Ids of the names sharing the most rarity weight with the query tokens."""
        reached: list[tuple[float, list[int]]] = []
        for i, token in enumerate(tokens):
            hits = self.resolve(token, abjad=abjad)
            for hit in hits:
                if hit.how != "split":  # reached below, on the names holding both words
                    reached.append(
                        (self.weight(hit.token) * hit.similarity, self.postings[hit.token])
                    )
            near = all(hit.how == "split" for hit in hits)
            for first, second, similarity in self.joined_words(token, near=near):
                # "hebeiatun" fetches HEBEI ATUN TRADING, not every name holding "hebei".
                weight = (self.weight(first) + self.weight(second)) * similarity
                reached.append((weight, self._side_by_side(first, second)))
            if i + 1 < len(tokens):
                spellings = joined_spellings(token, tokens[i + 1])
                found = [joined for joined, _ in spellings if joined in self.postings]
                if found:
                    # "sumi lab" fetches SUMILAB.
                    weight = self.weight(found[0]) * JOINED_SIMILARITY
                    reached.append((weight, self.postings[found[0]]))
                elif abjad:
                    joined = token + tokens[i + 1]
                    # "nsr llh" (نصر الله) meets "nasrallah".
                    for listed in self._skeletons.get(consonant_skeleton(joined), ()):
                        reached.append((self.weight(listed), self.postings[listed]))
        if not reached:
            return []
        smallest = min(len(p) for _, p in reached)
        scores: dict[int, float] = defaultdict(float)
        for weight, name_ids in reached:
            if len(name_ids) > MAX_POSTINGS and len(name_ids) > smallest:
                continue
            for name_id in name_ids:
                scores[name_id] += weight
        if not scores:
            return []
        totals = self.totals
        # Among names holding the same query words, the ones with fewest other words first:
        # "star" fetches "STAR" (after legal forms) before "EAST STAR SHIPPING".
        ranked = {
            name_id: acc * (0.5 + 0.5 * min(1.0, acc / totals[name_id]))
            for name_id, acc in scores.items()
        }
        top = heapq.nlargest(limit, ranked, key=ranked.__getitem__)
        floor = ranked[top[0]] * RETRIEVAL_FRACTION
        return [name_id for name_id in top if ranked[name_id] >= floor]
