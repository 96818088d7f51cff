"""Spreadsheet-safe CSV cells: no value a user gave us may run as a formula when opened.

A spreadsheet runs a cell that starts with "=", "+", "-" or "@" as a formula
("=HYPERLINK(...)"); a leading tab or carriage return can hide one (OWASP CSV injection). Such
cells get a leading apostrophe, which spreadsheets show as text. A line feed cannot start a
formula, and a molfile from an SDF input starts with one (its blank title line), so it is left.
SMILES, CAS numbers and names never start with these characters, so real values are unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FORMULA_START", "safe_cell", "safe_column", "safe_frame", "safe_table"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The value as text that no spreadsheet will execute; nothing the user gave is dropped."""
    missing = value is None or (isinstance(value, float) and value != value)  # None or NaN
    text = "" if missing else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def safe_column(values: pd.Series) -> pd.Series:
    """``safe_cell`` over a text column, vectorised (for large shipment tables)."""
    text = values.astype("string").fillna("")
    risky = text.str.startswith(FORMULA_START)
    return text.where(~risky, "'" + text)


def safe_table(table: Any) -> Any:
    """``safe_cell`` over every text column of a pyarrow Table, in Arrow (fast on large tables).

    Used for CSV output only; Parquet keeps the values exactly as read.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = []
    for field, column in zip(table.schema, table.columns, strict=True):
        if pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            first = pc.utf8_slice_codeunits(column, 0, 1)
            risky = pc.fill_null(pc.is_in(first, value_set=pa.array(FORMULA_START)), False)
            if pc.any(risky).as_py():
                quoted = pc.binary_join_element_wise("'", column, "")
                column = pc.if_else(risky, quoted, column)
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=table.schema)


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of a small DataFrame with every text column made spreadsheet-safe."""
    out = frame.copy()
    for name in out.columns:
        if out[name].dtype == object or str(out[name].dtype).startswith("string"):
            out[name] = safe_column(out[name])
    return out
