"""Weights and values written with their unit or currency in the cell (blind2 data-warehouse
export), HS codes a spreadsheet stored as numbers, and currencies written in Chinese."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from interdiction.shipments._amounts import amount_currency, currency_code
from interdiction.shipments.mapping import header_currency, resolve_headers
from interdiction.shipments.normalise import normalise_chunk, parse_hs_code


def _normalise(columns: dict[str, list[str]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    raw = pd.DataFrame(columns)
    return normalise_chunk(
        raw, resolve_headers(list(raw.columns)), source_file="t.csv", first_row=1
    )


def test_weight_cells_with_a_unit_are_converted_to_kilograms() -> None:
    cells = ["12.5 kg", "800 g", "18.31 t", "5 lb", "12 lbs", "3.2 KG", "1,200 kg", "42344 lb", "7"]
    records, errors = _normalise({"goods_description": ["x"] * len(cells), "gross_weight": cells})
    expected = [12.5, 0.8, 18310.0, 5 * 0.45359237, 12 * 0.45359237, 3.2, 1200.0,
                42344 * 0.45359237, 7.0]  # fmt: skip
    assert records["gross_weight_kg"].tolist() == pytest.approx(expected)
    assert errors.empty


def test_a_cell_unit_beats_the_header_unit_and_an_unknown_word_warns() -> None:
    records, errors = _normalise(
        {"Description": ["a", "b", "c"], "Weight (lb)": ["10", "900 g", "12 bags"]}
    )
    assert records["gross_weight_kg"].tolist() == pytest.approx([4.5359237, 0.9, 12 * 0.45359237])
    assert errors["reason"].tolist() == [
        "unknown weight unit in '12 bags'; read in the column's unit (kg unless the header or a "
        "unit column names one)"
    ]


def test_negative_weight_with_a_unit_is_still_cleared() -> None:
    records, errors = _normalise({"Description": ["a"], "gross_weight": ["-1,250 kg"]})
    assert math.isnan(records["gross_weight_kg"].iat[0])
    assert errors["reason"].tolist() == ["negative value -1250; field cleared"]


def test_amounts_give_the_currency_when_there_is_no_currency_column() -> None:
    cells = [
        "$1,250.00",
        "€980",
        "21.968,76 €",
        "USD 400",
        "¥3,000",
        "RMB 500",
        "21522.31 USD",
        "12",
    ]
    records, _ = _normalise({"Description": ["x"] * len(cells), "declared_value": cells})
    assert records["currency"].tolist() == ["USD", "EUR", "EUR", "USD", "CNY", "CNY", "USD", ""]
    assert records["declared_value"].tolist() == [1250.0, 980.0, 21968.76, 400.0, 3000.0, 500.0,
                                                 21522.31, 12.0]  # fmt: skip


def test_a_currency_column_is_never_overridden_by_the_amount() -> None:
    records, _ = _normalise(
        {"Description": ["a", "b"], "Value": ["$5", "$7"], "Currency": ["MXN", ""]}
    )
    assert records["currency"].tolist() == ["MXN", "USD"]


def test_currency_names_in_chinese_and_iso_numeric_codes() -> None:
    records, _ = _normalise(
        {"商品名称": ["a"] * 7, "币制": ["美元", "欧元", "人民币", "港币", "日元", "英镑", "840"]}
    )
    assert records["currency"].tolist() == ["USD", "EUR", "CNY", "HKD", "JPY", "GBP", "USD"]


def test_an_unknown_currency_is_kept_as_given_in_upper_case() -> None:
    assert currency_code("zorkmid") == ""
    records, _ = _normalise({"Description": ["a"], "Currency": ["zmk?"]})
    assert records["currency"].tolist() == ["ZMK?"]


def test_the_value_header_names_the_currency() -> None:
    assert header_currency("Declared Value (USD)") == "USD"
    assert header_currency("totalPriceUsd") == "USD"
    assert header_currency("Declared Value") == ""
    records, _ = _normalise({"Description": ["a"], "Declared Value (USD)": ["393.56"]})
    assert records["currency"].tolist() == ["USD"]


@given(st.text(max_size=20))
def test_amount_currency_never_crashes(text: str) -> None:
    assert isinstance(amount_currency(text), str)


@pytest.mark.parametrize(
    ("cell", "code"),
    [("80132", "080132"), ("801.32", "080132"), ("2933.3", "293330"), ("293339", "293339"),
     ("0801.32", "080132"), ("2933.39.00", "29333900"), ("304610000", "304610000")],
)  # fmt: skip
def test_hs_codes_stored_as_numbers_get_their_zero_back(cell: str, code: str) -> None:
    assert parse_hs_code(cell) == code
