"""Goods index: names, abbreviations, CAS numbers (check digit), classification on a date."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from interdiction.regulations import load_regulations
from interdiction.shipments.goods import GoodsIndex
from interdiction.shipments.terms import fold_series


@pytest.fixture(scope="module")
def goods() -> GoodsIndex:
    return GoodsIndex.build(load_regulations())


def names_found(goods: GoodsIndex, text: str) -> set[str]:
    mentions, _ = goods.mentions(fold_series(pd.Series([text])))
    return {goods.chemicals[m.chemical].name for m in mentions}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NPP 25kg", "N-Phenethyl-4-piperidone (NPP)"),
        ("despropionyl fentanyl", "4-Anilino-N-phenethylpiperidine (ANPP)"),
        ("1-boc-4-AP", "tert-butyl 4-(phenylamino)piperidine-1-carboxylate (1-boc-4-AP)"),
        ("norfentanyl", "Norfentanyl"),
        ("CAS: 1609-66-1", "Norfentanyl"),
        ("芬太尼", "Fentanyl"),
    ],
)
def test_names_abbreviations_cas(goods: GoodsIndex, text: str, expected: str) -> None:
    found = names_found(goods, text)
    assert any(expected.casefold().split(" (")[0] in name.casefold() for name in found), found


def test_one_chemical_across_jurisdictions(goods: GoodsIndex) -> None:
    mentions, _ = goods.mentions(fold_series(pd.Series(["NPP and N-phenethyl-4-piperidone"])))
    assert len({m.chemical for m in mentions}) == 1


def test_invalid_cas_is_a_typo_not_a_hit(goods: GoodsIndex) -> None:
    mentions, typos = goods.mentions(fold_series(pd.Series(["CAS 1609-66-5"])))
    assert mentions == [] and typos == [(0, "1609-66-5", "1609-66-1")]


def test_status_on_date_and_cache(goods: GoodsIndex) -> None:
    mentions, _ = goods.mentions(fold_series(pd.Series(["NPP"])))
    key = mentions[0].chemical
    early = goods.status(key, date(2010, 1, 1))
    late = goods.status(key, date(2023, 1, 1))
    assert early.statuses["us"] == "precursor" and early.statuses["un"] == "not-listed"
    assert late.statuses["un"] == "precursor"
    assert goods.status(key, date(2023, 1, 2)) is late  # same legal period: cached


@pytest.mark.parametrize(
    "text",
    [
        "4-Aminopyridine (4-AP, fampridine) API, CAS 504-24-5",
        "4-AP USP (dalfampridine) 5 g",
        "4-AP, CAS No. 504-24-5",
    ],
)
def test_abbreviation_with_its_other_meaning_named_is_not_the_precursor(
    goods: GoodsIndex, text: str
) -> None:
    assert names_found(goods, text) == set()


def test_abbreviation_alone_or_with_the_listed_name_still_counts(goods: GoodsIndex) -> None:
    assert names_found(goods, "4-AP 99% white powder")
    # The other meaning drops only the abbreviation: the listed name in the same text counts.
    assert names_found(goods, "4-AP (4-anilinopiperidine), not 4-aminopyridine")
