"""The canonical record contract: columns, kinds, dtypes and the errors table."""

from __future__ import annotations

from interdiction.shipments.records import (
    COLUMNS,
    COUNTRY_COLUMNS,
    ERROR_COLUMNS,
    FLOAT_COLUMNS,
    LIST_COLUMNS,
    RECORD_COLUMNS,
    REQUIRED_COLUMNS,
    STRING_COLUMNS,
    RecordError,
    empty_errors,
    empty_records,
    errors_frame,
)


def test_columns_are_unique_documented_and_start_with_identity() -> None:
    assert len(set(RECORD_COLUMNS)) == len(RECORD_COLUMNS)
    assert RECORD_COLUMNS[:3] == ("record_id", "source_file", "source_row")
    assert all(column.doc for column in COLUMNS)


def test_brief_columns_are_all_present() -> None:
    wanted = {
        "document_id", "date", "mode", "carrier", "shipper_name", "shipper_email", "shipper_id",
        "consignee_phone", "notify_name", "forwarder_country", "origin_country", "port_of_loading",
        "transshipment_ports", "port_of_discharge", "final_destination_country", "routing_countries",
        "description", "hs_code", "quantity", "quantity_unit", "gross_weight_kg", "declared_value",
        "currency", "payment_method", "permit_ref", "marks", "notes",
    }  # fmt: skip
    assert wanted <= set(RECORD_COLUMNS)


def test_column_groups_partition_the_record() -> None:
    assert set(FLOAT_COLUMNS) == {"quantity", "gross_weight_kg", "declared_value"}
    assert set(STRING_COLUMNS) | set(FLOAT_COLUMNS) | {"source_row"} == set(RECORD_COLUMNS)
    assert "final_destination_country" in COUNTRY_COLUMNS
    assert set(LIST_COLUMNS) == {"transshipment_ports", "routing_countries"}
    assert REQUIRED_COLUMNS == ("description",)


def test_empty_records_has_the_record_dtypes() -> None:
    frame = empty_records(("their_column",))
    assert list(frame.columns) == [*RECORD_COLUMNS, "their_column"]
    assert frame["source_row"].dtype == "int64"
    assert frame["gross_weight_kg"].dtype == "float64"
    assert frame["description"].dtype == object


def test_errors_frame_keeps_order_and_columns() -> None:
    errors = [
        RecordError("a#2", "a.csv", 2, "date", "warning", "cannot read date"),
        RecordError("a#1", "a.csv", 1, "record_id", "error", "duplicate"),
    ]
    frame = errors_frame(errors)
    assert tuple(frame.columns) == ERROR_COLUMNS
    assert frame["source_row"].tolist() == [2, 1]
    assert frame["severity"].tolist() == ["warning", "error"]
    assert tuple(empty_errors().columns) == ERROR_COLUMNS
    assert errors_frame([]).empty
