"""Header recognition beyond English vendor headers: camelCase and snake_case words, accents,
Spanish, Portuguese and Chinese headers, composed party headers, modes implied by ocean
bill-of-lading columns, and the note naming the columns no rule reads. The three blind files
(tests/shipments/data/blind/, synthetic) must read without a mapping file."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from interdiction.errors import ReferenceDataError
from interdiction.shipments.mapping import fold_header, header_key, resolve_headers
from interdiction.shipments.readers import read_records

BLIND = Path(__file__).parent / "data" / "blind"

PEDIMENTO = [
    "Referencia", "Fecha", "Pedimento", "Clave", "Aduana", "Medio de transporte",
    "Puerto de embarque", "Remitente", "Domicilio remitente", "Contacto remitente", "Destinatario",
    "RFC destinatario", "Domicilio destinatario", "Descripción de la mercancía",
    "Fracción arancelaria", "Cantidad", "Unidad", "Peso bruto", "Valor factura USD", "Incoterm",
    "País de origen", "País de procedencia", "Observaciones",
]  # fmt: skip
B2B = [
    "orderId", "orderDate", "orderStatus", "buyerCompany", "buyerName", "buyerEmail",
    "buyerPhone", "buyerCountry", "buyerCity", "buyerAddress", "sellerCompany", "sellerCountry",
    "sellerEmail", "productTitle", "casNumber", "quantity", "unit", "unitPriceUsd",
    "totalPriceUsd", "incoterm", "paymentMethod", "shippingMethod", "shipFromCountry",
    "shipToCountry", "buyerNote",
]  # fmt: skip
IMPORTGENIUS = [
    "Arrival Date", "Bill of Lading", "Master Bill of Lading", "Carrier", "Vessel Name",
    "Shipper", "Shipper Address", "Consignee", "Consignee Address", "Notify Party",
    "Notify Party Address", "Product Description", "Marks and Numbers", "Quantity",
    "Quantity Unit", "Weight", "Weight Unit", "Measure", "Measure Unit", "Foreign Port",
    "US Port", "Place of Receipt", "Country of Origin", "HS Code", "Container Number",
]  # fmt: skip


def test_header_key_splits_camel_and_snake_case_and_folds_accents() -> None:
    assert header_key("buyerCompany") == header_key("BUYER_COMPANY") == header_key("Buyer Company")
    assert header_key("CASNumber") == header_key("CAS Number") == "casnumber"
    assert (
        header_key("Descripción de la mercancía")
        == header_key("DESCRIPCION_MERCANCIA")
        == header_key("descripcionMercancia")
        == "descripcionmercancia"
    )
    assert header_key("收货人地址") == "收货人地址"
    # The plain fold is unchanged: case and punctuation only.
    assert fold_header("Port of Loading (F)") == "portofloadingf"


def test_spanish_pedimento_headers_are_recognised() -> None:
    columns = resolve_headers(PEDIMENTO, file_label="p.tsv").columns
    assert columns["description"] == "Descripción de la mercancía"
    assert columns["hs_code"] == "Fracción arancelaria"
    assert columns["shipper_name"] == "Remitente"
    assert columns["shipper_address"] == "Domicilio remitente"
    assert columns["shipper_contact"] == "Contacto remitente"
    assert columns["consignee_name"] == "Destinatario"
    assert columns["consignee_id"] == "RFC destinatario"
    assert columns["consignee_address"] == "Domicilio destinatario"
    assert columns["gross_weight_kg"] == "Peso bruto"
    assert columns["declared_value"] == "Valor factura USD"  # a currency word at the end
    assert columns["origin_country"] == "País de origen"
    assert columns["routing_countries"] == "País de procedencia"
    assert columns["port_of_loading"] == "Puerto de embarque"
    assert columns["port_of_discharge"] == "Aduana"
    assert columns["mode"] == "Medio de transporte"
    assert columns["date"] == "Fecha"
    assert columns["document_id"] == "Referencia"
    assert columns["notes"] == "Observaciones"


def test_spanish_headers_meet_without_accents_or_in_snake_case() -> None:
    columns = resolve_headers(
        ["DESCRIPCION_MERCANCIA", "PAIS_ORIGEN", "nombreDelRemitente", "paisDestinatario"]
    ).columns
    assert columns["description"] == "DESCRIPCION_MERCANCIA"
    assert columns["origin_country"] == "PAIS_ORIGEN"
    assert columns["shipper_name"] == "nombreDelRemitente"
    assert columns["consignee_country"] == "paisDestinatario"


def test_camel_case_order_export_keys_are_recognised() -> None:
    columns = resolve_headers(B2B, file_label="o.jsonl").columns
    assert columns["description"] == "productTitle"
    assert columns["cas_number"] == "casNumber"  # read with the marks, like "CAS No."
    assert columns["consignee_name"] == "buyerCompany"  # the company beats the person's name
    assert columns["consignee_person_name"] == "buyerName"
    assert columns["shipper_name"] == "sellerCompany"
    assert columns["shipper_country"] == "sellerCountry"
    assert columns["consignee_country"] == "buyerCountry"
    assert columns["declared_value"] == "totalPriceUsd"
    assert columns["origin_country"] == "shipFromCountry"
    assert columns["final_destination_country"] == "shipToCountry"
    assert columns["notes"] == "buyerNote"
    assert columns["mode"] == "shippingMethod"
    assert "unitPriceUsd" not in columns.values()


def test_chinese_and_portuguese_declaration_headers_are_recognised() -> None:
    chinese = resolve_headers(
        ["境外发货人", "境内收货人", "收货人地址", "商品名称及规格型号", "商品编号", "原产国(地区)",
         "运输方式", "备注"]
    ).columns  # fmt: skip
    assert chinese["shipper_name"] == "境外发货人"
    assert chinese["consignee_name"] == "境内收货人"
    assert chinese["consignee_address"] == "收货人地址"
    assert chinese["description"] == "商品名称及规格型号"
    assert chinese["hs_code"] == "商品编号"
    assert chinese["origin_country"] == "原产国(地区)"
    assert chinese["mode"] == "运输方式"
    assert chinese["notes"] == "备注"
    portuguese = resolve_headers(
        ["Exportador", "Endereço do exportador", "Descrição da mercadoria", "NCM", "País de origem"]
    ).columns
    assert portuguese["shipper_name"] == "Exportador"
    assert portuguese["shipper_address"] == "Endereço do exportador"
    assert portuguese["description"] == "Descrição da mercadoria"
    assert portuguese["hs_code"] == "NCM"
    assert portuguese["origin_country"] == "País de origem"


def test_an_english_vendor_header_beats_a_header_word_match() -> None:
    columns = resolve_headers(["Descripción", "Goods Shipped"]).columns
    assert columns["description"] == "Goods Shipped"


def test_importgenius_ports_and_place_of_receipt_are_read() -> None:
    resolution = resolve_headers(IMPORTGENIUS, file_label="bol.csv")
    assert resolution.columns["port_of_loading"] == "Foreign Port"
    assert resolution.columns["port_of_discharge"] == "US Port"
    assert resolution.columns["place_of_receipt"] == "Place of Receipt"
    assert resolution.columns["document_id"] == "Bill of Lading"  # the house bill, not the master


def test_vessel_container_and_bill_of_lading_imply_sea_once() -> None:
    resolution = resolve_headers(IMPORTGENIUS, file_label="bol.csv")
    assert resolution.implied_modes == {
        "Bill of Lading": "sea",
        "Master Bill of Lading": "sea",
        "Vessel Name": "sea",
        "Container Number": "sea",
    }
    mode_notes = [note for note in resolution.notes if "mode" in note]
    assert len(mode_notes) == 1 and "read as mode sea" in mode_notes[0]


def test_a_declared_mode_column_implies_nothing() -> None:
    resolution = resolve_headers(["Goods Shipped", "Vessel", "Transport Method"])
    assert resolution.implied_modes == {}
    assert not any("mode" in note for note in resolution.notes)


def test_one_note_names_the_columns_no_rule_reads() -> None:
    resolution = resolve_headers(IMPORTGENIUS, file_label="bol.csv")
    unread = [note for note in resolution.notes if "not read by any rule" in note]
    assert unread == [
        "bol.csv: columns not read by any rule (kept in the output as given): Measure, "
        "Measure Unit."
    ]
    # Unread columns are still passed through to the outputs.
    assert {"Measure", "Measure Unit", "Vessel Name"} <= set(resolution.extras)


def test_unread_note_marks_a_second_column_for_a_field_already_fed() -> None:
    # Incoterm is known to carry nothing the rules read (header_words.yaml not_screened).
    notes = resolve_headers(PEDIMENTO, file_label="p.tsv").notes
    assert notes == (
        "p.tsv: columns not read by any rule (kept in the output as given): "
        "Pedimento (a second document_id), Clave.",
    )


def test_no_unread_note_when_every_column_is_read() -> None:
    assert resolve_headers(["description", "Shipper", "Consignee Country"]).notes == ()


def test_unread_note_is_short_for_wide_files() -> None:
    headers = ["description", *(f"Extra {i}" for i in range(30))]
    (note,) = resolve_headers(headers, file_label="wide.csv").notes
    assert note.endswith("Extra 11 and 18 more.") and "Extra 12" not in note


def _lines(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as handle:
        if path.suffix == ".jsonl":
            return sum(1 for line in handle if line.strip())
        return sum(1 for _ in csv.reader(handle, delimiter="\t" if path.suffix == ".tsv" else ","))


@pytest.mark.parametrize(
    "name",
    ["ocean_bol_importgenius.csv", "pedimento_forwarder_mx.tsv", "b2b_orders_camel.jsonl"],
)
def test_blind_files_read_without_a_mapping_file(name: str) -> None:
    path = BLIND / name
    parts = list(read_records(path))
    records = pd.concat([p[0] for p in parts], ignore_index=True)
    errors = pd.concat([p[1] for p in parts], ignore_index=True)
    rows = _lines(path) - (0 if path.suffix == ".jsonl" else 1)
    assert records["source_row"].tolist() == list(range(1, rows + 1))
    for column in ("description", "shipper_name", "consignee_name", "shipper_country"):
        assert (records[column] != "").all(), column
    assert (records["mode"] != "unknown").all()
    assert (records["origin_country"] != "").all()
    # Countries in Spanish, at the end of addresses or as ISO codes: none is refused.
    assert (errors["source_row"] == 0).all(), errors["reason"].tolist()
    assert len(errors) <= 2


def test_blind_ocean_file_reads_ports_party_countries_and_sea() -> None:
    records = pd.concat([p[0] for p in read_records(BLIND / "ocean_bol_importgenius.csv")])
    first = records.iloc[0]
    assert first["port_of_loading"] == "Karachi, Pakistan"
    assert first["port_of_discharge"] == "Newark, New Jersey"
    assert (first["shipper_country"], first["consignee_country"], first["notify_country"]) == (
        "PK",
        "US",
        "US",
    )
    assert first["routing_countries"] == "PK" and first["mode"] == "sea"


def test_blind_order_file_reads_cas_numbers_and_person_buyers() -> None:
    records = pd.concat([p[0] for p in read_records(BLIND / "b2b_orders_camel.jsonl")])
    rows = [json.loads(line) for line in (BLIND / "b2b_orders_camel.jsonl").open()]
    no_company = [i for i, row in enumerate(rows) if not row["buyerCompany"]]
    assert no_company and all(
        records["consignee_name"].iloc[i] == rows[i]["buyerName"] for i in no_company
    )
    with_cas = [i for i, row in enumerate(rows) if row["casNumber"]]
    assert all(f"CAS {rows[i]['casNumber']}" in records["marks"].iloc[i] for i in with_cas)


def test_header_words_without_a_source_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from interdiction.shipments import mapping

    data = {
        "version": "test",
        "stop_words": [{"words": ["of"], "source": "English"}],
        "parties": {"roles": {}, "attributes": []},
        "columns": {"description": [{"headers": ["Item text"], "lang": "en"}]},
    }
    monkeypatch.setattr(mapping, "_header_words_file", lambda: data)
    mapping._vocabulary.cache_clear()
    try:
        with pytest.raises(ReferenceDataError, match="columns.description.*source"):
            mapping._vocabulary()
    finally:
        mapping._vocabulary.cache_clear()
