"""Versioned store of sanctions and watch lists (SQLite by default; PostgreSQL by URL).

Every import writes a new version. The version row, all of its entities and the switch of the
source's "current" pointer happen in ONE transaction, committed only after the whole file was
parsed, validated and written: a crash, a kill or a bad file mid-import leaves the previous
version in force, and readers keep answering from it meanwhile (SQLite runs in WAL mode).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from interdiction.config import get_settings
from interdiction.errors import ListImportError
from interdiction.parties.loaders import SOURCES, LoadResult, load_bundled_sample, load_list
from interdiction.parties.model import ListedEntity
from interdiction.parties.store.records import (
    EntityChange,
    EntityRef,
    FieldChange,
    ImportSummary,
    ListDiff,
    ListVersion,
    entity_changes,
    entity_ref,
    natural_key,
)
from interdiction.parties.store.sql import Database, connect

__all__ = [
    "MAX_REJECTED_FRACTION",
    "ImportSummary",
    "ListVersion",
    "EntityRef",
    "FieldChange",
    "EntityChange",
    "ListDiff",
    "ListStore",
    "Progress",
    "screening_entities",
    "validate_load",
]

# A real list has a handful of unreadable rows at most (the UK extract: 2 of 5,302 without a
# name); more than 1 % means a wrong or damaged file, which must not become the current list.
MAX_REJECTED_FRACTION = 0.01
_BATCH = 1_000
Progress = Callable[[int, int], None]


def validate_load(result: LoadResult, *, allow_partial: bool = False) -> None:
    """Refuse a load that must not become a list version.

    Raises:
        ListImportError: truncated file, no entities, or too many unreadable rows.
    """
    files = ", ".join(str(p) for p in result.files) or "the files"
    first = "; ".join(result.problems[:3])
    if result.truncated:
        raise ListImportError(
            f"{files}: the file looks truncated ({first}); nothing imported, the previous version stays in force."
        )
    if not result.entities:
        raise ListImportError(
            f"{files}: no entities read ({first or 'empty file'}); nothing imported."
        )
    rows = len(result.entities) + result.rejected_rows
    if not allow_partial and result.rejected_rows > MAX_REJECTED_FRACTION * rows:
        raise ListImportError(
            f"{files}: {result.rejected_rows} of {rows} rows unreadable ({first}); nothing imported. "
            "Fix the file, or import it anyway with --allow-partial."
        )


def _file_hashes(paths: Sequence[Path]) -> dict[str, str]:
    hashes = {}
    for path in paths:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        hashes[path.name if path.name not in hashes else str(path)] = digest.hexdigest()
    return hashes


def _encode(entity: ListedEntity) -> tuple[str, str]:
    data = json.dumps(entity.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return data, hashlib.sha256(data.encode("utf-8")).hexdigest()


class ListStore:
    """The versioned list store. Open with ``ListStore.open()``; close with ``close()`` or ``with``."""

    def __init__(self, database: Database) -> None:
        self._db = database

    @classmethod
    def open(cls, path: Path | str | None = None) -> ListStore:
        """Open (and create) the store.

        Args:
            path: SQLite file, or a ``postgresql://`` URL; default Settings.lists_db
                (under INTERDICTION_HOME).
        """
        return cls(connect(path if path is not None else get_settings().lists_db))

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def __enter__(self) -> ListStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def import_files(
        self,
        paths: Sequence[Path],
        *,
        source: str,
        label: str | None = None,
        allow_partial: bool = False,
        progress: Progress | None = None,
    ) -> ImportSummary:
        """Parse, validate and store list files as a new version, then make it current.

        Args:
            paths: files or folders for the source's loader.
            source: one of loaders.SOURCES.
            label: version label (default: the import time).
            allow_partial: accept a file with more than 1 % unreadable rows.
            progress: called as progress(written, total) while entities are written.

        Raises:
            ListImportError: the files are truncated or unreadable; nothing changed.
            InputFileError: a file is missing or in the wrong format; nothing changed.
        """
        if source not in SOURCES:
            raise ListImportError(
                f"unknown list source {source!r}; use one of {', '.join(SOURCES)}."
            )
        result = load_list(source, paths)
        validate_load(result, allow_partial=allow_partial)
        return self.import_result(result, source=source, label=label, progress=progress)

    def import_result(
        self,
        result: LoadResult,
        *,
        source: str,
        label: str | None = None,
        progress: Progress | None = None,
    ) -> ImportSummary:
        """Store an already validated LoadResult as a new current version (one transaction)."""
        imported_at = datetime.now(UTC).isoformat(timespec="seconds")
        hashes = _file_hashes(result.files)
        total = len(result.entities)
        with self._db.transaction():
            previous = self._db.fetchone(
                "SELECT version_id FROM list_current WHERE source = ?", (source,)
            )
            row = self._db.fetchone(
                "SELECT COALESCE(MAX(version_id), 0) + 1 FROM list_versions", ()
            )
            version_id = int(row[0]) if row else 1
            self._db.execute(
                "INSERT INTO list_versions (version_id, source, label, imported_at, file_hashes, "
                "entity_count, problem_count) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    version_id,
                    source,
                    label or imported_at,
                    imported_at,
                    json.dumps(hashes),
                    total,
                    len(result.problems),
                ),
            )
            for start in range(0, total, _BATCH):
                batch = []
                for entity in result.entities[start : start + _BATCH]:
                    data, fingerprint = _encode(entity)
                    batch.append(
                        (version_id, entity.entity_id, entity.primary_name, fingerprint, data)
                    )
                self._db.executemany(
                    "INSERT INTO list_entities (version_id, entity_id, primary_name, fingerprint, data) "
                    "VALUES (?, ?, ?, ?, ?)",
                    batch,
                )
                if progress is not None:
                    progress(min(start + _BATCH, total), total)
            self._db.execute("DELETE FROM list_current WHERE source = ?", (source,))
            self._db.execute(
                "INSERT INTO list_current (source, version_id) VALUES (?, ?)", (source, version_id)
            )
        version = next(v for v in self.versions(source) if v.version_id == version_id)
        return ImportSummary(version, int(previous[0]) if previous else None, result.problems)

    def versions(self, source: str | None = None) -> tuple[ListVersion, ...]:
        """All versions, newest first, optionally of one source."""
        sql = (
            "SELECT v.version_id, v.source, v.label, v.imported_at, v.entity_count, v.problem_count, "
            "v.file_hashes, c.version_id FROM list_versions v "
            "LEFT JOIN list_current c ON c.source = v.source AND c.version_id = v.version_id"
        )
        params: tuple[Any, ...] = ()
        if source is not None:
            sql += " WHERE v.source = ?"
            params = (source,)
        rows = self._db.fetchall(sql + " ORDER BY v.version_id DESC", params)
        return tuple(
            ListVersion(
                int(r[0]),
                r[1],
                r[2],
                r[3],
                int(r[4]),
                int(r[5]),
                json.loads(r[6]),
                r[7] is not None,
            )
            for r in rows
        )

    def current_version(self, source: str) -> ListVersion | None:
        """The version in force for a source, or None when it was never imported."""
        return next((v for v in self.versions(source) if v.current), None)

    def current_entities(self, sources: Sequence[str] | None = None) -> Iterator[ListedEntity]:
        """Entities of the current version of each source (or of the given sources)."""
        sql = (
            "SELECT e.data FROM list_entities e JOIN list_current c ON c.version_id = e.version_id"
        )
        params: tuple[Any, ...] = ()
        if sources is not None:
            if not sources:
                return
            sql += " WHERE c.source IN (" + ", ".join("?" for _ in sources) + ")"
            params = tuple(sources)
        for row in self._db.fetchall(sql + " ORDER BY c.source, e.entity_id", params):
            yield ListedEntity.from_dict(json.loads(row[0]))

    def version_entities(self, version_id: int) -> Iterator[ListedEntity]:
        """Entities of one version."""
        self._require(version_id)
        for row in self._db.fetchall(
            "SELECT data FROM list_entities WHERE version_id = ? ORDER BY entity_id", (version_id,)
        ):
            yield ListedEntity.from_dict(json.loads(row[0]))

    def _require(self, version_id: int) -> None:
        if (
            self._db.fetchone("SELECT 1 FROM list_versions WHERE version_id = ?", (version_id,))
            is None
        ):
            raise ListImportError(
                f"no list version {version_id}; `interdiction lists show` lists them."
            )

    def diff(self, version_a: int, version_b: int) -> ListDiff:
        """Entities added, removed and changed from version_a to version_b, keyed on entity id."""
        self._require(version_a)
        self._require(version_b)
        sql = "SELECT entity_id, fingerprint FROM list_entities WHERE version_id = ?"
        old = dict(self._db.fetchall(sql, (version_a,)))
        new = dict(self._db.fetchall(sql, (version_b,)))
        added_ids = sorted(new.keys() - old.keys(), key=natural_key)
        removed_ids = sorted(old.keys() - new.keys(), key=natural_key)
        changed_ids = sorted(
            (k for k in old.keys() & new.keys() if old[k] != new[k]), key=natural_key
        )
        old_data = self._data(version_a, removed_ids + changed_ids)
        new_data = self._data(version_b, added_ids + changed_ids)
        return ListDiff(
            version_a,
            version_b,
            added=tuple(entity_ref(new_data[i]) for i in added_ids),
            removed=tuple(entity_ref(old_data[i]) for i in removed_ids),
            changed=tuple(
                EntityChange(entity_ref(new_data[i]), entity_changes(old_data[i], new_data[i]))
                for i in changed_ids
            ),
        )

    def _data(self, version_id: int, entity_ids: list[str]) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(entity_ids), 500):
            chunk = entity_ids[start : start + 500]
            rows = self._db.fetchall(
                "SELECT entity_id, data FROM list_entities WHERE version_id = ? AND entity_id IN ("
                + ", ".join("?" for _ in chunk)
                + ")",
                (version_id, *chunk),
            )
            found.update((r[0], json.loads(r[1])) for r in rows)
        return found


def screening_entities(
    sources: Sequence[str] | None = None, *, path: Path | str | None = None
) -> tuple[ListedEntity, ...]:
    """The entities to screen against: the store's current versions, else the bundled sample.

    Args:
        sources: list codes to use (default: every imported list).
        path: store location (default: Settings.lists_db under INTERDICTION_HOME).

    Returns:
        Current entities of the store; when nothing was imported yet (for these sources), the
        bundled sample (OFAC fentanyl-related slice and indicted-firm watchlist) instead.
    """
    with ListStore.open(path) as store:
        entities = tuple(store.current_entities(sources))
    if entities:
        return entities
    sample = load_bundled_sample()
    if sources is None:
        return sample
    return tuple(e for e in sample if e.source in sources)
