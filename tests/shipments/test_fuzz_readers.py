"""Bounded fuzz of the shipment readers: every format, damaged or odd, gives records or an InputFileError.

Inputs are built the way real files go wrong: lines saved in different encodings, a huge cell,
odd separators, gzip, values of every Parquet/XLSX cell type, then cut short or spliced with noise.
Whatever comes in, a reader either refuses the whole file with InputFileError (a message in plain
words) or yields canonical records whose row numbers only grow, with warnings/errors rows only.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import os
import tempfile
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from interdiction.errors import InputFileError
from interdiction.shipments.normalise import MAX_CELL_CHARS
from interdiction.shipments.readers import read_records
from interdiction.shipments.records import FLOAT_COLUMNS, RECORD_COLUMNS


# Long fuzz campaigns: INTERDICTION_FUZZ_EXAMPLES=N raises every example budget in this file to at
# least N (e.g. 3000 with `pytest -n 1`); unset, the budgets below hold, so CI time is unchanged.
def _budget(n: int) -> int:
    return max(n, int(os.environ.get("INTERDICTION_FUZZ_EXAMPLES", "0")))


FUZZ = settings(
    max_examples=_budget(25),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
HEADERS = ["record_id", "description", "shipper_name", "origin_country", "gross_weight_kg", "date"]
ENCODINGS = ["utf-8", "cp1252", "latin-1", "utf-16-le", "utf-8-sig", "gb18030", "shift_jis"]
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
CELL = TEXT | st.sampled_from(["25", "1,5", "-3", "1e400", "nan", "2024-05-03", "China", "=1+1"])
# A huge cell: beyond MAX_CELL_CHARS (truncated with a warning) and csv's default field limit.
HUGE = "powder " * (MAX_CELL_CHARS // 4)
DAMAGE = st.tuples(st.integers(0, 10**6), st.integers(0, 10**6), st.binary(max_size=24))


def _damage(data: bytes, how: tuple[int, int, bytes]) -> bytes:
    """Unchanged, cut short, or with noise spliced in (a third each)."""
    cut, position, noise = how
    if cut % 3 == 0 or not data:
        return data
    if cut % 3 == 1:
        return data[: cut % (len(data) + 1)]
    position %= len(data) + 1
    return data[:position] + noise + data[position + len(noise) :]


def _check(name: str, data: bytes, chunk_rows: int) -> None:
    """Read the file: InputFileError with a message, or well-formed records and error rows."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        rows: list[int] = []
        try:
            for records, errors in read_records(path, chunk_rows=chunk_rows):
                assert list(records.columns[: len(RECORD_COLUMNS)]) == list(RECORD_COLUMNS)
                assert set(errors["severity"]) <= {"warning", "error"}
                assert all(isinstance(r, str) and r for r in errors["reason"])
                assert (records["description"].str.len() <= MAX_CELL_CHARS).all()
                assert records["record_id"].map(lambda v: isinstance(v, str) and v != "").all()
                for column in FLOAT_COLUMNS:  # a number is finite, or NaN for "not given"
                    assert not records[column].abs().eq(float("inf")).any(), column
                rejected = errors.loc[errors["severity"] == "error", "source_row"]
                rows.extend(sorted([*records["source_row"].tolist(), *rejected.tolist()]))
        except InputFileError as exc:
            assert str(exc)
            return
        assert rows == sorted(set(rows)), "row numbers repeat or go backwards"


@st.composite
def delimited_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """A CSV/TSV whose lines are each saved in some encoding, maybe with a huge cell, maybe gzipped."""
    sep = draw(st.sampled_from([",", ";", "\t", "|"]))
    header = draw(st.permutations(HEADERS))[: draw(st.integers(1, len(HEADERS)))]
    if "description" not in header and draw(st.booleans()):
        header = [*header, "description"]
    lines = [(header, "utf-8")]
    for _ in range(draw(st.integers(0, 6))):
        cells = draw(st.lists(CELL, max_size=len(header) + 1))
        if cells and draw(st.integers(0, 9)) == 0:
            cells[draw(st.integers(0, len(cells) - 1))] = HUGE
        lines.append((cells, draw(st.sampled_from(ENCODINGS))))
    data = b""
    for cells, encoding in lines:
        buffer = io.StringIO()
        csv.writer(
            buffer, delimiter=sep, lineterminator=draw(st.sampled_from(["\n", "\r\n"]))
        ).writerow(cells)
        data += buffer.getvalue().encode(encoding, errors="replace")
    suffix = (
        ".tsv" if sep == "\t" and draw(st.booleans()) else draw(st.sampled_from([".csv", ".txt"]))
    )
    if draw(st.booleans()):
        return f"m{suffix}", data
    return f"m{suffix}.gz" if suffix == ".csv" else "m.csv.gz", gzip.compress(data)


@FUZZ
@given(delimited_files(), DAMAGE, st.integers(1, 4))
def test_fuzz_delimited(file: tuple[str, bytes], how: tuple[int, int, bytes], chunk: int) -> None:
    name, data = file
    _check(name, _damage(data, how), chunk)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)


@FUZZ
@given(
    st.lists(
        st.dictionaries(st.sampled_from(HEADERS) | TEXT, JSON, max_size=5) | JSON,
        min_size=1,
        max_size=6,
    ),
    st.sampled_from(ENCODINGS[:4]),
    st.booleans(),
    DAMAGE,
    st.integers(1, 4),
)
def test_fuzz_json_lines(
    values: list[object], encoding: str, zipped: bool, how: tuple[int, int, bytes], chunk: int
) -> None:
    text = "\n".join(json.dumps(v, ensure_ascii=False) for v in values) + "\n"
    data = text.encode(encoding, errors="replace")
    _check(
        "m.jsonl.gz" if zipped else "m.jsonl",
        _damage(gzip.compress(data) if zipped else data, how),
        chunk,
    )


PARQUET_COLUMNS = st.sampled_from(
    [
        pa.array(["tea", None, "Zitronensäure", "", "x" * 50]),
        pa.array([1, None, -3, 2**62, 0], pa.int64()),
        pa.array([1.5, float("nan"), float("inf"), None, -0.0]),
        pa.array([True, False, None, True, False]),
        pa.array([b"tea", b"\xff\xfe", None, b"", b"caf\xe9"]),
        pa.array([dt.date(2024, 5, 3), None, dt.date(1, 1, 1), dt.date(9999, 12, 31), None]),
        pa.array([dt.datetime(2024, 5, 3, 12), None, None, dt.datetime(1970, 1, 1), None]),
        pa.array([[1, 2], None, [], [3], None]),
        pa.array([{"name": "A"}, None, {"name": None}, {"name": "B"}, None]),
        pa.array([Decimal("1.50"), None, Decimal("-2"), Decimal("0"), None]),
        pa.array(["tea", "rice", None, "tea", "urea"]).dictionary_encode(),
        pa.nulls(5),
    ]
)


@FUZZ
@given(
    st.lists(
        st.tuples(st.sampled_from([*HEADERS, "Vessel", "", "0"]), PARQUET_COLUMNS), max_size=5
    ),
    st.integers(0, 5),
    st.integers(1, 5),
    DAMAGE,
    st.integers(1, 4),
)
# Found by fuzzing: a float column in a file with no rows failed in normalise (no .str on floats).
@example([("description", pa.array([1.5]))], 0, 1, (0, 0, b""), 1)
def test_fuzz_parquet(
    columns: list[tuple[str, pa.Array]],
    rows: int,
    group: int,
    how: tuple[int, int, bytes],
    chunk: int,
) -> None:
    # Duplicate and blank column names are allowed in Parquet, so they are drawn too.
    table = pa.Table.from_arrays(
        [a.slice(0, rows) for _, a in columns], names=[n for n, _ in columns]
    )
    buffer = io.BytesIO()
    pq.write_table(table, buffer, row_group_size=group)
    _check("m.parquet", _damage(buffer.getvalue(), how), chunk)


XLSX_CELL = (
    st.none()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.booleans()
    | st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 1, 1))
    | st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
    | st.sampled_from(["=1+1", "=A1", "2024-05-03", "China", HUGE[:40_000]])
)


@settings(
    max_examples=_budget(15),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    st.lists(st.lists(XLSX_CELL, max_size=7), max_size=6),
    st.booleans(),
    DAMAGE,
    st.integers(1, 4),
)
def test_fuzz_xlsx(
    rows: list[list[object]], headed: bool, how: tuple[int, int, bytes], chunk: int
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    if headed:
        sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    _check("m.xlsx", _damage(buffer.getvalue(), how), chunk)
