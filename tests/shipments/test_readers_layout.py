"""Tables that do not start in the first row, and totals rows under them (blind2 express manifest):
the header row is found below a title, source_row stays the data-row number, totals rows are
rejected as such."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from interdiction.errors import InputFileError
from interdiction.shipments.mapping import header_row_score, resolve_headers
from interdiction.shipments.normalise import normalise_chunk
from interdiction.shipments.readers import iter_raw_chunks, read_records

HEADER = ["HAWB No.", "Shipper Name", "Consignee Name", "Weight(KG)", "Description", "HS"]
RECORDS = [
    ["H1", "Shenzhen Skyview Co., Ltd", "GadgetZone LLC", 3, "CAMERA DRONE", 880621],
    ["H2", "Xuchang Hair Co., Ltd", "Moda Express SA de CV", 3.4, "SYNTHETIC HAIR WIGS", 670411],
]
TOTAL = ["TOTAL", "2 HAWBs", None, 6.4, None, None]


def _read(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    parts = list(read_records(path))
    return (
        pd.concat([p[0] for p in parts], ignore_index=True),
        pd.concat([p[1] for p in parts], ignore_index=True),
    )


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_a_title_row_scores_no_header_and_the_real_header_does() -> None:
    assert (
        header_row_score(["SwiftLink Logistics (HK) Ltd - Daily Export Manifest 2025-06-02"]) == -1
    )
    assert header_row_score(HEADER) >= 5


def test_xlsx_header_row_below_a_title_and_a_blank_row(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "m.xlsx", [["Daily Export Manifest 2025-06-02"], [], HEADER, *RECORDS])
    records, errors = _read(path)
    assert records["document_id"].tolist() == ["H1", "H2"]
    # The first record under the header is row 1, as users count data rows.
    assert records["source_row"].tolist() == [1, 2]
    notes = errors.loc[errors["field"] == "(file)", "reason"].tolist()
    assert (
        "m.xlsx: the header row is row 3; rows 1-2 above it (a title or notes: 'Daily Export "
        "Manifest 2025-06-02') were not read as records."
    ) in notes


def test_xlsx_totals_row_is_rejected_and_inputs_still_add_up(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "m.xlsx", [["Manifest"], HEADER, *RECORDS, TOTAL])
    chunks = list(iter_raw_chunks(path))
    records, errors = _read(path)
    rejected = errors[errors["severity"] == "error"]
    assert records["description"].tolist() == ["CAMERA DRONE", "SYNTHETIC HAIR WIGS"]
    assert rejected["source_row"].tolist() == [3]
    assert "totals row" in rejected["reason"].iat[0]
    assert sum(c.n_inputs for c in chunks) == len(records) + len(rejected)


def test_xlsx_whose_first_row_is_the_header_reads_as_before(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "m.xlsx", [HEADER, *RECORDS])
    records, errors = _read(path)
    assert records["source_row"].tolist() == [1, 2]
    assert not errors["reason"].str.contains("header row is").any()


def test_csv_header_line_below_a_title_with_another_separator(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text(
        "Daily manifest, SwiftLink\n\nHAWB No.;Description;Weight(KG)\n"
        'H1;SNAP HOOKS;1,5\n\nH2;"HARDWARE\nNUTS";2\nTOTAL;;3,5\n',
        encoding="utf-8",
    )
    records, errors = _read(path)
    assert records["document_id"].tolist() == ["H1", "H2"]
    assert records["description"].tolist() == ["SNAP HOOKS", "HARDWARE\nNUTS"]
    assert records["gross_weight_kg"].tolist() == [1.5, 2.0]
    assert records["source_row"].tolist() == [1, 2]
    rejected = errors[errors["severity"] == "error"]
    assert rejected["source_row"].tolist() == [3]
    assert errors["reason"].str.startswith("m.csv: the header row is line 3; lines 1-2 above").any()


def test_csv_with_no_header_row_anywhere_is_refused_naming_the_first_line(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("Daily manifest\nH1,x,1\nH2,y,2\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="Found headers: 'Daily manifest'"):
        _read(path)


@pytest.mark.parametrize("label", ["TOTAL", "Total:", "Grand total", "合计", "总计"])
def test_totals_row_in_a_frame_is_rejected(label: str) -> None:
    raw = pd.DataFrame(
        {"Ref": ["A1", label, "A3"], "Description": ["aspirin", "", "paracetamol"],
         "Weight": ["1", "2", "3"]}
    )  # fmt: skip
    records, errors = normalise_chunk(
        raw, resolve_headers(list(raw.columns)), source_file="t.csv", first_row=1
    )
    assert records["source_row"].tolist() == [1, 3]
    rejected = errors[errors["severity"] == "error"]
    assert rejected["source_row"].tolist() == [2]
    assert rejected["record_id"].tolist() == ["t.csv#2"]


def test_totals_word_in_the_second_column_after_a_blank_first_one() -> None:
    raw = pd.DataFrame({"No": ["1", ""], "Ref": ["A1", "Total"], "Description": ["aspirin", ""]})
    records, _ = normalise_chunk(
        raw, resolve_headers(list(raw.columns)), source_file="t.csv", first_row=1
    )
    assert records["source_row"].tolist() == [1]


def test_a_row_with_goods_is_never_a_totals_row() -> None:
    # "TOTAL" as a reference with a description is an ordinary record; so is a blank description
    # without a totals word.
    raw = pd.DataFrame({"Ref": ["TOTAL", "A2"], "Description": ["engine oil", ""]})
    records, errors = normalise_chunk(
        raw, resolve_headers(list(raw.columns)), source_file="t.csv", first_row=1
    )
    assert records["source_row"].tolist() == [1, 2]
    assert (errors["severity"] != "error").all()
