"""Party matching accuracy on the labelled query set: precision, recall, F1 by kind and overall.

    .venv/bin/python benchmarks/parties_accuracy.py [--labelled CSV] [--threshold 0.8] [--sweep]
        [--show-errors] [--json]

Lists: OFAC SDN 2024-05-03 with the 2025-01 alt.csv aliases (shared/data/sanctions).
Counting, per query (the first --top matches at or above the threshold):
  positive query (expected_entity_id given): TP when the expected entity is among them;
    otherwise FN, and also FP when other entities were returned (a wrong alert);
  negative query (expected empty): FP when anything is returned (a false alert).
The false-alert rate on hard negatives is FP / number of hard-negative queries.

tests/parties/data/labelled_queries.csv was made from the list names (typos, word order,
legal-form variants, strong aliases, partial names, person order, initials, identifiers),
the list's own Chinese characters (Chinese Commercial Code), constructed Chinese renderings
(marked "constructed" in its note column), hand-written Cyrillic/Spanish/Arabic/Greek
spellings, generated and real look-alike company names and listed surnames with other given
names. The cross-script smoke test uses shared/data/names/cross_script_pairs.csv.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LABELLED = ROOT / "tests" / "parties" / "data" / "labelled_queries.csv"
CROSS_SCRIPT = Path("/work/shared/data/names/cross_script_pairs.csv")


def _rates(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def evaluate(
    matcher: object, rows: Sequence[dict[str, str]], threshold: float, top: int
) -> dict[str, object]:
    """Counts and rates by kind and overall; the misses and false alerts themselves."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # tp fp fn n
    errors: list[str] = []
    for row in rows:
        found = matcher.search(  # type: ignore[attr-defined]
            row["query"],
            country=row.get("country") or None,
            dob=row.get("dob") or None,
            identifiers=[row["identifier"]] if row.get("identifier") else (),
            limit=top,
            threshold=threshold,
        )
        ids = [m.entity_id for m in found]
        kind = row["kind"]
        expected = row["expected_entity_id"]
        tally = counts[kind]
        tally[3] += 1
        if expected:
            if expected in ids:
                tally[0] += 1
            else:
                tally[2] += 1
                if ids:
                    tally[1] += 1
                best = f"{found[0].primary_name} {found[0].score}" if found else "nothing"
                errors.append(f"MISS [{kind}] {row['query']!r} want {expected}, got {best}")
        elif ids:
            tally[1] += 1
            errors.append(
                f"FALSE [{kind}] {row['query']!r} -> {found[0].primary_name} {found[0].score}"
                f" ({found[0].explanation})"
            )
    by_kind = {}
    total = [0, 0, 0, 0]
    for kind, (tp, fp, fn, n) in sorted(counts.items()):
        total = [a + b for a, b in zip(total, (tp, fp, fn, n), strict=True)]
        p, r, f = _rates(tp, fp, fn)
        by_kind[kind] = {"n": n, "tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f}
    p, r, f = _rates(*total[:3])
    negatives = counts.get("hard-negative", [0, 0, 0, 0])
    return {
        "threshold": threshold,
        "by_kind": by_kind,
        "overall": {"n": total[3], "precision": p, "recall": r, "f1": f},
        "hard_negative_false_alert_rate": negatives[1] / negatives[3] if negatives[3] else 0.0,
        "errors": errors,
    }


def cross_script(matcher_cls: object) -> list[tuple[str, str, float, bool]]:
    """Each pair of the watchman cross-script file: its Latin name as a one-name list."""
    from interdiction.parties.model import ListedEntity, ListedName

    results = []
    with CROSS_SCRIPT.open(encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    pairs = [row[:2] for row in csv.reader(lines)]
    entities = [
        ListedEntity("pairs", str(i), "person", (ListedName(latin),))
        for i, (_, latin) in enumerate(pairs)
    ]
    matcher = matcher_cls.build(entities)  # type: ignore[attr-defined]
    for i, (query, latin) in enumerate(pairs):
        found = matcher.search(query, limit=1, threshold=0.0)
        score = found[0].score if found and found[0].entity_id == str(i) else 0.0
        results.append((query, latin, score, score >= 0.8))
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labelled", type=Path, default=LABELLED)
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--top", type=int, default=3, help="matches looked at per query")
    parser.add_argument("--sweep", action="store_true", help="F1 at thresholds 0.60..0.95")
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--json", action="store_true", help="print one JSON object last")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from interdiction.parties.matcher import DEFAULT_THRESHOLD, Matcher
    from parties import load_entities  # type: ignore[import-not-found]

    threshold = DEFAULT_THRESHOLD if args.threshold is None else args.threshold
    with args.labelled.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    matcher = Matcher.build(load_entities())
    if args.sweep:
        for step in range(60, 96, 5):
            result = evaluate(matcher, rows, step / 100, args.top)
            overall = result["overall"]
            print(
                f"threshold {step / 100:.2f}: F1 {overall['f1']:.3f} "  # type: ignore[index]
                f"P {overall['precision']:.3f} R {overall['recall']:.3f} "  # type: ignore[index]
                f"hard-negative alerts {result['hard_negative_false_alert_rate']:.1%}"
            )
    result = evaluate(matcher, rows, threshold, args.top)
    print(f"{len(rows)} labelled queries, threshold {threshold}, top {args.top}")
    print(f"{'kind':<16}{'n':>5}{'TP':>5}{'FP':>5}{'FN':>5}{'prec':>8}{'recall':>8}{'F1':>8}")
    for kind, s in result["by_kind"].items():  # type: ignore[attr-defined]
        print(
            f"{kind:<16}{s['n']:>5}{s['tp']:>5}{s['fp']:>5}{s['fn']:>5}"
            f"{s['precision']:>8.3f}{s['recall']:>8.3f}{s['f1']:>8.3f}"
        )
    overall = result["overall"]
    print(
        f"{'overall':<16}{overall['n']:>5}{'':>15}"  # type: ignore[index]
        f"{overall['precision']:>8.3f}{overall['recall']:>8.3f}{overall['f1']:>8.3f}"  # type: ignore[index]
    )
    print(f"false alerts on hard negatives: {result['hard_negative_false_alert_rate']:.1%}")
    smoke = cross_script(Matcher)
    passed = sum(ok for *_, ok in smoke)
    print(f"cross-script smoke test: {passed}/{len(smoke)} pairs score >= 0.8")
    for query, latin, score, ok in smoke:
        if not ok:
            print(f"  {query} / {latin}: {score:.2f}")
    if args.show_errors:
        for line in result["errors"]:  # type: ignore[attr-defined]
            print(line)
    if args.json:
        summary = {k: v for k, v in result.items() if k != "errors"}
        summary["cross_script_passed"] = passed
        print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
