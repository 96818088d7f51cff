"""Party screening speed: our matcher against a brute-force rapidfuzz scan of every list name.

Screens >= 10,000 realistic queries made from the names of the full OFAC SDN snapshot
(2024-05-03, with the 2025-01 alt.csv aliases): typos, word order, legal-form variants, Chinese
renderings, partial names, plus look-alike company and person names that are not listed.

    .venv/bin/python benchmarks/parties.py            # readable
    .venv/bin/python benchmarks/parties.py --json     # last line: one JSON object

The brute-force baseline is rapidfuzz.process.extractOne(query, all_names,
scorer=fuzz.token_sort_ratio) per query; it is timed on a subset (--brute-queries) and its rate
extrapolated, as the run says.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import sys
import time
import tracemalloc
from collections.abc import Sequence
from functools import cache
from pathlib import Path

SHARED = Path("/work/shared/data/sanctions/ofac")
SDN_PATHS = (SHARED / "sdn-2024-05-03", SHARED / "partial-2025-01" / "alt.csv")

_LEGAL_VARIANTS = (
    (r"\bCO\.?,? ?LTD\.?$", ("Company Limited", "Co Ltd", "CO.,LTD", "Co., Limited", "Limited")),
    (r"\bCOMPANY LIMITED$", ("Co., Ltd.", "Co Ltd")),
    (r"\bCO\.?,? LIMITED$", ("Co., Ltd.", "Company Limited")),
    (r",? S\.A\. DE C\.V\.$", (" SA de CV", ", Sociedad Anonima de Capital Variable", " S.A.")),
    (r",? S\. DE R\.L\. DE C\.V\.$", (" S de RL de CV", " S. de R.L.")),
    (r"^LIMITED LIABILITY COMPANY (.+)$", (r"\1 LLC", r"OOO \1", r"\1 Limited Liability Company")),
    (r"\bLLC$", ("L.L.C.", "Limited Liability Company")),
    (r"\bINC\.?$", ("Incorporated", "Inc")),
    (r"\bGMBH$", ("G.m.b.H.",)),
)


def load_entities() -> tuple[object, ...]:
    """The SDN snapshot of 2024-05-03 joined with the 2025-01 aliases."""
    from interdiction.parties.loaders import load_ofac

    return load_ofac(list(SDN_PATHS)).entities


@cache
def _syllable_chars() -> dict[str, str]:
    """Pinyin syllable -> a common character read that way (GB2312 level 1)."""
    from pypinyin import lazy_pinyin

    table: dict[str, str] = {}
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            try:
                char = bytes([high, low]).decode("gb2312")
            except UnicodeDecodeError:
                continue
            syllable = lazy_pinyin(char, v_to_u=True)[0].replace("ü", "u")
            table.setdefault(syllable, char)
    return table


def _syllables(word: str) -> list[str] | None:
    """Split a pinyin word into syllables ("cishun" -> ["ci", "shun"]); None when it is not pinyin."""
    table = _syllable_chars()
    out: list[str] = []
    i = 0
    while i < len(word):
        for size in range(min(6, len(word) - i), 0, -1):
            if word[i : i + size] in table:
                out.append(word[i : i + size])
                i += size
                break
        else:
            return None
    return out


@cache
def _reverse_tables() -> tuple[dict[str, str], dict[str, str]]:
    from interdiction.parties.transliterate import _data_rows

    places = {r["latin"]: r["chinese"] for r in _data_rows("place_names_zh.csv")}
    business = {}
    for r in _data_rows("business_words_zh.csv"):
        business.setdefault(r["english"], r["chinese"])
    return places, business


def chinese_rendering(name: str) -> str | None:
    """Write a romanised Chinese company name in characters (constructed, for tests).

    Places and business words from the package tables, other pinyin words syllable by syllable
    with a common character of that reading; None when a word is not pinyin.
    """
    from interdiction.parties.normalise import normalise_name

    normalised = normalise_name(name)
    if not normalised.tokens or not normalised.legal_forms:
        return None
    places, business = _reverse_tables()
    words = list(normalised.tokens)
    out = ""
    i = 0
    while i < len(words):
        pair = " ".join(words[i : i + 2])
        if pair in business:
            out += business[pair]
            i += 2
            continue
        word = words[i]
        if word in places:
            out += places[word]
        elif word in business:
            out += business[word]
        else:
            syllables = _syllables(word)
            if syllables is None:
                return None
            out += "".join(_syllable_chars()[s] for s in syllables)
        i += 1
    return out + "有限公司"


def typo(name: str, rng: random.Random) -> str | None:
    """One edit (substitute, delete, insert, swap) inside the longest word."""
    words = name.split()
    if not words:
        return None
    index = max(range(len(words)), key=lambda i: len(words[i].strip(",.")))
    word = words[index]
    if len(word) < 5:
        return None
    pos = rng.randrange(1, len(word) - 2)
    letter = rng.choice("aeioulnrst").upper() if word.isupper() else rng.choice("aeioulnrst")
    edit = rng.choice(("sub", "del", "ins", "swap"))
    if edit == "sub":
        word = word[:pos] + letter + word[pos + 1 :]
    elif edit == "del":
        word = word[:pos] + word[pos + 1 :]
    elif edit == "ins":
        word = word[:pos] + letter + word[pos:]
    else:
        word = word[:pos] + word[pos + 1] + word[pos] + word[pos + 2 :]
    words[index] = word
    out = " ".join(words)
    return out if out != name else None


def word_order(name: str, kind: str) -> str | None:
    """Persons "SURNAME, Given" -> "Given Surname"; organisations: first word moved after the
    others, legal form kept at the end ("Cishun Fine Chemical Shanghai Co Ltd")."""
    from interdiction.parties.normalise import normalise_name

    if kind == "person" and "," in name:
        surname, given = name.split(",", 1)
        return f"{given.strip()} {surname.strip().title()}"
    normalised = normalise_name(name)
    words = [w.title() for w in normalised.tokens]
    if len(words) < 3:
        return None
    legal = normalised.legal_forms[0].title() if normalised.legal_forms else ""
    return " ".join(words[1:] + words[:1] + ([legal] if legal else []))


def legal_variant(name: str, rng: random.Random) -> str | None:
    """The same company with its legal form written another way."""
    for pattern, replacements in _LEGAL_VARIANTS:
        if re.search(pattern, name):
            return re.sub(pattern, rng.choice(replacements), name).strip()
    return None


def partial(name: str, kind: str) -> str | None:
    """Persons: given name and first surname only; organisations: legal form and last word off."""
    from interdiction.parties.normalise import normalise_name

    if kind == "person" and "," in name:
        surname, given = name.split(",", 1)
        surnames = surname.split()
        if len(surnames) < 2:
            return None
        return f"{given.strip()} {surnames[0].title()}"
    words = list(normalise_name(name).tokens)
    if len(words) < 3:
        return None
    return " ".join(w.upper() for w in words[:-1])


def lookalike(rng: random.Random, vocabulary: set[str]) -> str:
    """A plausible legitimate Chinese company name sharing only generic words with listed ones."""
    places = ["Hubei", "Hebei", "Shanghai", "Wuhan", "Zhejiang", "Jiangsu", "Shandong", "Henan"]
    trades = [
        "Biotechnology Co., Ltd.",
        "Chemical Co., Ltd.",
        "Fine Chemical Co., Ltd.",
        "Pharmaceutical Technology Co., Ltd.",
        "Trading Co., Ltd.",
        "Import and Export Co., Ltd.",
        "New Material Technology Co., Ltd.",
    ]
    syllables = [s for s in _syllable_chars() if 2 <= len(s) <= 4]
    while True:
        word = rng.choice(syllables) + rng.choice(syllables)
        if word not in vocabulary and len(word) >= 5:
            return f"{rng.choice(places)} {word.title()} {rng.choice(trades)}"


def make_queries(entities: Sequence[object], count: int, seed: int) -> list[tuple[str, str, str]]:
    """(query, expected entity id or "", kind) drawn from the list names."""
    from interdiction.parties.normalise import normalise_name

    rng = random.Random(seed)
    usable = [e for e in entities if e.kind in ("person", "organisation")]  # type: ignore[attr-defined]
    vocabulary = {t for e in usable for n in e.names for t in normalise_name(n.name).tokens}  # type: ignore[attr-defined]
    queries: list[tuple[str, str, str]] = []
    while len(queries) < count:
        entity = rng.choice(usable)
        name = entity.primary_name  # type: ignore[attr-defined]
        kind = entity.kind  # type: ignore[attr-defined]
        choice = rng.random()
        query: str | None
        if choice < 0.12:
            queries.append((lookalike(rng, vocabulary), "", "hard-negative"))
            continue
        if choice < 0.3:
            query, label = typo(name, rng), "typo"
        elif choice < 0.45:
            query, label = word_order(name, kind), "word-order"
        elif choice < 0.6:
            query, label = legal_variant(name, rng), "legal-form"
        elif choice < 0.7:
            query, label = partial(name, kind), "partial"
        elif choice < 0.8:
            query, label = (chinese_rendering(name) if kind == "organisation" else None), "chinese"
        elif choice < 0.9:
            aliases = [n.name for n in entity.names if n.kind == "aka"]  # type: ignore[attr-defined]
            query, label = (rng.choice(aliases) if aliases else None), "alias"
        else:
            query, label = name.title(), "exact"
        if query:
            queries.append((query, entity.entity_id, label))  # type: ignore[attr-defined]
    return queries


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=10_000, help="queries screened (>= 10,000)")
    parser.add_argument("--brute-queries", type=int, default=300, help="queries for brute force")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print one JSON object last")
    args = parser.parse_args(argv)

    from rapidfuzz import fuzz, process

    from interdiction.parties.matcher import Matcher
    from interdiction.parties.normalise import consonant_skeleton, normalise_name, phonetic_key

    entities = load_entities()
    queries = make_queries(entities, args.queries, args.seed)

    # Wall time and CPU time of this process (one thread: CPU time = time on one core; on a
    # shared machine wall time also counts waiting for the core).
    # Query generation normalised every list name: empty the caches so the build pays for it.
    normalise_name.cache_clear()
    phonetic_key.cache_clear()
    consonant_skeleton.cache_clear()
    wall, cpu = time.perf_counter(), time.process_time()
    matcher = Matcher.build(entities)
    build_s = time.perf_counter() - wall
    build_cpu_s = time.process_time() - cpu

    wall, cpu = time.perf_counter(), time.process_time()
    hits = 0
    for query, _, _ in queries:
        hits += bool(matcher.search(query, limit=3))
    ours_wall = time.perf_counter() - wall
    ours_cpu = time.process_time() - cpu
    ours_per_s = len(queries) / ours_cpu

    names = [n.name for e in entities for n in e.names]
    subset = queries[: args.brute_queries]
    wall, cpu = time.perf_counter(), time.process_time()
    for query, _, _ in subset:
        process.extractOne(query, names, scorer=fuzz.token_sort_ratio)
    brute_wall = time.perf_counter() - wall
    brute_per_s = len(subset) / (time.process_time() - cpu)

    # Memory of the built index alone, measured on a second build under tracemalloc.
    tracemalloc.start()
    normalise_name.cache_clear()
    Matcher.build(entities)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    figures = {
        "queries": len(queries),
        "list_entities": len(entities),
        "list_names": len(names),
        "ours_per_s": round(ours_per_s, 1),
        "ours_per_s_wall": round(len(queries) / ours_wall, 1),
        "bruteforce_per_s": round(brute_per_s, 2),
        "bruteforce_per_s_wall": round(len(subset) / brute_wall, 2),
        "bruteforce_queries_timed": len(subset),
        "ratio": round(ours_per_s / brute_per_s, 1),
        "index_build_s": round(build_s, 2),
        "index_build_cpu_s": round(build_cpu_s, 2),
        "index_traced_peak_mb": round(traced_peak / 2**20, 1),
        "peak_mb": round(_peak_mb(), 1),
        "queries_with_match": hits,
    }
    print(f"list: {len(entities)} SDN entities, {len(names)} names (2024-05-03 + 2025-01 aliases)")
    print(
        f"index build: {build_s:.2f} s wall, {build_cpu_s:.2f} s CPU "
        f"(tracemalloc peak while building {figures['index_traced_peak_mb']} MB)"
    )
    print(
        f"ours: {len(queries)} queries in {ours_cpu:.2f} s CPU = {ours_per_s:,.0f} queries/s on "
        f"one core ({figures['ours_per_s_wall']:,.0f}/s wall clock)"
    )
    print(
        f"brute force (extractOne, token_sort_ratio over {len(names)} names): timed on "
        f"{len(subset)} of the queries and extrapolated: {brute_per_s:,.1f} queries/s on one core "
        f"({figures['bruteforce_per_s_wall']:,.1f}/s wall clock)"
    )
    print(f"ratio ours / brute force: {figures['ratio']}x")
    print(f"peak RSS: {figures['peak_mb']} MB; queries with a match >= default threshold: {hits}")
    if args.json:
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
