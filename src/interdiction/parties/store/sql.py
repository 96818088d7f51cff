"""Portable SQL for the list store: sqlite3 (default, WAL mode) or psycopg, "?" placeholders."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from interdiction.errors import ListImportError

__all__ = ["Database", "connect"]

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
