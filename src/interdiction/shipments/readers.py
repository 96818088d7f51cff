"""Stream shipment files (CSV, XLSX, JSON Lines, Parquet) as raw chunks under the file's own headers.

Readers never hold a whole file: each yields ``RawChunk`` objects of at most ``chunk_rows`` rows.
A row that cannot be read at all (a JSON line that is not JSON) becomes a *rejected* error row
in its chunk, so ``inputs = results + rejected`` holds per chunk. A file that cannot be read at
all (corrupt Parquet, not a spreadsheet) raises ``InputFileError`` with what to do.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pandas as pd

from interdiction.errors import InputFileError
from interdiction.shipments._chunk import RawChunk
from interdiction.shipments._textfiles import csv_chunks, detect_encoding, jsonl_chunks
from interdiction.shipments.mapping import ColumnMapping, resolve_headers
from interdiction.shipments.normalise import HIDDEN_COLUMNS, normalise_chunk
from interdiction.shipments.records import RecordError, errors_frame

if TYPE_CHECKING:
    from interdiction.shipments._parquet import ParquetSlice

__all__ = [
    "DEFAULT_CHUNK_ROWS",
    "FileFormat",
    "RawChunk",
    "detect_encoding",
    "detect_format",
    "iter_partitions",
    "iter_raw_chunks",
    "partition_headers",
    "read_records",
]

# 50,000 rows keeps one chunk (raw + canonical + flags) near 100 MB while giving Dask workers
# enough work per task that scheduling overhead stays under 1%.
DEFAULT_CHUNK_ROWS = 50_000
FileFormat = Literal["csv", "xlsx", "jsonl", "parquet"]
_SUFFIXES: dict[str, FileFormat] = {
    ".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".parquet": "parquet", ".pq": "parquet",
}  # fmt: skip


def detect_format(path: Path) -> FileFormat:
    """File format from the suffix (``.csv``, ``.xlsx``, ``.jsonl``, ``.parquet`` ...).

    Raises:
        InputFileError: the suffix is not one we read.
    """
    suffix = path.suffix.lower()
    if suffix == ".gz" and path.stem.lower().endswith((".csv", ".jsonl")):
        suffix = Path(path.stem).suffix.lower()
    if suffix not in _SUFFIXES:
        raise InputFileError(
            f"{path.name}: cannot tell the format from the suffix {suffix!r}; "
            "give a .csv, .xlsx, .jsonl or .parquet file."
        )
    return _SUFFIXES[suffix]


def iter_partitions(
    path: Path, *, chunk_rows: int = DEFAULT_CHUNK_ROWS
) -> Iterator[RawChunk | ParquetSlice]:
    """Like ``iter_raw_chunks``, but Parquet parts come unread (``ParquetSlice``: call ``load()``).

    Raises:
        InputFileError: the file is missing or cannot be read at all.
    """
    if path.is_file() and detect_format(path) == "parquet":
        from interdiction.shipments._parquet import parquet_slices

        yield from parquet_slices(path, chunk_rows)
    else:
        yield from iter_raw_chunks(path, chunk_rows=chunk_rows)


def partition_headers(part: RawChunk | ParquetSlice) -> tuple[str, ...]:
    """The input headers of a partition (without the hidden row-number column)."""
    if isinstance(part, RawChunk):
        return tuple(str(h) for h in part.frame.columns if h not in HIDDEN_COLUMNS)
    return part.headers


def iter_raw_chunks(path: Path, *, chunk_rows: int = DEFAULT_CHUNK_ROWS) -> Iterator[RawChunk]:
    """Yield the file's rows in chunks of at most ``chunk_rows``, in file order.

    Raises:
        InputFileError: the file is missing or cannot be read at all.
    """
    if not path.is_file():
        raise InputFileError(f"{path}: no such file; check the path or the glob pattern.")
    fmt = detect_format(path)
    if fmt == "csv":
        yield from csv_chunks(path, chunk_rows)
    elif fmt == "xlsx":
        from interdiction.shipments._spreadsheet import xlsx_chunks

        yield from xlsx_chunks(path, chunk_rows)
    elif fmt == "jsonl":
        yield from jsonl_chunks(path, chunk_rows)
    else:
        yield from _parquet_chunks(path, chunk_rows)


def read_records(
    path: Path,
    *,
    mapping: ColumnMapping | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    today: date | None = None,
) -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
    """Yield (canonical records, errors) per chunk of one file.

    Errors hold warnings (field cleared or truncated; record kept) and rejected rows (unreadable;
    record absent). Duplicate record ids are not checked here: the pipeline checks them across
    all files.

    Raises:
        InputFileError: the file cannot be read, or has no goods description column.
    """
    resolution = None
    resolution_headers: list[str] = []
    said: set[str] = set()  # resolution notes are said once per file, not once per chunk
    for chunk in iter_raw_chunks(path, chunk_rows=chunk_rows):
        headers = [h for h in chunk.frame.columns if h not in HIDDEN_COLUMNS]
        if resolution is None or headers != resolution_headers:
            resolution_headers = headers
            resolution = resolve_headers(resolution_headers, mapping=mapping, file_label=path.name)
        records, warnings = normalise_chunk(
            chunk.frame, resolution, source_file=path.name, first_row=chunk.first_row, today=today
        )
        fresh = [note for note in resolution.notes if note not in said]
        said.update(fresh)
        notes = [
            RecordError("", path.name, 0, "(file)", "warning", note)
            for note in (*chunk.notes, *fresh)
        ]
        extra = errors_frame([*notes, *chunk.rejected])
        frames = [f for f in (extra, warnings) if len(f)]
        errors = pd.concat(frames, ignore_index=True) if frames else warnings
        yield records, errors


def _parquet_chunks(path: Path, chunk_rows: int) -> Iterator[RawChunk]:
    from interdiction.shipments._parquet import parquet_slices

    for part in parquet_slices(path, chunk_rows):
        yield part.load()
