"""Field readers for the regulation data files: each checks one value and, when it is wrong,
raises ReferenceDataError naming the file, the entry and the field."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from rdkit import Chem, RDLogger
from rdkit.Chem.rdMolDescriptors import CalcMolFormula

from interdiction.errors import ReferenceDataError
from interdiction.regulations.model import COVERS, Citation

__all__ = [
    "ID_PATTERN",
    "PENDING_KEYS",
    "Where",
    "check_keys",
    "citation_field",
    "covers_field",
    "date_field",
    "quiet_rdkit",
    "smiles_field",
    "text_field",
    "texts_field",
]

_CITATION_REQUIRED = {"document", "date"}
_CITATION_OPTIONAL = {"section", "url", "confidence"}
_CONFIDENCE = ("P", "O", "S", "U")
PENDING_KEYS = {"name", "reason"}
ID_PATTERN = re.compile(r"^[a-z]{2}-[a-z0-9][a-z0-9-]*$")


class Where:
    """File and entry being read, for error messages."""

    def __init__(self, path: Path, entry_id: str = "") -> None:
        self.path = path
        self.entry_id = entry_id

    def fail(self, field: str, problem: str, fix: str) -> ReferenceDataError:
        place = f"{self.path.name}"
        if self.entry_id:
            place += f", entry {self.entry_id!r}"
        if field:
            place += f", field {field!r}"
        return ReferenceDataError(f"{place}: {problem}. {fix}")


@contextmanager
def quiet_rdkit() -> Iterator[None]:
    # A bad SMILES is reported in our own error; RDKit's stderr lines would only add noise.
    RDLogger.DisableLog("rdApp.*")  # type: ignore[attr-defined]
    try:
        yield
    finally:
        RDLogger.EnableLog("rdApp.*")  # type: ignore[attr-defined]


def check_keys(
    where: Where, data: Mapping[str, Any], required: set[str], optional: set[str], what: str
) -> None:
    missing = sorted(required - data.keys())
    if missing:
        raise where.fail(
            missing[0],
            f"{what} lacks required key(s) {', '.join(missing)}",
            "Add them (see data/regulations/README.md).",
        )
    unknown = sorted(set(data.keys()) - required - optional)
    if unknown:
        raise where.fail(
            unknown[0],
            f"{what} has unknown key(s) {', '.join(map(str, unknown))}",
            f"Allowed keys: {', '.join(sorted(required | optional))}; check the spelling.",
        )


def text_field(where: Where, field: str, value: Any, *, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if isinstance(value, (date, int, float)) and not isinstance(value, bool):
        value = value.isoformat() if isinstance(value, date) else str(value)
    if not isinstance(value, str) or (required and not value.strip()):
        raise where.fail(
            field, f"expected non-empty text, got {value!r}", "Write it as a quoted string."
        )
    return value.strip()


def texts_field(where: Where, field: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise where.fail(
            field,
            f"expected a list, got {type(value).__name__}",
            "Write it as [a, b] or a '- item' list.",
        )
    return tuple(text_field(where, field, item) for item in value)


def date_field(where: Where, field: str, value: Any) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise where.fail(
        field,
        f"{value!r} is not a date",
        "Write it as YYYY-MM-DD (a full day, not a year or month).",
    )


def citation_field(where: Where, field: str, value: Any) -> Citation:
    if not isinstance(value, dict):
        raise where.fail(
            field,
            "citation missing or not a mapping",
            "Give document, section, date, url and confidence.",
        )
    check_keys(where, value, _CITATION_REQUIRED, _CITATION_OPTIONAL, "citation")
    confidence = (
        text_field(where, f"{field}.confidence", value.get("confidence"), required=False) or "U"
    )
    if confidence not in _CONFIDENCE:
        raise where.fail(
            f"{field}.confidence", f"{confidence!r} is not a confidence mark", "Use P, O, S or U."
        )
    return Citation(
        document=text_field(where, f"{field}.document", value.get("document")),
        section=text_field(where, f"{field}.section", value.get("section"), required=False),
        date=text_field(where, f"{field}.date", value.get("date")),
        url=text_field(where, f"{field}.url", value.get("url"), required=False),
        confidence=confidence,
    )


def covers_field(where: Where, field: str, value: Any) -> tuple[str, ...]:
    covers = texts_field(where, field, value)
    for kind in covers:
        if kind not in COVERS:
            raise where.fail(
                field,
                f"{kind!r} is not a known derivative kind",
                f"Use one of {', '.join(COVERS)}.",
            )
    return covers


def smiles_field(where: Where, value: Any, formula: str) -> str:
    smiles = text_field(where, "smiles", value)
    with quiet_rdkit():
        mol = Chem.MolFromSmiles(smiles)
    if mol is None:
        raise where.fail(
            "smiles",
            f"RDKit cannot parse {smiles!r}",
            "Fix the SMILES (ring closures, valences, aromaticity).",
        )
    if "." in smiles:
        raise where.fail(
            "smiles",
            "has several components",
            "Give the parent free base only; list salts under cas.",
        )
    if formula and CalcMolFormula(mol) != formula:
        raise where.fail(
            "smiles",
            f"formula of the SMILES is {CalcMolFormula(mol)}, the entry says {formula}",
            "Redraw the structure from the systematic name, or correct the formula.",
        )
    return smiles
