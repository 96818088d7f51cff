"""XLSX reading for readers.py: openpyxl in read-only mode, first sheet, streamed row by row."""

from __future__ import annotations

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
    """Yield RawChunk objects of the first worksheet; the first non-empty row is the header.

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


def _sheet_chunks(path: Path, sheet: Any, chunk_rows: int) -> Iterator[RawChunk]:
    rows = sheet.iter_rows(values_only=True)
    header: list[str] | None = None
    for values in rows:
        if any(v is not None and str(v).strip() for v in values):
            header = _header(values)
            break
    if header is None:
        raise InputFileError(f"{path.name}: the first worksheet is empty; nothing to screen.")
    width = len(header)
    batch: list[tuple[object, ...]] = []
    numbers: list[int] = []
    first, row_number = 1, 0
    for values in rows:
        row_number += 1
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue  # empty or formatted-but-empty rows are not records
        batch.append(tuple(values[:width]) + (None,) * (width - len(values)))
        numbers.append(row_number)
        if len(batch) == chunk_rows:
            yield _chunk(batch, header, numbers, first)
            first, batch, numbers = row_number + 1, [], []
    if batch or first == 1:
        yield _chunk(batch, header, numbers, first)


def _chunk(
    batch: list[tuple[object, ...]], header: list[str], numbers: list[int], first: int
) -> RawChunk:
    from interdiction.shipments._chunk import RawChunk
    from interdiction.shipments.normalise import ROW_NUMBER_COLUMN

    frame = pd.DataFrame(batch, columns=header)
    frame[ROW_NUMBER_COLUMN] = pd.Series(numbers, dtype="int64")
    return RawChunk(frame, first, len(batch))


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
