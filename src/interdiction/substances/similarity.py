"""Nearest controlled substance by Morgan fingerprint similarity, and the tuned thresholds.

Only molecules that pass the legal prescreen reach this module (a fingerprint costs about
30 µs, a third of parsing a SMILES), so the background of ordinary chemicals never pays for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rdkit import Chem, DataStructs
from rdkit.Chem import rdFingerprintGenerator

__all__ = [
    "ANALOGUE_SIMILARITY",
    "SCAFFOLD_SIMILARITY",
    "FINGERPRINT_RADIUS",
    "FINGERPRINT_BITS",
    "Neighbour",
    "FingerprintIndex",
]

# Tuned numbers live here, each with its reason.
# Morgan radius 2 (ECFP4-like): captures the anilide, piperidine and phenethyl environments.
FINGERPRINT_RADIUS = 2
# 2048 bits: collisions are rare for drug-sized molecules.
FINGERPRINT_BITS = 2048
# Tanimoto at or above this to a controlled entry raises analogue-risk for an unlisted
# structure even without a scaffold match. Tuned on tests/data/analogues_labelled.csv (neutral
# parents: fingerprints of charged forms score lower): fentanyl near-misses (ring-contracted
# piperidine, 3-carbon linker, benzyl for phenyl on the amide N) score 0.45-0.75 to their
# nearest listed fentanyl, while piperidine/anilide drugs (loperamide 0.18, haloperidol 0.14,
# bupivacaine 0.17, donepezil 0.17 to fentanyl) stay below 0.30; 1-Cbz-4-AP scores 0.51 to
# ANPP, so precursors are kept out of the comparison set and the bar sits at 0.55.
ANALOGUE_SIMILARITY = 0.55
# With the fentanyl scaffold or a near scaffold matched, this lower similarity suffices: the
# scaffold is the evidence, the similarity keeps out screening amides that merely contain a
# 4-amidopiperidine with every region replaced (neutral parents: 0.25-0.34 in the background
# set, against 0.52 and above for real fentanyl-type structures).
SCAFFOLD_SIMILARITY = 0.40


@dataclass(frozen=True)
class Neighbour:
    """The closest controlled entry to a query."""

    entry_id: str
    name: str
    jurisdiction: str
    similarity: float


class FingerprintIndex:
    """Morgan fingerprints of the controlled entries, built once per process."""

    def __init__(self, items: Sequence[tuple[str, str, str, Chem.Mol]]) -> None:
        """Index (entry id, name, jurisdiction, mol) tuples."""
        self._generator = rdFingerprintGenerator.GetMorganGenerator(
            radius=FINGERPRINT_RADIUS, fpSize=FINGERPRINT_BITS
        )
        self._meta = [(entry_id, name, j) for entry_id, name, j, _ in items]
        self._fps = [self._generator.GetFingerprint(mol) for _, _, _, mol in items]

    def __getstate__(self) -> dict[str, object]:
        # The RDKit generator does not pickle; worker processes rebuild it.
        state = dict(self.__dict__)
        del state["_generator"]
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._generator = rdFingerprintGenerator.GetMorganGenerator(
            radius=FINGERPRINT_RADIUS, fpSize=FINGERPRINT_BITS
        )

    def __len__(self) -> int:
        return len(self._fps)

    def fingerprint(self, mol: Chem.Mol) -> DataStructs.ExplicitBitVect:
        """The query fingerprint (same settings as the index)."""
        fingerprint: DataStructs.ExplicitBitVect = self._generator.GetFingerprint(mol)
        return fingerprint

    def nearest(self, mol: Chem.Mol, *, skip: frozenset[str] = frozenset()) -> Neighbour | None:
        """The most similar indexed entry (ties: first in data order), or None if empty.

        Args:
            mol: the query.
            skip: entry ids not to consider (e.g. the query's own named entries).
        """
        if not self._fps:
            return None
        scores = DataStructs.BulkTanimotoSimilarity(self.fingerprint(mol), self._fps)
        best: Neighbour | None = None
        for (entry_id, name, jurisdiction), score in zip(self._meta, scores, strict=True):
            if entry_id in skip:
                continue
            if best is None or score > best.similarity:
                best = Neighbour(entry_id, name, jurisdiction, float(score))
        return best
