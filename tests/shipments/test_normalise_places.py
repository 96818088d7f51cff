"""Places, modes and goods text of the blind2 manifests: "Origin"/"Dest" as stations or countries,
a final destination written as a place, China's 运抵国 as a transit country, 规格型号 read with the
goods, Chinese transport modes and short Chinese country names."""

from __future__ import annotations

import pandas as pd
import pytest

from interdiction.shipments.mapping import resolve_headers
from interdiction.shipments.normalise import (
    normalise_chunk,
    parse_country,
    parse_mode,
    place_country,
)


def _normalise(columns: dict[str, list[str]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    raw = pd.DataFrame(columns)
    return normalise_chunk(
        raw, resolve_headers(list(raw.columns)), source_file="t.csv", first_row=1
    )


def test_origin_and_dest_station_codes_are_the_airports() -> None:
    records, _ = _normalise(
        {
            "Description": ["a", "b", "c"],
            "Origin": ["HKG", "SZX", "CAN"],
            "Dest": ["DFW", "GDL", "LHR"],
        }
    )
    assert records["port_of_loading"].tolist() == ["HKG", "SZX", "CAN"]
    assert records["port_of_discharge"].tolist() == ["DFW", "GDL", "LHR"]
    assert records["origin_country"].tolist() == ["", "", ""]
    # The airports' countries make the route.
    assert records["routing_countries"].tolist() == ["HK;US", "CN;MX", "GB"]


def test_origin_and_destination_country_names_are_countries() -> None:
    records, _ = _normalise(
        {"Description": ["a", "b"], "Origin": ["China", "CAN"], "Destination": ["Mexico", "USA"]}
    )
    # In a column of country names "CAN" is Canada, not Guangzhou airport.
    assert records["origin_country"].tolist() == ["CN", "CA"]
    assert records["final_destination_country"].tolist() == ["MX", "US"]
    assert records["port_of_loading"].tolist() == ["", ""]


def test_a_final_destination_place_gives_its_country_and_is_kept() -> None:
    places = ["Guadalajara, MX", "Tijuana, Baja California, MX", "Mexico", "Long Beach, CA", ""]
    records, errors = _normalise({"goods_description": ["x"] * 5, "final_destination": places})
    assert records["final_destination_country"].tolist() == ["MX", "MX", "MX", "", ""]
    # The place is kept (renamed: its header is the helper column's name).
    assert records["input_final_destination"].tolist() == places
    assert errors["reason"].tolist() == [
        "unknown country or place 'Long Beach, CA'; field not filled"
    ]


def test_a_final_destination_country_column_wins_over_the_place() -> None:
    records, _ = _normalise(
        {
            "Description": ["a"],
            "Final Destination Country": ["US"],
            "final_destination": ["Tijuana, MX"],
        }
    )
    assert records["final_destination_country"].tolist() == ["US"]


@pytest.mark.parametrize(
    ("text", "country"),
    [("Guadalajara, MX", "MX"), ("Hamburg, Germany", "DE"), ("Savannah, GA", ""),
     ("Toronto, ON", ""), ("Sao Paulo, SP", ""), ("Mexico", "MX"), ("nowhere", "")],
)  # fmt: skip
def test_place_country(text: str, country: str) -> None:
    assert place_country(text) == country


def test_arrival_country_other_than_the_final_destination_is_on_the_route() -> None:
    records, _ = _normalise(
        {"商品名称": ["a", "b", "c"], "运抵国（地区）": ["危地马拉", "墨西哥", "美国"],
         "最终目的国（地区）": ["墨西哥", "墨西哥", ""]}
    )  # fmt: skip
    assert records["routing_countries"].tolist() == ["GT;MX", "", ""]
    # With no final destination the country of arrival is the destination.
    assert records["final_destination_country"].tolist() == ["MX", "MX", "US"]


def test_specification_is_read_with_the_goods_description() -> None:
    records, _ = _normalise(
        {"商品名称": ["医药中间体", "自行车"], "规格型号": ["0|0|4-苯胺基哌啶|含量99%", ""]}
    )
    assert records["description"].tolist() == ["医药中间体; 0|0|4-苯胺基哌啶|含量99%", "自行车"]
    assert records["规格型号"].tolist() == ["0|0|4-苯胺基哌啶|含量99%", ""]


@pytest.mark.parametrize(
    ("text", "mode"),
    [("水路运输", "sea"), ("邮件运输", "postal"), ("航空运输", "air"), ("公路运输", "road"),
     ("铁路运输", "rail"), ("快递", "express"), ("航空快件", "express"), ("EXP", "express"),
     ("ECO", "express"), ("DOX", "express"), ("DDP", "unknown"), ("2", "rail")],
)  # fmt: skip
def test_chinese_declaration_and_courier_service_modes(text: str, mode: str) -> None:
    # "2" stays UN/ECE rail: China Customs' own digit codes (2 = 水路运输) are not read.
    assert parse_mode(text) == mode


@pytest.mark.parametrize(
    ("name", "code"),
    [("阿联酋", "AE"), ("沙特", "SA"), ("南非", "ZA"), ("中国香港", "HK"), ("澳门", "MO"), ("中国台湾", "TW")],
)  # fmt: skip
def test_short_chinese_country_names(name: str, code: str) -> None:
    assert parse_country(name) == code
