"""The compiled legal index (entries by structure key, class definitions, templates,
fingerprints) and the cheap prescreen that keeps ordinary chemicals off the expensive path."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from rdkit import Chem
from rdkit.Chem import rdMolDescriptors

from interdiction.errors import ReferenceDataError
from interdiction.regulations.model import Entry
from interdiction.substances.classes import (
    ClassDefinition,
    ScaffoldDefinition,
    load_class_definitions,
    load_scaffold,
)
from interdiction.substances.derivatives import Template, load_templates
from interdiction.substances.identify import structure_key
from interdiction.substances.similarity import FingerprintIndex

__all__ = ["HasEntries", "LegalIndex", "build_index", "prescreen", "PRESCREEN_SMARTS"]

# The prescreen: two SMARTS, each about 4-8 µs (one match call dominates the cost).
#  1. a ring N, two non-aromatic ring carbons, then a ring carbon bearing N or O (single or
#     double bond, ring or not): the 4-position of a piperidine (or the 3-position of a
#     pyrrolidine, the 4-position of an azepane) carrying an amine, amide, ketone, alcohol or
#     ketal: every 4-anilidopiperidine, 4-AP, ANPP, norfentanyl, NPP, 4-piperidone and their
#     protected forms (a spiro ketal's O sits in its own ring, hence "ring or not");
#  2. an amide (or thioamide) N outside rings carrying a ring atom and a saturated ring carbon:
#     anilides on azetidines, 3-piperidinyl and carbocyclic rings (near scaffolds).
# Measured on 20,000 background molecules: see the report in benchmarks/ and the module notes.
PRESCREEN_SMARTS: tuple[str, ...] = (
    "[#7;R;!a]@[#6;!a]@[#6;!a]@[#6;R;!a]-,=[#7,#8]",
    "[#7X3;!R](-[#6]=[#8,#16])(-[R])-[#6;R;!a]",
)


class HasEntries(Protocol):
    """Anything with the loaded entries (``regulations.Regulations``)."""

    @property
    def entries(self) -> tuple[Entry, ...]: ...


@dataclass(frozen=True)
class Compiled:
    """One entry with its parsed structure and structure key.

    ``possible`` holds the derivative kinds that can exist for this structure ("whenever the
    existence of such is possible"): esters and ethers need an OH, amides and carbamates an
    N-H, acetals a C=O, halides an aromatic C-H.
    """

    entry: Entry
    mol: Chem.Mol
    key: str
    possible: frozenset[str] = frozenset()


@dataclass(frozen=True)
class LegalIndex:
    """Everything ``assess`` needs, compiled once per process by ``build_index``.

    Attributes:
        by_key: entries per structure key.
        compiled: every entry with its structure.
        derivative_entries: entries whose ``covers`` names template kinds (amides, carbamates...)
            that can exist for their structure.
        derivative_prefilters: (structure key, loose query, in family) of those entries: the
            template search runs only when the query contains one of them.
        family: the 4-anilinopiperidine pattern (FAMILY_SMARTS).
        entry_prefilters: the same loose queries for every entry (masked-precursor search).
        formulas_all: molecular formulas of every entry (masked-precursor products must have one).
        analogue_entries: entries covering "derivatives-and-analogues", with a substructure query.
        scaffold: the fentanyl scaffold.
        classes: class definitions.
        templates: derivative / deprotection templates.
        fingerprints: Morgan fingerprints of the controlled entries.
        gates: the compiled prescreen SMARTS.
        formulas: molecular formulas of entries the gate does not match, by heavy-atom count.
    """

    by_key: dict[str, tuple[Entry, ...]]
    compiled: tuple[Compiled, ...]
    derivative_entries: tuple[Compiled, ...]
    derivative_prefilters: tuple[tuple[str, Chem.Mol, bool], ...]
    family: Chem.Mol
    entry_prefilters: tuple[tuple[str, Chem.Mol, bool], ...]
    formulas_all: frozenset[str]
    analogue_entries: tuple[tuple[Compiled, Chem.Mol, bool], ...]
    scaffold: ScaffoldDefinition
    classes: tuple[ClassDefinition, ...]
    templates: tuple[Template, ...]
    fingerprints: FingerprintIndex
    gates: tuple[Chem.Mol, ...]
    formulas: dict[int, frozenset[str]]

    def template_kinds(self) -> frozenset[str]:
        """Template kinds some entry covers."""
        return frozenset(t.kind for t in self.templates)


_TEMPLATE_COVERS = frozenset({"amides", "carbamates", "halides", "acetals", "esters", "ethers"})
_ANALOGUES = "derivatives-and-analogues"
# The site a derivative kind needs on the parent structure.
_POSSIBLE_SITES = {
    "amides": "[#7;!H0]",
    "carbamates": "[#7;!H0]",
    "protected-amine": "[#7;!H0]",
    "halides": "[c;!H0]",
    "acetals": "[CX3;!$(C-[!#6;!#1])]=[#8]",  # aldehyde or ketone, not an amide or ester
    "esters": "[$([OX2H]-[#6]),$([OX2H]-C=O)]",
    "ethers": "[OX2H]-[#6]",
}


def _possible(mol: Chem.Mol, kinds: Iterable[str]) -> frozenset[str]:
    out = set()
    for kind in kinds:
        site = _POSSIBLE_SITES.get(kind)
        if site is not None and mol.HasSubstructMatch(Chem.MolFromSmarts(site)):
            out.add(kind)
    return frozenset(out)


# Family pattern: a 4-anilinopiperidine (any bond orders). Entries that contain it are tried
# only on queries that contain it, so an ordinary 4-substituted piperidine costs one match
# instead of one per entry.
FAMILY_SMARTS = "c-[#7]-[#6]1~[#6]~[#6]~[#7]~[#6]~[#6]~1"


def _generic_query(mol: Chem.Mol) -> Chem.Mol:
    """The entry as a loose prefilter: any bond order (a ketal's C-O meets a ketone's C=O)."""
    params = _params(makeBondsGeneric=True, adjustDegree=False, adjustRingCount=False)
    return Chem.AdjustQueryProperties(mol, params)


def _params(**flags: bool) -> Chem.AdjustQueryParameters:
    params = Chem.AdjustQueryParameters()
    for name, value in flags.items():
        setattr(params, name, value)  # the RDKit stubs type these attributes wrongly
    return params


def _analogue_query(mol: Chem.Mol) -> Chem.Mol:
    """The entry as a substructure query: any hydrogen may be replaced, rings stay rings."""
    # Ring atoms keep their ring count: a fused or bridged ring system built on the entry's
    # ring is a different ring system, not a substituted entry.
    params = _params(
        makeDummiesQueries=True,
        adjustDegree=False,
        adjustRingCount=True,
        makeBondsGeneric=False,
        adjustRingChain=True,
    )
    return Chem.AdjustQueryProperties(mol, params)


_CACHE: dict[int, tuple[object, LegalIndex]] = {}


def build_index(regulations: HasEntries | Iterable[Entry]) -> LegalIndex:
    """Compile entries, class definitions, templates and fingerprints (cached per process).

    The same ``regulations`` object gives the same index without recompiling (about 0.2 s);
    the index pickles, so worker processes may receive it instead of rebuilding it.

    Args:
        regulations: ``regulations.load_regulations()`` or any iterable of ``Entry``.

    Returns:
        The index ``prescreen`` and ``assess`` read.

    Raises:
        ReferenceDataError: an entry whose SMILES does not parse, or malformed class/template data.
    """
    cached = _CACHE.get(id(regulations))
    if cached is not None and cached[0] is regulations:
        return cached[1]
    index = _build(regulations)
    _CACHE.clear()  # one index per process: a new Regulations object replaces the old one
    _CACHE[id(regulations)] = (regulations, index)
    return index


def _build(regulations: HasEntries | Iterable[Entry]) -> LegalIndex:
    entries: tuple[Entry, ...] = (
        tuple(regulations.entries) if hasattr(regulations, "entries") else tuple(regulations)
    )
    gates = tuple(Chem.MolFromSmarts(p) for p in PRESCREEN_SMARTS)
    templates = load_templates()
    compiled: list[Compiled] = []
    by_key: dict[str, list[Entry]] = {}
    for entry in entries:
        mol = Chem.MolFromSmiles(entry.smiles)
        if mol is None:
            raise ReferenceDataError(
                f"entry {entry.id}: SMILES {entry.smiles!r} does not parse; fix the data file."
            )
        key = structure_key(mol)
        compiled.append(Compiled(entry, mol, key))
        by_key.setdefault(key, []).append(entry)
    formulas: dict[int, set[str]] = {}
    for item in compiled:
        if not any(item.mol.HasSubstructMatch(g) for g in gates):
            size = item.mol.GetNumHeavyAtoms()
            formulas.setdefault(size, set()).add(rdMolDescriptors.CalcMolFormula(item.mol))
    # "derivatives and analogues" include the protected and derivative forms the templates name.
    template_kinds = {t.kind for t in templates}
    derivative_list = []
    for c in compiled:
        covers = set(c.entry.covers) & _TEMPLATE_COVERS
        if _ANALOGUES in c.entry.covers:
            covers |= template_kinds
        possible = _possible(c.mol, covers)
        if possible:
            derivative_list.append(Compiled(c.entry, c.mol, c.key, possible))
    derivative = tuple(derivative_list)
    family = Chem.MolFromSmarts(FAMILY_SMARTS)
    prefilters = {
        c.key: (c.key, _generic_query(c.mol), c.mol.HasSubstructMatch(family)) for c in derivative
    }
    analogue = tuple(
        (c, _analogue_query(c.mol), c.mol.HasSubstructMatch(family))
        for c in compiled
        if _ANALOGUES in c.entry.covers
    )
    # Analogue-risk compares with controlled drugs, not with precursors that some schedule
    # lists as controlled (ANPP and norfentanyl are US Schedule II immediate precursors).
    seen = {c.key for c in compiled if c.entry.kind == "precursor"}
    controlled = []
    for c in compiled:
        if c.entry.kind == "controlled" and c.key not in seen:
            seen.add(c.key)
            controlled.append((c.entry.id, c.entry.name, c.entry.jurisdiction, c.mol))
    return LegalIndex(
        derivative_prefilters=tuple(prefilters.values()),
        family=family,
        # Smallest first: the search stops at the first hit, and small skeletons hit most.
        entry_prefilters=tuple(
            {
                c.key: (c.key, _generic_query(c.mol), c.mol.HasSubstructMatch(family))
                for c in sorted(compiled, key=lambda c: c.mol.GetNumHeavyAtoms())
            }.values()
        ),
        formulas_all=frozenset(rdMolDescriptors.CalcMolFormula(c.mol) for c in compiled),
        by_key={k: tuple(v) for k, v in by_key.items()},
        compiled=tuple(compiled),
        derivative_entries=derivative,
        analogue_entries=analogue,
        scaffold=load_scaffold(),
        classes=load_class_definitions(),
        templates=templates,
        fingerprints=FingerprintIndex(controlled),
        gates=gates,
        formulas={k: frozenset(v) for k, v in formulas.items()},
    )


def prescreen(mol: Chem.Mol, index: LegalIndex) -> bool:
    """Cheap test: False means certainly not listed anywhere and no flag.

    Two SMARTS matches (about 5-8 µs each); a molecular formula only for the few sizes of listed
    substances outside the fentanyl family (e.g. propionyl chloride).

    Args:
        mol: the parent structure (salts removed).
        index: from ``build_index``.
    """
    for gate in index.gates:
        if mol.HasSubstructMatch(gate):
            return True
    wanted = index.formulas.get(mol.GetNumHeavyAtoms())
    return bool(wanted) and rdMolDescriptors.CalcMolFormula(mol) in wanted  # type: ignore[operator]
