"""CSV cells never run as spreadsheet formulas, and nothing is dropped."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from interdiction.csvsafe import FORMULA_START, safe_cell, safe_column


@given(st.text(max_size=40))
def test_cell_is_inert_and_complete(text: str) -> None:
    cell = safe_cell(text)
    assert not cell.startswith(FORMULA_START)
    assert cell in (text, "'" + text)


def test_column_matches_cell_by_cell() -> None:
    values = pd.Series(["=1+2", "CCO", None, "@SUM(A1)", "-3", "\nmolfile", "+x"])
    assert safe_column(values).tolist() == [safe_cell(v) for v in values.tolist()]
    assert safe_cell("\nmolfile") == "\nmolfile"
