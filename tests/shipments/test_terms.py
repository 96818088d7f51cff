"""Term index: separators, word boundaries, longest match, column scan = per-text find."""

from __future__ import annotations

import os

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from interdiction.shipments.terms import TermIndex, fold_series


# Long fuzz campaigns: INTERDICTION_FUZZ_EXAMPLES=N raises every example budget in this file to at
# least N (e.g. 3000 with `pytest -n 1`); unset, the budgets below hold, so CI time is unchanged.
def _budget(n: int) -> int:
    return max(n, int(os.environ.get("INTERDICTION_FUZZ_EXAMPLES", "0")))


INDEX = TermIndex(
    [
        ("NPP", "npp"),
        ("4-AP", "4ap"),
        ("1-boc-4-AP", "boc"),
        ("dog food", "cover"),
        ("芬太尼", "fentanyl"),
    ]
)


def matched(text: str) -> list[str]:
    return [p for hit in INDEX.find(text) for p in hit.payloads]


def test_separators_are_interchangeable() -> None:
    assert matched("4-AP") == matched("4 ap") == matched("4AP") == matched("４－ＡＰ") == ["4ap"]


def test_word_boundaries() -> None:
    assert matched("SNPPX resin; happy; 4apx; 14-ap") == []
    assert matched("npp, (NPP)") == ["npp", "npp"]


def test_longest_term_wins() -> None:
    assert matched("1-Boc-4-AP 98%") == ["boc"]


def test_cjk_without_spaces() -> None:
    assert matched("芬太尼粉末") == ["fentanyl"]


@settings(max_examples=_budget(60), deadline=None)
@given(st.lists(st.text(alphabet="np4a- dogfx芬太尼\x01", max_size=20), min_size=1, max_size=6))
def test_scan_equals_find_per_row(texts: list[str]) -> None:
    folded = fold_series(pd.Series(texts))
    by_scan = sorted((h.position, h.matched) for h in INDEX.scan(folded))
    by_find = sorted((i, h.matched) for i, t in enumerate(folded) for h in INDEX.find(t))
    assert by_scan == by_find


@settings(max_examples=_budget(60), deadline=None)
@given(st.text(max_size=80))
def test_never_crashes(text: str) -> None:
    for hit in INDEX.find(text):
        assert hit.payloads
