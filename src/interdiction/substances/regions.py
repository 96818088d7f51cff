"""Match the fentanyl scaffold once and describe how each labelled region differs from fentanyl.

The class definitions (``substances.classes``) never look at atoms: they read the list of
``Change`` records produced here (e.g. "aniline-ring: ring replaced by aromatic-heteromonocycle",
"piperidine: substituent alkyl at position 3") and check each against the clauses a
jurisdiction allows. Identification only.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdkit import Chem

from interdiction.substances.substituents import (
    Substituent,
    classify_substituent,
    fragment_smiles,
    grow,
)

__all__ = [
    "analyse",
    "Change",
    "RegionAnalysis",
    "Scaffold",
    "ring_kind",
]


@dataclass(frozen=True)
class Change:
    """One difference between the query and fentanyl in one region.

    Attributes:
        region: acyl / aniline-ring / piperidine / phenethyl.
        what: acyl, ring, ring-substituent, substituent, linker-substituent, terminal-ring,
            terminal-ring-substituent, linker, replaced, removed, joined.
        kind: the classified kind (acyl kind, ring kind, or substituent kind).
        substituent: the classified substituent, for substituent changes.
        position: piperidine ring position (2..6) for piperidine substituents, else 0.
        detail: plain words for the reason text.
    """

    region: str
    what: str
    kind: str
    detail: str
    substituent: Substituent | None = None
    position: int = 0


@dataclass(frozen=True)
class RegionAnalysis:
    """The scaffold match of one query: atoms of each region and the changes from fentanyl."""

    regions: tuple[tuple[str, tuple[int, ...]], ...]
    changes: tuple[Change, ...]
    joined: bool

    def atoms(self, region: str) -> tuple[int, ...]:
        """Atom indices of one region ("" regions give an empty tuple)."""
        for name, atoms in self.regions:
            if name == region:
                return atoms
        return ()


def ring_kind(mol: Chem.Mol, ring: tuple[int, ...], fused: bool) -> str:
    """Name a ring: aromatic/saturated, carbo/hetero, mono/fused (benzene kept apart)."""
    if fused:
        return "fused-ring-system"
    atoms = [mol.GetAtomWithIdx(i) for i in ring]
    aromatic = all(a.GetIsAromatic() for a in atoms)
    hetero = any(a.GetAtomicNum() != 6 for a in atoms)
    if aromatic and not hetero and len(ring) == 6:
        return "benzene"
    prefix = "aromatic-" if aromatic else ""
    return f"{prefix}{'hetero' if hetero else 'carbo'}monocycle"


@dataclass(frozen=True)
class Scaffold:
    """The compiled fentanyl scaffold: one SMARTS with mapped anchor atoms."""

    core: Chem.Mol
    anchors: dict[int, int]  # map number -> query atom position in the SMARTS

    @classmethod
    def from_smarts(cls, smarts: str) -> Scaffold:
        """Compile the scaffold SMARTS; map numbers 1..10 must all be present."""
        core = Chem.MolFromSmarts(smarts)
        if core is None:
            raise ValueError(f"cannot parse scaffold SMARTS {smarts!r}")
        anchors = {a.GetAtomMapNum(): a.GetIdx() for a in core.GetAtoms() if a.GetAtomMapNum()}
        missing = set(range(1, 11)) - set(anchors)
        if missing:
            raise ValueError(f"scaffold SMARTS lacks atom map numbers {sorted(missing)}")
        return cls(core, anchors)

    def matches(self, mol: Chem.Mol, *, limit: int = 8) -> list[dict[int, int]]:
        """Every match as {map number: query atom index} (at most ``limit``)."""
        out = []
        for match in mol.GetSubstructMatches(self.core, uniquify=True, maxMatches=limit):
            out.append({num: match[pos] for num, pos in self.anchors.items()})
        return out


def analyse(mol: Chem.Mol, match: dict[int, int], reference_acyl: str) -> RegionAnalysis:
    """Split a matched query into regions and list how each differs from fentanyl.

    Args:
        mol: the query (neutral parent).
        match: {map number: atom index} from ``Scaffold.matches``.
        reference_acyl: fentanyl's acyl group as fragment SMILES ("*C(=O)CC").

    Returns:
        Atoms of each region (for highlights) and the changes; ``joined`` is True when two
        regions are connected by a ring (fused or bridged), which no enumerated clause covers.
    """
    pip = [match[i] for i in range(1, 7)]
    n1, amide_n, acyl_c, ring_atom = match[1], match[7], match[8], match[10]
    core = {*pip, amide_n, acyl_c}
    changes: list[Change] = []

    acyl = grow(mol, acyl_c, core - {acyl_c})
    aniline = grow(mol, ring_atom, core)
    pip_subs: list[tuple[int, int, set[int]]] = []
    # Positions 5 and 6 are written 3 and 2: the ring is symmetric ("3-methyl", not "5-methyl").
    for pos, atom_idx in zip((2, 3, 4, 3, 2), pip[1:], strict=True):
        for nb in mol.GetAtomWithIdx(atom_idx).GetNeighbors():
            if nb.GetIdx() not in core and nb.GetAtomicNum() != 1:  # explicit H is no group
                pip_subs.append((pos, atom_idx, grow(mol, nb.GetIdx(), core) | {nb.GetIdx()}))
    n_subs = [
        nb.GetIdx()
        for nb in mol.GetAtomWithIdx(n1).GetNeighbors()
        if nb.GetIdx() not in core and nb.GetAtomicNum() != 1
    ]
    phenethyl: set[int] = set()
    for nb in n_subs:
        phenethyl |= grow(mol, nb, core)
    groups = [acyl, aniline, phenethyl, *(g for _, _, g in pip_subs)]
    joined = sum(len(g) for g in groups) != len(set().union(*groups))
    regions = (
        ("acyl", tuple(sorted(acyl))),
        ("aniline-ring", tuple(sorted(aniline))),
        ("piperidine", tuple(sorted(set(pip) | set().union(*(g for _, _, g in pip_subs))))),
        ("phenethyl", tuple(sorted(phenethyl))),
        ("amide-n", (amide_n,)),
    )
    if joined:
        changes.append(
            Change(
                "scaffold",
                "joined",
                "fused-or-bridged",
                "two scaffold regions are joined by a ring",
            )
        )
        return RegionAnalysis(regions, tuple(changes), True)

    acyl_smiles = fragment_smiles(mol, acyl, amide_n)
    if acyl_smiles != reference_acyl:
        kind = _acyl_kind(mol, acyl_c, amide_n)
        changes.append(
            Change("acyl", "acyl", kind, f"acyl group {acyl_smiles} ({kind}) in place of propionyl")
        )
    changes.extend(_ring_changes(mol, "aniline-ring", ring_atom, aniline, {amide_n}))
    for pos, atom_idx, group in pip_subs:
        root = next(i for i in group if mol.GetBondBetweenAtoms(i, atom_idx) is not None)
        sub = classify_substituent(mol, group, root, atom_idx)
        changes.append(
            Change(
                "piperidine",
                "substituent",
                sub.kind,
                f"{sub.describe()} at piperidine position {pos}",
                sub,
                pos,
            )
        )
    changes.extend(_phenethyl_changes(mol, n1, n_subs, phenethyl))
    return RegionAnalysis(regions, tuple(changes), False)


def _acyl_kind(mol: Chem.Mol, acyl_c: int, amide_n: int) -> str:
    atom = mol.GetAtomWithIdx(acyl_c)
    others = [
        b.GetOtherAtom(atom)
        for b in atom.GetBonds()
        if b.GetOtherAtomIdx(acyl_c) != amide_n and b.GetBondType() == Chem.BondType.SINGLE
    ]
    if not others:
        return "formyl"
    z = others[0].GetAtomicNum()
    return {6: "carbon-acyl", 8: "alkoxycarbonyl", 7: "carbamoyl"}.get(z, "other-acyl")


def _ring_of(
    mol: Chem.Mol, atom_idx: int, within: set[int]
) -> tuple[tuple[int, ...], tuple[int, ...], bool]:
    """The ring system holding ``atom_idx`` (inside ``within``), its smallest ring holding the
    atom, and whether that ring is fused to another ring."""
    info = mol.GetRingInfo()
    rings = [r for r in info.AtomRings() if atom_idx in r]
    if not rings:
        return (), (), False
    ring = min(rings, key=len)
    system = set(ring)
    grew = True
    while grew:
        grew = False
        for other in info.AtomRings():
            if set(other) & system and not set(other) <= system and set(other) <= within | system:
                system |= set(other)
                grew = True
    return tuple(sorted(system)), tuple(ring), len(system) > len(ring) or len(rings) > 1


def _alkylenedioxy(
    mol: Chem.Mol, system: tuple[int, ...], core: tuple[int, ...]
) -> list[tuple[int, ...]] | None:
    """The O-(CH2)n-O rings fused on an aromatic ring (methylenedioxy, ethylenedioxy), or None
    when anything else is fused to it. The UK text names "alkylenedioxy" as a substituent."""
    core_set = set(core)
    if not all(mol.GetAtomWithIdx(i).GetIsAromatic() for i in core):
        return None
    partners = []
    for other in mol.GetRingInfo().AtomRings():
        extra = set(other) - core_set
        if not extra or not set(other) & core_set or not extra <= set(system):
            continue
        atoms = [mol.GetAtomWithIdx(i) for i in extra]
        oxygens = [a for a in atoms if a.GetAtomicNum() == 8]
        carbons = [a for a in atoms if a.GetAtomicNum() == 6 and not a.GetIsAromatic()]
        if (
            len(set(other) & core_set) != 2
            or len(oxygens) != 2
            or len(oxygens) + len(carbons) != len(atoms)
        ):
            return None
        partners.append(tuple(sorted(extra)))
    covered = core_set.union(*partners) if partners else core_set
    return partners if partners and covered == set(system) else None


def _ring_changes(
    mol: Chem.Mol, region: str, ring_atom: int, atoms: set[int], outside: set[int]
) -> list[Change]:
    ring, core, fused = _ring_of(mol, ring_atom, atoms)
    changes: list[Change] = []
    prefix = "terminal-ring" if region == "phenethyl" else "ring"
    dioxy = _alkylenedioxy(mol, ring, core) if fused else None
    if dioxy:
        # A methylenedioxy-phenyl is a phenyl "further substituted": the fused O-C-O ring is
        # reported as one alkylenedioxy substituent, the ring itself as the monocycle.
        ring, fused = core, False
        for dioxy_ring in dioxy:
            sub = Substituent(
                frozenset({"alkylenedioxy"}),
                "alkylenedioxy",
                fragment_smiles(mol, dioxy_ring, ring[0]),
            )
            changes.append(
                Change(
                    region,
                    f"{prefix}-substituent",
                    sub.kind,
                    f"{sub.describe()} on the {region} ring",
                    sub,
                )
            )
    kind = ring_kind(mol, ring, fused)
    if kind != "benzene":
        ring_smiles = fragment_smiles(mol, ring, next(iter(outside)))
        changes.append(
            Change(region, prefix, kind, f"{region} ring replaced by {kind} {ring_smiles}")
        )
    ring_set = set(ring)
    for idx in ring:
        for nb in mol.GetAtomWithIdx(idx).GetNeighbors():
            n = nb.GetIdx()
            if n in ring_set or n in outside or n not in atoms or nb.GetAtomicNum() == 1:
                continue
            if any(n in g for g in dioxy or ()):
                continue
            group = grow(mol, n, ring_set | outside)
            sub = classify_substituent(mol, group, n, idx)
            changes.append(
                Change(
                    region,
                    f"{prefix}-substituent",
                    sub.kind,
                    f"{sub.describe()} on the {region} ring",
                    sub,
                )
            )
    return changes


def _phenethyl_changes(mol: Chem.Mol, n1: int, n_subs: list[int], atoms: set[int]) -> list[Change]:
    region = "phenethyl"
    if not n_subs:
        return [
            Change(
                region,
                "removed",
                "hydrogen",
                "no group on the piperidine nitrogen (phenethyl replaced by H)",
            )
        ]
    if len(n_subs) > 1:
        return [
            Change(
                region,
                "replaced",
                "several-groups",
                "more than one group on the piperidine nitrogen",
            )
        ]
    paths = []
    a1 = mol.GetAtomWithIdx(n_subs[0])
    for a2 in a1.GetNeighbors():
        if a2.GetIdx() == n1:
            continue
        for a3 in a2.GetNeighbors():
            if a3.GetIdx() != a1.GetIdx() and a3.IsInRing():
                paths.append((a1, a2, a3))
    paths = [
        p
        for p in paths
        if p[0].GetAtomicNum() == 6
        and p[1].GetAtomicNum() == 6
        and not p[0].IsInRing()
        and not p[1].IsInRing()
    ]
    if not paths:
        smiles = fragment_smiles(mol, atoms, n1)
        return [Change(region, "replaced", "other-group", f"phenethyl replaced by {smiles}")]

    def benzene_first(p: tuple[Chem.Atom, Chem.Atom, Chem.Atom]) -> int:
        ring, _, fused = _ring_of(mol, p[2].GetIdx(), atoms)
        return 0 if ring_kind(mol, ring, fused) == "benzene" else 1

    a1, a2, a3 = min(paths, key=benzene_first)
    changes: list[Change] = []
    linker = {a1.GetIdx(), a2.GetIdx()}
    bonds = (
        mol.GetBondBetweenAtoms(n1, a1.GetIdx()),
        mol.GetBondBetweenAtoms(a1.GetIdx(), a2.GetIdx()),
        mol.GetBondBetweenAtoms(a2.GetIdx(), a3.GetIdx()),
    )
    if any(b.GetBondType() != Chem.BondType.SINGLE for b in bonds):
        changes.append(
            Change(region, "linker", "unsaturated-linker", "the two-carbon linker is unsaturated")
        )
    ring_side = grow(mol, a3.GetIdx(), linker | {n1})
    changes.extend(_ring_changes(mol, region, a3.GetIdx(), ring_side, {a2.GetIdx()}))
    for link in (a1, a2):
        for nb in link.GetNeighbors():
            n = nb.GetIdx()
            if n in linker or n == n1 or n == a3.GetIdx() or nb.GetAtomicNum() == 1:
                continue
            group = grow(mol, n, linker | {n1})
            if group & ring_side:
                return [
                    Change(
                        region,
                        "replaced",
                        "ring-closed-linker",
                        "the linker is part of a ring with the terminal ring",
                    )
                ]
            sub = classify_substituent(mol, group, n, link.GetIdx())
            changes.append(
                Change(
                    region,
                    "linker-substituent",
                    sub.kind,
                    f"{sub.describe()} on the phenethyl linker",
                    sub,
                )
            )
    return changes
