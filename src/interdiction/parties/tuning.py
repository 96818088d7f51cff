"""Tuned numbers of party matching, in one place, each with the reason for its value.

Tuned on tests/parties/data/labelled_queries.csv with benchmarks/parties_accuracy.py.
"""

from __future__ import annotations

__all__ = [
    "CANDIDATES",
    "CONFLICT_FACTOR",
    "CONNECTIVE_WEIGHT",
    "COUNTRY_BONUS",
    "COUNTRY_PENALTY",
    "DEFAULT_THRESHOLD",
    "DOB_BONUS",
    "DOB_PENALTY",
    "FUZZY_MIN",
    "IDENTIFIER_SCORE",
    "INITIAL_SIMILARITY",
    "INITIAL_WEIGHT",
    "JOINED_MIN",
    "JOINED_SIMILARITY",
    "JOIN_MIN_CHARS",
    "MAX_POSTINGS",
    "NAME_KIND_FACTOR",
    "PLACE_WEIGHT",
    "RARE_WEIGHT",
    "RETRIEVAL_FRACTION",
    "SHORT_TYPO_PENALTY",
    "SUPERSET_FACTOR",
]

# Scores at or above this are reported. On the 640 labelled queries (benchmarks/parties_accuracy.py
# --sweep): 0.75 gives F1 0.989 with 6 false alerts on 200 look-alikes, 0.77 gives F1 0.989 with
# 3, 0.80 gives F1 0.978 (one-surname queries such as "Ovidio Guzman" start to drop) with 2.
DEFAULT_THRESHOLD = 0.77

# "Hubei", "Shanghai": a place opening a Chinese company name says little about which company.
PLACE_WEIGHT = 0.35

# Token similarity below this counts as no match ("cishun"/"cishum" = 0.83 counts, "atun"/"anton" not).
FUZZY_MIN = 0.75

# One slip in a word of five letters or fewer costs this much more similarity ("cemex"/"cimex"
# = 0.8 - 0.1, below FUZZY_MIN: no match).
SHORT_TYPO_PENALTY = 0.1

# "O." meets "Ovidio" with this similarity; an initial weighs this share of a rare word.
INITIAL_SIMILARITY = 0.8
INITIAL_WEIGHT = 0.15

# "shanghaicishun" vs "shanghai cishun": whole-name similarity that rescues split/joined words.
JOINED_MIN = 0.92

# "sumi lab" / "sumilab", "hebeiatun" / "hebei atun": the same letters with a space put in or
# left out score this, like the whole-name rescue above (0.98), just under an exact match.
JOINED_SIMILARITY = 0.98

# Two tokens read as one word only when they hold this many letters together: "ci shun" (6)
# joins; "al fa" / "alfa" and "sa de" / "sade" are too short to say it is one name.
JOIN_MIN_CHARS = 5

# Generic words weighing at most this ("de", "los", "y", "and" in generic_words.csv) are
# connectives: one joins a neighbour of four letters or more ("los zetas" / "loszetas"), never
# another connective or a short word ("de la", "de rio").
CONNECTIVE_WEIGHT = 0.2

# Query and listed name each hold words the other lacks ("Atlas Trading" / "Atlas Holding",
# "GUZMAN LOPEZ, Joaquin" / "Guzman Lopez, Ovidio"): scale the name score by this.
CONFLICT_FACTOR = 0.88

# The query holds words the listed name lacks while the listed name is fully present
# ("Smart Home Depot" / SMART DEPOT): scale the name score by this.
SUPERSET_FACTOR = 0.92

# Names fully scored per query, taken from the index by accumulated rare-token weight.
CANDIDATES = 24

# Names holding less than this share of the best candidate's rare-token weight are not scored:
# for "Shanghai Cishun Fine Chemical", names sharing only "shanghai" + "chemical" stay out.
RETRIEVAL_FRACTION = 0.3

# A token on more list names than this ("co", "de") is not used to fetch candidates
# unless the query has nothing rarer.
MAX_POSTINGS = 1500

# Token weight (IDF x generic weight) from which the explanation calls a token "rare".
RARE_WEIGHT = 4.0

# An identical USCC / RFC / CURP / passport / e-mail / phone is decisive.
IDENTIFIER_SCORE = 0.99

# A date of birth whose year is more than one year off the listed ones: strong evidence against.
DOB_PENALTY = 0.8
DOB_BONUS = 0.03

# Country of the query not among the entity's countries: weak evidence against.
COUNTRY_PENALTY = 0.93
COUNTRY_BONUS = 0.02

# OFAC's weak aliases ('El Mayo', 'HBATUN') are nicknames and fragments: trust them less.
NAME_KIND_FACTOR = {
    "primary": 1.0,
    "aka": 1.0,
    "nka": 1.0,
    "fka": 0.98,
    "original-script": 1.0,
    "weak-aka": 0.92,
}
