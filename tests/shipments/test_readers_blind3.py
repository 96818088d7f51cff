"""The blind3 manifests (hand-written synthetic files, tests/shipments/data/blind3/README.md) read
without a mapping file: a typed customs-broker Parquet table, JSON Lines consignments with an
array of goods items (one record per item), and a Shopify order export (order-level fields
carried down to the later line items of an order)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from interdiction.shipments.normalise import parse_date
from interdiction.shipments.readers import read_records

BLIND3 = Path(__file__).parent / "data" / "blind3"


def _read(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    parts = list(read_records(path))
    return (
        pd.concat([p[0] for p in parts], ignore_index=True),
        pd.concat([p[1] for p in parts], ignore_index=True),
    )


def test_typed_broker_parquet_reads_ace_names(tmp_path: Path) -> None:
    frame = pd.DataFrame({
        "entry_number": ["E1", "E2"],
        "entry_date": pd.to_datetime(["2025-06-02 04:00:00", "2025-06-03 00:00:00"]),
        "importer_of_record": ["Acme LLC", "Beta Inc"], "ior_country": ["US", "US"],
        "manufacturer_name": ["Hebei Co", None], "manufacturer_country": ["CN", "CN"],
        "country_of_export": ["IN", "CN"], "port_of_entry": ["Houston, TX", "Laredo, TX"],
        "hts_number": ["2933.39.6100", "3907.30.0000"],
        "merchandise_description": ["4-AP", "epoxy kits"], "quantity": [5, 10],
        "uom": ["kg", "KG"], "entered_value_usd": [1.0, 2500.5],
        "mode_of_transport": pd.Categorical(["AIR", "OCEAN"]), "carrier_scac": ["CMDU", None],
    })  # fmt: skip
    path = tmp_path / "broker.parquet"
    frame.to_parquet(path)
    records, _ = _read(path)
    first = records.iloc[0]
    assert first["date"] == "2025-06-02" and records["date"].iat[1] == "2025-06-03"
    assert (first["document_id"], first["consignee_name"], first["shipper_name"]) == (
        "E1",
        "Acme LLC",
        "Hebei Co",
    )
    assert (first["shipper_country"], first["origin_country"], first["hs_code"]) == (
        "CN",
        "IN",
        "2933396100",
    )
    assert (first["currency"], first["declared_value"], first["quantity_unit"]) == (
        "USD",
        1.0,
        "KG",
    )
    assert (first["port_of_discharge"], first["carrier"]) == ("Houston, TX", "CMDU")


def test_blind3_broker_file() -> None:
    records, _ = _read(BLIND3 / "broker_entries.parquet")
    assert len(records) == 112 and (records["date"] != "").all()
    assert (records["description"] != "").all() and (records["hs_code"] != "").all()


def test_json_line_with_goods_items_is_one_record_per_item(tmp_path: Path) -> None:
    lines = [
        {"consignmentId": "C1", "description": "consolidated cargo",
         "consignor": {"name": "A Co", "address": {"country": "CN"}},
         "remarks": [{"code": "X", "text": "fragile"}],
         "goodsItems": [
             {"description": "tea", "hsCode": "090210", "grossMassKg": 5, "value": {"amount": 10, "currency": "EUR"}},
             {"description": "4-AP", "hsCode": "293339", "grossMassKg": 1, "value": {"amount": 2, "currency": "USD"}}]},
        {"consignmentId": "C2", "consignor": {"name": "B Co"}, "goodsItems": []},
        {"consignmentId": "C3", "consignor": {"name": "C Co"}, "goodsItems": [{"description": "rice"}]},
    ]  # fmt: skip
    path = tmp_path / "f.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n{broken\n")
    records, errors = _read(path)
    assert records["source_row"].tolist() == [1, 1, 2, 3]
    assert records["description"].tolist() == ["tea", "4-AP", "", "rice"]
    assert records["shipper_name"].tolist() == ["A Co", "A Co", "B Co", "C Co"]
    assert records["hs_code"].tolist()[:2] == ["090210", "293339"]
    assert records["currency"].tolist()[:2] == ["EUR", "USD"]
    assert records["gross_weight_kg"].tolist()[:2] == [5.0, 1.0]
    assert records["record_id"].is_unique
    assert records["record_id"].tolist() == [
        "f.jsonl#1.1",
        "f.jsonl#1.2",
        "f.jsonl#2",
        "f.jsonl#3.1",
    ]
    assert records["consignment.description"].tolist()[0] == "consolidated cargo"
    assert records["notes"].iat[0] == '{"code": "X", "text": "fragile"}'  # not split
    assert "goodsItems" not in records.columns
    notes = errors.loc[errors["field"] == "(file)", "reason"]
    assert notes.str.contains("2 line\\(s\\) with an array of goods items gave 3 records").any()
    assert (errors["severity"] == "error").sum() == 1  # the broken line 5


def test_blind3_forwarder_items_and_counts(tmp_path: Path) -> None:
    from interdiction.shipments.pipeline import run_screen

    records, _ = _read(BLIND3 / "forwarder_consignments.jsonl")
    assert len(records) == 189 and records["source_row"].nunique() == 100
    assert records["record_id"].is_unique and (records["description"] != "").all()
    line8 = records[records["source_row"] == 8]
    assert len(line8) == 3 and (line8["shipper_name"] != "").all()
    summary = run_screen([BLIND3 / "forwarder_consignments.jsonl"], tmp_path / "out")
    assert summary.inputs == 189 == summary.results + summary.rejected


@pytest.mark.parametrize(
    "text",
    ["2025-03-04 10:15:00 -0500", "2025-03-04T10:15:00Z", "2025-03-04T10:15:00+05:30",
     "2025-03-04 10:15 UTC", "2025-03-04T10:15:00.5-05:00"],
)  # fmt: skip
def test_dates_with_a_time_zone(text: str) -> None:
    assert parse_date(text) == "2025-03-04"


SHOPIFY_HEADERS = [
    "Name", "Email", "Currency", "Shipping", "Total", "Shipping Method", "Created at",
    "Lineitem quantity", "Lineitem name", "Lineitem price", "Billing Name", "Billing Company",
    "Shipping Name", "Shipping Address1", "Shipping Address2", "Shipping Company",
    "Shipping City", "Shipping Zip", "Shipping Province", "Shipping Country", "Payment Method",
    "Vendor",
]  # fmt: skip


def test_shopify_order_lines_take_the_order_fields(tmp_path: Path) -> None:
    rows = [
        ["#1", "a@x.mx", "USD", "9.00", "149.00", "DHL", "2025-03-04 10:15:00 -0500", "1",
         "stirrer", "29.00", "Ana", "Sumilab SA", "", "Calle 1", "Col. Centro", "", "Culiacán",
         "'80000", "SIN", "MX", "USDT", "V1"],
        ["#1", "", "", "", "", "", "", "2", "powder", "60.00", "", "", "", "", "", "", "", "", "",
         "", "", "V2"],
        ["#2", "b@x.us", "USD", "0", "5.00", "USPS", "2025-03-05T01:00:00Z", "1", "soap", "",
         "", "", "Bo Lee", "1 Main St", "", "", "Austin", "'78701", "TX", "US", "card", "V1"],
    ]  # fmt: skip
    path = tmp_path / "orders.csv"
    pd.DataFrame(rows, columns=SHOPIFY_HEADERS).to_csv(path, index=False)
    records, errors = _read(path)
    assert records["document_id"].tolist() == ["#1", "#1", "#2"]
    assert records["date"].tolist() == ["2025-03-04", "2025-03-04", "2025-03-05"]
    assert records["consignee_name"].tolist() == ["Sumilab SA", "Sumilab SA", "Bo Lee"]
    assert records["consignee_country"].tolist() == ["MX", "MX", "US"]
    assert records["consignee_email"].tolist()[1] == "a@x.mx"
    assert records["payment_method"].tolist()[1] == "USDT"
    assert records["consignee_address"].iat[1] == "Calle 1, Col. Centro, Culiacán, SIN, 80000"
    assert records["declared_value"].tolist() == [29.0, 120.0, 5.0]  # price x qty, else Total
    assert records["mode"].tolist()[:2] == ["express", "express"]
    assert records["shipper_name"].tolist() == ["V1", "V2", "V1"]
    reasons = errors["reason"]
    assert not reasons.str.contains("a second mode").any()
    assert reasons.str.contains("1 later line\\(s\\) of 1 multi-line order").any()


def test_blind3_shopify_export() -> None:
    records, errors = _read(BLIND3 / "shopify_orders_export.csv")
    assert len(records) == 131 and (records["date"] != "").all()
    assert (records["consignee_country"] != "").all() and (records["consignee_name"] != "").all()
    line35 = records[records["source_row"] == 35].iloc[0]
    assert line35["document_id"] == "#1025" and line35["consignee_country"] == "MX"
    assert not errors["reason"].str.contains("cannot read date").any()
