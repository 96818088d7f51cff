"""Output contract: column order, formula-safe cells, flags joined, table text."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from interdiction.regulations.model import JURISDICTIONS
from interdiction.substances.model import Flag, JurisdictionVerdict, Reason, SubstanceVerdict
from interdiction.substances.output import COLUMNS, format_table, safe_cell, verdict_row, write_csv


def _verdict(text: str = "C", status: str = "not-listed") -> SubstanceVerdict:
    return SubstanceVerdict(
        row=3,
        input=text,
        smiles="C",
        inchikey="VNWKTOKETHGBQD-UHFFFAOYSA-N",
        name="",
        jurisdictions=tuple(
            JurisdictionVerdict(j, status, "us-x" if j == "us" and status != "not-listed" else "")
            for j in JURISDICTIONS
        ),
        flags=(
            Flag("analogue-risk", "near fentanyl"),
            Flag("analogue-risk", "near other"),
            Flag("masked-precursor", "Boc"),
        ),
    )


def test_columns_follow_the_contract() -> None:
    assert COLUMNS[:5] == ("row", "input", "smiles", "inchikey", "name")
    assert COLUMNS[5:7] == ("us_status", "us_basis")
    assert COLUMNS[-4:] == ("uk_status", "uk_basis", "flags", "error")


def test_flags_are_unique_and_semicolon_joined() -> None:
    assert verdict_row(_verdict())["flags"] == "analogue-risk;masked-precursor"


@given(st.text(max_size=60))
def test_no_cell_can_start_a_formula(text: str) -> None:
    cell = safe_cell(text)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert cell.endswith(text)  # nothing the user gave is lost


def test_formula_input_is_kept_but_inert_in_csv() -> None:
    out = io.StringIO()
    list(write_csv([_verdict('=HYPERLINK("http://x")')], out))
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["input"] == '\'=HYPERLINK("http://x")'
    assert row["us_status"] == "not-listed"


def test_table_names_status_basis_and_reason() -> None:
    verdict = _verdict(status="precursor")
    us = JurisdictionVerdict(
        "us",
        "precursor",
        "us-npp",
        "List I",
        "2007-04-23",
        (Reason("us-npp", "72 FR 20039", "exact structure"),),
    )
    verdict = SubstanceVerdict(3, "NPP", "O=C1CCN(CCc2ccccc2)CC1", "", "NPP", (us,), ())
    text = format_table(verdict)
    assert "precursor" in text and "us-npp" in text and "72 FR 20039" in text and "List I" in text
