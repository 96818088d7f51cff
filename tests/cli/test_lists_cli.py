"""The ``lists`` commands as a user runs them (INTERDICTION_HOME points at a temp folder)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from interdiction.cli.main import cli

SHARED = Path("/work/shared/data/sanctions")
for _parent in Path(__file__).resolve().parents:
    if (_parent / "shared" / "data" / "sanctions").is_dir():
        SHARED = _parent / "shared" / "data" / "sanctions"
        break


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("INTERDICTION_HOME", str(tmp_path / "home"))
    return tmp_path


def _watchlist(path: Path, rows: list[str]) -> Path:
    path.write_text("id,name,aliases,kind,country\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_import_show_diff(home: Path) -> None:
    runner = CliRunner()
    first = _watchlist(
        home / "a.csv",
        ["w1,Hubei Amarvel Biotech,Amarvel,company,China", "w2,Anhui Moker,,company,China"],
    )
    second = _watchlist(
        home / "b.csv",
        [
            "w1,Hubei Amarvel Biotech,Amarvel; Amarvel Biotech Co.,company,China",
            "w3,Hefei GSK,,company,China",
        ],
    )
    result = runner.invoke(
        cli,
        ["lists", "import", str(first), "--source", "watchlist", "--label", "v1", "--no-progress"],
    )
    assert result.exit_code == 0, result.output
    assert "watchlist: version 1 (v1) is now current with 2 entities." in result.output
    result = runner.invoke(
        cli, ["lists", "import", str(second), "--source", "watchlist", "--no-progress"]
    )
    assert "replacing version 1" in result.output
    assert (home / "home" / "lists.sqlite").is_file()

    shown = runner.invoke(cli, ["lists", "show"]).output.splitlines()
    assert shown[0].split() == ["source", "version", "label", "imported_at", "entities", "problems"]
    assert shown[1].startswith("*") and " 2 " in shown[1]

    table = runner.invoke(cli, ["lists", "diff", "1", "2"]).output
    assert table.startswith("version 1 -> 2: 1 added, 1 removed, 1 changed")
    rows = list(
        csv.DictReader(
            io.StringIO(runner.invoke(cli, ["lists", "diff", "1", "2", "--format", "csv"]).output)
        )
    )
    assert {(r["status"], r["entity_id"], r["name"]) for r in rows} == {
        ("added", "w3", "Hefei GSK"),
        ("removed", "w2", "Anhui Moker"),
        ("changed", "w1", "Hubei Amarvel Biotech"),
    }
    changed = next(r for r in rows if r["status"] == "changed")
    assert "+[kind=aka name=Amarvel Biotech Co.]" in changed["changes"]
    data = json.loads(runner.invoke(cli, ["lists", "diff", "1", "2", "--format", "json"]).output)
    assert data["changed"][0]["changes"][0]["field"] == "names"


def test_errors_are_one_line(home: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["lists", "diff", "1", "2"])
    assert result.exit_code == 2
    assert (
        result.output.strip() == "error: no list version 1; `interdiction lists show` lists them."
    )
    bad = home / "bad.csv"
    bad.write_text("company\nX\n", encoding="utf-8")
    result = runner.invoke(cli, ["lists", "import", str(bad), "--source", "watchlist"])
    assert result.exit_code == 2
    assert "no 'name' column" in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared sanctions data not present")
def test_import_ofac_folder_and_alias_file(home: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "lists",
            "import",
            str(SHARED / "ofac" / "full-2021-07" / "sdn.csv"),
            str(SHARED / "ofac" / "full-2021-07" / "alt.csv"),
            "--source",
            "ofac-sdn",
            "--no-progress",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "current with 8976 entities" in result.output


@pytest.mark.parametrize("command", ["import", "update", "show", "diff"])
def test_help_ends_with_example(command: str) -> None:
    text = CliRunner().invoke(cli, ["lists", command, "--help"]).output
    assert "Example:" in text and "interdiction lists " + command in text


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared sanctions data not present")
def test_update_from_local_server(home: Path) -> None:
    import functools
    import http.server
    import shutil
    import threading

    root = home / "www"
    root.mkdir()
    shutil.copy(SHARED / "un" / "consolidated-2026-02-27.xml", root / "consolidated.xml")
    quiet = type(
        "Quiet", (http.server.SimpleHTTPRequestHandler,), {"log_message": lambda *args: None}
    )
    handler = functools.partial(quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        runner = CliRunner()
        result = runner.invoke(
            cli, ["lists", "update", "--source", "un", "--url", url, "--no-progress"]
        )
        assert result.exit_code == 0, result.output
        assert "un: version 1" in result.output and "1003 entities" in result.output
        (root / "consolidated.xml").write_bytes((root / "consolidated.xml").read_bytes()[:50_000])
        result = runner.invoke(
            cli, ["lists", "update", "--source", "un", "--url", url, "--no-progress"]
        )
        assert result.exit_code == 2
        assert "truncated or corrupt" in result.output
        shown = runner.invoke(cli, ["lists", "show"]).output.splitlines()
        assert len(shown) == 2 and shown[1].startswith("*")
    finally:
        server.shutdown()
        server.server_close()
