"""One typed Settings object, read from INTERDICTION_* environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from interdiction.errors import ConfigError

__all__ = ["Settings", "get_settings"]


@dataclass(frozen=True)
class Settings:
    """Where interdiction keeps its data and how much it may use.

    Attributes:
        home: data directory (list store, caches); env INTERDICTION_HOME.
        database_url: SQL database for the store; env INTERDICTION_DATABASE_URL
            (default: SQLite file in ``home``).
        jobs: default worker processes for batch work; env INTERDICTION_JOBS.
    """

    home: Path
    database_url: str
    jobs: int

    @property
    def lists_db(self) -> Path:
        """SQLite file of the versioned sanctions/watch-list store."""
        return self.home / "lists.sqlite"


def _default_home() -> Path:
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "interdiction"


def get_settings() -> Settings:
    """Read settings from the environment each call (tests change INTERDICTION_HOME freely).

    Raises:
        ConfigError: when a variable holds a value that cannot be used.
    """
    home = Path(os.environ.get("INTERDICTION_HOME") or _default_home()).expanduser()
    jobs_text = os.environ.get("INTERDICTION_JOBS", "1")
    try:
        jobs = int(jobs_text)
    except ValueError as exc:
        raise ConfigError(
            f"INTERDICTION_JOBS={jobs_text!r} is not a whole number; set it to e.g. 2 or unset it."
        ) from exc
    if jobs < 1:
        raise ConfigError(f"INTERDICTION_JOBS={jobs} must be at least 1.")
    database_url = (
        os.environ.get("INTERDICTION_DATABASE_URL") or f"sqlite:///{home / 'interdiction.sqlite'}"
    )
    return Settings(home=home, database_url=database_url, jobs=jobs)
