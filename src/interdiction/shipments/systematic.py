"""Systematic chemical names in goods text, read with OPSIN and classified by structure.

The legal files list a few systematic names per entry, but a declaration may write another one
("1-(2-phenylethyl)-4-piperidinone" for NPP) or the name of an analogue that only a class
definition covers. Only phrases that look systematic AND carry a fentanyl-relevant morpheme
(piperid-, anilin-, phenethyl, propanamide ...) are sent to OPSIN, in one batch per partition and
cached per process, so ordinary trade text costs nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import pandas as pd
from rdkit import Chem, RDLogger

from interdiction.errors import InputError
from interdiction.shipments.goods import Chemical, GoodsIndex, Mention

__all__ = ["SystematicReader", "candidates"]

# Morphemes of the fentanyl scaffold and its precursors; a phrase without one is not sent.
_RELEVANT = re.compile(r"piperid|anilin|phenethyl|phenylethyl|propanamide|propionanilide|fentan")
# A token of a systematic name: letters, digits, locant commas, brackets, primes, hyphens.
_TOKEN = re.compile(r"^[a-z0-9α-ω(),'\[\]{}\-]+$")
_LOCANT = re.compile(r"\d\-|\-\d|^n\-|[()\[\]]|^tert\-|^sec\-")
_WORDS = {
    "methyl",
    "ethyl",
    "propyl",
    "butyl",
    "benzyl",
    "phenyl",
    "acid",
    "hydrochloride",
    "dihydrochloride",
    "citrate",
    "ester",
}
_N_LOCANT = re.compile(r"(?<![a-z0-9])n(?=[-,'])")
_SPLIT = re.compile(r"[;|/]|,\s|\s-\s|\s{2,}")

Converter = Callable[[list[str]], list[str]]


def candidates(text: str) -> list[str]:
    """Phrases of a folded text that may be systematic names of relevant chemicals."""
    found: list[str] = []
    for phrase in _SPLIT.split(text):
        tokens = phrase.split()
        run: list[str] = []
        for token in [*tokens, ""]:
            chemical = (
                bool(token)
                and _TOKEN.match(token) is not None
                and (
                    _LOCANT.search(token) is not None
                    or token in _WORDS
                    or token.endswith(("yl", "ate", "ide", "one", "amine"))
                )
            )
            if chemical:
                run.append(token)
                continue
            if run:
                name = " ".join(run).strip("-,")
                if _RELEVANT.search(name) and len(name) >= 8:
                    found.append(name)
                run = []
    return found


def _opsin(names: list[str]) -> list[str]:
    from interdiction.substances.opsin import opsin_available, opsin_smiles

    if not opsin_available():
        return [""] * len(names)
    try:
        return opsin_smiles(names)
    except InputError:
        return [""] * len(names)


def _parent_key(smiles: str) -> str:
    if not smiles:
        return ""
    RDLogger.DisableLog("rdApp.*")  # type: ignore[attr-defined]
    mol = Chem.MolFromSmiles(smiles)
    if mol is None:
        return ""
    largest = max(Chem.GetMolFrags(mol, asMols=True), key=lambda m: m.GetNumHeavyAtoms())
    return str(Chem.MolToSmiles(largest, isomericSmiles=False))


class SystematicReader:
    """Turns candidate phrases into chemicals of the goods index (cached per phrase)."""

    def __init__(self, goods: GoodsIndex, *, converter: Converter | None = None) -> None:
        self.goods = goods
        self.converter = converter or _opsin
        self._cache: dict[str, str] = {}

    def mentions(self, folded: pd.Series, skip: Iterable[int] = ()) -> list[Mention]:
        """Chemicals named systematically in a folded text column (rows in ``skip`` ignored)."""
        skipped = set(skip)
        relevant = folded.str.contains(_RELEVANT.pattern, regex=True).to_numpy()
        by_row: dict[int, list[str]] = {}
        for position in relevant.nonzero()[0].tolist():
            if position not in skipped:
                names = candidates(folded.iat[position])
                if names:
                    by_row[position] = names
        todo = sorted({n for names in by_row.values() for n in names if n not in self._cache})
        if todo:
            # Folding lower-cased the N locants, and OPSIN reads "n-phenyl" as normal-phenyl.
            spelled = [_N_LOCANT.sub("N", name) for name in todo]
            for name, smiles in zip(todo, self.converter(spelled), strict=True):
                self._cache[name] = self._chemical_for(name, smiles)
        return [
            Mention(position, self._cache[name], name, "systematic name")
            for position, names in by_row.items()
            for name in names
            if self._cache.get(name)
        ]

    def _chemical_for(self, name: str, smiles: str) -> str:
        key = _parent_key(smiles)
        if not key:
            return ""
        if key not in self.goods.chemicals:
            # An unlisted structure: kept as its own chemical; the substance engine's class
            # rules decide whether it is controlled anywhere.
            self.goods.chemicals[key] = Chemical(key, name, key, (), (), "controlled")
        return key
