"""Screen one input or a stream of inputs: resolve, standardise, assess, explain.

Cheap work runs on every molecule; expensive work (full clean-up, InChIKey, class rules,
templates, fingerprints) only on the few that pass the legal prescreen or carry several
components. This keeps the classifier close to the cost of plain SMILES parsing.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date

from rdkit import Chem, rdBase

from interdiction.errors import InputError
from interdiction.regulations import Regulations, load_regulations
from interdiction.regulations.model import JURISDICTIONS
from interdiction.substances import guards
from interdiction.substances.identify import canonical_smiles, inchikey
from interdiction.substances.legal import Assessment, LegalIndex, assess, build_index, prescreen
from interdiction.substances.model import Flag, JurisdictionVerdict, SubstanceVerdict
from interdiction.substances.readers import InputRecord
from interdiction.substances.resolve import resolve
from interdiction.substances.standardise import Parent, quick_parent, standardise

__all__ = ["Screener", "check", "check_records", "get_screener"]

# Patterns found in SMILES but never in names or CAS numbers: bond symbols, chirality, an
# aromatic atom followed by a ring-closure digit ("c1"), or a closing branch before an atom.
_SMILES_ONLY = re.compile(r"[=#@\\/%]|[cnosp][1-9]|\)[A-Za-z\[]")
_SPACE = re.compile(r"\s")
# A formal charge in a SMILES: "+", or "-" just before the closing bracket ("[O-]", "[O-2]").
_CHARGE = re.compile(r"\+|-\d*\]")
# Immutable, so one shared tuple serves every clear molecule (most of a batch).
_NOT_LISTED = tuple(JurisdictionVerdict(j, "not-listed") for j in JURISDICTIONS)
_SEVERITY = {"controlled": 2, "precursor": 1, "not-listed": 0, "invalid-input": -1}


@dataclass(frozen=True)
class Screener:
    """Reference data compiled once per process: legal entries, class rules, templates."""

    regulations: Regulations
    index: LegalIndex

    def check(
        self, text: str, *, as_of: date | None = None, row: int = 1, identifiers: bool = False
    ) -> SubstanceVerdict:
        """Classify one input (SMILES, InChI, molfile, CAS number or name).

        Args:
            text: the user's input, kept unchanged in the verdict.
            as_of: the day the law is applied on (default: today).
            row: 1-based row number for batches.
            identifiers: always fill smiles and inchikey, even for not-listed structures.

        Returns:
            A verdict; an unreadable input gives status invalid-input everywhere and an error.
        """
        on = as_of or date.today()
        mol = _fast_smiles(text)
        name = ""
        if mol is not None:
            how = "smiles"
            single = "." not in text
        else:
            try:
                resolved = resolve(text, names=self.regulations)
            except InputError as exc:
                return invalid_verdict(row, text, str(exc))
            mol, how, name = resolved.mol, resolved.how, resolved.name
            single = len(Chem.GetMolFrags(mol)) == 1
        if single and not self._passes(mol):
            if identifiers:
                return self._not_listed(row, text, mol, name, identifiers)
            return SubstanceVerdict(row, text, "", "", name, _NOT_LISTED)
        # A neutral single-fragment SMILES needs no clean-up (the common case after prescreen):
        # skip the full standardisation and assess the parsed molecule as it is.
        plain = single and how == "smiles" and not _CHARGE.search(text)
        parent = None if plain else standardise(mol)
        components = [mol] if parent is None else _component_mols(parent)
        merged = _merge([assess(m, on=on, index=self.index) for m in components])
        flags = list(merged.flags)
        if parent is not None and parent.n_input_components > 1:
            removed = ", ".join(parent.removed) if parent.removed else "none"
            flags.append(
                Flag(
                    "salt-or-mixture",
                    f"input had {parent.n_input_components} components; kept "
                    f"{len(parent.components)} organic component(s), removed: {removed}",
                )
            )
        listed = any(v.status != "not-listed" for v in merged.jurisdictions)
        if not listed and not flags:
            return self._not_listed(row, text, mol, name or merged.name, identifiers)
        parent_mol = mol if parent is None else parent.mol
        return SubstanceVerdict(
            row=row,
            input=text,
            smiles=canonical_smiles(parent_mol),
            inchikey=inchikey(parent_mol),
            name=name or merged.name,
            jurisdictions=merged.jurisdictions,
            flags=tuple(flags),
            highlights=merged.highlights,
        )

    def _passes(self, mol: Chem.Mol) -> bool:
        # The prescreen SMARTS ignore charges, so a protonated amine needs no neutralising;
        # only the formula test for small listed chemicals (e.g. propionyl chloride) does.
        if prescreen(mol, self.index):
            return True
        small = mol.GetNumHeavyAtoms() in self.index.formulas
        return small and prescreen(quick_parent(mol), self.index)

    def _not_listed(
        self, row: int, text: str, mol: Chem.Mol, name: str, identifiers: bool
    ) -> SubstanceVerdict:
        smiles = key = ""
        if identifiers:
            parent = standardise(mol).mol
            smiles, key = canonical_smiles(parent), inchikey(parent)
        return SubstanceVerdict(row, text, smiles, key, name, _NOT_LISTED)


def _fast_smiles(text: str) -> Chem.Mol | None:
    """The molecule when ``text`` is unmistakably SMILES and parses cleanly, else None.

    Batches are mostly SMILES, and the general resolver's checks (names, CAS, InChI, molfile,
    detailed error messages) cost a third of a parse. Text with a bond or ring-closure pattern
    that no registry name has ("=", "#", "@", "c1" ...) skips them; anything that fails here
    goes through ``resolve`` for a proper message, so nothing is lost but time.
    """
    if len(text) > guards.MAX_SMILES_CHARS or not _SMILES_ONLY.search(text) or _SPACE.search(text):
        return None  # not unmistakably SMILES: the general resolver decides
    try:
        guards.check_smiles_text(text)  # refuse a hostile ring grid before parsing it
    except InputError:
        return None
    if guards.rdkit_silenced():
        mol = Chem.MolFromSmiles(text)  # batch workers: the log is off for the whole process
    else:
        with rdBase.BlockLogs():
            mol = Chem.MolFromSmiles(text)
    if mol is None:
        return None
    try:
        guards.check_mol(mol)
    except InputError:
        return None
    return mol


def _component_mols(parent: Parent) -> list[Chem.Mol]:
    """Each distinct organic component on its own (a mixture is judged by its worst part)."""
    mols = [Chem.MolFromSmiles(s) for s in parent.components]
    kept = [m for m in mols if m is not None]
    return kept or [parent.mol]


def _merge(assessments: list[Assessment]) -> Assessment:
    """Most severe status per jurisdiction across the components of a mixture; flags pooled."""
    if len(assessments) == 1:
        return assessments[0]
    verdicts: list[JurisdictionVerdict] = []
    for position, _ in enumerate(JURISDICTIONS):
        options = [a.jurisdictions[position] for a in assessments]
        verdicts.append(max(options, key=lambda v: _SEVERITY[v.status]))
    flags: list[Flag] = []
    for a in assessments:
        flags.extend(f for f in a.flags if f not in flags)
    worst = max(assessments, key=lambda a: max(_SEVERITY[v.status] for v in a.jurisdictions))
    return replace(worst, jurisdictions=tuple(verdicts), flags=tuple(flags))


def invalid_verdict(row: int, text: str, message: str) -> SubstanceVerdict:
    """The verdict for an input we could not read: invalid-input everywhere, with the reason."""
    verdicts = tuple(JurisdictionVerdict(j, "invalid-input") for j in JURISDICTIONS)
    return SubstanceVerdict(row, text, "", "", "", verdicts, error=message)


@functools.lru_cache(maxsize=1)
def get_screener() -> Screener:
    """The process-wide screener over the bundled legal data (built on first use)."""
    regulations = load_regulations()
    screener = Screener(regulations=regulations, index=build_index(regulations))
    standardise(Chem.MolFromSmiles("C.Cl"))  # load the salt table now, not inside a timed batch
    return screener


def check(
    text: str, *, as_of: date | None = None, row: int = 1, identifiers: bool = False
) -> SubstanceVerdict:
    """Classify one input against the bundled legal data. See ``Screener.check``."""
    return get_screener().check(text, as_of=as_of, row=row, identifiers=identifiers)


def check_records(
    records: Iterable[InputRecord], *, as_of: date | None = None, identifiers: bool = False
) -> Iterator[SubstanceVerdict]:
    """Classify a stream of input records in this process, one verdict per record, in order.

    A record the reader could not read becomes an invalid-input verdict with the reader's reason.
    """
    screener = get_screener()
    for record in records:
        if record.error:
            yield invalid_verdict(record.row, record.text, record.error)
        else:
            yield screener.check(record.text, as_of=as_of, row=record.row, identifiers=identifiers)
