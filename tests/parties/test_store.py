"""Versioned list store: versions, diff, and the all-or-nothing import guarantee."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from interdiction.errors import ListImportError
from interdiction.parties.store import ListStore

OFAC = Path("/work/shared/data/sanctions/ofac")
for _parent in Path(__file__).resolve().parents:
    if (_parent / "shared" / "data" / "sanctions").is_dir():
        OFAC = _parent / "shared" / "data" / "sanctions" / "ofac"
        break
pytestmark = pytest.mark.skipif(not OFAC.is_dir(), reason="shared sanctions data not present")
SAMPLE_OFAC = (
    Path(__file__).resolve().parents[2]
    / "src"
    / "interdiction"
    / "data"
    / "lists"
    / "sample"
    / "ofac"
)
POSTGRES_URL = os.environ.get("INTERDICTION_TEST_POSTGRES", "postgresql://127.0.0.1:5432/test")


def _postgres_schema(name: str, *, drop: bool = False) -> str:
    """Create (or drop) a private schema; return a URL whose connections use it.

    Each xdist worker builds its own fixture, so each gets its own schema: no races.
    """
    import psycopg

    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")
        if not drop:
            connection.execute(f"CREATE SCHEMA {name}")
    separator = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{separator}options=-csearch_path%3D{name}"


@pytest.fixture(
    scope="module",
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.integration)],
)
def two_snapshots(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    schema = f"interdiction_lists_test_{uuid.uuid4().hex[:12]}"
    if request.param == "postgres":
        try:
            store = ListStore.open(_postgres_schema(schema))
        except Exception as exc:  # no server here: the integration run needs one
            pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}: {exc}")
    else:
        store = ListStore.open(tmp_path_factory.mktemp("store") / "lists.sqlite")
    march = store.import_files([OFAC / "sdn-2024-03-15"], source="ofac-sdn", label="2024-03-15")
    may = store.import_files([OFAC / "sdn-2024-05-03"], source="ofac-sdn", label="2024-05-03")
    yield store, march, may
    store.close()
    if request.param == "postgres":
        _postgres_schema(schema, drop=True)


def test_versions(two_snapshots) -> None:
    store, march, may = two_snapshots
    assert may.previous_version_id == march.version.version_id
    versions = store.versions("ofac-sdn")
    assert [v.label for v in versions] == ["2024-05-03", "2024-03-15"]
    assert [v.current for v in versions] == [True, False]
    assert [v.entity_count for v in versions] == [14_965, 14_466]
    assert versions[1].file_hashes == {
        "sdn.csv": "42bd8735fb2b685275c307065264421f91dbe8ea1ab248b12be06006bd377b0a"
    }
    assert store.versions("un") == ()


def test_current_entities(two_snapshots) -> None:
    store, _, _ = two_snapshots
    entities = list(store.current_entities(["ofac-sdn"]))
    assert len(entities) == 14_965
    hebei = next(e for e in entities if e.entity_id == "32313")
    assert hebei.primary_name == "HEBEI ATUN TRADING CO., LTD."
    assert list(store.current_entities(["un"])) == []


def test_diff_matches_readme(two_snapshots) -> None:
    store, march, may = two_snapshots
    diff = store.diff(march.version.version_id, may.version.version_id)
    assert (len(diff.added), len(diff.removed), len(diff.changed)) == (514, 15, 11)
    added = {e.primary_name for e in diff.added}
    assert {"SMART DEPOT", "TIRADO ANDRADE, Jesus"} <= added
    assert sum("ILLICIT-DRUGS-EO14059" in e.programs for e in diff.added) == 21
    removed = {e.primary_name for e in diff.removed}
    assert {"BELLIZO", "JW JEWEL", "9H-ARK"} <= removed
    passport = next(c for c in diff.changed if c.entity.entity_id == "46788")
    change = next(f for f in passport.changes if f.field == "identifiers")
    assert change.removed == ("country=Russia type=passport value=8708321052",)
    assert change.added == ("country=Russia type=passport value=8705080546",)
    reverse = store.diff(may.version.version_id, march.version.version_id)
    assert (len(reverse.added), len(reverse.removed)) == (15, 514)


def test_unknown_version(two_snapshots) -> None:
    store, _, _ = two_snapshots
    with pytest.raises(ListImportError, match="no list version 999"):
        store.diff(1, 999)


def test_corrupt_file_keeps_old_version(tmp_path: Path) -> None:
    store = ListStore.open(tmp_path / "lists.sqlite")
    first = store.import_files([SAMPLE_OFAC], source="ofac-sdn", label="sample")
    data = (OFAC / "full-2021-07" / "sdn.csv").read_bytes()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "sdn.csv").write_bytes(data[: data.index(b'"', len(data) // 2) + 5])
    with pytest.raises(ListImportError, match="truncated"):
        store.import_files([bad], source="ofac-sdn")
    miscolumned = tmp_path / "miscolumned"
    miscolumned.mkdir()
    lines = data.split(b"\r\n")
    (miscolumned / "sdn.csv").write_bytes(
        b"\r\n".join(
            line.replace(b",", b";", 3) if i % 10 == 0 else line for i, line in enumerate(lines)
        )
    )
    with pytest.raises(ListImportError, match="rows unreadable"):
        store.import_files([miscolumned], source="ofac-sdn")
    assert [v.version_id for v in store.versions()] == [first.version.version_id]
    assert store.current_version("ofac-sdn") == first.version
    assert sum(1 for _ in store.current_entities()) == 337


def test_settings_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERDICTION_HOME", str(tmp_path / "home"))
    with ListStore.open() as store:
        store.import_files([SAMPLE_OFAC / "sdn.csv"], source="ofac-sdn")
    assert (tmp_path / "home" / "lists.sqlite").is_file()


_CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from interdiction.parties.store import ListStore

    marker = Path(sys.argv[2])

    def progress(done, total):
        if done >= total // 2 and not marker.exists():
            marker.write_text(f"{done}/{total}")
            time.sleep(120)  # killed here, halfway through writing the new version

    store = ListStore.open(Path(sys.argv[1]))
    store.import_files([Path(sys.argv[3])], source="ofac-sdn", label="never", progress=progress)
    """
)


def test_killed_import_leaves_old_version(tmp_path: Path) -> None:
    db = tmp_path / "lists.sqlite"
    store = ListStore.open(db)
    old = store.import_files([SAMPLE_OFAC], source="ofac-sdn", label="sample")
    marker = tmp_path / "halfway"
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(db), str(marker), str(OFAC / "full-2021-07")]
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert child.poll() is None, "import finished or failed before halfway"
            assert time.monotonic() < deadline, "import did not reach halfway in 60 s"
            time.sleep(0.05)
        # Mid-import, readers still get the old version.
        assert store.current_version("ofac-sdn") == old.version
        assert sum(1 for _ in store.current_entities()) == 337
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    store.close()
    with ListStore.open(db) as reopened:
        assert [v.label for v in reopened.versions()] == ["sample"]
        assert reopened.current_version("ofac-sdn") == old.version
        assert sum(1 for _ in reopened.current_entities()) == 337
        # The store is not left locked: the next import works.
        again = reopened.import_files([OFAC / "full-2021-07"], source="ofac-sdn", label="2021-07")
        assert again.version.entity_count == 8_976
        assert reopened.current_version("ofac-sdn") == again.version


def test_screening_entities_falls_back_to_sample(tmp_path: Path) -> None:
    from interdiction.parties.store import screening_entities

    db = tmp_path / "lists.sqlite"
    sample = screening_entities(path=db)
    assert len(sample) == 344  # 337 OFAC sample rows + 7 watchlist rows
    assert {e.source for e in screening_entities(["watchlist"], path=db)} == {"watchlist"}
    with ListStore.open(db) as store:
        store.import_files([OFAC / "full-2021-07" / "sdn.csv"], source="ofac-sdn")
    assert len(screening_entities(path=db)) == 8_976
