"""Column-level normalisation found missing on hand-written held-out manifests: day-first date
columns, CAS-number columns read with the marks, airport routing chains, customs mode codes."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from interdiction.shipments.mapping import resolve_headers
from interdiction.shipments.normalise import (
    normalise_chunk,
    parse_date,
    parse_mode,
    prefers_day_first,
)


def _normalise(columns: dict[str, list[str]]) -> pd.DataFrame:
    raw = pd.DataFrame(columns)
    records, _ = normalise_chunk(
        raw, resolve_headers(list(raw.columns)), source_file="t.csv", first_row=1
    )
    return records


def test_a_day_first_value_makes_the_whole_column_day_first() -> None:
    records = _normalise({"Product": ["a", "b", "c"], "Order Date": ["05/03/2025", "25/02/2025", "01/12/2024"]})  # fmt: skip
    assert records["date"].tolist() == ["2025-03-05", "2025-02-25", "2024-12-01"]


def test_month_first_stays_the_default_for_ambiguous_columns() -> None:
    records = _normalise({"Product": ["a", "b"], "Order Date": ["05/03/2025", "12/25/2024"]})
    assert records["date"].tolist() == ["2025-05-03", "2024-12-25"]


def test_contradictory_column_is_not_day_first() -> None:
    assert prefers_day_first(["25/12/2024", "12/25/2024"]) is False
    assert prefers_day_first(["25.12.2024 10:20", "05.03.2025"]) is True
    assert prefers_day_first(["2024-12-25", "March 5, 2025"]) is False


@given(
    st.dates(
        min_value=pd.Timestamp("1990-01-01").date(), max_value=pd.Timestamp("2030-12-31").date()
    )
)
def test_day_first_round_trip(day) -> None:  # type: ignore[no-untyped-def]
    assert parse_date(day.strftime("%d/%m/%Y"), day_first=True, today=day) == day.isoformat()


def test_cas_column_is_read_with_the_marks() -> None:
    records = _normalise(
        {"Product": ["Intermedio farmacéutico", "Glicerina", "x"], "Marks": ["PO 7", "", ""],
         "CAS No.": ["125541-22-2", "", "CAS 56-81-5"]}
    )  # fmt: skip
    assert records["marks"].tolist() == ["PO 7; CAS 125541-22-2", "", "CAS 56-81-5"]
    assert records["CAS No."].tolist() == ["125541-22-2", "", "CAS 56-81-5"]


def test_cas_column_reaches_the_goods_rules(records, screen, context) -> None:  # type: ignore[no-untyped-def]
    normalised = _normalise({"Product": ["Intermedio farmacéutico"], "CAS": ["125541-22-2"]})
    frame = records(
        {"description": normalised["description"].iat[0], "marks": normalised["marks"].iat[0]}
    )
    _, flags = screen(frame, context)
    assert "RF-A2.precursor" in set(flags["rule_id"])


def test_airport_routing_keeps_only_the_stops_between() -> None:
    records = _normalise(
        {
            "Product": ["a", "b", "c", "d"],
            "Airport of Departure": ["PVG", "HKG", "", "Busan"],
            "Routing": ["PVG-ANC-LAX", "HKG-ELP", "Saint-Nazaire", "Busan; Singapore"],
            "Airport of Destination": ["LAX", "ELP", "", "Tacoma"],
        }
    )
    assert records["transshipment_ports"].tolist() == ["ANC", "", "Saint-Nazaire", "Singapore"]


@pytest.mark.parametrize(
    ("declared", "mode"),
    [("4", "air"), ("1", "sea"), ("5", "postal"), ("海运整柜", "sea"), ("空运", "air"),
     ("顺丰快递", "express"), ("Express Courier", "express"), ("12", "unknown")],
)  # fmt: skip
def test_mode_codes_and_chinese_words(declared: str, mode: str) -> None:
    assert parse_mode(declared) == mode


def test_first_and_last_name_make_the_consignee_when_no_company_is_given() -> None:
    records = _normalise(
        {"item_name": ["a", "b", "c"], "billing_company": ["Aqua Testing GmbH", "", ""],
         "billing_first_name": ["Jana", "Kim", ""], "billing_last_name": ["Weiss", "Nguyen", ""]}
    )  # fmt: skip
    assert records["consignee_name"].tolist() == ["Aqua Testing GmbH", "Kim Nguyen", ""]
    assert records["billing_first_name"].tolist() == ["Jana", "Kim", ""]


@pytest.mark.parametrize(
    ("header", "kilograms"), [("Net weight (kg)", 2.5), ("Weight (lb)", 2.5 * 0.45359237), ("Gross weight [g]", 0.0025)]
)  # fmt: skip
def test_weight_header_with_a_unit_is_recognised_and_converts(
    header: str, kilograms: float
) -> None:
    records = _normalise({"Product": ["a"], header: ["2,50"]})
    assert records["gross_weight_kg"].iat[0] == pytest.approx(kilograms)


def test_unit_column_beats_the_unit_in_the_header() -> None:
    records = _normalise({"Product": ["a"], "Weight (kg)": ["2"], "Weight Unit": ["lb"]})
    assert records["gross_weight_kg"].iat[0] == pytest.approx(2 * 0.45359237)


def test_postal_item_headers_are_recognised() -> None:
    records = _normalise(
        {"Detailed description of contents": ["Sample"], "Posting Date": ["03.03.2025"],
         "Mail Class": ["EMS"], "Addressee Name": ["Travis Cole"], "Addressee Country": ["US"]}
    )  # fmt: skip
    row = records.iloc[0]
    assert (row["date"], row["mode"], row["consignee_name"], row["consignee_country"]) == (
        "2025-03-03", "postal", "Travis Cole", "US"
    )  # fmt: skip
