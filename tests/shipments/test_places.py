"""Port and airport codes in route columns read as countries (shipments/places.py)."""

from __future__ import annotations

import os

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interdiction.shipments import places
from interdiction.shipments.mapping import resolve_headers
from interdiction.shipments.normalise import normalise_chunk, parse_country


def _budget(default: int) -> int:
    return int(os.environ.get("INTERDICTION_FUZZ_EXAMPLES", default))


def country(text: str, single: bool = True) -> str:
    return places.port_country(text, country_of=parse_country, single=single)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("KRPUS", "KR"),  # UN/LOCODE Busan
        ("CN SHA", "CN"),  # written with a space
        ("MXZLO", "MX"),
        ("Shanghai (CNSHA)", "CN"),  # a code closing a name
        ("ICN", "KR"),  # IATA Incheon
        ("PVG", "CN"),
        ("Pudong (PVG)", "CN"),
        ("LAX", "US"),
    ],
)
def test_codes_give_their_country(cell: str, expected: str) -> None:
    assert country(cell) == expected


@pytest.mark.parametrize(
    "cell",
    [
        "CAN",  # alone it may be Canada, not Guangzhou Baiyun
        "CHINA",  # a country name, not a LOCODE of Switzerland
        "GENOVA",  # a city word that reads as a Georgian LOCODE
        "Shanghai",  # a name gives no country here
        "Long Beach, CA",  # CA is California
        "UNK",  # placeholder, also an Alaskan airport
        "TBA",
        "ZZZZZ",
        "",
        "   ",
        "QQ123",  # QQ is no ISO country
    ],
)
def test_names_placeholders_and_ambiguous_cells_give_nothing(cell: str) -> None:
    assert country(cell) == ""


def test_a_chain_reads_every_leg_as_an_airport() -> None:
    # In a chain "CAN" is Guangzhou; a country repeated by consecutive legs is given once.
    assert country("CAN", single=False) == "CN"
    assert places.ports_countries("CAN;PEK;ICN", country_of=parse_country) == "CN;KR"
    assert places.ports_countries("Busan;KRPUS;UNK", country_of=parse_country) == "KR"


@pytest.mark.parametrize(
    ("declared", "loading", "transit", "discharge", "expected"),
    [
        ("", "CN", "KR", "MX", "CN;KR;MX"),
        ("CN;MX", "CN", "KR", "MX", "CN;KR;MX"),  # transit goes after the loading country
        ("CN;MX", "", "KR", "", "CN;KR;MX"),  # else after the first declared country
        ("CN;SG;MX", "CN", "SG", "MX", "CN;SG;MX"),  # nothing repeated
        ("DE;US", "", "", "", "DE;US"),
        ("", "", "KR", "", "KR"),
    ],
)
def test_merge_routes(
    declared: str, loading: str, transit: str, discharge: str, expected: str
) -> None:
    assert places.merge_routes(declared, loading, transit, discharge) == expected


@settings(max_examples=_budget(300), deadline=None)
@given(st.text(max_size=40))
def test_port_country_never_raises_and_gives_an_iso_code_or_nothing(text: str) -> None:
    found = country(text)
    assert found == "" or (len(found) == 2 and parse_country(found) == found)
    chain = places.ports_countries(text, country_of=parse_country)
    assert all(parse_country(c) == c for c in chain.split(";") if c)


@settings(max_examples=_budget(200), deadline=None)
@given(
    st.lists(st.sampled_from(["CN", "MX", "KR", "SG", "US", "GT", "HK"]), max_size=4, unique=True),
    st.sampled_from(["", "CN", "US"]),
    st.lists(st.sampled_from(["KR", "SG", "HK", "PA"]), max_size=2, unique=True),
    st.sampled_from(["", "MX", "US"]),
)
def test_merge_routes_keeps_declared_order_and_adds_each_country_once(
    declared: list[str], loading: str, transit: list[str], discharge: str
) -> None:
    merged = places.merge_routes(";".join(declared), loading, ";".join(transit), discharge)
    route = [c for c in merged.split(";") if c]
    assert len(route) == len(set(route))
    assert [c for c in route if c in declared] == declared  # declared order kept
    assert set(route) == {*declared, *transit, *(c for c in (loading, discharge) if c)}


def test_normalised_records_carry_the_port_countries() -> None:
    raw = pd.DataFrame(
        [
            {"Description": "pyridine derivative", "Port of Loading": "CNXIY",
             "Transshipment Port": "KRPUS", "Port of Discharge": "MXZLO"},
            {"Description": "pumps", "Port of Loading": "Hamburg", "Transshipment Port": "",
             "Port of Discharge": "Houston"},
        ]
    )  # fmt: skip
    records, _ = normalise_chunk(
        raw, resolve_headers(list(raw.columns)), source_file="m.csv", first_row=1
    )
    assert records["routing_countries"].tolist() == ["CN;KR;MX", ""]
    # The declared ports themselves are kept as written.
    assert records.loc[0, "port_of_loading"] == "CNXIY"


def test_route_rules_read_the_countries_of_port_codes(records, screen, context) -> None:  # type: ignore[no-untyped-def]
    # No origin, shipper or consignee country declared: the ports alone say China -> Korea -> Mexico,
    # and the lane and transshipment rules fire as they would on declared countries.
    row = {
        "shipper_name": "Wuhan Hengda Fine Materials Co., Ltd.", "shipper_country": "",
        "origin_country": "", "consignee_name": "Insumos del Bajio S.A. de C.V.",
        "consignee_country": "", "final_destination_country": "", "routing_countries": "CN;KR;MX",
        "port_of_loading": "CNXIY", "transshipment_ports": "KRPUS", "port_of_discharge": "MXZLO",
        "description": "pyridine derivative", "hs_code": "293339",
    }  # fmt: skip
    _, flags = screen(records(row), context)
    fired = set(flags["rule_id"])
    assert {"RF-C1", "RF-C3"} <= fired
    _, plain = screen(records({**row, "routing_countries": ""}), context)
    assert "RF-C1" not in set(plain["rule_id"])
