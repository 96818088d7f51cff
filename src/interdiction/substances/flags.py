"""Risk flags, kept apart from legal status: analogue-risk and masked-precursor.

A flag never changes a status. It says why a structure deserves a person's attention:
close to a controlled substance but not controlled somewhere (analogue-risk), or one common
deprotection or hydrolysis step away from a listed substance (masked-precursor).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from rdkit import Chem

from interdiction.regulations.model import JURISDICTIONS
from interdiction.substances.classes import ClassDefinition, ClassResult
from interdiction.substances.derivatives import parents
from interdiction.substances.legal_index import LegalIndex
from interdiction.substances.model import Flag, JurisdictionVerdict
from interdiction.substances.regions import RegionAnalysis
from interdiction.substances.similarity import (
    ANALOGUE_SIMILARITY,
    SCAFFOLD_SIMILARITY,
    Neighbour,
)

__all__ = ["analogue_flag", "masked_flags"]

_ANALOGUE_ACT = (
    "the US Controlled Substance Analogue Enforcement Act (21 U.S.C. 813) may reach a "
    "substantially similar structure intended for human consumption"
)


def _scaffold_evidence(analyses: Sequence[RegionAnalysis]) -> str:
    for analysis in analyses:
        if not any(c.what == "removed" for c in analysis.changes):
            return "has the fentanyl scaffold (4-anilidopiperidine with an N-substituent)"
    return ""


def _outside(
    class_results: Mapping[str, list[tuple[ClassDefinition, ClassResult, RegionAnalysis]]],
    not_controlled: Sequence[str],
) -> list[str]:
    out = []
    for jurisdiction in not_controlled:
        for definition, result, _ in class_results.get(jurisdiction, ())[:1]:
            if result.outside:
                why = "; ".join(c.detail for c in result.outside[:3])
                out.append(f"outside {definition.basis_prefix} ({why})")
            elif result.member:
                out.append(
                    f"{definition.basis_prefix} not in force on this day "
                    f"(from {definition.effective_from.isoformat()})"
                )
    return out


def near_scaffold(mol: Chem.Mol, index: LegalIndex) -> str:
    """Words for the first near scaffold (ring contraction, thioamide ...) the query has, or ""."""
    gate = index.scaffold.near_gate
    if gate is not None and not mol.HasSubstructMatch(gate):
        return ""
    for near_id, description, pattern in index.scaffold.near:
        if mol.HasSubstructMatch(pattern):
            return f"near scaffold {near_id}: {description}"
    return ""


def analogue_flag(
    key: str,
    index: LegalIndex,
    verdicts: Sequence[JurisdictionVerdict],
    class_results: Mapping[str, list[tuple[ClassDefinition, ClassResult, RegionAnalysis]]],
    analyses: Sequence[RegionAnalysis],
    nearest: Neighbour | None,
    near: str,
) -> Flag | None:
    """analogue-risk when the structure looks like a controlled one but is not controlled
    in at least one jurisdiction; None otherwise.

    Named entries themselves are not flagged: their identity is known and their status shown.
    """
    if key in index.by_key:
        return None
    not_controlled = [v.jurisdiction for v in verdicts if v.status != "controlled"]
    if not not_controlled:
        return None
    evidence = []
    scaffold = _scaffold_evidence(analyses)
    if scaffold:
        evidence.append(scaffold)
    if near and not scaffold:
        evidence.append(near)
    score = nearest.similarity if nearest is not None else 0.0
    if not (score >= ANALOGUE_SIMILARITY or (evidence and score >= SCAFFOLD_SIMILARITY)):
        return None
    parts = []
    if nearest is not None:
        parts.append(
            f"nearest controlled substance {nearest.name} ({nearest.entry_id}), "
            f"Tanimoto {nearest.similarity:.2f} (Morgan r2)"
        )
    parts.extend(evidence)
    parts.append(f"not controlled in: {', '.join(not_controlled)}")
    parts.extend(_outside(class_results, not_controlled))
    parts.append(_ANALOGUE_ACT)
    return Flag("analogue-risk", "; ".join(parts), nearest.entry_id if nearest else "")


def masked_flags(
    mol: Chem.Mol,
    key: str,
    on: date,
    index: LegalIndex,
    verdicts: Sequence[JurisdictionVerdict],
    in_family: bool,
) -> list[Flag]:
    """masked-precursor flags: one deprotection/hydrolysis template step gives a substance
    listed (in force) in a jurisdiction where the query itself is not listed."""
    own = index.by_key.get(key, ()) if key else ()
    if any(e.kind == "controlled" for e in own):
        # A named controlled drug (fentanyl) is not a "masked" ANPP: its identity is known.
        return []
    # A deprotected product contains the entry's skeleton already in the query: test that first.
    if not any(
        k != key and (in_family or not family) and mol.HasSubstructMatch(query)
        for k, query, family in index.entry_prefilters
    ):
        return []
    masked = [t for t in index.templates if t.masked]
    by_template = {t.id: t for t in masked}
    status = {v.jurisdiction: v.status for v in verdicts}
    flags: list[Flag] = []
    seen: set[str] = set()
    for parent in parents(mol, masked, formulas=index.formulas_all):
        entries = [e for e in index.by_key.get(parent.key, ()) if e.in_force(on)]
        where = [e for e in entries if status.get(e.jurisdiction) == "not-listed"]
        if not where or parent.key in seen:
            continue
        seen.add(parent.key)
        template = by_template[parent.steps[0]]
        first = where[0]
        # Name the substance as the first jurisdiction in output order writes it (English first).
        named = sorted(
            index.by_key.get(parent.key, ()), key=lambda e: JURISDICTIONS.index(e.jurisdiction)
        )
        name = named[0].name if named else first.name
        places = ", ".join(f"{e.jurisdiction} {e.category} ({e.id})" for e in where)
        flags.append(
            Flag(
                "masked-precursor",
                f"one step ({template.id}: {template.description}) relates it to {name}, "
                f"listed in {places}",
                first.id,
            )
        )
    return flags
