"""Sanctions and watch-list loaders: each real format read into ListedEntity records.

``load_list(source, paths)`` picks the loader by list code; ``load_bundled_sample()`` gives the
small OFAC + watchlist slice shipped with the package, so screening works before any import.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from importlib import resources
from pathlib import Path

from interdiction.errors import InputError
from interdiction.parties.loaders.common import LoadResult
from interdiction.parties.loaders.ofac import OFAC_FILE_NAMES, load_ofac
from interdiction.parties.loaders.opensanctions import load_opensanctions
from interdiction.parties.loaders.uk import load_uk
from interdiction.parties.loaders.un import load_un
from interdiction.parties.loaders.watchlist import load_watchlist, watchlist_entity_id
from interdiction.parties.model import ListedEntity

__all__ = [
    "LOADERS",
    "LoadResult",
    "OFAC_FILE_NAMES",
    "SOURCES",
    "load_bundled_sample",
    "load_list",
    "load_ofac",
    "load_opensanctions",
    "load_uk",
    "load_un",
    "load_watchlist",
    "watchlist_entity_id",
]

LOADERS: dict[str, Callable[[Sequence[Path]], LoadResult]] = {
    "ofac-sdn": load_ofac,
    "un": load_un,
    "uk": load_uk,
    "opensanctions": load_opensanctions,
    "watchlist": load_watchlist,
}
SOURCES = tuple(LOADERS)


def load_list(source: str, paths: Sequence[Path]) -> LoadResult:
    """Read list files with the loader for ``source``.

    Args:
        source: one of SOURCES ("ofac-sdn", "un", "uk", "opensanctions", "watchlist").
        paths: files or folders, as that loader takes them.

    Raises:
        InputError: unknown source.
        InputFileError: a file cannot be read.
    """
    loader = LOADERS.get(source)
    if loader is None:
        raise InputError(f"unknown list source {source!r}; use one of {', '.join(SOURCES)}.")
    return loader(paths)


def _sample_dir() -> Path:
    return Path(str(resources.files("interdiction") / "data" / "lists" / "sample"))


@cache
def load_bundled_sample() -> tuple[ListedEntity, ...]:
    """The bundled sample: OFAC ILLICIT-DRUGS-EO14059 entries and Chinese chemical companies
    (with their aliases and addresses) plus a watchlist of indicted PRC chemical firms.

    Returns:
        OFAC entities first, then watchlist entities.
    """
    sample = _sample_dir()
    ofac = load_ofac([sample / "ofac"])
    watchlist = load_watchlist([sample / "watchlist.csv"])
    return ofac.entities + watchlist.entities
