"""Normalise substance names so that look-ups ignore case, spacing, hyphens and width."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

__all__ = ["normalise_name"]

# Greek letters are written out in most legal texts ("alpha-methylfentanyl"), but users paste
# the symbol ("α-methylfentanyl"); both must meet the same entry.
_GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ω": "omega"}
# Every kind of dash, space and the separators people put between name parts.
_DROP = re.compile(r"[\s\-‐‑‒–—―−_·・,]+")
# Primes matter ("alpha'-methyl" is not "alpha-methyl"), so they are unified, not dropped.
_PRIMES = re.compile(r"[′’‘`´]")
# Systematic names nest brackets freely: "N-[1-(2-phenylethyl)..." and "N-(1-(2-phenylethyl)..."
# are the same name.
_BRACKETS = str.maketrans("[]{}", "()()")
_CJK = re.compile(r"[\u3400-\u9fff]")


@lru_cache(maxsize=1)
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def normalise_name(text: str) -> str:
    """Return the look-up key of a name.

    Full-width characters become ASCII, traditional Chinese becomes simplified, case is folded,
    Greek letters are spelled out, brackets become parentheses, and spaces, hyphens and dashes
    are removed:
    "N-Phenethyl-4-piperidone", "n phenethyl 4 piperidone" and "Ｎ－ＰＨＥＮＥＴＨＹＬ－４－ＰＩＰＥＲＩＤＯＮＥ"
    all give "nphenethyl4piperidone".

    Args:
        text: any text; never raises.

    Returns:
        The key ("" for text that has no letters or digits left).
    """
    key = text
    # Each step can expose work for another (NFKC turns "¨" into a space plus a combining mark,
    # dropping a space lets a combining mark compose), so repeat until nothing changes.
    for _ in range(4):
        previous = key
        key = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", key).casefold())
        if _CJK.search(key):
            key = _to_simplified().convert(key)
        for letter, word in _GREEK.items():
            key = key.replace(letter, word)
        key = _DROP.sub("", _PRIMES.sub("'", key)).translate(_BRACKETS)
        if key == previous:
            break
    return key
