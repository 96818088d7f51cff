"""Typed results of substance screening: reasons, per-jurisdiction verdicts, flags.

The contract between the legal assessment (``substances.legal``), input resolution
(``substances.resolve``) and output (``substances.screen``, CLI, reports).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from interdiction.regulations.model import Status

__all__ = ["Reason", "JurisdictionVerdict", "FlagCode", "Flag", "Highlight", "SubstanceVerdict"]

FlagCode = Literal["analogue-risk", "masked-precursor", "salt-or-mixture"]


@dataclass(frozen=True)
class Reason:
    """Why a verdict was given, in a form a person can check.

    Attributes:
        rule_id: key in the data file (entry id, class clause id, template id).
        citation: clause and source, copied from the data file.
        detail: the atoms, name parts or fields that matched, in plain words.
    """

    rule_id: str
    citation: str
    detail: str


@dataclass(frozen=True)
class Highlight:
    """Atoms of the standardised parent that form one labelled region of a matched scaffold.

    ``region`` is e.g. "acyl", "aniline-ring", "piperidine", "phenethyl", "listed-core".
    Atom indices refer to ``SubstanceVerdict.smiles`` parsed by RDKit.
    """

    region: str
    atoms: tuple[int, ...]


@dataclass(frozen=True)
class JurisdictionVerdict:
    """Status of one structure in one jurisdiction on one date.

    Attributes:
        jurisdiction: "us", "cn", ...
        status: controlled / precursor / not-listed / invalid-input.
        basis: entry id (e.g. "us-anpp") or clause (e.g. "us:frs:A+E"); empty when not-listed.
        category: the legal category, e.g. "Schedule I", "List I".
        effective_from: ISO date the basis applies from ("" when not-listed).
        reasons: the evidence, first one the deciding one.
    """

    jurisdiction: str
    status: Status
    basis: str = ""
    category: str = ""
    effective_from: str = ""
    reasons: tuple[Reason, ...] = ()


@dataclass(frozen=True)
class Flag:
    """A risk flag, kept apart from legal status.

    Attributes:
        code: analogue-risk / masked-precursor / salt-or-mixture.
        detail: plain words, e.g. "one Boc removal gives 4-AP (us-4ap, List I)".
        related: id of the listed entry the flag points at ("" if none).
    """

    code: FlagCode
    detail: str
    related: str = ""


@dataclass(frozen=True)
class SubstanceVerdict:
    """The answer for one input: what it is, and its status everywhere.

    Attributes:
        row: 1-based position in the batch (1 for a single check).
        input: the user's input, unchanged.
        smiles: standardised canonical SMILES of the parent ("" when invalid).
        inchikey: standard InChIKey of the parent ("" when not computed or invalid).
        name: registry name when the structure is a known substance, else "".
        jurisdictions: one verdict per jurisdiction, in JURISDICTIONS order.
        flags: risk flags.
        error: why the input could not be read ("" when fine).
        highlights: matched regions for drawing.
    """

    row: int
    input: str
    smiles: str
    inchikey: str
    name: str
    jurisdictions: tuple[JurisdictionVerdict, ...]
    flags: tuple[Flag, ...] = ()
    error: str = ""
    highlights: tuple[Highlight, ...] = field(default=())

    @property
    def is_invalid(self) -> bool:
        """True when the input could not be read."""
        return bool(self.error)

    @property
    def is_listed_anywhere(self) -> bool:
        """True when any jurisdiction controls it or lists it as a precursor."""
        return any(j.status in ("controlled", "precursor") for j in self.jurisdictions)

    def status(self, jurisdiction: str) -> JurisdictionVerdict:
        """The verdict for one jurisdiction code."""
        for verdict in self.jurisdictions:
            if verdict.jurisdiction == jurisdiction:
                return verdict
        raise KeyError(jurisdiction)
