"""Structural class definitions (US FRS, China 芬太尼类物质, UK generic, Canada item 16) as data.

One engine reads every ``data/classes/*.yaml`` definition: the scaffold is matched once
(``substances.regions``), each region's changes from fentanyl are listed, and a definition
covers the query when every change is allowed by one of its clauses. Identification only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from interdiction.errors import ReferenceDataError
from interdiction.regulations.model import Citation
from interdiction.substances.regions import Change, RegionAnalysis, Scaffold

__all__ = [
    "Clause",
    "Period",
    "ClassDefinition",
    "ClassResult",
    "ScaffoldDefinition",
    "load_class_definitions",
    "load_scaffold",
]

_ANY = "any"


@dataclass(frozen=True)
class Clause:
    """One clause of a class definition: the region it speaks about and what it allows."""

    id: str
    region: str
    text: str
    note: str = ""
    section: str = ""
    acyl: frozenset[str] = frozenset()
    ring: frozenset[str] = frozenset()
    ring_substituents: frozenset[str] | str = frozenset()
    terminal_ring: frozenset[str] = frozenset()
    terminal_ring_substituents: frozenset[str] | str = frozenset()
    linker_substituents: frozenset[str] | str = frozenset()
    substituents: frozenset[str] | str = frozenset()
    named_substituents: frozenset[str] = frozenset()
    positions: frozenset[int] = frozenset()
    replacement: str = ""
    everything: bool = False

    @property
    def open_ended(self) -> bool:
        """True when the clause allows anything in its region (used last when choosing a basis)."""
        return (
            self.everything
            or bool(self.replacement)
            or _ANY
            in (
                self.ring_substituents,
                self.terminal_ring_substituents,
                self.substituents,
            )
        )

    def covers(self, change: Change) -> bool:
        """Whether this clause allows one change."""
        if change.what == "removed":
            return False  # CN clause 4 "氢原子除外"; no other text reaches a bare N-H
        if self.everything:
            return True
        if change.region != self.region:
            return False
        if self.replacement == "any-except-hydrogen":
            return True
        what = change.what
        if what == "acyl":
            return change.kind in self.acyl
        if what == "ring":
            return change.kind in self.ring
        if what == "terminal-ring":
            return change.kind in self.terminal_ring
        if what == "ring-substituent":
            return _allows(self.ring_substituents, change)
        if what == "terminal-ring-substituent":
            return _allows(self.terminal_ring_substituents, change)
        if what == "linker-substituent":
            return _allows(self.linker_substituents, change)
        if what == "substituent":
            if self.positions and change.position not in self.positions:
                return False
            return _allows(self.substituents, change)
        return False

    def note_for(self, change: Change) -> str:
        """Extra words when the clause covers a change only through an open list ("等")."""
        sub = change.substituent
        named = self.named_substituents
        if named and sub is not None and not (sub.labels <= named or sub.kind in named):
            return f" (not a named kind; covered because the list is open: {self.note})"
        return ""


def _allows(allowed: frozenset[str] | str, change: Change) -> bool:
    if allowed == _ANY:
        return True
    sub = change.substituent
    if sub is None or isinstance(allowed, str):
        return False
    return sub.kind in allowed or (bool(sub.labels) and sub.labels <= allowed)


@dataclass(frozen=True)
class Period:
    """A stretch of time in which a class definition applies, with its legal source."""

    effective_from: date
    effective_to: date | None
    citation: Citation

    def in_force(self, on: date) -> bool:
        """True when the period covers the day."""
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


@dataclass(frozen=True)
class ClassResult:
    """How one class definition reads one analysed query.

    Attributes:
        member: every change is allowed by some clause (and there is at least one change).
        clauses: ids of the clauses used, in definition order.
        assignments: (clause id, change) pairs, for reasons.
        outside: the changes no clause allows (why it is not a member).
    """

    member: bool
    clauses: tuple[str, ...]
    assignments: tuple[tuple[str, Change], ...]
    outside: tuple[Change, ...]


@dataclass(frozen=True)
class ClassDefinition:
    """One jurisdiction's structural class, read from a YAML file."""

    id: str
    jurisdiction: str
    name: str
    category: str
    kind: str
    basis_prefix: str
    scaffold: str
    exclusion: str
    exclusion_note: str
    periods: tuple[Period, ...]
    clauses: tuple[Clause, ...]
    allow_joined_regions: bool = False
    min_similarity: float = 0.0
    version: str = ""

    def period_on(self, on: date) -> Period | None:
        """The period in force on a day, or None before/after the class applied."""
        for period in self.periods:
            if period.in_force(on):
                return period
        return None

    @property
    def effective_from(self) -> date:
        """First day any period applies."""
        return min(p.effective_from for p in self.periods)

    def basis(self, result: ClassResult) -> str:
        """Basis string such as "us:frs:A+E"."""
        return f"{self.basis_prefix}:{'+'.join(result.clauses)}"

    def clause(self, clause_id: str) -> Clause:
        """The clause with this id."""
        for clause in self.clauses:
            if clause.id == clause_id:
                return clause
        raise KeyError(clause_id)

    def evaluate(self, analysis: RegionAnalysis) -> ClassResult:
        """Check every change against the clauses; specific clauses are preferred as basis."""
        if not analysis.changes:
            return ClassResult(False, (), (), ())
        order = sorted(range(len(self.clauses)), key=lambda i: (self.clauses[i].open_ended, i))
        assignments: list[tuple[str, Change]] = []
        outside: list[Change] = []
        # A replaced ring "whether or not further substituted": its substituents go to the
        # clause that allowed the replacement (brifentanil: A, not A+B).
        ring_clause: dict[str, Clause] = {}
        for change in analysis.changes:
            if change.what in ("ring", "terminal-ring"):
                found = next(
                    (self.clauses[i] for i in order if self.clauses[i].covers(change)), None
                )
                if found is not None:
                    ring_clause[change.region] = found
        for change in analysis.changes:
            if change.what == "joined" and not self.allow_joined_regions:
                outside.append(change)
                continue
            chosen = ring_clause.get(change.region)
            if not change.what.endswith("ring-substituent") or (
                chosen is not None and not chosen.covers(change)
            ):
                chosen = None
            if chosen is None:
                chosen = next(
                    (self.clauses[i] for i in order if self.clauses[i].covers(change)), None
                )
            if chosen is None:
                outside.append(change)
            else:
                assignments.append((chosen.id, change))
        used = {cid for cid, _ in assignments}
        clauses = tuple(c.id for c in self.clauses if c.id in used)
        return ClassResult(not outside, clauses, tuple(assignments), tuple(outside))


@dataclass(frozen=True)
class ScaffoldDefinition:
    """The compiled reference scaffold, its acyl reference group and near-scaffold patterns."""

    id: str
    name: str
    scaffold: Scaffold
    reference_smiles: str
    reference_acyl: str
    near: tuple[tuple[str, str, Any], ...]  # (id, description, compiled SMARTS)
    citation: Citation
    near_gate: Any = None  # compiled SMARTS every near scaffold implies (None: always try)


def _citation(raw: Mapping[str, Any], where: str) -> Citation:
    try:
        return Citation(
            document=str(raw["document"]),
            section=str(raw.get("section", "")),
            date=str(raw.get("date", "")),
            url=str(raw.get("url", "")),
            confidence=str(raw.get("confidence", "")),
        )
    except (KeyError, TypeError) as exc:
        raise ReferenceDataError(
            f"{where}: citation needs at least 'document' ({exc}). Add it to the data file."
        ) from exc


def _set(value: Any) -> frozenset[str] | str:
    if value == _ANY:
        return _ANY
    return frozenset(str(v) for v in (value or ()))


def _clause(raw: Mapping[str, Any], where: str) -> Clause:
    allows = raw.get("allows") or {}
    try:
        return Clause(
            id=str(raw["id"]),
            region=str(raw["region"]),
            text=str(raw["text"]),
            note=str(raw.get("note", "")),
            section=str(raw.get("section", "")),
            acyl=frozenset(allows.get("acyl", ())),
            ring=frozenset(allows.get("ring", ())),
            ring_substituents=_set(allows.get("ring_substituents")),
            terminal_ring=frozenset(allows.get("terminal_ring", ())),
            terminal_ring_substituents=_set(allows.get("terminal_ring_substituents")),
            linker_substituents=_set(allows.get("linker_substituents")),
            substituents=_set(allows.get("substituents")),
            named_substituents=frozenset(allows.get("named_substituents", ())),
            positions=frozenset(int(p) for p in allows.get("positions", ())),
            replacement=str(allows.get("replacement", "")),
            everything=bool(allows.get("everything", False)),
        )
    except KeyError as exc:
        raise ReferenceDataError(f"{where}: clause lacks {exc}; give id, region and text.") from exc


def _definition(raw: Mapping[str, Any], where: str) -> ClassDefinition:
    try:
        periods = tuple(
            Period(
                effective_from=p["effective_from"],
                effective_to=p.get("effective_to"),
                citation=_citation(p["citation"], f"{where} period"),
            )
            for p in raw["periods"]
        )
        clauses = tuple(_clause(c, f"{where} clause") for c in raw["clauses"])
        return ClassDefinition(
            id=str(raw["id"]),
            jurisdiction=str(raw["jurisdiction"]),
            name=str(raw["name"]),
            category=str(raw["category"]),
            kind=str(raw["kind"]),
            basis_prefix=str(raw["basis_prefix"]),
            scaffold=str(raw["scaffold"]),
            exclusion=str(raw.get("exclusion", "named-entries")),
            exclusion_note=str(raw.get("exclusion_note", "")),
            periods=periods,
            clauses=clauses,
            allow_joined_regions=bool(raw.get("allow_joined_regions", False)),
            min_similarity=float(raw.get("min_similarity", 0.0)),
            version=str(raw.get("version", "")),
        )
    except KeyError as exc:
        raise ReferenceDataError(
            f"{where}: class definition lacks {exc}. Required: id, jurisdiction, name, category, "
            "kind, basis_prefix, scaffold, periods, clauses."
        ) from exc


def _files(folder: Path | None) -> list[tuple[str, str]]:
    if folder is not None:
        return [(str(p), p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.yaml"))]
    base = resources.files("interdiction") / "data" / "classes"
    return [
        (f"data/classes/{p.name}", p.read_text(encoding="utf-8"))
        for p in sorted(base.iterdir(), key=lambda p: p.name)
        if p.name.endswith(".yaml")
    ]


def load_scaffold(folder: Path | None = None) -> ScaffoldDefinition:
    """Load the fentanyl scaffold file (the one whose data has ``core_smarts``).

    Raises:
        ReferenceDataError: no scaffold file, or a SMARTS that does not parse.
    """
    from rdkit import Chem

    from interdiction.substances.regions import analyse

    for where, text in _files(folder):
        raw = yaml.safe_load(text)
        if not isinstance(raw, dict) or "core_smarts" not in raw:
            continue
        try:
            scaffold = Scaffold.from_smarts(str(raw["core_smarts"]))
        except ValueError as exc:
            raise ReferenceDataError(f"{where}: {exc}. Fix core_smarts.") from exc
        reference = Chem.MolFromSmiles(str(raw["reference_smiles"]))
        matches = scaffold.matches(reference) if reference is not None else []
        if not matches:
            raise ReferenceDataError(f"{where}: reference_smiles does not match core_smarts.")
        acyl_atoms = analyse(reference, matches[0], "").atoms("acyl")
        from interdiction.substances.substituents import fragment_smiles

        reference_acyl = fragment_smiles(reference, acyl_atoms, matches[0][7])
        near = []
        for item in raw.get("near_scaffolds", ()):
            pattern = Chem.MolFromSmarts(str(item["smarts"]))
            if pattern is None:
                raise ReferenceDataError(f"{where}: near scaffold {item['id']} does not parse.")
            near.append((str(item["id"]), str(item["description"]), pattern))
        return ScaffoldDefinition(
            id=str(raw["id"]),
            name=str(raw["name"]),
            scaffold=scaffold,
            reference_smiles=str(raw["reference_smiles"]),
            reference_acyl=reference_acyl,
            near=tuple(near),
            citation=_citation(raw["citation"], where),
            near_gate=Chem.MolFromSmarts(str(raw["near_gate"])) if raw.get("near_gate") else None,
        )
    raise ReferenceDataError("no scaffold definition (a file with core_smarts) in data/classes.")


def load_class_definitions(folder: Path | None = None) -> tuple[ClassDefinition, ...]:
    """Read every class definition under ``data/classes`` (or ``folder``).

    Raises:
        ReferenceDataError: a file that is not valid YAML or lacks a required field.
    """
    out: list[ClassDefinition] = []
    for where, text in _files(folder):
        try:
            raw = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ReferenceDataError(f"{where}: not valid YAML ({exc}).") from exc
        if not isinstance(raw, dict) or "core_smarts" in raw:
            continue
        out.append(_definition(raw, where))
    return tuple(out)


def clause_ids(definitions: Sequence[ClassDefinition]) -> dict[str, tuple[str, ...]]:
    """Clause ids per class definition id (for reports and tests)."""
    return {d.id: tuple(c.id for c in d.clauses) for d in definitions}
