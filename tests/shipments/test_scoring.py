"""Noisy-or scoring: formula, one count per rule, bands, top reason."""

from __future__ import annotations

import pandas as pd
import pytest

from interdiction.shipments.rules import load_rules
from interdiction.shipments.scoring import score_records


def flags(rows: list[tuple[str, str, float, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [(r, rule, w, e, "src") for r, rule, w, e in rows],
        columns=["record_id", "rule_id", "weight", "evidence", "source"],
    )


def test_noisy_or_and_rule_counted_once() -> None:
    rules = load_rules()
    table = flags(
        [
            ("a", "RF-C1", 0.3, "lane"),
            ("a", "RF-A2.precursor", 0.3, "NPP"),
            ("a", "RF-A2.precursor", 0.2, "4-AP"),
        ]
    )
    out = score_records(pd.Series(["a", "b"]), table, rules)
    assert out["risk_score"].tolist() == [pytest.approx(51.0), 0.0]
    assert out["risk_level"].tolist() == ["high", "low"]
    assert out.loc[0, "flags"] == "RF-A2.precursor;RF-C1"


def test_top_reason_is_strongest_contribution_in_words() -> None:
    rules = load_rules()
    out = score_records(
        pd.Series(["a"]),
        flags([("a", "RF-C3", 0.15, "via SG"), ("a", "RF-D1", 0.5, "'stealth'")]),
        rules,
    )
    assert out.loc[0, "top_reason"].startswith(rules.get("RF-D1").description)
    assert out.loc[0, "top_reason"].endswith("'stealth'")


@pytest.mark.parametrize(
    ("score", "level"),
    [(0, "low"), (24.9, "low"), (25, "medium"), (50, "high"), (75, "critical"), (100, "critical")],
)
def test_bands(score: float, level: str) -> None:
    assert load_rules().level(score) == level


def test_no_single_weak_rule_reaches_medium() -> None:
    rules = load_rules()
    weak = [r for r in rules.rules.values() if r.weight < 0.25]
    assert weak and all(rules.level(100 * r.weight) == "low" for r in weak)


def test_ties_go_to_the_rule_listed_first() -> None:
    rules = load_rules()
    table = flags([("a", "RF-A1.permit", 0.35, "no permit"), ("a", "RF-A2.precursor", 0.35, "NPP")])
    out = score_records(pd.Series(["a"]), table, rules)
    assert out.loc[0, "flags"] == "RF-A2.precursor;RF-A1.permit"
    assert out.loc[0, "top_reason"].endswith("NPP")
