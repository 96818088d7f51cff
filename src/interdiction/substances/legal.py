"""The legal assessment of one structure: status per jurisdiction, with basis and reasons,
plus risk flags kept apart from status.

Precedence in each jurisdiction: an exact named entry in force > an entry's derivative
coverage in force (amides, carbamates, halides, acetals, derivatives and analogues ...) > a
class definition in force > not-listed; "controlled" beats "precursor" at the same level.
Identification only: nothing here describes how to make anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rdkit import Chem
from rdkit.Chem.rdMolDescriptors import CalcMolFormula

from interdiction.regulations.model import JURISDICTIONS, Entry
from interdiction.substances.classes import ClassDefinition, ClassResult
from interdiction.substances.derivatives import Parent, parents_within
from interdiction.substances.flags import analogue_flag, masked_flags, near_scaffold
from interdiction.substances.identify import structure_key
from interdiction.substances.legal_index import (
    PRESCREEN_SMARTS,
    Compiled,
    HasEntries,
    LegalIndex,
    build_index,
    prescreen,
)
from interdiction.substances.model import Flag, Highlight, JurisdictionVerdict, Reason
from interdiction.substances.regions import Change, RegionAnalysis, analyse

__all__ = [
    "Assessment",
    "HasEntries",
    "LegalIndex",
    "PRESCREEN_SMARTS",
    "assess",
    "build_index",
    "prescreen",
]

_RANK = {"controlled": 2, "precursor": 1}

# A ketone hydrate (gem-diol, e.g. 4-piperidone monohydrate hydrochloride, CAS 40064-34-4, drawn
# as piperidine-4,4-diol) is the same substance as the ketone; an orthoacid-like C(O)(O)O is not.
_GEM_DIOL = Chem.MolFromSmarts("[CX4;!$(C(~O)(~O)~O);!$(C(O)(O)[!#6;!#1])]([OX2H1])[OX2H1]")


def _legal_form(mol: Chem.Mol) -> tuple[Chem.Mol, tuple[int, ...] | None]:
    """The structure the law is applied to, and its atoms' indices in ``mol`` (None: unchanged).

    Isotope labels (deuterated reference standards such as fentanyl-d5) do not change what a
    substance is, and a ketone hydrate is the ketone. Runs after the prescreen only, and costs
    one formula-free check plus one SMARTS match in the usual case.
    """
    explicit_h = mol.GetNumAtoms() != mol.GetNumHeavyAtoms()
    hydrate = mol.GetSubstructMatches(_GEM_DIOL)
    if not explicit_h and not hydrate:
        return mol, None
    work = Chem.RWMol(mol)
    for atom in work.GetAtoms():
        atom.SetIntProp("_orig", atom.GetIdx())
        if atom.GetAtomicNum() == 1:
            atom.SetIsotope(0)
    drop: list[int] = []
    for carbon, first, second in hydrate:
        if first in drop or second in drop:
            continue
        work.GetBondBetweenAtoms(carbon, first).SetBondType(Chem.BondType.DOUBLE)
        work.GetAtomWithIdx(first).SetNoImplicit(False)
        work.GetAtomWithIdx(first).SetNumExplicitHs(0)
        drop.append(second)
    for index in sorted(drop, reverse=True):
        work.RemoveAtom(index)
    out = work.GetMol()
    try:
        Chem.SanitizeMol(out)
        out = Chem.RemoveHs(out)
    except Exception:  # noqa: BLE001 - an odd hydrate/isotope pattern: judge the input as is
        return mol, None
    return out, tuple(a.GetIntProp("_orig") for a in out.GetAtoms())


@dataclass(frozen=True)
class Assessment:
    """Status of one parent structure in every jurisdiction, with flags and highlights.

    Attributes:
        name: the name of the named entry matching the structure exactly ("" if none).
        jurisdictions: one verdict per jurisdiction, in JURISDICTIONS order.
        flags: analogue-risk / masked-precursor flags.
        highlights: scaffold regions (atom indices of the query) for drawing.
    """

    name: str
    jurisdictions: tuple[JurisdictionVerdict, ...]
    flags: tuple[Flag, ...]
    highlights: tuple[Highlight, ...]

    def status(self, jurisdiction: str) -> JurisdictionVerdict:
        """The verdict for one jurisdiction code."""
        for verdict in self.jurisdictions:
            if verdict.jurisdiction == jurisdiction:
                return verdict
        raise KeyError(jurisdiction)


@dataclass(frozen=True)
class _Candidate:
    rank: int  # 2 controlled, 1 precursor
    level: int  # 0 coverage via a fentanyl-type entry, 1 class, 2 via a precursor-type entry
    verdict: JurisdictionVerdict


def _named_verdict(jurisdiction: str, entries: list[Entry]) -> JurisdictionVerdict:
    entries.sort(key=lambda e: -_RANK[e.kind])
    best = entries[0]
    reasons = tuple(
        Reason(e.id, e.citation.short(), f"exact structure match (stereo ignored): {e.name}")
        for e in entries
    )
    return JurisdictionVerdict(
        jurisdiction, best.kind, best.id, best.category, best.effective_from.isoformat(), reasons
    )


def _derivative_candidates(
    mol: Chem.Mol, key: str, on: date, index: LegalIndex, in_family: bool
) -> dict[str, list[_Candidate]]:
    out: dict[str, list[_Candidate]] = {}
    hits = {
        k
        for k, query, family in index.derivative_prefilters
        if k != key and (in_family or not family) and mol.HasSubstructMatch(query)
    }
    if hits:
        kinds = {k for c in index.derivative_entries if c.key in hits for k in c.possible}
        templates = [t for t in index.templates if t.kind in kinds]
        found: list[Parent] = parents_within(mol, templates) if templates else []
        by_key = {p.key: p for p in found}
        for item in index.derivative_entries:
            parent = by_key.get(item.key)
            entry = item.entry
            if parent is None or not entry.in_force(on):
                continue
            if not parent.kinds <= _covered(entry, on, index):
                continue
            steps = " then ".join(parent.steps)
            detail = (
                f"{' and '.join(sorted(parent.kinds))} of {entry.name}: the structure maps back to "
                f"it through template(s) {steps}; the entry covers {', '.join(entry.covers_on(on))}"
            )
            candidate = _candidate(entry, detail, parent.kinds, level=_level(item, index))
            out.setdefault(entry.jurisdiction, []).append(candidate)
    for item, query, family in index.analogue_entries:
        entry = item.entry
        if (
            (family and not in_family)
            or item.key == key
            or not entry.in_force(on)
            or "derivatives-and-analogues" not in (entry.covers_on(on))
        ):
            continue
        if mol.HasSubstructMatch(query):
            detail = (
                f"derivative of {entry.name}: contains its whole structure with hydrogens replaced; "
                "the entry covers its derivatives and analogues"
            )
            candidate = _candidate(entry, detail, level=_level(item, index))
            out.setdefault(entry.jurisdiction, []).append(candidate)
    return out


def _level(item: Compiled, index: LegalIndex) -> int:
    """Coverage through a fentanyl-type entry ranks before a class (level 0); coverage through a
    precursor-type entry (no fentanyl scaffold, e.g. ANPP) ranks after it (level 2), so that in
    Canada an acylated ANPP is first a fentanyl analogue (CDSA item 16), not an ANPP derivative.
    Status still decides first: controlled beats precursor whatever the level."""
    return 0 if index.scaffold.scaffold.matches(item.mol, limit=1) else 2


def _covered(entry: Entry, on: date, index: LegalIndex) -> set[str]:
    """Template kinds an entry covers on a day; "derivatives and analogues" covers them all."""
    kinds = set(entry.covers_on(on))
    if "derivatives-and-analogues" in kinds:
        kinds |= {t.kind for t in index.templates}
    return kinds


def _candidate(
    entry: Entry, detail: str, kinds: frozenset[str] = frozenset(), *, level: int = 0
) -> _Candidate:
    """A derivative-coverage verdict; it applies from the day the last kind used was covered
    (US 4-AP halides: 2023-11-30, though 4-AP itself was listed on 2020-05-15)."""
    since = entry.effective_from
    citation = entry.citation.short()
    for change in entry.coverage_added:
        if set(change.covers) & kinds and change.effective_from > since:
            since = change.effective_from
            citation = f"{citation}; {', '.join(change.covers)} from {change.citation.short()}"
    reason = Reason(entry.id, citation, detail)
    verdict = JurisdictionVerdict(
        entry.jurisdiction,
        entry.kind,
        entry.id,
        entry.category,
        since.isoformat(),
        (reason,),
    )
    return _Candidate(_RANK[entry.kind], level, verdict)


def _class_verdict(
    definition: ClassDefinition, result: ClassResult, on: date
) -> JurisdictionVerdict | None:
    period = definition.period_on(on)
    if period is None or not result.member:
        return None
    basis = definition.basis(result)
    head = Reason(
        definition.id,
        period.citation.short(),
        f"{definition.name}: structurally related to fentanyl by "
        f"{len(result.assignments)} modification(s), clause(s) {'+'.join(result.clauses)}; "
        f"no named entry in force here ({definition.exclusion_note})",
    )
    reasons = [head]
    for clause_id in result.clauses:
        clause = definition.clause(clause_id)
        changes = [c for cid, c in result.assignments if cid == clause_id]
        detail = "; ".join(c.detail + clause.note_for(c) for c in changes)
        text = f"clause ({clause.id}): {clause.text}"
        if clause.section:
            text = f"{clause.section}: {text}"
        if clause.note:
            text += f" [reading: {clause.note}]"
        reasons.append(Reason(f"{definition.id}:{clause.id}", text, detail))
    return JurisdictionVerdict(
        definition.jurisdiction,
        "controlled" if definition.kind == "controlled" else "precursor",
        basis,
        definition.category,
        period.effective_from.isoformat(),
        tuple(reasons),
    )


def _with_similarity(definition: ClassDefinition, result: ClassResult, score: float) -> ClassResult:
    """Apply a definition's minimum similarity (Canada's "substantially similar structure")."""
    if not result.member or score >= definition.min_similarity:
        return result
    why = Change(
        "scaffold",
        "similarity",
        "dissimilar",
        f"Tanimoto {score:.2f} to the nearest controlled fentanyl is below "
        f"{definition.min_similarity:.2f} (not substantially similar)",
    )
    return ClassResult(False, result.clauses, result.assignments, (why,))


def _highlights(
    mol: Chem.Mol, analysis: RegionAnalysis | None, named: bool
) -> tuple[Highlight, ...]:
    if analysis is not None:
        return tuple(
            Highlight(region, atoms)
            for region, atoms in analysis.regions
            if atoms and region != "amide-n"
        )
    if named:
        return (Highlight("listed-core", tuple(range(mol.GetNumAtoms()))),)
    return ()


def assess(mol: Chem.Mol, *, on: date, index: LegalIndex) -> Assessment:
    """Status of one parent structure in every jurisdiction on one day, with flags.

    Args:
        mol: the standardised neutral parent (one component).
        on: the day the law is applied on.
        index: from ``build_index``.

    Returns:
        Verdicts in JURISDICTIONS order; flags analogue-risk / masked-precursor; highlights of
        the fentanyl scaffold regions when it matched.
    """
    mol, origin = _legal_form(mol)
    result = _assess(mol, on=on, index=index)
    if origin is None:
        return result
    highlights = tuple(
        Highlight(h.region, tuple(origin[i] for i in h.atoms)) for h in result.highlights
    )
    return Assessment(result.name, result.jurisdictions, result.flags, highlights)


def _assess(mol: Chem.Mol, *, on: date, index: LegalIndex) -> Assessment:
    # A canonical key costs over 100 µs; a formula a few. No entry has this formula: no key.
    key = structure_key(mol) if CalcMolFormula(mol) in index.formulas_all else ""
    named_all = index.by_key.get(key, ()) if key else ()
    scaffold = index.scaffold
    analyses = [analyse(mol, m, scaffold.reference_acyl) for m in scaffold.scaffold.matches(mol)]
    analyses.sort(key=lambda a: (a.joined, len(a.changes)))
    in_family = mol.HasSubstructMatch(index.family)
    derived = _derivative_candidates(mol, key, on, index, in_family)
    near = "" if analyses else near_scaffold(mol, index)
    # The fingerprint (about 30 µs, plus the comparisons) only where a fentanyl-like feature is
    # present: scaffold, near scaffold, 4-anilinopiperidine or an anilide on a ring carbon.
    wanted = analyses or near or in_family or mol.HasSubstructMatch(index.gates[-1])
    nearest = index.fingerprints.nearest(mol) if wanted else None
    score = nearest.similarity if nearest is not None else 0.0
    class_results: dict[str, list[tuple[ClassDefinition, ClassResult, RegionAnalysis]]] = {}
    for definition in index.classes:
        for analysis in analyses:
            result = _with_similarity(definition, definition.evaluate(analysis), score)
            class_results.setdefault(definition.jurisdiction, []).append(
                (definition, result, analysis)
            )
    verdicts: list[JurisdictionVerdict] = []
    for jurisdiction in JURISDICTIONS:
        named = [e for e in named_all if e.jurisdiction == jurisdiction and e.in_force(on)]
        if named:
            verdicts.append(_named_verdict(jurisdiction, named))
            continue
        candidates = list(derived.get(jurisdiction, ()))
        for definition, result, _ in class_results.get(jurisdiction, ()):
            verdict = _class_verdict(definition, result, on)
            if verdict is not None:
                candidates.append(_Candidate(_RANK[verdict.status], 1, verdict))
        if candidates:
            best = max(candidates, key=lambda c: (c.rank, -c.level))
            verdicts.append(best.verdict)
        else:
            verdicts.append(JurisdictionVerdict(jurisdiction, "not-listed"))
    flags: list[Flag] = []
    analogue = analogue_flag(key, index, verdicts, class_results, analyses, nearest, near)
    if analogue is not None:
        flags.append(analogue)
    flags.extend(masked_flags(mol, key, on, index, verdicts, in_family))
    names = [e.name for j in JURISDICTIONS for e in named_all if e.jurisdiction == j]
    best_analysis = analyses[0] if analyses else None
    return Assessment(
        names[0] if names else "",
        tuple(verdicts),
        tuple(flags),
        _highlights(mol, best_analysis, bool(named_all)),
    )
