"""Header recognition: user mapping files, canonical names, vendor headers, clear failures."""

from __future__ import annotations

from pathlib import Path

import pytest

from interdiction.errors import ConfigError, InputFileError
from interdiction.shipments.mapping import (
    fold_header,
    load_mapping,
    resolve_headers,
    vendor_mapping,
)

PANJIVA = [
    "Bill of Lading Number", "Arrival Date", "Consignee", "Consignee (Original Format)", "Shipper",
    "Notify Party", "Carrier", "Port of Discharge (D)", "Port of Loading (F)", "Country of Origin (F)",
    "Vessel", "Kilos", "Value", "HS Code", "Goods Shipped",
]  # fmt: skip


def test_fold_header_ignores_case_and_punctuation() -> None:
    assert (
        fold_header("Port of Loading (F)") == fold_header("port_of_loading_f") == "portofloadingf"
    )


def test_panjiva_export_headers_are_recognised() -> None:
    resolution = resolve_headers(PANJIVA, file_label="panjiva.csv")
    assert resolution.columns["description"] == "Goods Shipped"
    assert resolution.columns["consignee_name"] == "Consignee"
    assert resolution.columns["shipper_name"] == "Shipper"
    assert resolution.columns["date"] == "Arrival Date"
    assert resolution.columns["gross_weight_kg"] == "Kilos"
    assert resolution.columns["origin_country"] == "Country of Origin (F)"
    assert resolution.columns["document_id"] == "Bill of Lading Number"
    # The second consignee column and unknown ones pass through unchanged.
    assert resolution.extras == {
        "Consignee (Original Format)": "Consignee (Original Format)",
        "Vessel": "Vessel",
    }


def test_ams_headers_with_weight_unit() -> None:
    headers = [
        "identifier",
        "description_text",
        "weight",
        "weight_unit",
        "foreign_port_of_lading",
        "port_of_unlading",
    ]
    resolution = resolve_headers(headers)
    assert resolution.columns["gross_weight_unit"] == "weight_unit"
    assert resolution.columns["port_of_loading"] == "foreign_port_of_lading"
    assert resolution.columns["port_of_discharge"] == "port_of_unlading"


def test_canonical_names_in_any_case_are_recognised() -> None:
    resolution = resolve_headers(["Record ID", "Shipper Name", "DESCRIPTION", "hs code"])
    assert resolution.columns == {
        "record_id": "Record ID", "shipper_name": "Shipper Name", "description": "DESCRIPTION", "hs_code": "hs code",
    }  # fmt: skip


def test_user_mapping_wins_over_vendor_headers(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    path.write_text(
        'description: "Item text"\nconsignee_name: ["Ship-to", "Buyer"]\nshipper_name: Nowhere\n'
    )
    mapping = load_mapping(path)
    resolution = resolve_headers(
        ["Item text", "Buyer", "Consignee", "Goods Shipped"], mapping=mapping
    )
    assert resolution.columns["description"] == "Item text"
    assert resolution.columns["consignee_name"] == "Buyer"
    assert "Goods Shipped" in resolution.extras and "Consignee" in resolution.extras
    assert any("Nowhere" in note for note in resolution.notes)


def test_mapping_nested_under_columns_key(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    path.write_text('columns:\n  description: "Item"\n')
    assert load_mapping(path).columns == {"description": ("Item",)}


@pytest.mark.parametrize(
    ("text", "message"),
    [("descripton: Item\n", "unknown column 'descripton'"), ("- a\n- b\n", "must be a YAML mapping"),
     ("description: [\n", "not readable YAML"), ("description: []\n", "must name a header"),
     ("source_row: Row\n", "unknown column")],
)  # fmt: skip
def test_bad_mapping_files_say_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "map.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_mapping(path)


def test_missing_mapping_file() -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_mapping(Path("/nonexistent/map.yaml"))


def test_missing_description_lists_found_and_expected() -> None:
    with pytest.raises(InputFileError) as caught:
        resolve_headers(["Shipper", "Weight", "Colour"], file_label="orders.csv")
    message = str(caught.value)
    assert "orders.csv" in message and "description" in message
    assert "'Colour'" in message and "'Goods Shipped'" in message and "--mapping" in message


def test_extras_that_collide_with_output_columns_are_renamed() -> None:
    resolution = resolve_headers(["description", "risk_score", "flags", "input_flags"])
    assert resolution.extras == {
        "risk_score": "input_risk_score", "flags": "input_flags", "input_flags": "input_input_flags",
    }  # fmt: skip


def test_vendor_file_loads_and_every_alias_has_a_source() -> None:
    mapping = vendor_mapping()
    assert "description" in mapping.columns and "Goods Shipped" in mapping.columns["description"]
    assert sum(len(v) for v in mapping.columns.values()) > 150


def test_order_book_headers_are_recognised() -> None:
    # A chemical marketplace export: buyer/seller columns, a CAS column, its own words.
    headers = [
        "Order No.", "Order Date", "Buyer", "Buyer Country", "Buyer Email", "Buyer Tel", "Ship To",
        "Seller", "Seller Country", "Seller Email", "Product", "CAS", "Qty", "Unit", "Amount",
        "Payment", "Shipping", "Buyer Message",
    ]  # fmt: skip
    columns = resolve_headers(headers).columns
    assert columns == {
        "document_id": "Order No.", "date": "Order Date", "consignee_name": "Buyer",
        "consignee_country": "Buyer Country", "consignee_email": "Buyer Email",
        "consignee_phone": "Buyer Tel", "consignee_address": "Ship To", "shipper_name": "Seller",
        "shipper_country": "Seller Country", "shipper_email": "Seller Email",
        "description": "Product", "cas_number": "CAS", "quantity": "Qty", "quantity_unit": "Unit",
        "declared_value": "Amount", "payment_method": "Payment", "mode": "Shipping",
        "notes": "Buyer Message",
    }  # fmt: skip


def test_helper_columns_also_pass_through() -> None:
    # The CAS column feeds the marks and still shows in the outputs under its own header.
    resolution = resolve_headers(["Product", "CAS No.", "weight", "weight_unit"])
    assert resolution.columns["cas_number"] == "CAS No."
    assert resolution.columns["gross_weight_unit"] == "weight_unit"
    assert resolution.extras == {"CAS No.": "CAS No.", "weight_unit": "weight_unit"}


def test_flattened_json_headers_meet_aliases_of_their_last_parts() -> None:
    headers = [
        "declarationId", "consignor.name", "consignor.address.country", "consignor.email",
        "consignee.name", "consignee.email", "placeOfLoading.unlocode",
        "goodsItem.descriptionOfGoods", "goodsItem.grossMass",
        "goodsItem.commodityCode.harmonizedSystemSubHeadingCode",
        "goodsItem.statisticalValue.amount", "goodsItem.statisticalValue.currency",
        "freight.amount",
    ]  # fmt: skip
    columns = resolve_headers(headers).columns
    assert columns["document_id"] == "declarationId"
    assert columns["shipper_name"] == "consignor.name"
    assert columns["shipper_country"] == "consignor.address.country"
    assert columns["shipper_email"] == "consignor.email"
    assert columns["consignee_name"] == "consignee.name"
    assert columns["consignee_email"] == "consignee.email"
    assert columns["port_of_loading"] == "placeOfLoading.unlocode"
    assert columns["description"] == "goodsItem.descriptionOfGoods"
    assert columns["gross_weight_kg"] == "goodsItem.grossMass"
    assert columns["hs_code"] == "goodsItem.commodityCode.harmonizedSystemSubHeadingCode"
    assert columns["declared_value"] == "goodsItem.statisticalValue.amount"
    assert columns["currency"] == "goodsItem.statisticalValue.currency"


def test_party_part_of_a_path_is_never_dropped() -> None:
    # "Email" is a consignee alias (Shopify); the consignor's e-mail must not feed it.
    columns = resolve_headers(["Product", "consignor.email", "shipper.contact.phone"]).columns
    assert columns.get("shipper_email") == "consignor.email"
    assert "consignee_email" not in columns
    assert "consignee_phone" not in columns


def test_exact_header_wins_over_a_path_form() -> None:
    headers = ["Product", "placeOfLoading.unlocode", "Place of Loading"]
    assert resolve_headers(headers).columns["port_of_loading"] == "Place of Loading"
