"""The screening job end to end with a stand-in engine: counts, outputs, duplicates, bad files, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pandas as pd
import pytest
from click.testing import CliRunner

from interdiction.errors import InputFileError
from interdiction.shipments.pipeline import run_screen
from interdiction.shipments.records import RECORD_COLUMNS

HERE = Path(__file__).parent


@pytest.fixture(autouse=True)
def _standin_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(HERE))


def _csv(path: Path, rows: list[dict[str, object]]) -> Path:
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def _rows(n: int, prefix: str = "R") -> list[dict[str, object]]:
    return [{"record_id": f"{prefix}{i}", "description": "NPP powder" if i % 7 == 0 else "cotton shirts",
             "shipper_name": f"S{i % 5}", "consignee_name": f"C{i % 3}",
             "consignee_email": "x@y.com" if i in (3, 4) else "", "Vessel": f"V{i}"} for i in range(n)]  # fmt: skip


def _run(inputs: list[Path], out: Path, **options: object):  # type: ignore[no-untyped-def]
    return run_screen(inputs, out, engine="standin_engine", progress=False, **options)  # type: ignore[arg-type]


def test_counts_invariant_with_duplicates_bad_rows_and_a_bad_file(tmp_path: Path) -> None:
    first = _rows(25)
    first[12]["record_id"] = "R2"  # row 13, second partition: duplicate of row 3 in the first
    first[3]["record_id"] = "R1"  # row 4: duplicate of row 2 inside the same partition
    second = _rows(6, prefix="Q")
    second[5]["record_id"] = "R7"  # duplicate across files
    a = _csv(tmp_path / "a.csv", first)
    b = tmp_path / "b.jsonl"
    b.write_text("\n".join([*(json.dumps(r) for r in second), "{broken"]) + "\n")
    broken = tmp_path / "c.parquet"
    broken.write_bytes(b"not parquet")
    summary = _run([a, b, broken], tmp_path / "out", chunk_rows=10)
    assert summary.inputs == 25 + 7
    assert summary.rejected == 4  # R1 again, R2 again, R7 again, the broken JSON line
    assert summary.results == summary.inputs - summary.rejected == 28
    assert (
        summary.partitions == 4
        and summary.unreadable_files
        and "c.parquet" in summary.unreadable_files[0]
    )
    records = pd.read_csv(tmp_path / "out" / "records.csv", keep_default_na=False)
    errors = pd.read_csv(tmp_path / "out" / "errors.csv", keep_default_na=False)
    assert len(records) == 28 and records["record_id"].is_unique
    rejected = errors[errors["severity"] == "error"]
    assert sorted(rejected[rejected["field"] == "record_id"]["record_id"]) == ["R1", "R2", "R7"]
    # The first occurrence is kept, the later one rejected.
    kept_r2 = records[records["record_id"] == "R2"]
    assert kept_r2["source_row"].tolist() == [3] and kept_r2["source_file"].tolist() == ["a.csv"]
    assert "c.parquet" in " ".join(errors[errors["field"] == "(file)"]["source_file"])


def test_output_files_and_column_order(tmp_path: Path) -> None:
    a = _csv(tmp_path / "a.csv", _rows(30))
    summary = _run([a], tmp_path / "out", chunk_rows=8)
    out = tmp_path / "out"
    assert {p.name for p in out.iterdir()} >= {
        "records.parquet",
        "records.csv",
        "flags.csv",
        "errors.csv",
        "report.html",
    }
    records = pd.read_parquet(out / "records.parquet")
    assert list(records.columns[:5]) == [
        "record_id",
        "risk_score",
        "risk_level",
        "flags",
        "top_reason",
    ]
    assert list(records.columns[5:]) == [*RECORD_COLUMNS[1:], "Vessel"]
    assert records["record_id"].tolist() == [f"R{i}" for i in range(30)]
    flagged = records[records["flags"] != ""]["record_id"].tolist()
    assert flagged == [
        "R0",
        "R3",
        "R4",
        "R7",
        "R14",
        "R21",
        "R28",
    ]  # NPP rows and the shared e-mail
    flags = pd.read_csv(out / "flags.csv")
    assert set(flags["rule_id"]) == {"T-WORD", "T-SHARED"}
    assert summary.by_level == records["risk_level"].value_counts().to_dict()
    assert summary.report == out / "report.html"


def test_files_with_different_extra_columns_pass_all_through(tmp_path: Path) -> None:
    a = _csv(tmp_path / "a.csv", [{"description": "tea", "Colour": "red"}])
    b = _csv(tmp_path / "b.csv", [{"description": "rice", "Size": "L"}])
    _run([a, b], tmp_path / "out")
    records = pd.read_csv(tmp_path / "out" / "records.csv", keep_default_na=False)
    assert records[["record_id", "Colour", "Size"]].values.tolist() == [
        ["a.csv#1", "red", ""],
        ["b.csv#1", "", "L"],
    ]


def test_no_readable_input_raises(tmp_path: Path) -> None:
    (tmp_path / "x.parquet").write_bytes(b"nope")
    with pytest.raises(InputFileError, match="no input file could be read"):
        _run([tmp_path / "x.parquet", tmp_path / "missing.csv"], tmp_path / "out")


def test_file_without_a_usable_column_is_refused_with_its_reason(tmp_path: Path) -> None:
    unusable = tmp_path / "x.csv"
    unusable.write_text("foo,bar\n1,2\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="no input file could be read: x.csv: .*column"):
        _run([unusable], tmp_path / "alone")
    # Next to a good file, the run goes on and the refused file is reported, its rows not lost.
    good = _csv(tmp_path / "a.csv", _rows(4))
    summary = _run([unusable, good], tmp_path / "out")
    assert summary.inputs == summary.results == 4
    assert summary.unreadable_files and "x.csv" in summary.unreadable_files[0]


def test_json_lines_whose_later_lines_lack_the_columns_lose_no_row(tmp_path: Path) -> None:
    lines = [{"record_id": "A1", "description": "cotton shirts"}, {"record_id": "A2", "description": "NPP"},
             {"foo": 1}, {"foo": 2}, {"record_id": "A5", "description": "steel bolts"}]  # fmt: skip
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    summary = _run([path], tmp_path / "out", chunk_rows=2)
    # Lines 3-4 form a block with none of the needed keys: reported row by row, never dropped.
    assert (summary.inputs, summary.results, summary.rejected) == (5, 3, 2)
    assert not summary.unreadable_files
    errors = pd.read_csv(tmp_path / "out" / "errors.csv", keep_default_na=False)
    rejected = errors[errors["severity"] == "error"]
    assert rejected["source_row"].tolist() == [3, 4]
    assert rejected["reason"].str.contains("description").all()
    records = pd.read_csv(tmp_path / "out" / "records.csv", keep_default_na=False)
    assert records["record_id"].tolist() == ["A1", "A2", "A5"]


def test_same_input_given_twice_is_read_once(tmp_path: Path) -> None:
    a = _csv(tmp_path / "a.csv", _rows(5))
    summary = _run([a, tmp_path / "." / "a.csv"], tmp_path / "out")
    assert summary.inputs == 5 and summary.rejected == 0


def _cli() -> click.Group:
    from interdiction.cli.shipments import register

    group = click.Group()
    register(group)
    return group


def test_cli_prints_counts_and_report(tmp_path: Path) -> None:
    _csv(tmp_path / "a.csv", _rows(12))
    _csv(tmp_path / "b.csv", _rows(3, prefix="B"))
    result = CliRunner().invoke(_cli(), ["screen", str(tmp_path / "*.csv"), "--out", str(tmp_path / "out"),
                                         "--engine", "standin_engine", "--no-progress"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "15 input records = 15 screened + 0 rejected" in result.output
    assert f"report: {tmp_path / 'out' / 'report.html'}" in result.output


def test_cli_fails_only_when_nothing_is_readable(tmp_path: Path) -> None:
    _csv(tmp_path / "a.csv", _rows(2))
    args = ["--engine", "standin_engine", "--no-progress", "--out", str(tmp_path / "out")]
    ok = CliRunner().invoke(
        _cli(), ["screen", str(tmp_path / "a.csv"), str(tmp_path / "absent*.csv"), *args]
    )
    assert ok.exit_code == 0 and "unreadable file" in ok.output
    bad = CliRunner().invoke(_cli(), ["screen", str(tmp_path / "absent.csv"), *args])
    assert isinstance(bad.exception, InputFileError)


def test_cli_help_ends_with_examples() -> None:
    result = CliRunner().invoke(_cli(), ["screen", "--help"])
    assert result.exit_code == 0
    assert (
        result.output.rstrip().splitlines()[-1].strip().startswith("--")
        or "Examples:" in result.output
    )
    assert "interdiction screen manifest.csv --out results/" in result.output


def test_bundled_sample_with_the_real_engine(tmp_path: Path) -> None:
    samples = Path(__file__).parents[2] / "src" / "interdiction" / "data" / "samples"
    truth = pd.read_csv(samples / "manifest_truth.csv")
    summary = run_screen(
        [samples / "manifest.csv"], tmp_path / "out", progress=False, lists="sample"
    )
    assert (summary.inputs, summary.results, summary.rejected, summary.warnings) == (
        3000,
        2999,
        1,
        2,
    )
    errors = pd.read_csv(tmp_path / "out" / "errors.csv", keep_default_na=False)
    bad = truth[truth["pattern"].isin(["bad_date", "negative_weight", "duplicate_id"])].set_index(
        "pattern"
    )
    found = {(row.source_row, row.field, row.severity) for row in errors.itertuples()}
    assert found == {
        (bad.at["bad_date", "source_row"], "date", "warning"),
        (bad.at["negative_weight", "source_row"], "gross_weight_kg", "warning"),
        (bad.at["duplicate_id", "source_row"], "record_id", "error"),
    }
    records = pd.read_parquet(tmp_path / "out" / "records.parquet")
    assert len(records) == 2999 and records["record_id"].is_unique
    assert records["synthetic"].eq("yes").all()
    assert summary.report is not None and summary.report.is_file()
    # The report's top records show their goods text, read back from the checkpoint for them.
    import html

    page = summary.report.read_text(encoding="utf-8")
    top = records.sort_values("risk_score", ascending=False, kind="stable").iloc[0]
    shown = html.escape(str(top["description"])[:200], quote=True)
    assert shown and f"</span><br>{shown}</td>" in page


def test_file_notes_are_said_once_per_file_not_once_per_partition(tmp_path: Path) -> None:
    # Five partitions of one file with an unread column and a vessel column but no mode column:
    # each note appears once in errors.csv, in a fresh run and in a run resumed halfway.
    rows = [{**row, "Measure": "1 CBM"} for row in _rows(50)]
    path = _csv(tmp_path / "m.csv", rows)
    _run([path], tmp_path / "out", chunk_rows=10)
    errors = pd.read_csv(tmp_path / "out" / "errors.csv", keep_default_na=False)
    notes = errors.loc[errors["source_row"] == 0, "reason"].tolist()
    assert len(notes) == len(set(notes)) >= 2
    assert any("Measure" in n for n in notes) and any("mode" in n for n in notes)
    # Resumed: parts 0-1 come from the checkpoint, 2-4 are screened again.
    import shutil

    for key in ("part-0000-00002", "part-0000-00003", "part-0000-00004"):
        shutil.rmtree(tmp_path / "out" / ".checkpoint" / key)
    _run([path], tmp_path / "again", chunk_rows=10, resume=tmp_path / "out")
    again = pd.read_csv(tmp_path / "again" / "errors.csv", keep_default_na=False)
    assert again.equals(errors)
