"""Read substance inputs from files, streaming: CSV/TSV, SMILES/text, SDF, Parquet (and .gz).

One ``InputRecord`` per data row, in order, with the user's text unchanged. A row that cannot be
read (empty, undecodable, broken SDF record, too few fields) is still yielded, with its error,
so the batch keeps one output row per input row. Only a file that cannot be read at all (missing,
binary, unknown format, no such column) raises ``InputFileError``, and that happens when
``read_inputs`` is called, before the first row.

Conventions:
- ``row`` is the 1-based data row: the header of a CSV/TSV file (and a "SMILES ..." header line
  of a .smi file) is not a row; every other line is, including empty ones (error "empty input"),
  so row N is always the N-th data line.
- .smi: the SMILES, then optionally whitespace and an identifier (``extra["id"]``).
- .txt: the whole line is the input (names have spaces); a tab starts an optional identifier.
- .sdf: the record's molfile is the input; with ``column``, the named data item is (e.g. a
  vendor's "SMILES" field), and a record without it gets an error.
- ``column`` names the CSV/TSV/Parquet column; .smi and .txt files have one input per line and
  ignore it.
- Spreadsheet formulas ("=HYPERLINK(...)") are read as plain text; output writers neutralise them.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from interdiction.errors import InputFileError
from interdiction.substances.sdf import sdf_records
from interdiction.substances.textfile import DecodedLine, decoded_lines, open_binary

__all__ = ["FORMATS", "DEFAULT_COLUMNS", "InputRecord", "read_inputs", "detect_format"]

FORMATS: tuple[str, ...] = ("csv", "tsv", "smi", "txt", "sdf", "parquet")
# Column picked when --column is not given, first match wins (case-insensitive); else column 1.
DEFAULT_COLUMNS: tuple[str, ...] = ("smiles", "input", "structure", "cas", "cas_number", "name")
_SUFFIXES = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".smi": "smi",
    ".smiles": "smi",
    ".txt": "txt",
    ".sdf": "sdf",
    ".sd": "sdf",
    ".mol": "sdf",
    ".parquet": "parquet",
    ".pq": "parquet",
}
# Parquet columns carried along as extra when present (the input column is always read).
_ID_COLUMNS = ("id", "name", "title", "compound_id", "ID", "Name")
_PARQUET_BATCH = 8192
# A molfile pasted into one CSV cell is ~100 bytes per atom; csv's default limit is 128 kB.
csv.field_size_limit(max(csv.field_size_limit(), min(sys.maxsize, 1 << 24)))  # never lower it


@dataclass(frozen=True)
class InputRecord:
    """One input row.

    Attributes:
        row: 1-based data row.
        text: the user's input exactly (for SDF, the record's molfile text).
        error: "" when the row was read; else why not (the row still gets an output line).
        extra: other columns, SDF data items or the .smi identifier; "_encoding" is
            "cp1252" when the row's bytes were not UTF-8 and were read as Windows-1252.
    """

    row: int
    text: str
    error: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def detect_format(path: Path, fmt: str | None = None) -> str:
    """The format name for a path (its suffix, ignoring .gz), or ``fmt`` when given.

    Raises:
        InputFileError: for an unknown format.
    """
    if fmt is not None:
        name = fmt.lower().lstrip(".")
        if name not in FORMATS:
            raise InputFileError(f"unknown input format {fmt!r}; use one of {', '.join(FORMATS)}.")
        return name
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    found = _SUFFIXES.get(suffixes[-1]) if suffixes else None
    if found is None:
        raise InputFileError(
            f"cannot tell the format of {path.name}; name it .csv, .tsv, .smi, .txt, .sdf or "
            ".parquet (optionally .gz), or pass the format explicitly."
        )
    return found


def read_inputs(
    path: Path, *, column: str | None = None, fmt: str | None = None
) -> Iterator[InputRecord]:
    """Stream the input records of a file.

    Args:
        path: the file (.csv .tsv .smi .txt .sdf .parquet, text formats optionally .gz).
        column: CSV/TSV/Parquet column holding the inputs (default: smiles, input, structure,
            cas, cas_number, name, else the first column); for SDF, a data item to read
            instead of the molfile; ignored for .smi and .txt.
        fmt: override the format guessed from the file name.

    Returns:
        An iterator of records; the file is opened and checked before this returns.

    Raises:
        InputFileError: when the file cannot be read at all or the column does not exist.
    """
    path = Path(path)
    kind = detect_format(path, fmt)
    if kind == "parquet":
        return _parquet(path, column)
    stream = open_binary(path)
    try:
        lines = decoded_lines(stream, path.name)
        if kind in ("csv", "tsv"):
            records = _delimited(lines, kind, column, path.name)
        elif kind == "sdf":
            records = _sdf(lines, column)
        else:
            records = _lines(lines, kind)
        first = next(records, None)
    except BaseException:
        stream.close()
        raise
    return _closing_chain(stream, first, records)


def _closing_chain(
    stream: IO[bytes], first: InputRecord | None, rest: Iterator[InputRecord]
) -> Iterator[InputRecord]:
    try:
        if first is not None:
            yield first
            yield from rest
    finally:
        stream.close()


def _extra(line: DecodedLine | None, base: dict[str, str] | None = None) -> dict[str, str]:
    extra = dict(base or {})
    if line is not None and line.encoding:
        extra["_encoding"] = line.encoding
    return extra


def _lines(lines: Iterable[DecodedLine], kind: str) -> Iterator[InputRecord]:
    row = 0
    for line in lines:
        text = line.text
        if row == 0 and kind == "smi" and text.split()[:1] in (["SMILES"], ["smiles"], ["Smiles"]):
            continue
        row += 1
        if line.error:
            yield InputRecord(row, text, line.error, _extra(line))
            continue
        if not text.strip():
            yield InputRecord(row, text, "empty input", _extra(line))
            continue
        parts = text.strip().split(None, 1) if kind == "smi" else text.split("\t", 1)
        extra = {"id": parts[1].strip()} if len(parts) > 1 and parts[1].strip() else {}
        yield InputRecord(row, parts[0], "", _extra(line, extra))


def _pick_column(header: list[str], column: str | None, label: str) -> int:
    cleaned = [h.strip() for h in header]
    if column is not None:
        for wanted in (column, column.strip()):
            if wanted in cleaned:
                return cleaned.index(wanted)
        lowered = [h.lower() for h in cleaned]
        if column.strip().lower() in lowered:
            return lowered.index(column.strip().lower())
        raise InputFileError(
            f"{label} has no column {column!r}; its columns are: "
            f"{', '.join(repr(h) for h in cleaned)}. Pass one of them with --column."
        )
    lowered = [h.lower() for h in cleaned]
    for name in DEFAULT_COLUMNS:
        if name in lowered:
            return lowered.index(name)
    return 0


def _delimiter(header_line: str, kind: str) -> str:
    if kind == "tsv":
        return "\t"
    # European spreadsheets export ";"-separated ".csv" files.
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _delimited(
    lines: Iterator[DecodedLine], kind: str, column: str | None, label: str
) -> Iterator[InputRecord]:
    first = next(lines, None)
    if first is None:
        raise InputFileError(f"{label} is empty: it has no header line.")
    delimiter = _delimiter(first.text, kind)
    try:
        header = next(csv.reader([first.text], delimiter=delimiter), [])
    except csv.Error as exc:
        raise InputFileError(f"{label}: cannot read the header line ({exc}).") from exc
    if not any(h.strip() for h in header):
        raise InputFileError(
            f"{label}: the first line is empty; it must name the columns (e.g. 'smiles,id')."
        )
    index = _pick_column(header, column, label)
    return _delimited_rows(lines, delimiter, header, index)


def _delimited_rows(
    lines: Iterator[DecodedLine], delimiter: str, header: list[str], index: int
) -> Iterator[InputRecord]:
    current: list[DecodedLine] = []

    def feed() -> Iterator[str]:
        for line in lines:
            current.append(line)
            yield line.text + "\n"

    reader = csv.reader(feed(), delimiter=delimiter)
    row = 0
    while True:
        current.clear()
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            row += 1
            text = "\n".join(line.text for line in current)
            yield InputRecord(row, text, f"row {row}: malformed CSV ({exc})", {})
            continue
        row += 1
        bad = next((line for line in current if line.error), None)
        encoding = next((line for line in current if line.encoding), None)
        extra = {
            (header[i].strip() or f"column{i + 1}"): value
            for i, value in enumerate(fields[: len(header)])
            if i != index
        }
        if len(fields) > len(header):
            extra["_overflow"] = delimiter.join(fields[len(header) :])
        extra = _extra(encoding, extra)
        if bad is not None:
            text = fields[index] if index < len(fields) else ""
            yield InputRecord(row, text, bad.error, extra)
        elif index >= len(fields):
            error = (
                "empty input"
                if not any(f.strip() for f in fields)
                else (
                    f"row {row} has {len(fields)} field(s) but the input is column {index + 1} "
                    f"({header[index].strip()!r}); check the delimiter and quoting"
                )
            )
            yield InputRecord(row, "", error, extra)
        elif not fields[index].strip():
            yield InputRecord(row, fields[index], "empty input", extra)
        else:
            yield InputRecord(row, fields[index], "", extra)


def _sdf(lines: Iterable[DecodedLine], column: str | None) -> Iterator[InputRecord]:
    for record in sdf_records(lines):
        extra = dict(record.props)
        if record.encoding:
            extra["_encoding"] = record.encoding
        if column is None or record.error:
            yield InputRecord(record.index, record.molblock, record.error, extra)
        elif column not in record.props:
            error = f"SDF record {record.index} has no data item <{column}>"
            yield InputRecord(record.index, "", error, extra)
        else:
            text = extra.pop(column)
            yield InputRecord(record.index, text, "" if text.strip() else "empty input", extra)


def _parquet(path: Path, column: str | None) -> Iterator[InputRecord]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except (OSError, pa.ArrowException, ValueError) as exc:  # a damaged footer can fail to decode
        raise InputFileError(f"cannot read Parquet file {path}: {exc}") from exc
    names = list(parquet.schema_arrow.names)
    if not names:
        parquet.close()
        raise InputFileError(f"Parquet file {path} has no columns.")
    chosen = names[_pick_column(names, column, path.name)]
    if names.count(chosen) > 1:
        parquet.close()
        raise InputFileError(
            f"Parquet file {path} has {names.count(chosen)} columns named {chosen!r}, so the input "
            "column is ambiguous; rename the others, or pass another column with --column."
        )
    # A repeated identifier column cannot be told apart either: it is left out of extra.
    extras = [n for n in names if n in _ID_COLUMNS and n != chosen and names.count(n) == 1]
    return _parquet_rows(parquet, chosen, extras, path)


def _cell(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return "" if value is None else str(value)


def _parquet_rows(
    parquet: object, chosen: str, extras: list[str], path: Path
) -> Iterator[InputRecord]:
    import pyarrow as pa

    row = 0
    try:
        batches = parquet.iter_batches(  # type: ignore[attr-defined]
            batch_size=_PARQUET_BATCH, columns=[chosen, *extras]
        )
        for batch in batches:
            columns = {name: batch.column(name).to_pylist() for name in [chosen, *extras]}
            for i, value in enumerate(columns[chosen]):
                row += 1
                text = _cell(value)
                extra = {name: _cell(columns[name][i]) for name in extras}
                if not text.strip():
                    yield InputRecord(row, text, "empty input", extra)
                elif "\ufffd" in text and isinstance(value, bytes):
                    yield InputRecord(row, text, f"row {row} is not UTF-8 text", extra)
                else:
                    yield InputRecord(row, text, "", extra)
    except (OSError, pa.ArrowException, UnicodeDecodeError) as exc:  # text that is not UTF-8
        raise InputFileError(
            f"{path}: reading stopped after row {row} ({exc}); the file is truncated or corrupt."
        ) from exc
    finally:
        parquet.close()  # type: ignore[attr-defined]
