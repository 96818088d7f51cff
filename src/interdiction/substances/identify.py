"""Identifiers of a standardised structure: the matching key and the InChIKey."""

from __future__ import annotations

from rdkit import Chem

__all__ = ["structure_key", "inchikey", "canonical_smiles"]


def canonical_smiles(mol: Chem.Mol) -> str:
    """RDKit canonical SMILES, stereo kept."""
    return str(Chem.MolToSmiles(mol))


def structure_key(mol: Chem.Mol) -> str:
    """Key for matching a standardised parent against listed entries.

    Stereo is dropped because the laws we encode cover isomers ("including its isomers"), so
    (R)- and (S)-forms and cis/trans forms must meet the same entry. Callers pass the neutral
    parent (salts and charges removed by ``substances.standardise``).
    """
    return str(Chem.MolToSmiles(mol, isomericSmiles=False))


def inchikey(mol: Chem.Mol) -> str:
    """Standard InChIKey, or "" when RDKit cannot compute one (e.g. query atoms)."""
    key = Chem.MolToInchiKey(mol)  # type: ignore[no-untyped-call]
    return str(key or "")
