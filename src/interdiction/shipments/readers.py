"""Stream shipment files (CSV, XLSX, JSON Lines, Parquet) as raw chunks under the file's own headers.

Readers never hold a whole file: each yields ``RawChunk`` objects of at most ``chunk_rows`` rows.
A row that cannot be read at all (a JSON line that is not JSON) becomes a *rejected* error row
in its chunk, so ``inputs = results + rejected`` holds per chunk. A file that cannot be read at
all (corrupt Parquet, not a spreadsheet) raises ``InputFileError`` with what to do.
"""

from __future__ import annotations

import codecs
import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pandas as pd

from interdiction.errors import InputFileError
from interdiction.shipments.mapping import ColumnMapping, resolve_headers
from interdiction.shipments.normalise import ROW_NUMBER_COLUMN, normalise_chunk
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
_MIXED_ERRORS = "interdiction-utf8-cp1252"


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    # A file saved partly by Excel on Windows: bytes that are not UTF-8 are read as cp1252.
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    chunk = exc.object[exc.start : exc.end]
    return bytes(chunk).decode("cp1252", errors="replace"), exc.end


codecs.register_error(_MIXED_ERRORS, _cp1252_fallback)


@dataclass(frozen=True)
class RawChunk:
    """Rows of one file under its own headers, plus rows that could not be read at all.

    Attributes:
        frame: the readable rows (cells as text or native values; blank = None/NaN/"").
        first_row: ``source_row`` of the chunk's first data row (1-based).
        n_inputs: input rows this chunk covers, readable or not.
        rejected: RecordError rows for unreadable rows (severity "error").
        notes: file-level warnings (encoding fallbacks, malformed lines) carried once.
    """

    frame: pd.DataFrame
    first_row: int
    n_inputs: int
    rejected: tuple[RecordError, ...] = field(default=())
    notes: tuple[str, ...] = field(default=())


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


def detect_encoding(path: Path, *, sample_bytes: int = 4 << 20) -> tuple[str, str, tuple[str, ...]]:
    """(encoding, errors handler, notes) to read a text file with.

    BOMs decide first (UTF-8-sig, UTF-16). Otherwise UTF-8 is checked over the whole file (in
    blocks, so memory stays flat); a file that is not UTF-8 is read as cp1252 when it has no
    UTF-8 multibyte sequences, and as "UTF-8 with cp1252 fallback" when it mixes both.
    """
    with path.open("rb") as handle:
        head = handle.read(4)
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if head.startswith(bom):
            if _decodes(path, encoding):
                return encoding, "strict", ()
            return (
                encoding,
                "replace",
                (
                    f"{path.name}: starts with a {encoding} byte-order mark but has bytes that are not "
                    f"{encoding}; they were replaced by U+FFFD. Save the file again as UTF-8.",
                ),
            )
    with path.open("rb") as handle:
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        has_multibyte = False
        bad_blocks = 0
        while block := handle.read(sample_bytes):
            has_multibyte = has_multibyte or any(b >= 0x80 for b in block[:65536])
            try:
                decoder.decode(block)
            except UnicodeDecodeError:
                bad_blocks += 1
                decoder = codecs.getincrementaldecoder("utf-8")()
                has_multibyte = has_multibyte or _has_utf8_multibyte(block)
        try:
            decoder.decode(b"", final=True)  # a file ending inside a multibyte character
        except UnicodeDecodeError:
            bad_blocks += 1
    if not bad_blocks:
        return "utf-8", "strict", ()
    if has_multibyte and _has_utf8_multibyte_file(path):
        return (
            "utf-8",
            _MIXED_ERRORS,
            (
                f"{path.name}: mixes UTF-8 and Windows-1252 text; bytes that are not UTF-8 were read as "
                "Windows-1252. Check accented names in the output; save the file as UTF-8 to avoid this.",
            ),
        )
    return "cp1252", "replace", (f"{path.name}: not UTF-8; read as Windows-1252 (cp1252).",)


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as handle:
            while block := handle.read(4 << 20):
                decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _has_utf8_multibyte(block: bytes) -> bool:
    return _UTF8_MULTIBYTE.search(block) is not None


def _has_utf8_multibyte_file(path: Path) -> bool:
    with path.open("rb") as handle:
        while block := handle.read(4 << 20):
            if _has_utf8_multibyte(block):
                return True
    return False


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
        return tuple(str(h) for h in part.frame.columns if h != ROW_NUMBER_COLUMN)
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
        yield from _csv_chunks(path, chunk_rows)
    elif fmt == "xlsx":
        from interdiction.shipments._spreadsheet import xlsx_chunks

        yield from xlsx_chunks(path, chunk_rows)
    elif fmt == "jsonl":
        yield from _jsonl_chunks(path, chunk_rows)
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
    for chunk in iter_raw_chunks(path, chunk_rows=chunk_rows):
        headers = [h for h in chunk.frame.columns if h != ROW_NUMBER_COLUMN]
        if resolution is None or headers != resolution_headers:
            resolution_headers = headers
            resolution = resolve_headers(resolution_headers, mapping=mapping, file_label=path.name)
        records, warnings = normalise_chunk(
            chunk.frame, resolution, source_file=path.name, first_row=chunk.first_row, today=today
        )
        notes = [
            RecordError("", path.name, 0, "(file)", "warning", note)
            for note in (*chunk.notes, *resolution.notes)
        ]
        extra = errors_frame([*notes, *chunk.rejected])
        frames = [f for f in (extra, warnings) if len(f)]
        errors = pd.concat(frames, ignore_index=True) if frames else warnings
        yield records, errors


def _csv_chunks(path: Path, chunk_rows: int) -> Iterator[RawChunk]:
    produced = 0
    try:
        for chunk in _csv_chunks_unchecked(path, chunk_rows):
            produced += chunk.n_inputs
            yield chunk
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeError, csv.Error) as exc:
        raise InputFileError(
            f"{path.name}: cannot parse the CSV after data row {produced} ({exc}); the rest of the "
            'file was not screened. Check quoting (an unclosed " swallows the rest) and the encoding.'
        ) from exc


def _csv_chunks_unchecked(path: Path, chunk_rows: int) -> Iterator[RawChunk]:
    encoding, errors, notes = detect_encoding(path)
    sep = "\t" if path.suffix.lower() == ".tsv" else _sniff_separator(path, encoding, errors)
    yielded = 0
    pending_notes = notes
    try:
        for frame in _csv_reader(path, encoding, errors, sep, chunk_rows, engine="c"):
            chunk = RawChunk(frame, yielded + 1, len(frame), notes=pending_notes)
            pending_notes = ()
            yielded += len(frame)
            yield chunk
        return
    except pd.errors.ParserError as exc:
        first_problem = str(exc)
    except pd.errors.EmptyDataError:
        raise InputFileError(f"{path.name}: the file is empty; nothing to screen.") from None
    except UnicodeError as exc:
        raise InputFileError(
            f"{path.name}: cannot decode the text ({exc}); save it as UTF-8."
        ) from exc
    # A malformed line (more fields than the header): re-read with the Python parser from where
    # the fast one stopped, keeping surplus fields in the last column instead of losing them.
    malformed: list[str] = []

    def keep_surplus(fields: list[str]) -> list[str]:
        malformed.append(",".join(fields)[:80])
        return [*fields[: width - 1], ",".join(fields[width - 1 :])]

    width = len(pd.read_csv(path, nrows=0, encoding=encoding, encoding_errors=errors, sep=sep,
                            engine="python").columns)  # fmt: skip
    reader = _csv_reader(
        path, encoding, errors, sep, chunk_rows, engine="python", on_bad_lines=keep_surplus
    )
    seen = 0
    for frame in reader:
        if seen + len(frame) <= yielded:
            seen += len(frame)
            continue
        frame = frame.iloc[max(0, yielded - seen) :].reset_index(drop=True)
        seen = yielded
        note = (
            f"{path.name}: {len(malformed)} line(s) had more fields than the header ({first_problem}); "
            f"the surplus was kept in the last column. First: {malformed[0]!r}. Check quoting."
            if malformed
            else ""
        )
        chunk = RawChunk(
            frame, seen + 1, len(frame), notes=(*pending_notes, *([note] if note else []))
        )
        pending_notes, malformed[:] = (), []
        seen += len(frame)
        yielded = seen
        yield chunk


def _csv_reader(
    path: Path, encoding: str, errors: str, sep: str, chunk_rows: int, **options: object
) -> Iterator[pd.DataFrame]:
    kwargs: dict[str, object] = dict(
        encoding=encoding, encoding_errors=errors, dtype=str, keep_default_na=False,
        na_filter=False, chunksize=chunk_rows, skip_blank_lines=True,
    )  # fmt: skip
    kwargs["sep"] = sep
    kwargs.update(options)
    with pd.read_csv(path, **kwargs) as reader:
        yield from reader


def _sniff_separator(path: Path, encoding: str, errors: str) -> str:
    with path.open(encoding=encoding, errors=errors, newline="") as handle:
        header = handle.readline()
    counts = {sep: header.count(sep) for sep in (",", ";", "\t", "|")}
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] else ","


def _jsonl_chunks(path: Path, chunk_rows: int) -> Iterator[RawChunk]:
    produced = 0
    try:
        for chunk in _jsonl_chunks_unchecked(path, chunk_rows):
            produced += chunk.n_inputs
            yield chunk
    except UnicodeError as exc:
        raise InputFileError(
            f"{path.name}: cannot decode line {produced + 1} or later ({exc}); the rest of the file was "
            "not screened. Save it as UTF-8."
        ) from exc


def _jsonl_chunks_unchecked(path: Path, chunk_rows: int) -> Iterator[RawChunk]:
    encoding, errors, notes = detect_encoding(path)
    rows: list[dict[str, object]] = []
    rejected: list[RecordError] = []
    first, n = 1, 0
    with path.open(encoding=encoding, errors=errors) as handle:
        for line in handle:
            if not line.strip():
                continue
            n += 1
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                value = exc
            if isinstance(value, dict):
                rows.append(_flatten(value))
            else:
                reason = (
                    f"not a JSON object ({value})"
                    if isinstance(value, Exception)
                    else "not a JSON object"
                )
                rejected.append(RecordError(f"{path.name}#{first + n - 1}", path.name, first + n - 1,
                                            "(row)", "error", f"{reason}; fix the line and run again"))  # fmt: skip
                rows.append({})
            if n == chunk_rows:
                yield _jsonl_chunk(rows, first, n, rejected, notes)
                notes, rows, rejected, first, n = (), [], [], first + n, 0
    if n or first == 1:
        yield _jsonl_chunk(rows, first, n, rejected, notes)


def _jsonl_chunk(
    rows: list[dict[str, object]],
    first: int,
    n: int,
    rejected: list[RecordError],
    notes: tuple[str, ...],
) -> RawChunk:
    frame = pd.DataFrame(rows)
    if rejected:
        bad = [e.source_row - first for e in rejected]
        frame = frame.drop(index=bad)
    return _with_gaps(frame, first, n, tuple(rejected), notes)


def _with_gaps(
    frame: pd.DataFrame,
    first: int,
    n: int,
    rejected: tuple[RecordError, ...],
    notes: tuple[str, ...],
) -> RawChunk:
    # Unreadable rows are removed from the frame; the frame's index keeps each row's offset so
    # source_row stays true. normalise_chunk numbers rows consecutively, so readers with gaps
    # store the true row numbers in a hidden column the pipeline honours.
    frame = frame.copy()
    frame[ROW_NUMBER_COLUMN] = frame.index.to_numpy() + first
    return RawChunk(frame.reset_index(drop=True), first, n, rejected, notes)


def _flatten(value: dict[str, object], prefix: str = "") -> dict[str, object]:
    flat: dict[str, object] = {}
    for key, item in value.items():
        name = f"{prefix}{key}"
        if isinstance(item, dict):
            flat.update(_flatten(item, f"{name}."))
        elif isinstance(item, list):
            flat[name] = ";".join(
                json.dumps(i, ensure_ascii=False) if isinstance(i, dict | list) else str(i)
                for i in item
            )
        else:
            flat[name] = item
    return flat


def _parquet_chunks(path: Path, chunk_rows: int) -> Iterator[RawChunk]:
    from interdiction.shipments._parquet import parquet_slices

    for part in parquet_slices(path, chunk_rows):
        yield part.load()
