"""Draw a verdict's structure as SVG, with each matched scaffold region in its own colour."""

from __future__ import annotations

from rdkit import Chem
from rdkit.Chem.Draw import rdMolDraw2D

from interdiction.substances.model import SubstanceVerdict

__all__ = ["REGION_COLOURS", "verdict_svg"]

# Pale, distinguishable colours per region, so "which part matched" is visible at a glance.
REGION_COLOURS: dict[str, tuple[float, float, float]] = {
    "acyl": (1.0, 0.70, 0.70),
    "aniline-ring": (0.70, 0.80, 1.0),
    "piperidine": (0.75, 0.95, 0.75),
    "phenethyl": (1.0, 0.90, 0.60),
    "listed-core": (1.0, 0.75, 0.95),
}
_DEFAULT = (0.85, 0.85, 0.85)


def verdict_svg(verdict: SubstanceVerdict, *, width: int = 360, height: int = 260) -> str:
    """SVG text of the standardised structure, matched regions highlighted; "" when no structure."""
    if not verdict.smiles:
        return ""
    mol = Chem.MolFromSmiles(verdict.smiles)
    if mol is None:
        return ""
    colours: dict[int, tuple[float, float, float]] = {}
    for h in verdict.highlights:
        for atom in h.atoms:
            if atom < mol.GetNumAtoms():
                colours.setdefault(atom, REGION_COLOURS.get(h.region, _DEFAULT))
    bond_colours: dict[int, tuple[float, float, float]] = {}
    for bond in mol.GetBonds():
        a, b = bond.GetBeginAtomIdx(), bond.GetEndAtomIdx()
        if a in colours and b in colours and colours[a] == colours[b]:
            bond_colours[bond.GetIdx()] = colours[a]
    drawer = rdMolDraw2D.MolDraw2DSVG(width, height)
    title = verdict.name or ""
    rdMolDraw2D.PrepareAndDrawMolecule(
        drawer,
        mol,
        legend=title,
        highlightAtoms=list(colours),
        highlightAtomColors=colours,
        highlightBonds=list(bond_colours),
        highlightBondColors=bond_colours,
    )
    drawer.FinishDrawing()
    return str(drawer.GetDrawingText())
