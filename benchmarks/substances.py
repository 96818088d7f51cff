"""Speed of substance classification against plain RDKit SMILES parsing, in one run.

Times are CPU seconds of this one process (time.process_time), so other load on the machine
distorts them less than wall-clock time would.

Classifies the background set (../shared/data/molecules, 159k drug-like molecules) with the full
check path (resolve, standardise, legal prescreen and assessment) and, on the same molecules in
the same run, times plain ``Chem.MolFromSmiles``. Both run on one core, in alternating blocks so
that machine noise hits both alike. Prints both rates and their ratio (parse time / our time:
1.0 means the rules cost nothing beyond parsing). ``--json`` prints one JSON object last.

    python benchmarks/substances.py                # the whole background set
    python benchmarks/substances.py --limit 20000 --json
    python benchmarks/substances.py --jobs 2       # also time the batch mode over 2 processes
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

from rdkit import Chem

from interdiction.substances import guards
from interdiction.substances.batch import screen_batch
from interdiction.substances.readers import InputRecord
from interdiction.substances.screen import get_screener

DEFAULT_SET = (
    Path(__file__).resolve().parents[1].parent
    / "shared/data/molecules/background_decoys_159k.csv.gz"
)
BLOCK = 2000


def load(path: Path, limit: int | None) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        rows = csv.DictReader(handle)
        smiles = [row["smiles"] for row in rows]
    return smiles[:limit] if limit else smiles


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--data", type=Path, default=Path(os.environ.get("INTERDICTION_BACKGROUND", DEFAULT_SET))
    )
    parser.add_argument("--limit", type=int, default=None, help="first N molecules only")
    parser.add_argument("--jobs", type=int, default=0, help="also time batch mode on N processes")
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object on the last line"
    )
    args = parser.parse_args()
    smiles = load(args.data, args.limit)
    screener = get_screener()
    guards.silence_rdkit()  # as batch workers do, after loading; also quiets the plain parse
    on = date.today()
    screener.check(smiles[0], as_of=on)  # warm caches (index, SMARTS) outside the timing

    ours_s = parse_s = 0.0
    statuses: Counter[str] = Counter()
    for start in range(0, len(smiles), BLOCK):
        block = smiles[start : start + BLOCK]
        t0 = time.process_time()
        for s in block:
            Chem.MolFromSmiles(s)
        t1 = time.process_time()
        for i, s in enumerate(block, start=start + 1):
            verdict = screener.check(s, as_of=on, row=i)
            statuses[
                "invalid"
                if verdict.error
                else (
                    "listed-or-flagged" if verdict.is_listed_anywhere or verdict.flags else "clear"
                )
            ] += 1
        t2 = time.process_time()
        parse_s += t1 - t0
        ours_s += t2 - t1

    n = len(smiles)
    result: dict[str, float | int] = {
        "molecules": n,
        "ours_per_s": round(n / ours_s, 1),
        "rdkit_parse_per_s": round(n / parse_s, 1),
        "ratio": round(parse_s / ours_s, 3),
    }
    print(f"molecules:            {n}")
    print(
        f"ours (one core):      {result['ours_per_s']:>10} mol/s  ({1e6 * ours_s / n:.0f} us/mol)"
    )
    print(
        f"RDKit parse (1 core): {result['rdkit_parse_per_s']:>10} mol/s  ({1e6 * parse_s / n:.0f} us/mol)"
    )
    print(f"ratio ours/parse:     {result['ratio']:>10}   (target >= 0.5)")
    print(f"outcomes:             {dict(statuses)}")
    if args.jobs:
        records = [InputRecord(i + 1, s, "", {}) for i, s in enumerate(smiles)]
        t0 = time.perf_counter()  # wall time: the work runs in other processes
        count = sum(1 for _ in screen_batch(records, as_of=on, jobs=args.jobs))
        elapsed = time.perf_counter() - t0
        result[f"batch_{args.jobs}_jobs_per_s"] = round(count / elapsed, 1)
        print(
            f"batch, {args.jobs} processes:   {result[f'batch_{args.jobs}_jobs_per_s']:>10} mol/s"
        )
    if args.json:
        print(json.dumps(result))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
