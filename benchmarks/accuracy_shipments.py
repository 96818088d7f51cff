"""Accuracy of shipment screening on labelled manifests: planted-pattern recall, false alarms.

Runs the whole job (``run_screen``, local mode, bundled sample lists) on every labelled manifest
we have and compares the risk levels with the truth files:

- the bundled sample (``src/interdiction/data/samples/manifest.csv`` + ``manifest_truth.csv``,
  made by our own generator, ``interdiction.shipments.sample``);
- nine blind manifests written from the references alone (``tests/shipments/data/blind/``,
  ``blind2/``, ``blind3/``),
- five hand-written held-out manifests in other styles (``tests/shipments/data/heldout/``,
  written by a second engineer, not by the generator).

Every line is SYNTHETIC. A line counts as an alert at risk level medium or above. Rows a truth
file marks "flag" are planted; rows it marks "clean", and rows it does not name, are clean.
Reported per file: planted recall, alert precision, false-alarm rate on clean rows, and how many
planted rows rank among the top N records by score (N = number planted).

    python benchmarks/accuracy_shipments.py
    python benchmarks/accuracy_shipments.py --json
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import pandas as pd

from interdiction.shipments.pipeline import run_screen

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "src" / "interdiction" / "data" / "samples"
HELDOUT = ROOT / "tests" / "shipments" / "data" / "heldout"
# Written by a second engineer from the references alone, without reading the engine first.
BLIND = ROOT / "tests" / "shipments" / "data" / "blind"
BLIND2 = ROOT / "tests" / "shipments" / "data" / "blind2"
BLIND3 = ROOT / "tests" / "shipments" / "data" / "blind3"
FOLDERS = (HELDOUT, BLIND, BLIND2, BLIND3)
ALERT = frozenset({"medium", "high", "critical"})


def _truth_rows(name: str) -> tuple[Path, dict[int, str]]:
    """The manifest and {source_row: "flag" | "clean"} from its truth file."""
    if name == "sample":
        truth = pd.read_csv(SAMPLE / "manifest_truth.csv")
        rows = {int(r): e for r, e in zip(truth["source_row"], truth["expect"], strict=True)}
        return SAMPLE / "manifest.csv", rows
    folder = next(f for f in FOLDERS if (f / f"{name}_truth.csv").is_file())
    path = next(p for p in folder.glob(f"{name}.*") if not p.name.endswith(".yaml"))
    truth = pd.read_csv(folder / f"{name}_truth.csv")
    expected = {int(r): e for r, e in zip(truth["row"], truth["expect"], strict=True)}
    if "order_rows" in truth.columns:
        # A web-shop order over several line items: its other lines share the planted parties
        # and count as neither found nor false alarms.
        for span, expect, row in zip(
            truth["order_rows"].astype(str), truth["expect"], truth["row"], strict=True
        ):
            first, _, last = span.partition("-")
            for other in range(int(first), int(last or first) + 1):
                if other != int(row) and expect == "flag":
                    expected.setdefault(other, "order")
    return path, expected


def measure(name: str, work: Path) -> dict[str, object]:
    """Screen one labelled manifest and score the risk levels against its truth."""
    path, expected = _truth_rows(name)
    summary = run_screen([path], work / name, progress=False, lists="sample")
    records = pd.read_csv(work / name / "records.csv", keep_default_na=False)
    # One verdict per data row: a JSON line of several goods items is as risky as its worst item.
    records = (
        records.sort_values("risk_score", ascending=False, kind="stable")
        .drop_duplicates("source_row")
        .sort_values("source_row", kind="stable")
    )
    alert = records["risk_level"].isin(ALERT)
    planted = records["source_row"].map(lambda r: expected.get(int(r)) == "flag")
    clean = records["source_row"].map(lambda r: expected.get(int(r), "clean") == "clean")
    ranked = records.sort_values("risk_score", ascending=False, kind="stable")
    top = ranked.head(int(planted.sum()))
    found = int((alert & planted).sum())
    alerts = int(alert.sum())
    false_alarms = int((alert & clean).sum())
    missed = records.loc[planted & ~alert, "record_id"].astype(str).tolist()
    return {
        "file": path.name,
        "records": summary.results,
        "planted": int(planted.sum()),
        "recall": round(found / max(1, int(planted.sum())), 3),
        "precision": round(int((alert & planted).sum()) / max(1, alerts), 3),
        "clean": int(clean.sum()),
        "false_alarms": false_alarms,
        "false_alarm_rate": round(false_alarms / max(1, int(clean.sum())), 4),
        "planted_in_top_n": int(
            top["source_row"].map(lambda r: expected.get(int(r)) == "flag").sum()
        ),
        "missed": missed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object on the last line"
    )
    args = parser.parse_args()
    names = [
        "sample",
        *(
            p.name.removesuffix("_truth.csv")
            for folder in FOLDERS
            for p in sorted(folder.glob("*_truth.csv"))
        ),
    ]
    with tempfile.TemporaryDirectory(prefix="interdiction-accuracy-") as folder:
        results = [measure(name, Path(folder)) for name in names]
    header = f"{'file':<30} {'records':>7} {'planted':>7} {'recall':>6} {'precision':>9} {'clean FA':>12} {'top-N':>6}"
    print(header)
    for r in results:
        print(f"{r['file']:<30} {r['records']:>7} {r['planted']:>7} {r['recall']:>6.3f} {r['precision']:>9.3f} "
              f"{r['false_alarms']:>4}/{r['clean']:<7} {r['planted_in_top_n']:>3}/{r['planted']:<3}")  # fmt: skip
        if r["missed"]:
            print(f"{'':<30} missed: {', '.join(map(str, r['missed']))}")
    planted = sum(int(str(r["planted"])) for r in results)
    found = sum(round(float(str(r["recall"])) * int(str(r["planted"]))) for r in results)
    clean = sum(int(str(r["clean"])) for r in results)
    false_alarms = sum(int(str(r["false_alarms"])) for r in results)
    print(f"all files: planted recall {found}/{planted} = {found / max(1, planted):.3f}; "
          f"false alarms on clean rows {false_alarms}/{clean} = {false_alarms / max(1, clean):.4f}")  # fmt: skip
    if args.json:
        print(json.dumps({"files": results, "recall": round(found / max(1, planted), 3),
                          "false_alarm_rate": round(false_alarms / max(1, clean), 4)}))  # fmt: skip


if __name__ == "__main__":
    main()
