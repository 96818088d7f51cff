"""The blind2 manifests (hand-written synthetic files, tests/shipments/data/blind2/README.md) read
without a mapping file: every record read under the row numbers of the truth files, and the
fields their style hides (title rows, units in cells, Chinese headers and values) filled."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from interdiction.shipments.readers import read_records

BLIND2 = Path(__file__).parent / "data" / "blind2"


def _read(name: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    path = BLIND2 / name
    parts = list(read_records(path))
    records = pd.concat([p[0] for p in parts], ignore_index=True)
    errors = pd.concat([p[1] for p in parts], ignore_index=True)
    truth = pd.read_csv(BLIND2 / f"{path.stem}_truth.csv", dtype={"row": int, "id": str})
    return records, errors, truth


@pytest.mark.parametrize(
    "name", ["fwd_express_manifest.xlsx", "dw_shipments_export.csv", "cn_export_declarations.csv"]
)
def test_every_truth_row_is_a_record(name: str) -> None:
    records, _, truth = _read(name)
    assert records["source_row"].tolist() == truth["row"].tolist()


def test_express_manifest_fields() -> None:
    records, errors, truth = _read("fwd_express_manifest.xlsx")
    assert records["document_id"].tolist() == truth["id"].tolist()
    assert set(records["port_of_loading"]) == {"HKG", "SZX", "CAN"}
    assert (records["port_of_discharge"] != "").all()
    assert (records["currency"] == "USD").all()
    assert (records["mode"] == "express").sum() >= 90  # EXP, ECO, DOX; DDP is no mode
    cashew = records.loc[records["description"].str.contains("CASHEW"), "hs_code"]
    assert cashew.tolist() == ["080132"]
    rejected = errors[errors["severity"] == "error"]
    assert rejected["source_row"].tolist() == [125]  # the TOTAL row under record 124
    assert "totals row" in rejected["reason"].iat[0]


def test_warehouse_export_fields() -> None:
    records, _, _ = _read("dw_shipments_export.csv")
    by_id = records.set_index("record_id")
    assert by_id.at["SHP-2025-0880405", "gross_weight_kg"] == pytest.approx(0.9)  # "900 g"
    assert by_id.at["SHP-2025-0880138", "gross_weight_kg"] == pytest.approx(42344 * 0.45359237)
    assert by_id.at["SHP-2025-0880321", "gross_weight_kg"] == pytest.approx(18310.0)  # "18.31 t"
    assert by_id.at["SHP-2025-0880127", "currency"] == "EUR"  # "21.968,76 €"
    assert by_id.at["SHP-2025-0880127", "declared_value"] == pytest.approx(21968.76)
    # Every value names its currency except the one "N/A".
    assert (records["currency"] == "").sum() == 1
    assert (records["port_of_loading"] != "").all() and (records["port_of_discharge"] != "").all()
    assert by_id.at["SHP-2025-0880113", "final_destination_country"] == "MX"  # "Guadalajara, MX"


def test_chinese_declaration_fields() -> None:
    records, errors, truth = _read("cn_export_declarations.csv")
    assert records["document_id"].tolist() == truth["id"].tolist()
    assert set(records["mode"]) == {"sea", "air", "postal"}
    assert set(records["currency"]) == {"USD", "EUR"}
    assert records["shipper_id"].str.len().eq(18).all()
    assert (records["port_of_loading"] != "").all()
    # The listed precursor named only in 规格型号 is in the description the goods rules read.
    assert records["description"].str.contains("4-苯胺基哌啶").any()
    # Guatemala and the US are the countries of arrival on the way to Mexico.
    assert {"GT;MX", "US;MX"} <= set(records["routing_countries"])
    assert not errors["reason"].str.contains("unknown country").any()
