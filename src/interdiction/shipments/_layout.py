"""Where a table starts and which rows are not records: header rows below a title, totals rows.

Excel exports often put a title and a blank row above the real header row ("SwiftLink Logistics
(HK) Ltd - Daily Export Manifest 2025-06-02", then the headers in row 3) and close with a totals
row ("TOTAL | 124 HAWBs | ... | 592.4"). Readers find the header row among the first rows
(``choose_header_row``); normalise rejects totals rows with a row error (``totals_rows``), so
neither becomes a shipment and ``inputs = results + rejected`` still holds. Totals words:
``data/mappings/table_layout.yaml``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd
import yaml

from interdiction.errors import ReferenceDataError
from interdiction.shipments.mapping import header_row_score

__all__ = ["HEADER_SEARCH_ROWS", "choose_header_row", "header_row_note", "totals_rows"]

# Rows (non-empty) looked at for the header row when the first one is not a header: a title, a
# subtitle, a date line and a blank row rarely take more than five; 15 leaves room for a block
# of notes above the table without reading data rows as candidates for long.
HEADER_SEARCH_ROWS = 15
# A totals row names itself in its first cells ("TOTAL", or a blank first column and "Total").
_TOTALS_FIRST_COLUMNS = 3


def choose_header_row(rows: Sequence[Sequence[object]]) -> int | None:
    """Index (into ``rows``) of the row that best reads as the header row, or None for the first.

    The first row is the header whenever it gives a goods description column (today's files keep
    reading as before). Otherwise the row among the first ``HEADER_SEARCH_ROWS`` that feeds the
    most canonical columns, with a description among them, is chosen; the earliest wins a tie.
    None also when no row gives a description (the caller's error then names the first row).
    """
    if not rows or header_row_score(rows[0]) >= 0:
        return None
    best, best_score = None, -1
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        score = header_row_score(row) if index else -1
        if score > best_score:
            best, best_score = index, score
    return best


def header_row_note(file_label: str, unit: str, header: int, title: str) -> str:
    """The file-level note saying which row is the header and that the rows above were skipped.

    Args:
        file_label: file name used in the note.
        unit: what a row is called in this format ("row" in a sheet, "line" in a text file).
        header: 1-based number of the header row (2 or more).
        title: the first text above it, shown so the user recognises it.

    Example: "m.xlsx: the header row is row 3; rows 1-2 above it (a title or notes: 'Daily
    manifest') were not read as records."
    """
    span = f"{unit}s 1-{header - 1}" if header > 2 else f"{unit} 1"
    shown = f": {title[:80]!r}" if title else ""
    return (
        f"{file_label}: the header row is {unit} {header}; {span} above it (a title or notes"
        f"{shown}) were not read as records."
    )


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return re.sub(r"[\W_]+", "", "".join(c for c in decomposed if not unicodedata.combining(c)))


@lru_cache(maxsize=1)
def _totals_words() -> frozenset[str]:
    path = resources.files("interdiction") / "data" / "mappings" / "table_layout.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries = data.get("totals_words") if isinstance(data, dict) else None
    if (
        not isinstance(data, dict)
        or not data.get("version")
        or not isinstance(entries, list)
        or not all(isinstance(e, dict) and e.get("source") and e.get("words") for e in entries)
    ):
        raise ReferenceDataError(
            "table_layout.yaml needs `version` and `totals_words` entries with words and a source."
        )
    return frozenset(_fold(str(word)) for entry in entries for word in entry["words"])


def totals_rows(raw: pd.DataFrame, description: pd.Series, columns: Sequence[str]) -> np.ndarray:
    """Boolean mask of totals rows: no goods description, and the first filled cell (within the
    first three columns) is a totals word ("TOTAL", "Grand total:", "合计").

    Args:
        raw: the chunk's cells under the file's headers.
        description: the chunk's goods descriptions as text, "" when blank (same length as raw).
        columns: the file's headers in file order (without hidden columns).
    """
    mask = np.zeros(len(raw), dtype=bool)
    blank = np.flatnonzero((description == "").to_numpy())
    if not len(blank):
        return mask
    words = _totals_words()
    first = list(columns[:_TOTALS_FIRST_COLUMNS])
    cells = raw[first].iloc[blank].to_numpy(dtype=object)
    for row, values in zip(blank, cells, strict=True):
        for value in values:
            if value is None or (isinstance(value, float) and np.isnan(value)):
                continue
            text = str(value).strip()
            if text:
                mask[row] = _fold(text) in words
                break
    return mask
