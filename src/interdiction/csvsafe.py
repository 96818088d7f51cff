"""Spreadsheet-safe CSV cells: no value a user gave us may run as a formula when opened.

A spreadsheet runs a cell that starts with "=", "+", "-" or "@" as a formula
("=HYPERLINK(...)"); a leading tab or carriage return can hide one (OWASP CSV injection). Such
cells get a leading apostrophe, which spreadsheets show as text. A line feed cannot start a
formula, and a molfile from an SDF input starts with one (its blank title line), so it is left.
SMILES, CAS numbers and names never start with these characters, so real values are unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FORMULA_START", "safe_cell", "safe_column"]

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
