"""The ``check`` and ``substances history`` commands as a user runs them."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from interdiction.cli.main import cli

FENTANYL = "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"


def test_single_check_prints_status_basis_and_citation() -> None:
    result = CliRunner().invoke(cli, ["check", "125541-22-2"])
    assert result.exit_code == 0, result.output
    assert "precursor" in result.output and "US" in result.output
    assert "source:" in result.output


def test_json_format_carries_reasons() -> None:
    result = CliRunner().invoke(cli, ["check", FENTANYL, "--format", "json"])
    data = json.loads(result.output)
    assert data["us_status"] == "controlled"
    assert data["details"]["us"]["reasons"][0]["citation"]


def test_svg_written_with_highlight(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["check", "CCC(=O)N(c1ccccn1)C1CCN(CCc2ccccc2)CC1", "--svg", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    svgs = list(tmp_path.glob("*.svg"))
    assert len(svgs) == 1
    assert "<svg" in svgs[0].read_text() and "fill:#" in svgs[0].read_text()


def test_batch_keeps_every_row_and_writes_report(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "id,smiles\n1," + FENTANYL + "\n2,garbage((\n3,CCO\n4,=1+2\n", encoding="utf-8"
    )
    out, report = tmp_path / "v.csv", tmp_path / "r.html"
    result = CliRunner().invoke(
        cli,
        [
            "check",
            "--input",
            str(source),
            "--column",
            "smiles",
            "--output",
            str(out),
            "--report",
            str(report),
            "--no-progress",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["row"] for r in rows] == ["1", "2", "3", "4"]
    assert rows[0]["us_status"] == "controlled"
    assert rows[1]["us_status"] == "invalid-input" and rows[1]["error"]
    assert rows[3]["input"] == "'=1+2"
    page = report.read_text(encoding="utf-8")
    assert "<svg" in page and "invalid input" in page


def test_unreadable_file_is_the_only_nonzero_exit(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "--input", str(tmp_path / "missing.csv")])
    assert result.exit_code == 2
    assert "missing.csv" in result.output


def test_history_shows_dated_changes() -> None:
    result = CliRunner().invoke(cli, ["substances", "history", "4-piperidone"])
    assert result.exit_code == 0, result.output
    assert "2023-05-12" in result.output  # US List I
    assert "US:" in result.output and "CA:" in result.output


def test_help_teaches_with_examples() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "interdiction", "check", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Examples:" in out and "--as-of" in out


def test_batch_errors_are_rows_not_rdkit_noise(tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text('input\n=HYPERLINK("x")\nC1CC(\nC1CC(\nCCO\n', encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "interdiction",
            "check",
            "--input",
            str(source),
            "--no-progress",
            "--jobs",
            "1",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "SMILES Parse Error" not in done.stderr
    rows = list(csv.DictReader(done.stdout.splitlines()))
    assert [bool(r["error"]) for r in rows] == [True, True, True, False]
    assert "position 5" in rows[1]["error"]
