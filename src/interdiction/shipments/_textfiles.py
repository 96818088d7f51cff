"""Text inputs for readers.py: encoding detection, CSV (fast parser, careful fallback), JSON Lines.

A name ending in .gz (``m.csv.gz``, ``m.jsonl.gz``) is read through gzip everywhere: the encoding
is detected on the decompressed text, and damaged gzip data is an ``InputFileError``.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import json
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pandas as pd

from interdiction.errors import InputFileError
from interdiction.shipments._chunk import RawChunk
from interdiction.shipments.mapping import names_goods
from interdiction.shipments.normalise import ITEM_NUMBER_COLUMN, ROW_NUMBER_COLUMN
from interdiction.shipments.records import RecordError
from interdiction.substances.textfile import open_binary

__all__ = ["csv_chunks", "detect_encoding", "jsonl_chunks"]

_MIXED_ERRORS = "interdiction-utf8-cp1252"
# The careful fallback parser (pandas' python engine) is Python's csv module, whose default
# field limit (128 kB) is below a long cell's size; the fast parser has none. Raise the limit
# (never lower it: it is process-wide) so one long cell does not refuse a file with a malformed
# line; normalise truncates the cell to MAX_CELL_CHARS with a warning.
csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    # A file saved partly by Excel on Windows: bytes that are not UTF-8 are read as cp1252.
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    chunk = exc.object[exc.start : exc.end]
    return bytes(chunk).decode("cp1252", errors="replace"), exc.end


codecs.register_error(_MIXED_ERRORS, _cp1252_fallback)


def detect_encoding(path: Path, *, sample_bytes: int = 4 << 20) -> tuple[str, str, tuple[str, ...]]:
    """(encoding, errors handler, notes) to read a text file with.

    BOMs decide first (UTF-8-sig, UTF-16). Otherwise UTF-8 is checked over the whole file (in
    blocks, so memory stays flat); a file that is not UTF-8 is read as cp1252 when it has no
    UTF-8 multibyte sequences, and as "UTF-8 with cp1252 fallback" when it mixes both.
    """
    with open_binary(path) as handle:
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
    with open_binary(path) as handle:
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
        with open_binary(path) as handle:
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
    with open_binary(path) as handle:
        while block := handle.read(4 << 20):
            if _has_utf8_multibyte(block):
                return True
    return False


def _open_text(path: Path, encoding: str, errors: str, newline: str | None = None) -> IO[str]:
    return io.TextIOWrapper(open_binary(path), encoding=encoding, errors=errors, newline=newline)


# What gzip raises on a damaged or truncated stream (BadGzipFile is an OSError).
_GZIP_ERRORS = (EOFError, zlib.error, OSError)


def _gzip_damaged(path: Path, produced: int, exc: Exception) -> InputFileError:
    return InputFileError(
        f"{path.name}: the gzip data is damaged or cut short after data row {produced} ({exc}); "
        "the rest of the file was not screened. Compress the file again, or give it uncompressed."
    )


def csv_chunks(path: Path, chunk_rows: int) -> Iterator[RawChunk]:
    produced = 0
    try:
        for chunk in _csv_chunks_unchecked(path, chunk_rows):
            produced += chunk.n_inputs
            yield chunk
    except _GZIP_ERRORS as exc:
        if path.suffix.lower() != ".gz":
            raise
        raise _gzip_damaged(path, produced, exc) from exc
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeError, csv.Error) as exc:
        raise InputFileError(
            f"{path.name}: cannot parse the CSV after data row {produced} ({exc}); the rest of the "
            'file was not screened. Check quoting (an unclosed " swallows the rest) and the encoding.'
        ) from exc


def _csv_chunks_unchecked(path: Path, chunk_rows: int) -> Iterator[RawChunk]:
    encoding, errors, notes = detect_encoding(path)
    tsv = path.suffix.lower() == ".tsv"
    sep = "\t" if tsv else _sniff_separator(path, encoding, errors)
    skip, sep, header_notes = _header_line(path, encoding, errors, sep, fixed=tsv)
    yielded = 0
    pending_notes = (*notes, *header_notes)
    try:
        for frame in _csv_reader(path, encoding, errors, sep, chunk_rows, skip, engine="c"):
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

    with _lines_after(path, encoding, errors, skip) as source:
        width = len(pd.read_csv(source, nrows=0, sep=sep, engine="python").columns)
    reader = _csv_reader(
        path, encoding, errors, sep, chunk_rows, skip, engine="python", on_bad_lines=keep_surplus
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
    path: Path,
    encoding: str,
    errors: str,
    sep: str,
    chunk_rows: int,
    skip: int = 0,
    **options: object,
) -> Iterator[pd.DataFrame]:
    kwargs: dict[str, object] = dict(
        dtype=str, keep_default_na=False, na_filter=False, chunksize=chunk_rows,
        skip_blank_lines=True,
    )  # fmt: skip
    kwargs["sep"] = sep
    kwargs.update(options)
    if not skip:
        with pd.read_csv(path, encoding=encoding, encoding_errors=errors, **kwargs) as reader:
            yield from reader
        return
    with (
        _lines_after(path, encoding, errors, skip) as source,
        pd.read_csv(source, **kwargs) as reader,
    ):
        yield from reader


@contextlib.contextmanager
def _lines_after(path: Path, encoding: str, errors: str, skip: int) -> Iterator[IO[str]]:
    """The text of the file from its physical line ``skip + 1`` on (the header line)."""
    # Both pandas parsers count skipped rows differently (records or physical lines); reading
    # past the title lines here, the way _header_line counted them, keeps them in step.
    with _open_text(path, encoding, errors, newline="") as handle:
        for _ in range(skip):
            handle.readline()
        yield handle


# The header line is looked for among this many physical lines at most (blank lines and a
# multi-line title included), each read up to this many characters: a header is never 1 MB.
_MAX_SCANNED_LINES = 200
_MAX_HEADER_CHARS = 1 << 20


def _header_line(
    path: Path, encoding: str, errors: str, sep: str, *, fixed: bool
) -> tuple[int, str, tuple[str, ...]]:
    """(physical lines before the header line, separator, note) for a delimited file.

    The first line is the header whenever it gives a goods description column, as before. When
    it does not (a title line "Daily Export Manifest 2025-06-02" above the table), the line among
    the first ``HEADER_SEARCH_ROWS`` filled ones that feeds the most canonical columns is the
    header, under whichever separator reads it best (a title may hold no separator at all), and
    a note says which line it is.
    """
    from interdiction.shipments._layout import HEADER_SEARCH_ROWS, header_row_note
    from interdiction.shipments.mapping import header_row_score

    lines: list[str] = []
    filled = 0
    with _open_text(path, encoding, errors, newline="") as handle:
        while filled < HEADER_SEARCH_ROWS and len(lines) < _MAX_SCANNED_LINES:
            line = handle.readline(_MAX_HEADER_CHARS)
            if not line or len(line) >= _MAX_HEADER_CHARS:
                break
            lines.append(line)
            filled += bool(line.strip())
    separators = [sep] if fixed else [sep, *(s for s in (",", ";", "\t", "|") if s != sep)]
    scores: dict[tuple[str, ...], int] = {}

    def records(delimiter: str) -> list[tuple[int, list[str]]]:
        found: list[tuple[int, list[str]]] = []
        reader = csv.reader(lines, delimiter=delimiter)
        start = 0
        try:
            for cells in reader:
                if any(cell.strip() for cell in cells):
                    found.append((start, cells))
                start = reader.line_num
        except csv.Error:
            pass  # an unclosed quote or a NUL byte: the records read so far are the candidates
        return found[:HEADER_SEARCH_ROWS]

    def score(cells: list[str]) -> int:
        key = tuple(cells)
        if key not in scores:
            scores[key] = header_row_score(cells)
        return scores[key]

    first = records(sep)
    if not first or score(first[0][1]) >= 0:
        return 0, sep, ()
    best: tuple[tuple[int, int, int], int, str] | None = None
    for rank, delimiter in enumerate(separators):
        for start, cells in records(delimiter):
            value = score(cells)
            key = (value, -start, -rank)  # most columns, then the earliest line, then sniffed
            if value >= 0 and (best is None or key > best[0]):
                best = (key, start, delimiter)
    if best is None:
        return 0, sep, ()
    _, start, chosen = best
    if start == 0:
        return 0, chosen, ()  # the first line reads as a header with another separator
    title = next(cell.strip() for cell in first[0][1] if cell.strip())
    return start, chosen, (header_row_note(path.name, "line", start + 1, title),)


def _sniff_separator(path: Path, encoding: str, errors: str) -> str:
    with _open_text(path, encoding, errors, newline="") as handle:
        header = handle.readline()
    counts = {sep: header.count(sep) for sep in (",", ";", "\t", "|")}
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] else ","


def jsonl_chunks(path: Path, chunk_rows: int) -> Iterator[RawChunk]:
    produced = 0
    try:
        for chunk in _jsonl_chunks_unchecked(path, chunk_rows):
            produced += chunk.n_inputs
            yield chunk
    except _GZIP_ERRORS as exc:
        if path.suffix.lower() != ".gz":
            raise
        raise _gzip_damaged(path, produced, exc) from exc
    except UnicodeError as exc:
        raise InputFileError(
            f"{path.name}: cannot decode line {produced + 1} or later ({exc}); the rest of the file was "
            "not screened. Save it as UTF-8."
        ) from exc


def _jsonl_chunks_unchecked(path: Path, chunk_rows: int) -> Iterator[RawChunk]:
    # A chunk covers ``chunk_rows`` lines; a line with a goods-item array gives a record per
    # item, so a chunk's n_inputs counts records (and rejected lines): inputs = results + rejected.
    encoding, errors, notes = detect_encoding(path)
    rows: list[dict[str, object]] = []
    rejected: list[RecordError] = []
    split: set[str] = set()  # paths of the goods-item arrays split so far
    first, n, lines_split = 1, 0, 0
    with _open_text(path, encoding, errors) as handle:
        for line in handle:
            if not line.strip():
                continue
            n += 1
            number = first + n - 1
            items: list[dict[str, object]] | None = None
            reason = "not a JSON object"
            try:
                value = json.loads(line)
                items = _line_records(value, split) if isinstance(value, dict) else None
            except json.JSONDecodeError as exc:
                reason = f"not a JSON object ({exc})"
            except RecursionError:  # "[[[[..." thousands deep: json and _flatten recurse
                reason = "not a JSON object (nested too deeply to read)"
            if items is None:
                rejected.append(RecordError(f"{path.name}#{number}", path.name, number,
                                            "(row)", "error", f"{reason}; fix the line and run again"))  # fmt: skip
            else:
                lines_split += ITEM_NUMBER_COLUMN in items[0]
                rows.extend({**item, ROW_NUMBER_COLUMN: number} for item in items)
            if n == chunk_rows:
                yield _jsonl_chunk(path.name, rows, first, n, lines_split, rejected, notes)
                notes, rows, rejected, first, n, lines_split = (), [], [], first + n, 0, 0
    if n or first == 1:
        yield _jsonl_chunk(path.name, rows, first, n, lines_split, rejected, notes)


def _jsonl_chunk(
    name: str,
    rows: list[dict[str, object]],
    first: int,
    n: int,
    lines_split: int,
    rejected: list[RecordError],
    notes: tuple[str, ...],
) -> RawChunk:
    # Unreadable lines are left out of the frame; each record carries its line number in a
    # hidden column the pipeline honours, as a line split into goods items gives several.
    frame = pd.DataFrame(rows)
    if ROW_NUMBER_COLUMN not in frame.columns:
        frame[ROW_NUMBER_COLUMN] = pd.Series([], dtype="int64")
    if lines_split:
        records = int(frame[ITEM_NUMBER_COLUMN].notna().sum())
        notes = (*notes, f"{name}: lines {first}-{first + n - 1}: {lines_split} line(s) with an "
                 f"array of goods items gave {records} records, one per item (each keeps its line "
                 "number as source_row; record_id ends in the item number); the counts of input "
                 "records are of these item records.")  # fmt: skip
    return RawChunk(frame, first, len(frame) + len(rejected), tuple(rejected), notes)


def _line_records(value: dict[str, object], split: set[str]) -> list[dict[str, object]]:
    """One JSON line's records: one per item of its goods-item array, else the line itself.

    The array split is the first array of objects whose items name a goods description
    (``mapping.names_goods``); only that one. The line's other fields are repeated on each
    item's record; an item field under the same name as a line field wins, and the line's
    value is kept as ``consignment.<name>``. An empty goods-item array (at a path split before)
    gives one record without a description.
    """
    found = _goods_array(value, "", split)
    if found is None:
        return [_flatten(value, skip=split)]
    path, items = found
    split.add(path)
    base = _flatten(value, skip={path})
    records = []
    for number, item in enumerate(items, start=1):
        own = _flatten(item)
        record = {(f"consignment.{k}" if k in own else k): v for k, v in base.items()}
        records.append({**record, **own, ITEM_NUMBER_COLUMN: str(number)})
    return records


def _goods_array(
    value: dict[str, object], prefix: str, split: set[str]
) -> tuple[str, list[dict[str, object]]] | None:
    for key, item in value.items():
        name = f"{prefix}{key}"
        if isinstance(item, dict):
            found = _goods_array(item, f"{name}.", split)
            if found is not None:
                return found
        elif isinstance(item, list) and item and all(isinstance(i, dict) for i in item):
            keys = tuple(sorted({k for i in item for k in _flatten(i)}))
            if name in split or names_goods(keys):
                return name, item
    return None


def _flatten(
    value: dict[str, object], prefix: str = "", skip: set[str] | frozenset[str] = frozenset()
) -> dict[str, object]:
    # ``skip``: dotted paths of goods-item arrays, read as records of their own; an empty one
    # there gives no column.
    flat: dict[str, object] = {}
    for key, item in value.items():
        name = f"{prefix}{key}"
        if isinstance(item, dict):
            flat.update(_flatten(item, f"{name}.", skip))
        elif isinstance(item, list):
            if name in skip:
                continue
            flat[name] = ";".join(
                json.dumps(i, ensure_ascii=False) if isinstance(i, dict | list) else str(i)
                for i in item
            )
        else:
            flat[name] = item
    return flat
