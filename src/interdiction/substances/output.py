"""Write verdicts as CSV, JSON Lines or a readable table (the batch output contract)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from interdiction.csvsafe import safe_cell
from interdiction.regulations.model import JURISDICTIONS
from interdiction.substances.model import SubstanceVerdict

__all__ = [
    "COLUMNS",
    "verdict_row",
    "verdict_json",
    "safe_cell",
    "write_csv",
    "write_jsonl",
    "format_table",
]

COLUMNS: tuple[str, ...] = (
    "row",
    "input",
    "smiles",
    "inchikey",
    "name",
    *[c for j in JURISDICTIONS for c in (f"{j}_status", f"{j}_basis")],
    "flags",
    "error",
)


def verdict_row(verdict: SubstanceVerdict) -> dict[str, str]:
    """One output row of the batch contract (values are plain text, not yet CSV-escaped)."""
    row: dict[str, str] = {
        "row": str(verdict.row),
        "input": verdict.input,
        "smiles": verdict.smiles,
        "inchikey": verdict.inchikey,
        "name": verdict.name,
    }
    for j in verdict.jurisdictions:
        row[f"{j.jurisdiction}_status"] = j.status
        row[f"{j.jurisdiction}_basis"] = j.basis
    row["flags"] = ";".join(dict.fromkeys(f.code for f in verdict.flags))
    row["error"] = verdict.error
    return row


def verdict_json(verdict: SubstanceVerdict) -> dict[str, Any]:
    """The contract keys plus the full reasons, flags and highlights, for JSON output."""
    data: dict[str, Any] = dict(verdict_row(verdict))
    data["row"] = verdict.row
    data["details"] = {
        j.jurisdiction: {
            "status": j.status,
            "basis": j.basis,
            "category": j.category,
            "effective_from": j.effective_from,
            "reasons": [r.__dict__ for r in j.reasons],
        }
        for j in verdict.jurisdictions
    }
    data["flag_details"] = [f.__dict__ for f in verdict.flags]
    data["highlights"] = {h.region: list(h.atoms) for h in verdict.highlights}
    return data


def write_csv(verdicts: Iterable[SubstanceVerdict], out: IO[str]) -> Iterator[SubstanceVerdict]:
    """Write each verdict as it passes through (streaming), yielding it on for further use."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for verdict in verdicts:
        writer.writerow({k: safe_cell(v) for k, v in verdict_row(verdict).items()})
        yield verdict


def write_jsonl(verdicts: Iterable[SubstanceVerdict], out: IO[str]) -> Iterator[SubstanceVerdict]:
    """Write one JSON object per verdict (streaming), yielding it on."""
    for verdict in verdicts:
        out.write(json.dumps(verdict_json(verdict), ensure_ascii=False) + "\n")
        yield verdict


def format_table(verdict: SubstanceVerdict) -> str:
    """A readable, plain-text answer for one input: status per jurisdiction with the legal basis."""
    lines = [f"Input:     {verdict.input}"]
    if verdict.error:
        lines.append(f"Error:     {verdict.error}")
        return "\n".join(lines)
    if verdict.name:
        lines.append(f"Name:      {verdict.name}")
    if verdict.smiles:
        lines.append(f"Structure: {verdict.smiles}")
    if verdict.inchikey:
        lines.append(f"InChIKey:  {verdict.inchikey}")
    lines.append("")
    header = f"{'':2}{'status':<11} {'basis':<24} {'category':<34} since"
    lines.append(header)
    for j in verdict.jurisdictions:
        lines.append(
            f"{j.jurisdiction.upper():<2} {j.status:<11}{'':0} {j.basis:<24} {j.category[:34]:<34} {j.effective_from}"
        )
        for reason in j.reasons:
            lines.append(f"     - {reason.detail}")
            if reason.citation:
                lines.append(f"       source: {reason.citation}")
    if verdict.flags:
        lines.append("")
        lines.append("Risk flags (not legal status):")
        for flag in verdict.flags:
            lines.append(f"  ! {flag.code}: {flag.detail}")
    if verdict.highlights:
        lines.append("")
        lines.append("Matched regions (atom indices of the structure above):")
        for h in verdict.highlights:
            lines.append(f"  {h.region}: {', '.join(map(str, h.atoms))}")
    return "\n".join(lines)
