"""Value parsing: countries, dates, numbers, HS codes, modes, and chunk normalisation."""

from __future__ import annotations

import math
import os
from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interdiction.shipments.mapping import resolve_headers
from interdiction.shipments.normalise import (
    MAX_CELL_CHARS,
    normalise_chunk,
    parse_country,
    parse_date,
    parse_hs_code,
    parse_mode,
    parse_number,
)
from interdiction.shipments.records import RECORD_COLUMNS


# Long fuzz campaigns: INTERDICTION_FUZZ_EXAMPLES=N raises every example budget in this file to at
# least N (e.g. 3000 with `pytest -n 1`); unset, the budgets below hold, so CI time is unchanged.
def _budget(n: int) -> int:
    return max(n, int(os.environ.get("INTERDICTION_FUZZ_EXAMPLES", "0")))


TODAY = date(2026, 11, 29)


@pytest.mark.parametrize(
    ("text", "iso2"),
    [("CN", "CN"), ("chn", "CN"), ("China", "CN"), ("P.R. China", "CN"), ("中国", "CN"), ("México", "MX"),
     ("Mexico", "MX"), ("USA", "US"), ("United States of America", "US"), ("Estados Unidos", "US"),
     ("Korea, Republic of", "KR"), ("Hong Kong SAR", "HK"), ("  gt ", "GT"), ("", "")],
)  # fmt: skip
def test_parse_country(text: str, iso2: str) -> None:
    assert parse_country(text) == iso2


def test_unknown_country_is_none() -> None:
    assert parse_country("Atlantis") is None


@pytest.mark.parametrize(
    ("text", "iso"),
    [("2024-05-03", "2024-05-03"), ("2024-05-03T10:11:12", "2024-05-03"), ("2024/05/03", "2024-05-03"),
     ("05/03/2024", "2024-05-03"), ("25/12/2024", "2024-12-25"), ("03.05.2024", "2024-05-03"),
     ("3 May 2024", "2024-05-03"), ("03-May-2024", "2024-05-03"), ("May 3, 2024", "2024-05-03"),
     ("20240503", "2024-05-03"), ("2024-05-03 00:00:00", "2024-05-03"), ("2024年05月03日", "2024-05-03"), ("", "")],
)  # fmt: skip
def test_parse_date_formats(text: str, iso: str) -> None:
    assert parse_date(text, today=TODAY) == iso


@pytest.mark.parametrize("text", ["31/31/2024", "notadate", "0224-05-03", "2031-01-01", "tomorrow"])
def test_unusable_dates_are_none(text: str) -> None:
    assert parse_date(text, today=TODAY) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [("1,234.50", 1234.5), ("1.234,5", 1234.5), ("3,5", 3.5), ("12,345,678", 12345678.0), ("USD 12", 12.0),
     ("3 kg", 3.0), ("-5", -5.0), ("1e3", 1000.0), ("$1,000", 1000.0)],
)  # fmt: skip
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == value


def test_parse_number_blank_and_bad() -> None:
    assert math.isnan(parse_number("  ") or 0.0)
    assert parse_number("twelve") is None
    assert parse_number("inf") is None


def test_parse_hs_code_and_mode() -> None:
    assert parse_hs_code("2933.39.00") == "29333900"
    assert parse_hs_code("HS 2933") == "2933"
    assert parse_hs_code("n/a") is None
    assert parse_mode("Vessel, container") == "sea"
    assert parse_mode("Air cargo") == "air"
    assert parse_mode("DHL Express") == "express"
    assert parse_mode("EMS postal") == "postal"
    assert parse_mode("Truck") == "road"
    assert parse_mode("") == "unknown"


@settings(max_examples=_budget(200), deadline=None)
@given(st.text(max_size=40))
def test_parsers_never_crash(text: str) -> None:
    parse_country(text)
    parse_date(text, today=TODAY)
    parse_number(text)
    parse_hs_code(text)
    assert parse_mode(text) in {"sea", "air", "express", "postal", "road", "rail", "unknown"}


@settings(max_examples=_budget(100), deadline=None)
@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_parse_number_round_trips_plain_floats(value: float) -> None:
    assert parse_number(repr(value)) == pytest.approx(value)


def _normalise(rows: list[dict[str, object]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    raw = pd.DataFrame(rows)
    resolution = resolve_headers(list(raw.columns))
    return normalise_chunk(raw, resolution, source_file="m.csv", first_row=10, today=TODAY)


def test_chunk_normalisation_values_and_warnings() -> None:
    records, errors = _normalise([
        {"description": "citric acid", "Country of Origin": "China", "Kilos": "1,200.5", "date": "03-May-2024",
         "HS Code": "2918.14", "Routing Countries": "China > Guatemala; MX", "consignee_email": " A@B.COM ",
         "Vessel": "MSC ANNA"},
        {"description": "x" * (MAX_CELL_CHARS + 5), "Country of Origin": "Narnia", "Kilos": "-3", "date": "31/31/2024",
         "HS Code": "none", "Routing Countries": "", "consignee_email": "", "Vessel": ""},
    ])  # fmt: skip
    assert list(records.columns) == [*RECORD_COLUMNS, "Vessel"]
    first = records.iloc[0]
    assert first["record_id"] == "m.csv#10" and first["source_row"] == 10
    assert (
        first["origin_country"] == "CN"
        and first["date"] == "2024-05-03"
        and first["hs_code"] == "291814"
    )
    assert first["gross_weight_kg"] == 1200.5 and first["routing_countries"] == "CN;GT;MX"
    assert (
        first["consignee_email"] == "a@b.com"
        and first["Vessel"] == "MSC ANNA"
        and first["mode"] == "sea"  # no mode column, a vessel name: an ocean bill of lading
    )
    second = records.iloc[1]
    assert second["mode"] == "unknown"
    assert len(second["description"]) == MAX_CELL_CHARS
    assert (
        second["origin_country"] == ""
        and second["date"] == ""
        and math.isnan(second["gross_weight_kg"])
    )
    assert set(errors["severity"]) == {"warning"}
    assert errors["source_row"].eq(11).all()
    assert set(errors["field"]) == {
        "description",
        "origin_country",
        "gross_weight_kg",
        "date",
        "hs_code",
    }
    assert records["source_row"].dtype == "int64" and records["quantity"].dtype == "float64"


def test_weight_units_convert_and_absurd_weights_are_cleared() -> None:
    records, errors = _normalise([
        {"description": "a", "weight": "100", "weight_unit": "L"},
        {"description": "b", "weight": "2", "weight_unit": "T"},
        {"description": "c", "weight": "9e12", "weight_unit": "KG"},
    ])  # fmt: skip
    assert records["gross_weight_kg"].iloc[0] == pytest.approx(45.359237)
    assert records["gross_weight_kg"].iloc[1] == 2000.0
    assert math.isnan(records["gross_weight_kg"].iloc[2])
    assert "exceeds any single consignment" in errors["reason"].iloc[0]


def test_numbers_too_large_for_a_float_are_cleared_not_infinite() -> None:
    # Found by fuzzing: "1e400" read as infinity by the fast parser and kept as a declared value.
    records, errors = _normalise([
        {"description": "a", "declared_value": "1e400", "quantity": "-1e400"},
        {"description": "b", "declared_value": "12", "quantity": "3"},
    ])  # fmt: skip
    assert math.isnan(records["declared_value"].iloc[0]) and math.isnan(records["quantity"].iloc[0])
    assert records[["declared_value", "quantity"]].iloc[1].tolist() == [12.0, 3.0]
    assert sorted(errors["field"]) == ["declared_value", "quantity"]
    assert all("cannot read number" in reason for reason in errors["reason"])


def test_given_record_ids_are_kept_and_missing_ones_generated() -> None:
    records, _ = _normalise(
        [{"Record ID": "X-1", "description": "a"}, {"Record ID": "", "description": "b"}]
    )
    assert records["record_id"].tolist() == ["X-1", "m.csv#11"]


def test_billing_company_is_screened_as_the_notify_party() -> None:
    # Shopify: a person is the shipping name; the paying company appears only under Billing.
    records, _ = _normalise([
        {"Lineitem name": "lab reagents kit", "Shipping Name": "Héctor Iribe",
         "Billing Company": "Sumilab SA de CV", "Billing Name": "Héctor Iribe"},
        {"Lineitem name": "soap molds", "Shipping Company": "Ortiz Handmade Soap",
         "Billing Company": "Ortiz Handmade Soap"},
    ])  # fmt: skip
    assert records["consignee_name"].tolist() == ["Héctor Iribe", "Ortiz Handmade Soap"]
    assert records["notify_name"].tolist() == ["Sumilab SA de CV", ""]
