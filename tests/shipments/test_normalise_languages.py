"""Countries named in other languages (CLDR names via babel) or at the end of an address, mode
words in Spanish and Portuguese, modes implied by ocean bill-of-lading columns, contact cells,
a buyer's person name, and countries of ports written as "city, country"."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interdiction.shipments.mapping import resolve_headers
from interdiction.shipments.normalise import (
    address_country,
    normalise_chunk,
    parse_country,
    parse_mode,
)

TODAY = date(2025, 1, 1)


def _normalise(rows: list[dict[str, object]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    raw = pd.DataFrame(rows)
    resolution = resolve_headers(list(raw.columns))
    return normalise_chunk(raw, resolution, source_file="m.csv", first_row=1, today=TODAY)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ESPAÑA", "ES"), ("SUIZA", "CH"), ("ITALIA", "IT"), ("COREA DEL SUR", "KR"),
        ("Países Bajos", "NL"), ("Coreia do Sul", "KR"), ("Allemagne", "DE"), ("Südkorea", "KR"),
        ("韩国", "KR"), ("南韓", "KR"), ("Turquía", "TR"),
        # English names, codes and aliases keep their reading.
        ("China", "CN"), ("CA", "CA"), ("CAN", "CA"), ("Estados Unidos", "US"), ("UK", "GB"),
    ],
)  # fmt: skip
def test_country_names_in_other_languages(text: str, code: str) -> None:
    assert parse_country(text) == code


def test_unknown_country_is_still_unknown() -> None:
    assert parse_country("Narnia") is None and parse_country("  ") == ""


@pytest.mark.parametrize(
    ("address", "code"),
    [
        ("NO 18 CHANGJIANG RD, NEW DISTRICT, WUXI, JIANGSU, CHINA", "CN"),
        ("1500 N BROADWAY, WICHITA, KS 67214, USA", "US"),
        ("Rheinuferstrasse 7, 67061 Ludwigshafen, Germany", "DE"),
        ("Calle Mayor 3, 28013 Madrid, España", "ES"),
        ("ROOM 5, HUAYU RD, SHIJIAZHUANG, CHINA TEL +86 155 3113 3331", "CN"),
        ("8 NATHAN RD, KOWLOON, HONG KONG", "HK"),
        ("12 ZHONGSHAN RD, SHANGHAI, CHN", "CN"),
        # Never a two-letter state, a city, or a state named like a country.
        ("200 OCEAN BLVD, LONG BEACH, CA", ""),
        ("10 MAIN ST, INDIANAPOLIS, IN 46204", ""),
        ("400 RIVER ST, SAVANNAH, GEORGIA", ""),
        ("AV. TECNOLOGICO 100, MANZANILLO, COL.", ""),
        ("BLVD. TIMOTEO LOZANO 1702, LEON, GTO. CP 37480", ""),
        ("SHANGHAI", ""),
        ("", ""),
    ],
)
def test_country_at_the_end_of_an_address(address: str, code: str) -> None:
    assert address_country(address) == code


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=80))
def test_address_country_never_crashes(text: str) -> None:
    assert address_country(text) == "" or len(address_country(text)) == 2


def test_party_country_comes_from_the_address_when_no_country_is_given() -> None:
    records, errors = _normalise([
        {"description": "towels", "Shipper": "A", "Shipper Address": "SITE AREA, KARACHI, PAKISTAN",
         "Consignee": "B", "Consignee Address": "1801 AIRPORT WAY S, SEATTLE, WA 98134, USA",
         "Consignee Country": "", "Notify Party Address": "6120 LOGISTICS PKWY, EDEN PRAIRIE, MN"},
        {"description": "pumps", "Shipper": "C", "Shipper Address": "1 RD, WUXI, CHINA",
         "Consignee": "D", "Consignee Address": "5 ST, LEON, MEXICO", "Consignee Country": "US",
         "Notify Party Address": ""},
    ])  # fmt: skip
    assert records["shipper_country"].tolist() == ["PK", "CN"]
    # A declared country wins over the address; an empty cell falls back to it.
    assert records["consignee_country"].tolist() == ["US", "US"]
    assert records["notify_country"].tolist() == ["", ""]  # "MN" is Minnesota
    assert errors.empty


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ("MARITIMO", "sea"), ("MARÍTIMO", "sea"), ("Marítima", "sea"), ("CARRETERO", "road"),
        ("TERRESTRE", "road"), ("AUTOTRANSPORTE", "road"), ("FERROVIARIO", "rail"),
        ("AEREO", "air"), ("Aéreo", "air"), ("MENSAJERIA", "express"), ("Paquetería", "express"),
        ("POSTAL", "postal"), ("Correo aéreo", "postal"), ("Rodoviário", "road"),
        ("Ferroviário", "rail"), ("Correios", "postal"),
        # English, Chinese and codes keep their reading.
        ("Sea freight FCL", "sea"), ("Express (DHL)", "express"), ("EMS", "postal"),
        ("海运整柜", "sea"), ("4", "air"), ("repair", "unknown"),
    ],
)  # fmt: skip
def test_mode_words_in_spanish_and_portuguese(text: str, mode: str) -> None:
    assert parse_mode(text) == mode


def test_vessel_or_container_means_sea_when_no_mode_is_declared() -> None:
    records, _ = _normalise([
        {"description": "a", "Vessel Name": "EVER GIVEN", "Container Number": ""},
        {"description": "b", "Vessel Name": "", "Container Number": "TCNU1018043"},
        {"description": "c", "Vessel Name": "", "Container Number": ""},
    ])  # fmt: skip
    assert records["mode"].tolist() == ["sea", "sea", "unknown"]


def test_a_declared_mode_is_kept_next_to_a_vessel_column() -> None:
    records, _ = _normalise([
        {"description": "a", "Transport Method": "Air", "Vessel": "EVER GIVEN"},
        {"description": "b", "Transport Method": "", "Vessel": "EVER GIVEN"},
    ])  # fmt: skip
    assert records["mode"].tolist() == ["air", "unknown"]


def test_contact_cell_feeds_email_or_phone() -> None:
    records, _ = _normalise([
        {"Descripción": "a", "Remitente": "X", "Contacto remitente": "Export@Tc.example.tw"},
        {"Descripción": "b", "Remitente": "Y", "Contacto remitente": "+86 21 5555 0101"},
        {"Descripción": "c", "Remitente": "Z", "Contacto remitente": "Sr. Wang"},
    ])  # fmt: skip
    assert records["shipper_email"].tolist() == ["export@tc.example.tw", "", ""]
    assert records["shipper_phone"].tolist() == ["", "+86 21 5555 0101", ""]


def test_a_declared_email_beats_the_contact_cell() -> None:
    records, _ = _normalise([
        {"description": "a", "Shipper": "X", "Shipper Email": "a@x.example", "Shipper Contact": "b@y.example"},
    ])  # fmt: skip
    assert records["shipper_email"].tolist() == ["a@x.example"]


def test_buyer_person_name_names_the_consignee_where_the_company_is_blank() -> None:
    records, _ = _normalise([
        {"productTitle": "a", "buyerCompany": "Maple Lab Chemicals Inc", "buyerName": "Derek Wong"},
        {"productTitle": "b", "buyerCompany": "", "buyerName": "Tyler Brooks"},
    ])  # fmt: skip
    assert records["consignee_name"].tolist() == ["Maple Lab Chemicals Inc", "Tyler Brooks"]


def test_ports_written_as_city_and_country_name_route_countries() -> None:
    records, _ = _normalise([
        {"description": "a", "Foreign Port": "Busan, South Korea", "US Port": "Los Angeles, California"},
        {"description": "b", "Foreign Port": "Shanghai, China", "US Port": "Savannah, Georgia"},
        {"description": "c", "Foreign Port": "Long Beach, CA", "US Port": "CAN"},
        {"description": "d", "Foreign Port": "Shenzhen, China", "US Port": "MXZLO",
         "Place of Receipt": "Hong Kong, Hong Kong"},
    ])  # fmt: skip
    # A state after a comma gives nothing, nor does a lone "CAN" (Canada or Guangzhou airport).
    assert records["routing_countries"].tolist() == ["KR", "CN", "", "HK;CN;MX"]
