"""lists update against a real local HTTP server serving the shared list files."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from interdiction.errors import ListImportError
from interdiction.parties.store import ListStore
from interdiction.parties.update import BASE_URL_ENV, list_sources, update_lists

SHARED = Path("/work/shared/data/sanctions")
for _parent in Path(__file__).resolve().parents:
    if (_parent / "shared" / "data" / "sanctions").is_dir():
        SHARED = _parent / "shared" / "data" / "sanctions"
        break
pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason="shared sanctions data not present")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        return


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A threaded HTTP server on 127.0.0.1, random port, serving a folder; yields (folder, url)."""
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _publish_2021(root: Path) -> None:
    for name in ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"):
        shutil.copy(SHARED / "ofac" / "full-2021-07" / name, root / name)
    shutil.copy(SHARED / "un" / "consolidated-2026-02-27.xml", root / "consolidated.xml")


def test_sources_file() -> None:
    sources = list_sources()
    assert sources["ofac-sdn"].base_url == (
        "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"
    )
    assert sources["ofac-sdn"].files == ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv")
    assert sources["un"].base_url == "https://scsanctions.un.org/resources/xml/en/"
    assert sources["uk"].base_url is None


def test_update_both_sources(serve: tuple[Path, str], tmp_path: Path) -> None:
    root, url = serve
    _publish_2021(root)
    with ListStore.open(tmp_path / "lists.sqlite") as store:
        results = update_lists(sources=["ofac-sdn", "un"], base_url=url, store=store)
        assert [r.summary.version.entity_count for r in results] == [8_976, 1_003]
        assert results[0].urls[0] == url + "sdn.csv"
        hashes = results[0].summary.version.file_hashes
        assert (
            hashes["sdn.csv"] == "2a08fac873a3be0b92208f8874b2e7c138b7938190eeeb7ef991c15ba60e855b"
        )
        ids = {e.entity_id for e in store.current_entities(["ofac-sdn"])}
        assert len(ids) == 8_976


def test_env_override_and_truncated_download_refused(
    serve: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, url = serve
    _publish_2021(root)
    monkeypatch.setenv(BASE_URL_ENV, url)
    with ListStore.open(tmp_path / "lists.sqlite") as store:
        first = update_lists(sources=["ofac-sdn"], store=store)[0].summary.version
        # The server now sends a cut sdn.csv (complete HTTP response, file cut mid-row).
        data = (root / "sdn.csv").read_bytes()
        (root / "sdn.csv").write_bytes(data[: data.index(b'"', len(data) * 3 // 4) + 4])
        with pytest.raises(ListImportError, match="truncated"):
            update_lists(sources=["ofac-sdn"], store=store)
        # Cut at a row boundary: parses, but is far smaller than the version in force.
        (root / "sdn.csv").write_bytes(data[: data.index(b"\r\n", len(data) // 2) + 2] + b"\x1a")
        with pytest.raises(ListImportError, match="below 90%"):
            update_lists(sources=["ofac-sdn"], store=store)
        assert store.current_version("ofac-sdn") == first
        assert [v.version_id for v in store.versions()] == [first.version_id]
        forced = update_lists(sources=["ofac-sdn"], store=store, force=True)[0].summary.version
        assert forced.current and forced.entity_count < first.entity_count


def test_missing_file_and_bad_xml(serve: tuple[Path, str], tmp_path: Path) -> None:
    root, url = serve
    _publish_2021(root)
    (root / "alt.csv").unlink()
    (root / "consolidated.xml").write_bytes(
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'
    )
    with ListStore.open(tmp_path / "lists.sqlite") as store:
        with pytest.raises(ListImportError, match="HTTP 404"):
            update_lists(sources=["ofac-sdn"], base_url=url, store=store)
        with pytest.raises(ListImportError, match="refused unsafe XML"):
            update_lists(sources=["un"], base_url=url, store=store)
        assert store.versions() == ()


def test_no_server(tmp_path: Path) -> None:
    with (
        ListStore.open(tmp_path / "lists.sqlite") as store,
        pytest.raises(ListImportError, match="download failed"),
    ):
        update_lists(sources=["un"], base_url="http://127.0.0.1:9/", store=store)


def test_uk_has_no_official_address(tmp_path: Path) -> None:
    with (
        ListStore.open(tmp_path / "lists.sqlite") as store,
        pytest.raises(ListImportError, match="no stable official address"),
    ):
        update_lists(sources=["uk"], store=store)


class _CutShortHandler(http.server.BaseHTTPRequestHandler):
    """Announces the whole file, sends half of it, then closes the connection."""

    body = b""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body[: len(self.body) // 2])
        self.wfile.flush()
        self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        return


def test_connection_closed_early(tmp_path: Path) -> None:
    handler = type(
        "H",
        (_CutShortHandler,),
        {"body": (SHARED / "un" / "consolidated-2026-02-27.xml").read_bytes()},
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        with ListStore.open(tmp_path / "lists.sqlite") as store:
            with pytest.raises(ListImportError, match="download failed|cut short"):
                update_lists(sources=["un"], base_url=url, store=store)
            assert store.versions() == ()
    finally:
        server.shutdown()
        server.server_close()
