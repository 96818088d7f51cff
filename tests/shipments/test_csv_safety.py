"""Shipment outputs opened in a spreadsheet never run a user's cell as a formula."""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from interdiction.cli.main import cli

SAMPLE = Path(str(resources.files("interdiction") / "data" / "samples" / "manifest.csv"))


def test_formula_cells_are_inert_in_csv_and_exact_in_parquet(tmp_path: Path) -> None:
    with SAMPLE.open(encoding="utf-8") as handle:
        rows = [row for _, row in zip(range(12), csv.DictReader(handle), strict=False)]
    rows[3]["description"] = '=HYPERLINK("http://example.invalid","x")'
    rows[4]["consignee_name"] = "@SUM(A1)"
    source = tmp_path / "evil.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["screen", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    written = list(csv.DictReader((out / "records.csv").open(encoding="utf-8")))
    by_id = {row["record_id"]: row for row in written}
    assert by_id[rows[3]["record_id"]]["description"] == "'" + rows[3]["description"]
    assert by_id[rows[4]["record_id"]]["consignee_name"] == "'@SUM(A1)"
    for row in written:
        assert not any(value.startswith(("=", "+", "-", "@")) for value in row.values())
    parquet = pd.read_parquet(out / "records.parquet").set_index("record_id")
    assert parquet.loc[rows[3]["record_id"], "description"] == rows[3]["description"]
