"""Screen a CSV of party names against the lists in force; one output row per input row.

``load_matcher()`` builds (or reads from cache) the matcher over the list store's current
versions, or over the bundled sample when nothing was imported yet, and says which lists answer.
"""

from __future__ import annotations

import csv
import hashlib
import io
import pickle
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from interdiction import __version__
from interdiction.config import get_settings
from interdiction.csvsafe import safe_cell
from interdiction.errors import InputError, InputFileError
from interdiction.parties.matcher import Matcher
from interdiction.parties.model import PartyMatch

__all__ = [
    "LONG_COLUMNS",
    "WIDE_COLUMNS",
    "ListsInUse",
    "ScreenSummary",
    "load_matcher",
    "safe_cell",
    "screen_csv",
]

WIDE_COLUMNS = (
    "row",
    "query",
    "best_score",
    "best_list",
    "best_entity_id",
    "best_name",
    "n_candidates",
    "explanation",
    "error",
)
LONG_COLUMNS = (
    "row",
    "query",
    "rank",
    "score",
    "list",
    "entity_id",
    "matched_name",
    "primary_name",
    "programs",
    "explanation",
    "error",
)
_ID_SEPARATORS = (";", "|")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class ListsInUse:
    """Which lists a matcher screens against, in words ("ofac-sdn version 3 (2024-05-03)")."""

    description: str
    entity_count: int
    from_store: bool


@dataclass(frozen=True)
class ScreenSummary:
    """Counts of a batch run."""

    rows: int
    with_match: int
    errors: int
    lists: ListsInUse


def _cache_path(key: str) -> Path:
    return get_settings().home / "cache" / f"parties-index-{key}.pickle"


def load_matcher(*, use_store: bool = True) -> tuple[Matcher, ListsInUse]:
    """The matcher over the lists in force and a description of them.

    Uses the list store's current versions when something was imported (the built index is
    cached next to the store, keyed by the versions and the interdiction version); otherwise
    the bundled sample.
    """
    if use_store:
        from interdiction.parties.store import ListStore

        with ListStore.open() as store:
            versions = [v for v in store.versions() if v.current]
            if versions:
                description = "; ".join(
                    f"{v.source} version {v.version_id} ({v.label}, {v.entity_count} entities)"
                    for v in sorted(versions, key=lambda v: v.source)
                )
                lists = ListsInUse(description, sum(v.entity_count for v in versions), True)
                key_text = (
                    __version__
                    + "|"
                    + "|".join(f"{v.source}:{v.version_id}:{v.imported_at}" for v in versions)
                )
                path = _cache_path(hashlib.sha256(key_text.encode()).hexdigest()[:16])
                if path.exists():
                    with path.open("rb") as handle:
                        matcher = pickle.load(handle)
                    if isinstance(matcher, Matcher):
                        return matcher, lists
                matcher = Matcher.build(store.current_entities())
                path.parent.mkdir(parents=True, exist_ok=True)
                temporary = path.with_suffix(".tmp")
                with temporary.open("wb") as handle:
                    pickle.dump(matcher, handle, protocol=pickle.HIGHEST_PROTOCOL)
                temporary.replace(path)
                return matcher, lists
    from interdiction.parties.loaders import load_bundled_sample

    sample = load_bundled_sample()
    lists = ListsInUse(
        f"bundled sample lists ({len(sample)} entities; run `interdiction lists import` "
        "for the full lists)",
        len(sample),
        False,
    )
    return Matcher.build(sample), lists


def _open_rows(path: Path) -> tuple[list[str], Iterator[dict[str, str]]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"cannot read {path}: {exc.strerror}. Check the path.") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheets saved on Windows: cp1252 decodes every byte.
        text = data.decode("cp1252", errors="replace")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = list(reader.fieldnames or [])
    return header, reader


def _identifiers(cell: str) -> tuple[str, ...]:
    for separator in _ID_SEPARATORS:
        cell = cell.replace(separator, "\n")
    return tuple(part.strip() for part in cell.splitlines() if part.strip())


def screen_csv(
    input_path: Path,
    output_path: Path,
    *,
    name_column: str = "name",
    country_column: str | None = None,
    dob_column: str | None = None,
    id_column: str | None = None,
    all_candidates: bool = False,
    threshold: float | None = None,
    limit: int = 10,
    matcher: Matcher | None = None,
    lists: ListsInUse | None = None,
    progress: Callable[[int], None] | None = None,
) -> ScreenSummary:
    """Screen every row of a CSV; write one row per input row (or per candidate).

    Args:
        input_path: CSV with a header row.
        output_path: CSV written with WIDE_COLUMNS (or LONG_COLUMNS with all_candidates).
        name_column: column holding the party name.
        country_column, dob_column, id_column: optional columns (identifiers separated by ; or |).
        all_candidates: one output row per candidate (rank 1..n); a row without candidates
            still gets one row.
        threshold: lowest score reported (default matcher.DEFAULT_THRESHOLD).
        limit: most candidates per row.
        matcher, lists: a built matcher and its description (default load_matcher()).
        progress: called with the number of rows done after each row.

    Raises:
        InputFileError: the file cannot be read or lacks a named column.
    """
    if matcher is None or lists is None:
        matcher, lists = load_matcher()
    header, rows = _open_rows(input_path)
    for option, column in (
        ("--name-column", name_column),
        ("--country-column", country_column),
        ("--dob-column", dob_column),
        ("--id-column", id_column),
    ):
        if column is not None and column not in header:
            raise InputFileError(
                f"{input_path} has no column {column!r} (columns: {', '.join(header) or 'none'}); "
                f"set {option}."
            )
    columns: Sequence[str] = LONG_COLUMNS if all_candidates else WIDE_COLUMNS
    count = matched = errors = 0
    with output_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for count, record in enumerate(rows, start=1):
            query = record.get(name_column) or ""
            found: tuple[PartyMatch, ...] = ()
            error = ""
            try:
                found = matcher.search(
                    query,
                    country=(record.get(country_column) or None) if country_column else None,
                    dob=(record.get(dob_column) or None) if dob_column else None,
                    identifiers=_identifiers(record.get(id_column) or "") if id_column else (),
                    limit=limit,
                    threshold=threshold,
                )
            except InputError as exc:
                error = str(exc)
                errors += 1
            matched += bool(found)
            # Control characters are shown escaped, and 10 kB names cut, so the output stays a table.
            shown_query = _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", query[:200])
            if len(query) > 200:
                shown_query += "..."
            for line in _lines(count, shown_query, found, error, all_candidates):
                writer.writerow([safe_cell(v) for v in line])
            if progress is not None:
                progress(count)
    return ScreenSummary(count, matched, errors, lists)


def _lines(
    row: int, query: str, found: tuple[PartyMatch, ...], error: str, long_form: bool
) -> list[list[object]]:
    if not long_form:
        if not found:
            return [[row, query, "", "", "", "", 0, "", error]]
        best = found[0]
        return [
            [
                row,
                query,
                f"{best.score:.4f}",
                best.source,
                best.entity_id,
                best.matched_name,
                len(found),
                best.explanation,
                error,
            ]
        ]
    if not found:
        return [[row, query, "", "", "", "", "", "", "", "", error]]
    return [
        [
            row,
            query,
            rank,
            f"{m.score:.4f}",
            m.source,
            m.entity_id,
            m.matched_name,
            m.primary_name,
            " ".join(m.programs),
            m.explanation,
            error,
        ]
        for rank, m in enumerate(found, start=1)
    ]
