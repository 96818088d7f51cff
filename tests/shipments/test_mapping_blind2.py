"""Headers of the blind2 manifests (tests/shipments/data/blind2/README.md), resolved without a
mapping file."""

from __future__ import annotations

from interdiction.shipments.mapping import resolve_headers

EXPRESS = ["HAWB No.", "MAWB No.", "Flight", "Origin", "Dest", "Shipper Name", "Shipper Address",
           "Shipper Tel", "Consignee Name", "Consignee Address", "Consignee Tel", "Pcs",
           "Weight(KG)", "Declared Value (USD)", "Description", "HS", "Service", "Remarks"]  # fmt: skip
WAREHOUSE = ["shipment_id", "booking_date", "ship_date", "mode", "carrier_name", "shipper_name",
             "origin_port", "destination_port", "final_destination", "goods_description",
             "gross_weight", "declared_value", "incoterms", "payment_terms", "remarks"]  # fmt: skip
DECLARATION = ["报关单号", "申报日期", "出口日期", "境内发货人代码", "境内发货人", "境外收货人",
               "运输方式", "提运单号", "运抵国（地区）", "指运港", "离境口岸", "商品编号", "商品名称",
               "规格型号", "成交数量", "成交单位", "总价", "币制", "最终目的国（地区）", "毛重（千克）",
               "成交方式", "备注"]  # fmt: skip


def test_express_manifest_headers() -> None:
    columns = resolve_headers(EXPRESS).columns
    assert columns["document_id"] == "HAWB No."
    assert columns["carrier"] == "Flight"
    assert columns["origin_place"] == "Origin"
    assert columns["destination_place"] == "Dest"
    assert columns["quantity"] == "Pcs"
    assert columns["hs_code"] == "HS"
    assert columns["mode"] == "Service"
    assert columns["gross_weight_kg"] == "Weight(KG)"
    assert columns["declared_value"] == "Declared Value (USD)"
    assert columns["shipper_phone"] == "Shipper Tel"


def test_express_manifest_master_waybill_is_a_second_document_id() -> None:
    notes = resolve_headers(EXPRESS, file_label="m.xlsx").notes
    assert notes == (
        "m.xlsx: columns not read by any rule (kept in the output as given): "
        "MAWB No. (a second document_id).",
    )


def test_warehouse_export_headers() -> None:
    resolution = resolve_headers(WAREHOUSE, file_label="dw.csv")
    columns = resolution.columns
    assert columns["port_of_loading"] == "origin_port"
    assert columns["port_of_discharge"] == "destination_port"
    assert columns["final_destination"] == "final_destination"
    assert columns["date"] == "ship_date"
    assert not any("incoterms" in note for note in resolution.notes)


def test_booking_date_is_the_date_only_without_a_shipment_date() -> None:
    headers = [h for h in WAREHOUSE if h != "ship_date"]
    assert resolve_headers(headers).columns["date"] == "booking_date"


def test_chinese_export_declaration_headers() -> None:
    columns = resolve_headers(DECLARATION).columns
    # The declaration number names the record's document, before the bill of lading number.
    assert columns["document_id"] == "报关单号"
    assert columns["date"] == "出口日期"
    assert columns["shipper_id"] == "境内发货人代码"
    assert columns["port_of_loading"] == "离境口岸"
    assert columns["port_of_discharge"] == "指运港"
    assert columns["arrival_country"] == "运抵国（地区）"
    assert columns["final_destination_country"] == "最终目的国（地区）"
    assert columns["specification"] == "规格型号"
    assert columns["description"] == "商品名称"
