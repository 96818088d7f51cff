"""Reduce an input molecule to the neutral parent(s) that the law is applied to.

``standardise`` strips counter-ions, water and solvents (``data/salts.yaml``) and every
carbon-free fragment, neutralises charges (RDKit ``Uncharger``), and keeps each distinct organic
component; more than one kept component means the input was a mixture. Stereo and isotopes are
kept: ``identify.structure_key`` drops stereo where the law covers isomers.

``quick_parent`` is the cheap version used before the legal prescreen: a single uncharged
fragment (the common case) costs about a microsecond.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from rdkit import Chem, rdBase
from rdkit.Chem import rdMolDescriptors
from rdkit.Chem.MolStandardize import rdMolStandardize

from interdiction.errors import ReferenceDataError
from interdiction.substances.resolve import SIMPLE_PROP

__all__ = ["Parent", "SaltEntry", "load_salts", "quick_parent", "standardise"]

_KINDS = ("acid", "base", "metal", "water", "solvent")
_CHARGED = Chem.MolFromSmarts("[!+0]")
_HYDROGEN = Chem.MolFromSmarts("[#1]")
_METAL = Chem.MolFromSmarts("[Li,Na,K,Rb,Cs,Be,Mg,Ca,Sr,Ba,Al,Zn,Cu,Fe,Co,Ni,Mn,Ag,Sn,Pb,Hg,Pt,Pd]")


@dataclass(frozen=True)
class SaltEntry:
    """One counter-ion, water or solvent from ``data/salts.yaml``."""

    id: str
    name: str
    kind: str
    smiles: str
    source: str


@dataclass(frozen=True)
class Parent:
    """The standardised form of an input.

    Attributes:
        mol: the neutral parent; for a mixture, all kept components in one molecule.
        components: canonical SMILES (stereo kept) of each distinct organic component kept,
            largest first.
        removed: what was stripped, named where known ("hydrochloride", "citrate", "water",
            "hydrochloride (x2)"); carbon-free fragments not in the data file by formula.
        n_input_components: fragments in the input (a salt "B.HCl" has 2).
    """

    mol: Chem.Mol
    components: tuple[str, ...]
    removed: tuple[str, ...]
    n_input_components: int

    @property
    def is_mixture(self) -> bool:
        """True when more than one distinct organic component was kept."""
        return len(self.components) > 1


@lru_cache(maxsize=1)
def _uncharger() -> rdMolStandardize.Uncharger:
    return rdMolStandardize.Uncharger(canonicalOrder=True)


@lru_cache(maxsize=1)
def _metal_disconnector() -> rdMolStandardize.MetalDisconnector:
    return rdMolStandardize.MetalDisconnector()


def _neutral(mol: Chem.Mol) -> Chem.Mol:
    if not mol.HasSubstructMatch(_CHARGED):
        return mol
    with rdBase.BlockLogs():  # the Uncharger logs every call at info level
        return _uncharger().uncharge(mol)


def _keys(mol: Chem.Mol) -> tuple[str, str]:
    return Chem.MolToSmiles(mol), Chem.MolToSmiles(mol, isomericSmiles=False)


def _default_salts_path() -> Path:
    return Path(str(resources.files("interdiction") / "data" / "salts.yaml"))


def _entry(raw: Any, path: Path, position: int) -> SaltEntry:
    if not isinstance(raw, dict):
        raise ReferenceDataError(f"{path}: entry {position} is not a mapping; see the file header.")
    missing = [k for k in ("id", "name", "kind", "smiles", "source") if not raw.get(k)]
    if missing:
        raise ReferenceDataError(
            f"{path}: entry {raw.get('id', position)!r} lacks {', '.join(missing)}; every entry "
            "needs id, name, kind, smiles and source."
        )
    if raw["kind"] not in _KINDS:
        raise ReferenceDataError(
            f"{path}: entry {raw['id']!r} has kind {raw['kind']!r}; use one of {', '.join(_KINDS)}."
        )
    return SaltEntry(*(str(raw[k]) for k in ("id", "name", "kind", "smiles", "source")))


@lru_cache(maxsize=4)
def load_salts(path: Path | None = None) -> dict[str, SaltEntry]:
    """Counter-ions, water and solvents keyed by the canonical SMILES of their neutral form.

    Each entry is keyed twice: with stereo (so maleate and fumarate stay apart) and without
    (so an input drawn without stereo still meets one of them).

    Raises:
        ReferenceDataError: naming the file and entry that is malformed.
    """
    path = path or _default_salts_path()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ReferenceDataError(f"cannot read salt table {path}: {exc}") from exc
    if not isinstance(data, dict) or not data.get("version") or not data.get("entries"):
        raise ReferenceDataError(f"{path}: needs 'version', 'sources' and 'entries'.")
    sources = data.get("sources") or {}
    table: dict[str, SaltEntry] = {}
    for position, raw in enumerate(data["entries"], start=1):
        entry = _entry(raw, path, position)
        if entry.source not in sources:
            raise ReferenceDataError(
                f"{path}: entry {entry.id!r} cites source {entry.source!r}, which is not under "
                "'sources'; add it there with its title and address."
            )
        mol = Chem.MolFromSmiles(entry.smiles)
        if mol is None:
            raise ReferenceDataError(f"{path}: entry {entry.id!r} has unreadable SMILES.")
        for key in _keys(_neutral(mol)):
            table.setdefault(key, entry)
    return table


def quick_parent(mol: Chem.Mol) -> Chem.Mol:
    """The largest organic fragment, neutralised; the molecule itself when already simple.

    Cheap stand-in for ``standardise`` before the legal prescreen. A molecule from
    ``parse_smiles_fast`` whose SMILES had one component and no charge is returned as is.
    """
    if mol.HasProp(SIMPLE_PROP):
        return mol
    if len(Chem.GetMolFrags(mol)) == 1:
        return _neutral(mol)
    fragments = Chem.GetMolFrags(mol, asMols=True)
    best = max(fragments, key=lambda f: (_has_carbon(f), f.GetNumHeavyAtoms()))
    return _neutral(best)


def _without_hs(mol: Chem.Mol) -> Chem.Mol:
    return Chem.RemoveHs(mol) if mol.HasSubstructMatch(_HYDROGEN) else mol


def _has_carbon(mol: Chem.Mol) -> bool:
    return any(atom.GetAtomicNum() == 6 for atom in mol.GetAtoms())


def _counted(names: list[str]) -> tuple[str, ...]:
    counts = Counter(names)
    return tuple(n if counts[n] == 1 else f"{n} (x{counts[n]})" for n in dict.fromkeys(names))


def standardise(mol: Chem.Mol) -> Parent:
    """Strip salts, water and solvents, neutralise, and keep the organic component(s).

    A lone fragment is never stripped (citric acid alone stays citric acid); when every
    fragment is a counter-ion or solvent, the largest is kept as the parent.

    Args:
        mol: a sanitised molecule (e.g. ``resolve(...).mol``); not modified.

    Returns:
        The parent, its components and what was removed.
    """
    with rdBase.BlockLogs():  # RemoveHs warns about lone hydrogens, the Uncharger logs each call
        return _standardise(mol)


def _standardise(mol: Chem.Mol) -> Parent:
    work = mol
    if work.HasSubstructMatch(_METAL):
        # "CC(=O)O[Na]" drawn with a covalent bond must split like "CC(=O)[O-].[Na+]".
        work = _metal_disconnector().Disconnect(Chem.Mol(work))
    if len(Chem.GetMolFrags(work)) == 1:
        # One fragment is never stripped: neutralise it and stop (the common case).
        neutral = _neutral(_without_hs(work))
        return Parent(neutral, (Chem.MolToSmiles(neutral),), (), 1)
    fragments = Chem.GetMolFrags(work, asMols=True)
    salts = load_salts()
    kept: dict[str, Chem.Mol] = {}
    removed: list[tuple[str, Chem.Mol]] = []
    for fragment in fragments:
        neutral = _neutral(_without_hs(fragment))
        smiles = Chem.MolToSmiles(neutral)
        entry = salts.get(smiles) or salts.get(Chem.MolToSmiles(neutral, isomericSmiles=False))
        if entry is not None:
            removed.append((entry.name, neutral))
        elif not _has_carbon(neutral):
            removed.append((rdMolDescriptors.CalcMolFormula(neutral), neutral))
        else:
            kept.setdefault(smiles, neutral)
    if not kept:
        # Only counter-ions and solvents: the largest of them is what the user asked about.
        position = max(
            range(len(removed)),
            key=lambda i: (removed[i][1].GetNumHeavyAtoms(), Chem.MolToSmiles(removed[i][1])),
        )
        _, parent = removed.pop(position)
        kept[Chem.MolToSmiles(parent)] = parent
    order = sorted(kept, key=lambda s: (-kept[s].GetNumHeavyAtoms(), s))
    parent_mol = kept[order[0]] if len(order) == 1 else Chem.MolFromSmiles(".".join(order))
    return Parent(
        mol=parent_mol,
        components=tuple(order),
        removed=_counted([name for name, _ in removed]),
        n_input_components=len(fragments),
    )
