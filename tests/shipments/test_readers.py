"""Readers: every format, encodings, mapping, vendor headers and the bad inputs of issue 4 item 8."""

from __future__ import annotations

import gzip
import json
import os
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interdiction.errors import InputFileError
from interdiction.shipments.mapping import load_mapping
from interdiction.shipments.normalise import MAX_CELL_CHARS
from interdiction.shipments.readers import (
    detect_encoding,
    detect_format,
    iter_raw_chunks,
    read_records,
)


# Long fuzz campaigns: INTERDICTION_FUZZ_EXAMPLES=N raises every example budget in this file to at
# least N (e.g. 3000 with `pytest -n 1`); unset, the budgets below hold, so CI time is unchanged.
def _budget(n: int) -> int:
    return max(n, int(os.environ.get("INTERDICTION_FUZZ_EXAMPLES", "0")))


ROWS = [
    {"record_id": "R1", "date": "2024-05-03", "shipper_name": "Müller Chemie GmbH", "origin_country": "DE",
     "description": "Zitronensäure", "gross_weight_kg": "25", "Vessel": "MSC ANNA"},
    {"record_id": "R2", "date": "2024-05-04", "shipper_name": "Shanghai Hengda Co., Ltd.", "origin_country": "China",
     "description": "4-AP 塑料添加剂", "gross_weight_kg": "1.5", "Vessel": ""},
    {"record_id": "R3", "date": "2024-05-05", "shipper_name": "Azteca S.A. de C.V.", "origin_country": "México",
     "description": "aguacate", "gross_weight_kg": "10", "Vessel": "X"},
]  # fmt: skip


def _read_all(path: Path, **options: object) -> tuple[pd.DataFrame, pd.DataFrame]:
    parts = list(read_records(path, **options))  # type: ignore[arg-type]
    return pd.concat([p[0] for p in parts], ignore_index=True), pd.concat(
        [p[1] for p in parts], ignore_index=True
    )


def _assert_rows(records: pd.DataFrame) -> None:
    assert records["record_id"].tolist() == ["R1", "R2", "R3"]
    assert records["shipper_name"].tolist()[0] == "Müller Chemie GmbH"
    assert records["description"].tolist()[1] == "4-AP 塑料添加剂"
    assert records["origin_country"].tolist() == ["DE", "CN", "MX"]
    assert records["gross_weight_kg"].tolist() == [25.0, 1.5, 10.0]
    assert records["source_row"].tolist() == [1, 2, 3]
    assert records["Vessel"].tolist() == ["MSC ANNA", "", "X"]


def _assert_only_the_mode_note(errors: pd.DataFrame) -> None:
    # No row problems; the one file-level note says a filled Vessel cell was read as sea.
    assert (errors["source_row"] == 0).all() and len(errors) == 1
    assert "no mode of transport column" in errors["reason"].iloc[0]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_csv_in_unicode_encodings(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "m.csv"
    pd.DataFrame(ROWS).to_csv(path, index=False, encoding=encoding)
    records, errors = _read_all(path)
    _assert_rows(records)
    _assert_only_the_mode_note(errors)


def test_csv_cp1252_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes("description,shipper_name\ncafé,Société Générale\n".encode("cp1252"))
    records, errors = _read_all(path)
    assert records["description"].tolist() == ["café"]
    assert records["shipper_name"].tolist() == ["Société Générale"]
    assert "Windows-1252" in errors["reason"].iloc[0] and errors["severity"].iloc[0] == "warning"


def test_csv_mixing_utf8_and_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(
        b"description,shipper_name\n"
        + "naïve,Müller\n".encode()
        + "café,Société\n".encode("cp1252")
    )
    assert detect_encoding(path)[1] != "strict"
    records, errors = _read_all(path)
    assert records["description"].tolist() == ["naïve", "café"]
    assert records["shipper_name"].tolist() == ["Müller", "Société"]
    assert errors["field"].tolist() == ["(file)"] and "mixes UTF-8" in errors["reason"].iloc[0]


def test_bom_file_with_invalid_bytes_is_read_with_replacement(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(b"\xef\xbb\xbfdescription,shipper_name\ntea,Caf\xe9\n")
    records, errors = _read_all(path)
    assert records["shipper_name"].tolist() == ["Caf\ufffd"]
    assert "byte-order mark" in errors["reason"].iloc[0]


def test_unclosed_quote_is_a_clear_file_error(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text('description,shipper_name\ntea,A\n"rice,B\n')
    with pytest.raises(InputFileError, match="m.csv: cannot parse the CSV after data row 0"):
        list(read_records(path))


def test_semicolon_and_tab_separated(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("description;shipper_name\nurea;ACME\n")
    (tmp_path / "b.tsv").write_text("description\tshipper_name\nurea\tACME\n")
    for name in ("a.csv", "b.tsv"):
        records, _ = _read_all(tmp_path / name)
        assert records[["description", "shipper_name"]].values.tolist() == [["urea", "ACME"]]


def test_malformed_csv_line_keeps_surplus_and_warns(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    lines = (
        ["description,shipper_name"]
        + [f"goods {i},S{i}" for i in range(30)]
        + ["powder,Bad Co,extra,more"]
        + ["tea,T"]
    )
    path.write_text("\n".join(lines) + "\n")
    records, errors = _read_all(path, chunk_rows=10)
    assert len(records) == 32
    assert records["source_row"].tolist() == list(range(1, 33))
    assert records["shipper_name"].iloc[30] == "Bad Co,extra,more"
    assert records["description"].iloc[31] == "tea"
    assert "more fields than the header" in " ".join(errors["reason"])


def test_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "orders.xlsx"
    pd.DataFrame(ROWS).to_excel(path, index=False)
    records, errors = _read_all(path)
    _assert_rows(records)
    _assert_only_the_mode_note(errors)


def test_xlsx_with_blank_rows_keeps_true_row_numbers(tmp_path: Path) -> None:
    from openpyxl import Workbook

    path = tmp_path / "orders.xlsx"
    book = Workbook()
    sheet = book.active
    for row in (["Goods Shipped", "Kilos"], ["tea", 5], [None, None], ["rice", 7.5]):
        sheet.append(row)
    book.save(path)
    records, _ = _read_all(path)
    assert records["description"].tolist() == ["tea", "rice"]
    assert records["source_row"].tolist() == [1, 3]
    assert records["gross_weight_kg"].tolist() == [5.0, 7.5]


def test_jsonl_with_nested_objects_and_a_broken_line(tmp_path: Path) -> None:
    path = tmp_path / "m.jsonl"
    lines = [json.dumps({"record_id": "J1", "description": "tea", "shipper": {"name": "A Co", "country": "CN"}}),
             "{not json", "[1, 2]",
             json.dumps({"record_id": "J2", "description": "rice", "weight": 5, "tags": ["x", "y"]})]  # fmt: skip
    path.write_text("\n".join(lines) + "\n")
    records, errors = _read_all(path)
    assert records["record_id"].tolist() == ["J1", "J2"]
    assert records["source_row"].tolist() == [1, 4]
    assert records["shipper_name"].tolist() == ["A Co", ""] and records[
        "shipper_country"
    ].tolist() == ["CN", ""]
    assert records["gross_weight_kg"].tolist()[1] == 5.0 and records["tags"].tolist()[1] == "x;y"
    rejected = errors[errors["severity"] == "error"]
    assert rejected["source_row"].tolist() == [2, 3]


def test_json_line_nested_too_deeply_is_a_rejected_row(tmp_path: Path) -> None:
    # Found by a structural check: "[[[[..." 100,000 deep raised RecursionError for the file.
    path = tmp_path / "deep.jsonl"
    deep = "[" * 100_000 + "]" * 100_000
    path.write_text(f'{{"description": "tea"}}\n{deep}\n{{"description": "rice"}}\n')
    records, errors = _read_all(path)
    assert records["description"].tolist() == ["tea", "rice"]
    assert records["source_row"].tolist() == [1, 3]
    assert errors["source_row"].tolist() == [2] and "nested too deeply" in errors["reason"].iloc[0]


def test_parquet_in_chunks(tmp_path: Path) -> None:
    path = tmp_path / "m.parquet"
    frame = pd.DataFrame(ROWS * 10)
    frame["record_id"] = [f"P{i}" for i in range(30)]
    frame["gross_weight_kg"] = frame["gross_weight_kg"].astype(float)
    frame.to_parquet(path, row_group_size=7)
    parts = list(read_records(path, chunk_rows=8))
    assert [len(p[0]) for p in parts] == [7, 7, 7, 7, 2]  # partitions follow the row groups
    records = pd.concat([p[0] for p in parts], ignore_index=True)
    assert records["source_row"].tolist() == list(range(1, 31))
    assert records["gross_weight_kg"].tolist()[:3] == [25.0, 1.5, 10.0]


@pytest.mark.parametrize(("group", "chunk", "sizes"), [(7, 100, [98, 98, 54]), (50, 100, [100, 100, 50]),
                                                     (120, 100, [60, 60, 60, 60, 10]), (250, 1000, [250])])  # fmt: skip
def test_parquet_slices_follow_row_groups_and_cover_every_row(
    tmp_path: Path, group: int, chunk: int, sizes: list[int]
) -> None:
    from interdiction.shipments._parquet import parquet_slices

    path = tmp_path / "m.parquet"
    pd.DataFrame({"description": [str(i) for i in range(250)]}).to_parquet(
        path, row_group_size=group
    )
    slices = list(parquet_slices(path, chunk))
    assert [s.n_inputs for s in slices] == sizes
    rows = [value for s in slices for value in s.load().frame["description"]]
    assert rows == [str(i) for i in range(250)]


def test_corrupt_parquet_is_a_whole_file_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"PAR1" + b"\x00garbage" * 100)
    with pytest.raises(InputFileError, match="broken.parquet: not a readable Parquet file"):
        list(read_records(path))


def test_truncated_parquet_is_a_whole_file_error(tmp_path: Path) -> None:
    path = tmp_path / "cut.parquet"
    pd.DataFrame(ROWS).to_parquet(path)
    path.write_bytes(path.read_bytes()[:-30])
    with pytest.raises(InputFileError, match="cut.parquet"):
        list(read_records(path))


def test_parquet_column_name_not_utf8_is_a_whole_file_error(tmp_path: Path) -> None:
    # Found by fuzzing: pyarrow raised UnicodeDecodeError opening a footer with such a name.
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "names.parquet"
    pq.write_table(pa.table({"description": ["tea"], "Zname": ["a"]}), path)
    path.write_bytes(path.read_bytes().replace(b"Zname", b"\x80name"))
    with pytest.raises(InputFileError, match="names.parquet: not a readable Parquet file"):
        list(read_records(path))


def test_parquet_text_not_utf8_is_a_clear_error(tmp_path: Path) -> None:
    # Found by fuzzing: pandas' Arrow strings took the bytes as they were and normalise failed
    # with ArrowInvalid; the loaded row groups are now validated.
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "text.parquet"
    pq.write_table(pa.table({"description": ["tea", "Zrice"]}), path, compression="none")
    path.write_bytes(path.read_bytes().replace(b"Zrice", b"\x80rice", 1))
    with pytest.raises(InputFileError, match="text.parquet: Parquet data of rows 1-2 is corrupt"):
        list(read_records(path))


def test_mapping_file_for_own_headers(tmp_path: Path) -> None:
    (tmp_path / "map.yaml").write_text('description: "Item text"\nconsignee_name: "Buyer"\n')
    path = tmp_path / "orders.csv"
    path.write_text("Item text,Buyer,Colour\nurea,Foo Inc,red\n")
    records, _ = _read_all(path, mapping=load_mapping(tmp_path / "map.yaml"))
    assert records[["description", "consignee_name", "Colour"]].values.tolist() == [
        ["urea", "Foo Inc", "red"]
    ]


def test_missing_required_column_is_a_clear_file_error(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("Buyer,Colour\nFoo,red\n")
    with pytest.raises(
        InputFileError, match=r"orders.csv: cannot find the required column\(s\) description"
    ):
        list(read_records(path))


@pytest.mark.parametrize("name", ["empty.csv", "empty.jsonl"])
def test_empty_files(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text("")
    with pytest.raises(InputFileError):
        list(read_records(tmp_path / name))


def test_unknown_suffix_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="cannot tell the format"):
        detect_format(tmp_path / "m.docx")
    with pytest.raises(InputFileError, match="no such file"):
        list(iter_raw_chunks(tmp_path / "absent.csv"))


def test_huge_description_cell_is_truncated_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("w") as handle:
        handle.write("record_id,description\nH1,")
        handle.write("powder " * (100 * 1024 * 1024 // 7))  # a 100 MB cell
        handle.write("\nH2,tea\n")
    records, errors = _read_all(path)
    assert records["record_id"].tolist() == ["H1", "H2"]
    assert len(records["description"].iloc[0]) == MAX_CELL_CHARS
    assert errors["field"].tolist() == ["description"] and errors["severity"].tolist() == [
        "warning"
    ]


def test_huge_cell_after_a_malformed_line_is_truncated_not_fatal(tmp_path: Path) -> None:
    # Found by fuzzing: the careful parser (after a line with extra fields) is Python's csv
    # module, whose 128 kB field limit refused the whole file.
    path = tmp_path / "m.csv"
    path.write_text("description,shipper_name\ntea,A\nrice,B,extra\n" + "x" * 300_000 + ",C\n")
    records, errors = _read_all(path)
    assert records["shipper_name"].tolist() == ["A", "B,extra", "C"]
    assert records["description"].str.len().tolist() == [3, 4, MAX_CELL_CHARS]
    assert "more fields than the header" in " ".join(errors["reason"])


@settings(
    max_examples=_budget(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.binary(max_size=400))
def test_random_bytes_never_crash_the_csv_reader(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(b"description,shipper_name\n" + data)
    try:
        for records, errors in read_records(path):
            assert len(records) >= 0 and set(errors["severity"]) <= {"warning", "error"}
    except InputFileError:
        pass


@settings(
    max_examples=_budget(30),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.text(max_size=30), max_size=5))
def test_random_json_lines_never_crash(tmp_path: Path, lines: list[str]) -> None:
    path = tmp_path / "fuzz.jsonl"
    path.write_text("\n".join(['{"description": "tea"}', *lines]) + "\n", encoding="utf-8")
    for records, errors in read_records(path):
        assert len(records) + int((errors["severity"] == "error").sum()) >= 1


# Found by the fuzz tests in test_fuzz_readers.py; kept here so each is checked on every run.


@pytest.mark.parametrize("name", ["m.csv.gz", "m.jsonl.gz"])
def test_gzipped_text_is_decoded_after_decompression(tmp_path: Path, name: str) -> None:
    # The encoding used to be detected on the compressed bytes: a spurious "mixes UTF-8 and
    # Windows-1252" note (or mojibake) for CSV, and every line rejected for JSON Lines.
    text = (
        "description,shipper_name\nZitronensäure,Müller\n"
        if name.startswith("m.csv")
        else '{"description": "Zitronensäure", "shipper_name": "Müller"}\n'
    )
    (tmp_path / name).write_bytes(gzip.compress(text.encode()))
    records, errors = _read_all(tmp_path / name)
    assert records[["description", "shipper_name"]].values.tolist() == [["Zitronensäure", "Müller"]]
    assert errors.empty


@pytest.mark.parametrize("name", ["m.csv.gz", "m.jsonl.gz"])
def test_truncated_gzip_is_a_clear_file_error(tmp_path: Path, name: str) -> None:
    lines = "".join(f'{{"description": "tea {i}"}}\n' for i in range(2000))
    if name.startswith("m.csv"):
        lines = "description\n" + "".join(f"tea {i}\n" for i in range(2000))
    (tmp_path / name).write_bytes(gzip.compress(lines.encode())[:-40])
    with pytest.raises(InputFileError, match=f"{name}: the gzip data is damaged or cut short"):
        list(read_records(tmp_path / name))


def test_damaged_xlsx_is_a_clear_file_error(tmp_path: Path) -> None:
    # A corrupt deflate stream inside the workbook raised zlib.error while reading the rows.
    path = tmp_path / "orders.xlsx"
    pd.DataFrame(ROWS * 50).to_excel(path, index=False)
    with zipfile.ZipFile(path) as book:
        info = book.getinfo("xl/worksheets/sheet1.xml")
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + 40 : start + 48] = b"\xff" * 8  # inside the sheet's compressed data
    path.write_bytes(bytes(data))
    with pytest.raises(InputFileError, match="orders.xlsx: .*Open and re-save it"):
        list(read_records(path))


def test_parquet_columns_match_headers_with_repeats_and_a_pandas_index(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from interdiction.shipments.readers import iter_partitions, partition_headers

    # A repeated column name raised AttributeError; a column pandas saved as its index was in the
    # headers but not in the loaded frame (KeyError in the pipeline), or hid the description.
    repeated = tmp_path / "repeated.parquet"
    names = ["description", "Vessel", "Vessel"]
    arrays = [pa.array(["tea"]), pa.array(["A"]), pa.array(["B"])]
    pq.write_table(pa.Table.from_arrays(arrays, names=names), repeated)
    indexed = tmp_path / "indexed.parquet"
    pd.DataFrame({"description": ["tea", "rice"], "n": [1, 2]}).set_index("description").to_parquet(
        indexed
    )
    for path, headers in (
        (repeated, ("description", "Vessel", "Vessel_")),
        (indexed, ("n", "description")),
    ):
        parts = list(iter_partitions(path))
        assert [partition_headers(p) for p in parts] == [headers]
        assert all(list(p.load().frame.columns) == list(headers) for p in parts)
    records, _ = _read_all(repeated)
    assert records[["description", "Vessel", "Vessel_"]].values.tolist() == [["tea", "A", "B"]]
    assert _read_all(indexed)[0]["description"].tolist() == ["tea", "rice"]
