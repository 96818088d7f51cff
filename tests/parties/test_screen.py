"""Batch screening of a CSV and the `parties` CLI."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from interdiction.cli.main import cli
from interdiction.errors import InputFileError
from interdiction.parties.loaders import load_bundled_sample
from interdiction.parties.matcher import Matcher
from interdiction.parties.screen import (
    LONG_COLUMNS,
    WIDE_COLUMNS,
    ListsInUse,
    safe_cell,
    screen_csv,
)

SAMPLE_OFAC = (
    Path(__file__).resolve().parents[2]
    / "src"
    / "interdiction"
    / "data"
    / "lists"
    / "sample"
    / "ofac"
)


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.build(load_bundled_sample())


LISTS = ListsInUse("bundled sample", 344, False)


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def parties_csv(tmp_path: Path) -> Path:
    return _write(
        tmp_path / "parties.csv",
        [
            ["name", "country", "ids"],
            ["上海慈顺精细化工有限公司", "CN", ""],
            ['=HYPERLINK("http://x")', "", ""],
            ["", "", ""],
            ["Hubei Xinyuan Biotechnology Co., Ltd.", "CN", ""],
            ["bad\x01name", "", ""],
            ["x" * 10_000, "", ""],
            ["Unknown Trading", "", "91130104MA09YL9T2W; foo"],
        ],
    )


def test_one_row_per_input_row_in_order(
    tmp_path: Path, parties_csv: Path, matcher: Matcher
) -> None:
    out = tmp_path / "hits.csv"
    summary = screen_csv(
        parties_csv, out, country_column="country", id_column="ids", matcher=matcher, lists=LISTS
    )
    rows = _read(out)
    assert list(rows[0]) == list(WIDE_COLUMNS)
    assert [r["row"] for r in rows] == [str(i) for i in range(1, 8)]
    assert rows[0]["best_entity_id"] == "29897" and rows[0]["best_list"] == "ofac-sdn"
    assert float(rows[0]["best_score"]) >= 0.99
    assert "cishun" in rows[0]["explanation"]
    assert rows[3]["best_entity_id"] == "" and rows[3]["n_candidates"] == "0"
    assert rows[6]["best_entity_id"] == "32313" and "identical uscc" in rows[6]["explanation"]
    assert (summary.rows, summary.errors) == (7, 3)


def test_per_row_errors(tmp_path: Path, parties_csv: Path, matcher: Matcher) -> None:
    out = tmp_path / "hits.csv"
    screen_csv(parties_csv, out, matcher=matcher, lists=LISTS)
    rows = _read(out)
    assert "empty name" in rows[2]["error"]
    assert "control characters" in rows[4]["error"] and rows[4]["query"] == "bad\\x01name"
    assert "longer than" in rows[5]["error"] and len(rows[5]["query"]) < 300


def test_cells_never_formulas(tmp_path: Path, parties_csv: Path, matcher: Matcher) -> None:
    out = tmp_path / "hits.csv"
    screen_csv(parties_csv, out, matcher=matcher, lists=LISTS)
    assert _read(out)[1]["query"].startswith("'=")
    for value in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(value) == "'" + value
    assert safe_cell("Shanghai") == "Shanghai"


def test_long_form(tmp_path: Path, matcher: Matcher) -> None:
    source = _write(tmp_path / "p.csv", [["name"], ["Guzman Lopez"], ["Nobody Known Here"]])
    out = tmp_path / "long.csv"
    screen_csv(source, out, all_candidates=True, threshold=0.4, matcher=matcher, lists=LISTS)
    rows = _read(out)
    assert list(rows[0]) == list(LONG_COLUMNS)
    first = [r for r in rows if r["row"] == "1"]
    assert len(first) >= 2 and [r["rank"] for r in first][:2] == ["1", "2"]
    assert [r for r in rows if r["row"] == "2"][0]["entity_id"] == ""


def test_missing_column_is_a_clear_error(
    tmp_path: Path, parties_csv: Path, matcher: Matcher
) -> None:
    with pytest.raises(InputFileError, match="--name-column"):
        screen_csv(
            parties_csv, tmp_path / "o.csv", name_column="company", matcher=matcher, lists=LISTS
        )


def test_cli_search_on_bundled_sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERDICTION_HOME", str(tmp_path))
    result = CliRunner().invoke(cli, ["parties", "search", "上海慈顺精细化工有限公司"])
    assert result.exit_code == 0, result.output
    assert "bundled sample" in result.output
    assert "29897" in result.output and "cishun matched (rare)" in result.output


def test_cli_search_json_and_empty_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERDICTION_HOME", str(tmp_path))
    result = CliRunner().invoke(
        cli,
        [
            "parties",
            "search",
            "Guzman Lopez, Ovidio",
            "--country",
            "MX",
            "--dob",
            "1990",
            "--format",
            "json",
        ],
    )
    payload = json.loads(result.output)
    assert payload["matches"][0]["entity_id"] == "13149"
    assert "date of birth agrees" in payload["matches"][0]["explanation"]
    bad = CliRunner().invoke(cli, ["parties", "search", ""])
    assert bad.exit_code == 2 and "empty name" in bad.output


def test_cli_uses_imported_list_and_says_which(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from interdiction.parties.store import ListStore

    monkeypatch.setenv("INTERDICTION_HOME", str(tmp_path))
    with ListStore.open() as store:
        store.import_files([SAMPLE_OFAC], source="ofac-sdn", label="sample-test")
    runner = CliRunner()
    result = runner.invoke(cli, ["parties", "search", "Hebei Atun Trading"])
    assert result.exit_code == 0, result.output
    assert "ofac-sdn version" in result.output and "sample-test" in result.output
    assert "32313" in result.output
    assert list((tmp_path / "cache").glob("parties-index-*.pickle"))
    again = runner.invoke(cli, ["parties", "search", "Hebei Atun Trading"])
    assert "32313" in again.output


def test_cli_screen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parties_csv: Path) -> None:
    monkeypatch.setenv("INTERDICTION_HOME", str(tmp_path))
    out = tmp_path / "hits.csv"
    result = CliRunner().invoke(
        cli,
        ["parties", "screen", "--input", str(parties_csv), "--output", str(out), "--no-progress"],
    )
    assert result.exit_code == 0, result.output
    assert len(_read(out)) == 7
    assert "7 rows screened" in result.output


def test_help_ends_with_an_example() -> None:
    for command in (["parties", "search", "--help"], ["parties", "screen", "--help"]):
        text = CliRunner().invoke(cli, command).output
        assert "interdiction parties" in text
