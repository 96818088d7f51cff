"""XLSX reading for readers.py: openpyxl in read-only mode, first sheet, streamed row by row."""

from __future__ import annotations

import itertools
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from interdiction.errors import InputFileError

if TYPE_CHECKING:
    from interdiction.shipments._chunk import RawChunk

__all__ = ["xlsx_chunks"]


# What a damaged workbook raises from openpyxl, zipfile, zlib or the XML parser (ParseError is a
# SyntaxError), on opening or halfway through the rows.
_DAMAGED = (
    zipfile.BadZipFile, zlib.error, EOFError, KeyError, IndexError, OSError, ValueError,
    NotImplementedError, SyntaxError,
)  # fmt: skip


def xlsx_chunks(path: Path, chunk_rows: int) -> Iterator[RawChunk]:
    """Yield RawChunk objects of the first worksheet.

    The first non-empty row is the header, unless it gives no goods description column and a
    row below it does (a title above the table): then that row is, and a note says so.

    Raises:
        InputFileError: the file is not a readable XLSX workbook, or is damaged part-way.
    """
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, *_DAMAGED) as exc:
        raise InputFileError(
            f"{path.name}: not a readable XLSX workbook ({exc}). Open and re-save it in a "
            "spreadsheet program, or export it as CSV."
        ) from exc
    produced = 0
    try:
        if not workbook.worksheets:
            raise InputFileError(f"{path.name}: the workbook has no worksheet; nothing to screen.")
        for chunk in _sheet_chunks(path, workbook.worksheets[0], chunk_rows):
            produced += chunk.n_inputs
            yield chunk
    except _DAMAGED as exc:
        raise InputFileError(
            f"{path.name}: the workbook is damaged after data row {produced} ({exc}); the rest was "
            "not screened. Open and re-save it in a spreadsheet program, or export it as CSV."
        ) from exc
    finally:
        workbook.close()


# Blank rows buffered while looking for the header row: a sheet formatted far below its data
# must not be held in memory; beyond this many rows the first filled row is the header.
_MAX_BUFFERED_ROWS = 1_000


def _filled(values: tuple[object, ...]) -> bool:
    return any(v is not None and str(v).strip() for v in values)


def _sheet_chunks(path: Path, sheet: Any, chunk_rows: int) -> Iterator[RawChunk]:
    from interdiction.shipments._layout import (
        HEADER_SEARCH_ROWS,
        choose_header_row,
        header_row_note,
    )

    rows = enumerate(sheet.iter_rows(values_only=True), start=1)
    # The first filled rows, with their sheet row numbers: the header may sit below a title.
    buffered: list[tuple[int, tuple[object, ...]]] = []
    filled: list[tuple[int, tuple[object, ...]]] = []
    for number, values in rows:
        if not filled and not _filled(values):
            continue  # blank rows above the first filled one are never records
        buffered.append((number, values))
        if _filled(values):
            filled.append((number, values))
            if len(filled) == HEADER_SEARCH_ROWS:
                break
        if len(buffered) >= _MAX_BUFFERED_ROWS and filled:
            break
    if not filled:
        raise InputFileError(f"{path.name}: the first worksheet is empty; nothing to screen.")
    chosen = choose_header_row([values for _, values in filled])
    header_number, header_values = filled[chosen or 0]
    header = _header(header_values)
    notes: tuple[str, ...] = ()
    if chosen:
        title = next(str(v).strip() for v in filled[0][1] if v is not None and str(v).strip())
        notes = (header_row_note(path.name, "row", header_number, title),)
    width = len(header)
    batch: list[tuple[object, ...]] = []
    numbers: list[int] = []
    first = 1
    rest = ((n, v) for n, v in buffered if n > header_number)
    for number, values in itertools.chain(rest, rows):
        # source_row counts the sheet rows under the header: its first row is 1.
        row_number = number - header_number
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue  # empty or formatted-but-empty rows are not records
        batch.append(tuple(values[:width]) + (None,) * (width - len(values)))
        numbers.append(row_number)
        if len(batch) == chunk_rows:
            yield _chunk(batch, header, numbers, first, notes)
            first, batch, numbers, notes = row_number + 1, [], [], ()
    if batch or first == 1:
        yield _chunk(batch, header, numbers, first, notes)


def _chunk(
    batch: list[tuple[object, ...]],
    header: list[str],
    numbers: list[int],
    first: int,
    notes: tuple[str, ...],
) -> RawChunk:
    from interdiction.shipments._chunk import RawChunk
    from interdiction.shipments.normalise import ROW_NUMBER_COLUMN

    frame = pd.DataFrame(batch, columns=header)
    frame[ROW_NUMBER_COLUMN] = pd.Series(numbers, dtype="int64")
    return RawChunk(frame, first, len(batch), notes=notes)


def _header(values: tuple[object, ...]) -> list[str]:
    names: list[str] = []
    for index, value in enumerate(values):
        name = (
            str(value).strip()
            if value is not None and str(value).strip()
            else f"column_{index + 1}"
        )
        while name in names:
            name = f"{name}_"
        names.append(name)
    while names and names[-1].startswith("column_"):
        names.pop()
    return names
