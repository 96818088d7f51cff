"""Precision and recall of the `controlled` decision per jurisdiction on a labelled set.

Usage:
    .venv/bin/python benchmarks/accuracy_substances.py [--csv tests/data/analogues_labelled.csv]
        [--as-of 2026-11-29] [--json]

The CSV has columns name, smiles, then one column per jurisdiction code (us, cn, ca, ...)
holding the expected status (controlled / precursor / not-listed; empty = not labelled),
source, and an optional as_of (ISO date; empty = --as-of); an optional non-empty ``doubtful``
column marks rows whose legal reading is contested (``--clear-only`` leaves them out). Statuses
come from the full check path (standardisation, salts, isotopes), as a user would see them. Prints, per jurisdiction, TP/FP/FN, precision and recall of "controlled", the exact
status agreement, the misses, and whether the prescreen passed every listed row.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import date
from pathlib import Path

from rdkit import Chem

from interdiction.regulations import load_regulations
from interdiction.regulations.model import JURISDICTIONS
from interdiction.substances.legal import assess, build_index, prescreen
from interdiction.substances.screen import check

DEFAULT_CSV = Path(__file__).resolve().parent.parent / "tests" / "data" / "analogues_labelled.csv"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV, help="labelled CSV")
    parser.add_argument("--as-of", default="2026-11-29", help="day the law is applied on")
    parser.add_argument("--json", action="store_true", help="print one JSON summary line last")
    parser.add_argument("--clear-only", action="store_true", help="skip rows marked doubtful")
    args = parser.parse_args(argv)
    on = date.fromisoformat(args.as_of)
    index = build_index(load_regulations())
    rows = list(csv.DictReader(args.csv.open(encoding="utf-8")))
    if args.clear_only:
        rows = [r for r in rows if not r.get("doubtful", "").strip()]
    codes = [j for j in JURISDICTIONS if rows and j in rows[0]]
    counts = {j: {"tp": 0, "fp": 0, "fn": 0, "agree": 0, "n": 0} for j in codes}
    misses: list[str] = []
    prescreen_misses: list[str] = []
    for row in rows:
        mol = Chem.MolFromSmiles(row["smiles"])
        if mol is None:
            misses.append(f"{row['name']}: SMILES does not parse")
            continue
        day = date.fromisoformat(row["as_of"]) if row.get("as_of") else on
        verdict = check(row["smiles"], as_of=day)
        statuses = {v.jurisdiction: v for v in verdict.jurisdictions}
        if len(Chem.GetMolFrags(mol)) == 1:
            result = assess(mol, on=day, index=index)
            listed = any(v.status != "not-listed" for v in result.jurisdictions)
            if (listed or result.flags) and not prescreen(mol, index):
                prescreen_misses.append(row["name"])
        for j in codes:
            expected = row[j].strip()
            if not expected:
                continue
            got = statuses[j]
            c = counts[j]
            c["n"] += 1
            c["agree"] += got.status == expected
            if expected == "controlled" and got.status == "controlled":
                c["tp"] += 1
            elif got.status == "controlled":
                c["fp"] += 1
            elif expected == "controlled":
                c["fn"] += 1
            if got.status != expected:
                misses.append(
                    f"{j}: {row['name']}: expected {expected}, got {got.status} "
                    f"({got.basis or '-'}) [{row.get('source', '')}]"
                )
    summary = {}
    print(f"labelled rows: {len(rows)}; as of {on.isoformat()}")
    print(
        f"{'jur':4} {'n':>4} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>9} {'recall':>7} {'status agree':>12}"
    )
    for j in codes:
        c = counts[j]
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        agree = c["agree"] / c["n"] if c["n"] else 1.0
        summary[j] = {
            **c,
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "agree": round(agree, 4),
        }
        print(
            f"{j:4} {c['n']:>4} {c['tp']:>4} {c['fp']:>4} {c['fn']:>4} {precision:>9.3f} {recall:>7.3f} {agree:>12.3f}"
        )
    print("misses:" if misses else "misses: none")
    for line in misses:
        print("  " + line)
    print(f"prescreen misses (listed or flagged but prescreen False): {prescreen_misses or 'none'}")
    if args.json:
        print(json.dumps({"per_jurisdiction": summary, "prescreen_misses": prescreen_misses}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
