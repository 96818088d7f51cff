"""Versioned store of sanctions and watch lists (SQLite by default; PostgreSQL by URL).

Every import writes a new version. The version row, all of its entities and the switch of the
source's "current" pointer happen in ONE transaction, committed only after the whole file was
parsed, validated and written: a crash, a kill or a bad file mid-import leaves the previous
version in force, and readers keep answering from it meanwhile (SQLite runs in WAL mode).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from interdiction.config import get_settings
from interdiction.errors import ListImportError
from interdiction.parties.loaders import SOURCES, LoadResult, load_list
from interdiction.parties.model import ListedEntity

__all__ = [
    "MAX_REJECTED_FRACTION",
    "ImportSummary",
    "ListVersion",
    "EntityRef",
    "FieldChange",
    "EntityChange",
    "ListDiff",
    "ListStore",
    "validate_load",
]

# A real list has a handful of unreadable rows at most (the UK extract: 2 of 5,302 without a
# name); more than 1 % means a wrong or damaged file, which must not become the current list.
MAX_REJECTED_FRACTION = 0.01
_BATCH = 1_000
_DIFF_FIELDS = (
    "kind",
    "names",
    "programs",
    "countries",
    "dates_of_birth",
    "places_of_birth",
    "identifiers",
    "addresses",
    "linked_to",
    "remarks",
    "gender",
    "listed_on",
)
Progress = Callable[[int, int], None]


_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS list_versions (version_id INTEGER PRIMARY KEY, source TEXT NOT NULL, "
    "label TEXT NOT NULL, imported_at TEXT NOT NULL, file_hashes TEXT NOT NULL, "
    "entity_count INTEGER NOT NULL, problem_count INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS list_entities (version_id INTEGER NOT NULL, entity_id TEXT NOT NULL, "
    "primary_name TEXT NOT NULL, fingerprint TEXT NOT NULL, data TEXT NOT NULL, "
    "PRIMARY KEY (version_id, entity_id))",
    "CREATE TABLE IF NOT EXISTS list_current (source TEXT PRIMARY KEY, version_id INTEGER NOT NULL)",
)


class Database:
    """Portable SQL over sqlite3 or psycopg: "?" placeholders, explicit transactions."""

    def __init__(self, connection: Any, *, postgres: bool) -> None:
        self._connection = connection
        self._postgres = postgres
        with self.transaction():
            for statement in _SCHEMA:
                self.execute(statement, ())

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self._postgres else sql

    def execute(self, sql: str, params: Sequence[Any]) -> None:
        self._connection.execute(self._sql(sql), tuple(params))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if self._postgres:
            with self._connection.cursor() as cursor:
                cursor.executemany(self._sql(sql), rows)
        else:
            self._connection.executemany(sql, rows)

    def fetchall(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        return [
            tuple(r) for r in self._connection.execute(self._sql(sql), tuple(params)).fetchall()
        ]

    def fetchone(self, sql: str, params: Sequence[Any]) -> tuple[Any, ...] | None:
        row = self._connection.execute(self._sql(sql), tuple(params)).fetchone()
        return tuple(row) if row is not None else None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing: commit at the end, roll back on any exception (or a killed process)."""
        if self._postgres:
            with self._connection.transaction():
                yield
            return
        self._connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._connection.execute("ROLLBACK")
            raise
        self._connection.execute("COMMIT")

    def close(self) -> None:
        self._connection.close()


def connect(target: Path | str) -> Database:
    """Open a SQLite file (created with its folder) or a postgresql:// URL.

    Raises:
        ListImportError: the database cannot be opened.
    """
    text = str(target)
    if text.startswith(("postgresql://", "postgres://")):
        try:
            import psycopg

            return Database(psycopg.connect(text, autocommit=True), postgres=True)
        except Exception as exc:  # psycopg missing or server refusing: one clear message
            raise ListImportError(f"cannot open the list store at {text}: {exc}") from exc
    path = Path(text.removeprefix("sqlite:///"))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path, isolation_level=None, timeout=30)
        # WAL: readers keep answering from the old version while an import writes the new one.
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
    except (OSError, sqlite3.Error) as exc:
        raise ListImportError(
            f"cannot open the list store {path}: {exc}. Check INTERDICTION_HOME points to a writable folder."
        ) from exc
    return Database(connection, postgres=False)


@dataclass(frozen=True)
class ListVersion:
    """One imported version of one list."""

    version_id: int
    source: str
    label: str
    imported_at: str
    entity_count: int
    problem_count: int
    file_hashes: dict[str, str]
    current: bool


@dataclass(frozen=True)
class ImportSummary:
    """What an import did: the new version, and the one it replaced (None for the first)."""

    version: ListVersion
    previous_version_id: int | None
    problems: tuple[str, ...]


@dataclass(frozen=True)
class EntityRef:
    """An entity in a diff: id, primary name, kind, programmes."""

    entity_id: str
    primary_name: str
    kind: str
    programs: tuple[str, ...]


@dataclass(frozen=True)
class FieldChange:
    """One changed field: the values only in the old version and only in the new one."""

    field: str
    removed: tuple[str, ...]
    added: tuple[str, ...]


@dataclass(frozen=True)
class EntityChange:
    """An entity present in both versions whose record differs."""

    entity: EntityRef
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class ListDiff:
    """Entities added, removed and changed from version_a to version_b, keyed on entity id."""

    version_a: int
    version_b: int
    added: tuple[EntityRef, ...]
    removed: tuple[EntityRef, ...]
    changed: tuple[EntityChange, ...]


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


def _render(value: Any) -> str:
    if isinstance(value, dict):
        return " ".join(f"{k}={v}" for k, v in value.items() if v)
    return str(value)


def _changes(old: dict[str, Any], new: dict[str, Any]) -> tuple[FieldChange, ...]:
    changes = []
    for name in _DIFF_FIELDS:
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        if isinstance(before, list) or isinstance(after, list):
            old_items = [_render(v) for v in before or []]
            new_items = [_render(v) for v in after or []]
            removed = tuple(v for v in old_items if v not in new_items)
            added = tuple(v for v in new_items if v not in old_items)
            if not removed and not added:
                removed, added = (
                    ("order: " + " | ".join(old_items),),
                    ("order: " + " | ".join(new_items),),
                )
        else:
            removed, added = (_render(before),), (_render(after),)
        changes.append(FieldChange(name, removed, added))
    return tuple(changes)


def _ref(data: dict[str, Any]) -> EntityRef:
    names = data.get("names") or [{"name": ""}]
    return EntityRef(
        str(data["entity_id"]),
        str(names[0]["name"]),
        str(data["kind"]),
        tuple(data.get("programs", ())),
    )


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
        added_ids = sorted(new.keys() - old.keys(), key=_natural)
        removed_ids = sorted(old.keys() - new.keys(), key=_natural)
        changed_ids = sorted((k for k in old.keys() & new.keys() if old[k] != new[k]), key=_natural)
        old_data = self._data(version_a, removed_ids + changed_ids)
        new_data = self._data(version_b, added_ids + changed_ids)
        return ListDiff(
            version_a,
            version_b,
            added=tuple(_ref(new_data[i]) for i in added_ids),
            removed=tuple(_ref(old_data[i]) for i in removed_ids),
            changed=tuple(
                EntityChange(_ref(new_data[i]), _changes(old_data[i], new_data[i]))
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


def _natural(entity_id: str) -> tuple[int, int, str]:
    """Sort OFAC ent_nums as numbers, other ids as text."""
    return (0, int(entity_id), "") if entity_id.isdigit() else (1, 0, entity_id)
