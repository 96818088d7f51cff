"""Typed records of legal data: jurisdictions, entries (named substances) and citations.

These types are the contract between the data files under ``interdiction/data/regulations``,
the loader (``regulations.load``), the structural class engine (``substances.classes``) and the
verdict assembly (``substances.screen``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

__all__ = [
    "JURISDICTIONS",
    "Jurisdiction",
    "Status",
    "EntryKind",
    "Citation",
    "CoverageChange",
    "Entry",
    "COVERS",
    "ENTRY_KINDS",
]

# Output column order of the batch contract: us cn un eu ca mx uk.
JURISDICTIONS: tuple[str, ...] = ("us", "cn", "un", "eu", "ca", "mx", "uk")
Jurisdiction = str  # one of JURISDICTIONS
Status = Literal["controlled", "precursor", "not-listed", "invalid-input"]
# "controlled": narcotic / psychotropic / scheduled substance; "precursor": List I, Table I, category...
EntryKind = Literal["controlled", "precursor"]
ENTRY_KINDS: tuple[str, ...] = ("controlled", "precursor")
# Derivative kinds a listing's text can reach beyond the parent itself (see Entry.covers).
COVERS: tuple[str, ...] = (
    "salts",
    "isomers",
    "esters",
    "ethers",
    "amides",
    "carbamates",
    "halides",
    "acetals",
    "derivatives-and-analogues",
)


@dataclass(frozen=True)
class Citation:
    """Where a legal fact comes from, copied from the data file.

    Attributes:
        document: instrument title and number, e.g. "75 FR 37295".
        section: clause, item or article, e.g. "21 CFR 1308.12(g)".
        date: date of the document (ISO), as text because some are partial.
        url: official (or best available) address.
        confidence: P (primary text read), O (official summary), S (secondary), U (unconfirmed).
    """

    document: str
    section: str
    date: str
    url: str
    confidence: str

    def short(self) -> str:
        """One line for tables: document, section, date."""
        parts = [p for p in (self.document, self.section, self.date) if p]
        return ", ".join(parts) + (f" [{self.confidence}]" if self.confidence else "")


@dataclass(frozen=True)
class CoverageChange:
    """A later instrument widened what an entry covers, from ``effective_from`` on.

    Example: US 4-AP was List I with its amides, carbamates and salts from 2020-05-15; its
    halides were added from 2023-11-30 (88 FR 74358).

    Attributes:
        effective_from: first day the wider coverage applies.
        covers: the derivative kinds added on that day (a subset of ``Entry.covers``).
        citation: the instrument that added them.
    """

    effective_from: date
    covers: tuple[str, ...]
    citation: Citation


@dataclass(frozen=True)
class Entry:
    """One named substance in one jurisdiction's legal list.

    Attributes:
        id: unique key, prefixed by jurisdiction, e.g. "us-anpp".
        jurisdiction: one of JURISDICTIONS.
        name: the name as the instrument writes it (English where one exists).
        synonyms: other names and abbreviations (any language) that refer to this substance.
        names_zh: Chinese names.
        names_es: Spanish names.
        cas: CAS registry numbers (free base first, then salts/hydrates).
        smiles: the structure, as SMILES of the parent (free base).
        category: the legal category as the law names it, e.g. "Schedule II", "List I".
        kind: "controlled" or "precursor" (maps to the batch status).
        effective_from: first day the control applies.
        effective_to: last day it applied (None while in force).
        covers: derivative kinds the entry's text covers beyond the parent itself, e.g.
            ("salts", "isomers", "amides", "carbamates", "halides", "acetals",
            "derivatives-and-analogues").
        citation: the legal basis.
        notes: free text for people (e.g. what remains unconfirmed).
        history: dated remarks for the timeline (name corrections, specific listings...).
        coverage_added: dated widenings of ``covers``; ``covers`` is the latest coverage and
            ``covers_on(day)`` the coverage on a given day.
    """

    id: str
    jurisdiction: str
    name: str
    smiles: str
    category: str
    kind: EntryKind
    effective_from: date
    citation: Citation
    effective_to: date | None = None
    synonyms: tuple[str, ...] = ()
    names_zh: tuple[str, ...] = ()
    names_es: tuple[str, ...] = ()
    cas: tuple[str, ...] = ()
    covers: tuple[str, ...] = ()
    notes: str = ""
    history: tuple[tuple[date, str], ...] = field(default=())
    coverage_added: tuple[CoverageChange, ...] = ()

    def in_force(self, on: date) -> bool:
        """True when the control applies on the given day."""
        if on < self.effective_from:
            return False
        return self.effective_to is None or on <= self.effective_to

    def all_names(self) -> tuple[str, ...]:
        """Every name this entry can be looked up by, in any language."""
        return (self.name, *self.synonyms, *self.names_zh, *self.names_es)

    def covers_on(self, on: date) -> tuple[str, ...]:
        """Derivative kinds covered on the given day (``covers`` minus later additions)."""
        later = {
            kind
            for change in self.coverage_added
            if change.effective_from > on
            for kind in change.covers
        }
        return tuple(kind for kind in self.covers if kind not in later)
