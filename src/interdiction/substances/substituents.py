"""Classify a substituent group in the words the legal class definitions use.

"alkyl", "alkenyl", "alkoxy", "ether", "ester", "hydroxy", "halo", "haloalkyl", "amino",
"nitro" come from the US and Chinese fentanyl class texts; the others ("cyclic", "carbonyl",
"other", ...) name groups no enumerated clause lists. Identification only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rdkit import Chem

__all__ = ["Substituent", "classify_substituent", "fragment_smiles", "grow"]

_HALOGENS = frozenset({9, 17, 35, 53})


@dataclass(frozen=True)
class Substituent:
    """One substituent group, classified in the words the legal texts use.

    Attributes:
        labels: kinds of group present, e.g. {"alkyl", "hydroxy"} for hydroxymethyl.
        kind: one name for the whole group when it has one ("alkoxycarbonyl", "acyloxy",
            "alkoxyalkyl", "alkylenedioxy"), else the single label or "mixed".
        smiles: the group with "*" at its attachment point, e.g. "*C(=O)OC".
    """

    labels: frozenset[str]
    kind: str
    smiles: str

    def describe(self) -> str:
        """Plain words, e.g. "ester (alkoxycarbonyl) *C(=O)OC"."""
        names = "+".join(sorted(self.labels))
        extra = f" ({self.kind})" if self.kind not in self.labels else ""
        return f"{names}{extra} {self.smiles}"


def grow(mol: Chem.Mol, start: int, blocked: set[int]) -> set[int]:
    """Atoms reachable from ``start`` without entering ``blocked``."""
    seen = {start}
    stack = [start]
    while stack:
        atom = mol.GetAtomWithIdx(stack.pop())
        for nb in atom.GetNeighbors():
            idx = nb.GetIdx()
            if idx not in seen and idx not in blocked:
                seen.add(idx)
                stack.append(idx)
    return seen


def fragment_smiles(mol: Chem.Mol, atoms: Iterable[int], attach: int) -> str:
    """Canonical SMILES of a group with "*" written for the atom it hangs on."""
    copy = Chem.RWMol(mol)
    dummy = copy.GetAtomWithIdx(attach)
    dummy.SetAtomicNum(0)
    dummy.SetIsAromatic(False)
    dummy.SetFormalCharge(0)
    dummy.SetNoImplicit(True)
    dummy.SetNumExplicitHs(0)
    used = sorted({*atoms, attach})
    return str(Chem.MolFragmentToSmiles(copy, atomsToUse=used, isomericSmiles=False))


def classify_substituent(mol: Chem.Mol, atoms: set[int], root: int, attach: int) -> Substituent:
    """Name a substituent group by the kinds the legal texts list.

    Args:
        mol: the query.
        atoms: atoms of the group.
        root: the group atom bonded to the scaffold.
        attach: the scaffold atom the group hangs on.

    Returns:
        The labels ("alkyl", "alkenyl", "alkynyl", "alkoxy", "ether", "hydroxy", "halo",
        "haloalkyl", "amino", "nitro", "ester", "carbonyl", "carboxy", "cyano", "amido",
        "cyclic", "other") and a kind naming the whole group.
    """
    smiles = fragment_smiles(mol, atoms, attach)
    labels: set[str] = set()
    used: set[int] = set()  # heteroatoms and carbons consumed by a functional group
    carbons: set[int] = set()
    halogen_on_carbon = False
    # Nitrogens first: a nitro N claims its oxygens before they could be read as ethers.
    for idx in sorted(atoms, key=lambda i: (mol.GetAtomWithIdx(i).GetAtomicNum() != 7, i)):
        atom = mol.GetAtomWithIdx(idx)
        z = atom.GetAtomicNum()
        if atom.IsInRing():
            labels.add("cyclic")
        if z == 6:
            carbons.add(idx)
        elif z in _HALOGENS:
            used.add(idx)
            if idx == root:
                labels.add("halo")
            else:
                halogen_on_carbon = True
        elif z == 7:
            oxygens = [n for n in atom.GetNeighbors() if n.GetAtomicNum() == 8]
            if len(oxygens) >= 2:
                labels.add("nitro")
                used.update([idx, *(o.GetIdx() for o in oxygens)])
            elif any(_is_carbonyl_carbon(n) for n in atom.GetNeighbors()):
                labels.add("amido")
                used.add(idx)
            elif any(b.GetBondType() == Chem.BondType.TRIPLE for b in atom.GetBonds()):
                labels.add("cyano")
                used.add(idx)
            else:
                labels.add("amino")
                used.add(idx)
        elif z == 8:
            if idx in used:
                continue
            heavy = [n for n in atom.GetNeighbors()]
            if any(b.GetBondType() == Chem.BondType.DOUBLE for b in atom.GetBonds()):
                if idx == root:
                    labels.add("oxo")  # "=O" straight on the scaffold atom
                    used.add(idx)
                continue  # carbonyl oxygen: handled with its carbon
            acyl = [n for n in heavy if _is_carbonyl_carbon(n)]
            if acyl and len(heavy) == 2:
                labels.add("ester")
                used.add(idx)
                for c in acyl:
                    used.add(c.GetIdx())
            elif acyl:
                labels.add("carboxy")
                used.add(idx)
                for c in acyl:
                    used.add(c.GetIdx())
            elif atom.GetTotalNumHs() > 0:
                labels.add("hydroxy")
                used.add(idx)
            else:
                labels.add("ether")
                used.add(idx)
        elif z != 1:
            labels.add("other")
    for idx in carbons:
        atom = mol.GetAtomWithIdx(idx)
        if idx in used:
            continue
        if _is_carbonyl_carbon(atom):
            labels.add("carbonyl")
            used.add(idx)
        elif any(
            b.GetBondType() == Chem.BondType.TRIPLE and b.GetOtherAtom(atom).GetAtomicNum() == 7
            for b in atom.GetBonds()
        ):
            labels.add("cyano")
            used.add(idx)
    skeleton = [i for i in carbons if i not in used]
    # Carbonyl carbons bound to an ester O were consumed above; an amide carbonyl is "amido".
    if skeleton and "cyclic" not in labels:
        double = any(
            b.GetBondType() == Chem.BondType.DOUBLE
            and b.GetBeginAtom().GetAtomicNum() == 6
            and b.GetEndAtom().GetAtomicNum() == 6
            and b.GetBeginAtomIdx() in atoms
            and b.GetEndAtomIdx() in atoms
            for b in mol.GetBonds()
        )
        triple = any(
            b.GetBondType() == Chem.BondType.TRIPLE
            and b.GetBeginAtom().GetAtomicNum() == 6
            and b.GetEndAtom().GetAtomicNum() == 6
            and b.GetBeginAtomIdx() in atoms
            and b.GetEndAtomIdx() in atoms
            for b in mol.GetBonds()
        )
        if triple:
            labels.add("alkynyl")
        elif double:
            labels.add("alkenyl")
        elif halogen_on_carbon:
            labels.add("haloalkyl")
        else:
            labels.add("alkyl")
    elif halogen_on_carbon:
        labels.add("haloalkyl")
    root_atom = mol.GetAtomWithIdx(root)
    kind = _kind(labels, root_atom)
    if kind == "alkoxy":
        labels = (labels - {"ether", "alkyl"}) | {"alkoxy"}
    if kind == "amino":
        labels = labels - {"alkyl"}
    return Substituent(frozenset(labels), kind, smiles)


def _is_carbonyl_carbon(atom: Chem.Atom) -> bool:
    if atom.GetAtomicNum() != 6:
        return False
    return any(
        b.GetBondType() == Chem.BondType.DOUBLE and b.GetOtherAtom(atom).GetAtomicNum() in (8, 16)
        for b in atom.GetBonds()
    )


def _kind(labels: set[str], root: Chem.Atom) -> str:
    """One name for the group: the legal texts name some groups as a whole."""
    z = root.GetAtomicNum()
    if labels == {"ester", "alkyl"} or labels == {"ester"}:
        return (
            "alkoxycarbonyl"
            if z == 6 and _is_carbonyl_carbon(root)
            else ("acyloxy" if z == 8 else "ester")
        )
    if z == 8 and labels <= {"ether", "alkyl"} and "ether" in labels:
        return "alkoxy"
    if z == 7 and labels <= {"amino", "alkyl"}:
        return "amino"
    if z == 6 and labels == {"ether", "alkyl"}:
        return "alkoxyalkyl"
    if len(labels) == 1:
        return next(iter(labels))
    return "mixed"
