"""Fetch the official list files, verify them, and import them atomically as new versions.

Download to a temporary folder, parse every file fully, refuse a truncated or shrunken list
(fewer entities than MIN_KEEP_FRACTION of the version in force, unless forced), then hand the
parsed list to ListStore.import_result, which switches versions in one transaction.
"""

from __future__ import annotations

import http.client
import os
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from interdiction.errors import InputFileError, ListImportError, ReferenceDataError
from interdiction.parties.loaders import load_list
from interdiction.parties.store import ImportSummary, ListStore, Progress, validate_load

__all__ = [
    "BASE_URL_ENV",
    "MAX_DOWNLOAD_BYTES",
    "MIN_KEEP_FRACTION",
    "ListSource",
    "UpdateResult",
    "list_sources",
    "update_lists",
]

BASE_URL_ENV = "INTERDICTION_LIST_BASE_URL"
# A weekly list loses a few dozen entries at most (2024-03-15 -> 2024-05-03: 15 of 14,466);
# a download with under 90 % of the current entities is a broken file, not a delisting wave.
MIN_KEEP_FRACTION = 0.9
# The largest official file (OFAC sdn.csv) is ~5 MB; refuse anything absurdly larger.
MAX_DOWNLOAD_BYTES = 500 * 1024 * 1024
_TIMEOUT_S = 120


@dataclass(frozen=True)
class ListSource:
    """One downloadable list, from data/lists/sources.yaml."""

    code: str
    title: str
    base_url: str | None
    files: tuple[str, ...]
    citation: str


@dataclass(frozen=True)
class UpdateResult:
    """The outcome for one source: the new version, and the problems the loader reported."""

    source: str
    summary: ImportSummary
    urls: tuple[str, ...]


@cache
def list_sources() -> dict[str, ListSource]:
    """The downloadable sources, keyed by list code.

    Raises:
        ReferenceDataError: sources.yaml lacks a field or a citation.
    """
    text = (resources.files("interdiction") / "data" / "lists" / "sources.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    found = {}
    for code, entry in (data.get("sources") or {}).items():
        if not entry.get("files") or not entry.get("citation"):
            raise ReferenceDataError(f"sources.yaml: source {code!r} needs files and a citation.")
        found[code] = ListSource(
            code=code,
            title=str(entry.get("title", code)),
            base_url=entry.get("base_url"),
            files=tuple(entry["files"]),
            citation=str(entry["citation"]),
        )
    return found


def _download(url: str, target: Path) -> None:
    """Fetch one URL to a file; any network, HTTP or length problem is a ListImportError."""
    request = urllib.request.Request(url, headers={"User-Agent": "interdiction list update"})
    try:
        with (
            urllib.request.urlopen(request, timeout=_TIMEOUT_S) as response,
            target.open("wb") as out,
        ):
            expected = response.headers.get("Content-Length")
            size = 0
            while block := response.read(1 << 20):
                size += len(block)
                if size > MAX_DOWNLOAD_BYTES:
                    raise ListImportError(
                        f"{url}: larger than {MAX_DOWNLOAD_BYTES} bytes; refused."
                    )
                out.write(block)
    except urllib.error.HTTPError as exc:
        raise ListImportError(f"{url}: HTTP {exc.code} {exc.reason}; nothing imported.") from exc
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
        # URLError: refused, unreachable, timeout; HTTPException: IncompleteRead (closed early).
        raise ListImportError(
            f"{url}: download failed ({type(exc).__name__}: {exc}); nothing imported."
        ) from exc
    if expected is not None and expected.isdigit() and int(expected) != size:
        raise ListImportError(
            f"{url}: got {size} of {expected} bytes (cut short); nothing imported."
        )


def update_lists(
    *,
    sources: Sequence[str] | None = None,
    base_url: str | None = None,
    store: ListStore | None = None,
    force: bool = False,
    progress: Progress | None = None,
    on_download: Callable[[str], None] | None = None,
) -> tuple[UpdateResult, ...]:
    """Download, verify and import each source; a failure leaves that source's version in force.

    Args:
        sources: list codes (default: every source with an official base_url).
        base_url: replaces each source's base_url (default: env INTERDICTION_LIST_BASE_URL).
        store: the list store (default: ListStore.open()).
        force: import even when the new list has far fewer entities than the current one.
        progress: passed to the store while entities are written.
        on_download: called with each URL before it is fetched.

    Returns:
        One UpdateResult per source, in order.

    Raises:
        ListImportError: a download failed, a file is truncated or corrupt, or the list
            shrank below MIN_KEEP_FRACTION; sources before it in the order stay updated.
    """
    known = list_sources()
    override = base_url or os.environ.get(BASE_URL_ENV) or None
    if sources is None:
        sources = [code for code, s in known.items() if s.base_url or override]
    results = []
    owned = store is None
    active = store if store is not None else ListStore.open()
    try:
        for code in sources:
            source = known.get(code)
            if source is None:
                raise ListImportError(
                    f"no download address for {code!r}; known: {', '.join(known)}."
                )
            base = override or source.base_url
            if not base:
                raise ListImportError(
                    f"{code}: no stable official address ({source.citation}). Download the file and "
                    f"run `interdiction lists import FILE --source {code}`, or give --url."
                )
            results.append(
                _update_one(
                    active, source, base, force=force, progress=progress, on_download=on_download
                )
            )
    finally:
        if owned:
            active.close()
    return tuple(results)


def _update_one(
    store: ListStore,
    source: ListSource,
    base: str,
    *,
    force: bool,
    progress: Progress | None,
    on_download: Callable[[str], None] | None,
) -> UpdateResult:
    urls = tuple(f"{base.rstrip('/')}/{name}" for name in source.files)
    with tempfile.TemporaryDirectory(prefix=f"interdiction-{source.code}-") as folder:
        paths = []
        for url, name in zip(urls, source.files, strict=True):
            if on_download is not None:
                on_download(url)
            target = Path(folder) / name
            _download(url, target)
            paths.append(target)
        try:
            result = load_list(source.code, paths)
        except InputFileError as exc:
            raise ListImportError(f"{source.code}: downloaded file refused: {exc}") from exc
        validate_load(result)
        current = store.current_version(source.code)
        if (
            current is not None
            and not force
            and len(result.entities) < MIN_KEEP_FRACTION * current.entity_count
        ):
            raise ListImportError(
                f"{source.code}: the download has {len(result.entities)} entities, version "
                f"{current.version_id} in force has {current.entity_count} (below "
                f"{MIN_KEEP_FRACTION:.0%}); refused as a likely broken file. Check the source, "
                "or rerun with --force if the list really shrank."
            )
        summary = store.import_result(
            result, source=source.code, label=f"update from {base}"[:200], progress=progress
        )
    return UpdateResult(source.code, summary, urls)
