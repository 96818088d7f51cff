"""Held-out manifests (hand-written synthetic data, tests/shipments/data/heldout/README.md):
planted recall and the false-alarm rate on clean lines, read without a mapping file.

Each file is in a style our own sample generator does not make (vendor air manifest, XLSX order
book, nested customs JSON Lines, string-typed Parquet, postal CN 23 CSV), so these figures say
how header recognition, parsing and the rules carry over to files a user brings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from interdiction.shipments.readers import read_records

HERE = Path(__file__).parent / "data" / "heldout"
# Written by a second engineer from the red-flag and trade-record references alone, before
# reading the engine (tests/shipments/data/blind/README.md); read without their mapping files.
BLIND = Path(__file__).parent / "data" / "blind"
ALERT = ("medium", "high", "critical")
# Least planted recall and most false-alarm rate accepted per file. Measured on 2026-11-29:
# every planted row found except one (a Chinese name written without its locant, see the
# README), no clean row at medium or above.
MIN_RECALL = 0.85
MAX_FALSE_ALARM_RATE = 0.02
FILES = (
    "air_express_manifest.csv",
    "marketplace_orders.xlsx",
    "customs_declarations.jsonl",
    "webshop_orders.parquet",
    "postal_items.csv",
    "blind/ocean_bol_importgenius.csv",
    "blind/pedimento_forwarder_mx.tsv",
    "blind/b2b_orders_camel.jsonl",
    "blind2/cn_export_declarations.csv",
    "blind2/fwd_express_manifest.xlsx",
    "blind2/dw_shipments_export.csv",
    "blind3/shopify_orders_export.csv",
    "blind3/forwarder_consignments.jsonl",
    "blind3/broker_entries.parquet",
)


_RANK = {"low": 0, "medium": 1, "high": 2, "critical": 3}


def _row_levels(scored: pd.DataFrame) -> dict[int, str]:
    """Highest risk level per data row (a line of several goods items is as risky as its worst)."""
    levels: dict[int, str] = {}
    for row, level in zip(scored["source_row"], scored["risk_level"], strict=True):
        if _RANK[level] >= _RANK.get(levels.get(int(row), "low"), 0):
            levels[int(row)] = level
    return levels


def _planted_rows(truth: pd.DataFrame) -> set[int]:
    """Rows of planted records; where the truth gives an order's rows ("83-85": a web-shop order
    over several line items), every line of a planted order, since they share its parties."""
    rows = set(truth.loc[truth["expect"] == "flag", "row"].astype(int))
    if "order_rows" in truth.columns:
        for span in truth.loc[truth["expect"] == "flag", "order_rows"].astype(str):
            first, _, last = span.partition("-")
            rows.update(range(int(first), int(last or first) + 1))
    return rows


def _path(name: str) -> Path:
    folder, _, file = name.rpartition("/")
    return BLIND.parent / folder / file if folder else HERE / name


def _screen(path: Path, ctx: Any) -> pd.DataFrame:
    from interdiction.shipments.screening import finalise, screen_frame

    parts = [records for records, _ in read_records(path)]
    records = pd.concat(parts, ignore_index=True)
    flags, parties = screen_frame(records, ctx)
    scored, _ = finalise(records, flags, parties, ctx)
    return scored


@pytest.fixture(scope="module")
def results(listed_context: Any) -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    out = {}
    for name in FILES:
        path = _path(name)
        truth = pd.read_csv(path.with_name(f"{path.stem}_truth.csv"), dtype={"row": int})
        out[name] = (_screen(path, listed_context), truth)
    return out


@pytest.mark.parametrize("name", FILES)
def test_every_row_is_screened_without_a_mapping_file(name, results) -> None:  # type: ignore[no-untyped-def]
    scored, truth = results[name]
    # Every data row gives at least one record, in order (a JSON line with several goods items
    # gives one record per item, all with the line's number).
    rows = scored["source_row"].tolist()
    assert rows == sorted(rows) and sorted(set(rows)) == list(range(1, max(rows) + 1))
    assert set(truth["row"]) <= set(scored["source_row"])


@pytest.mark.parametrize("name", FILES)
def test_planted_rows_are_found(name, results) -> None:  # type: ignore[no-untyped-def]
    scored, truth = results[name]
    level = _row_levels(scored)
    planted = truth.loc[truth["expect"] == "flag", "row"]
    missed = [row for row in planted if level[row] not in ALERT]
    assert 1 - len(missed) / len(planted) >= MIN_RECALL, f"planted rows missed: {missed}"


@pytest.mark.parametrize("name", FILES)
def test_clean_rows_rarely_alarm(name, results) -> None:  # type: ignore[no-untyped-def]
    scored, truth = results[name]
    clean = scored[~scored["source_row"].isin(_planted_rows(truth))]
    alarms = clean[clean["risk_level"].isin(ALERT)]
    shown = alarms[["source_row", "flags", "description"]].to_string(index=False)
    assert len(alarms) / len(clean) <= MAX_FALSE_ALARM_RATE, shown


def test_hard_negatives_stay_below_medium(results) -> None:  # type: ignore[no-untyped-def]
    for name, (scored, truth) in results.items():
        level = _row_levels(scored)
        for row in truth.loc[truth["expect"] == "clean", "row"]:
            assert level[row] not in ALERT, f"{name} row {row}"
