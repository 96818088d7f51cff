"""Read a user watchlist CSV (indicted companies, an internal block list) into ListedEntity.

Header row required. Columns: ``name`` (required) and optionally ``id``, ``aliases``
(";"-separated), ``kind``, ``country``, ``identifiers`` (";"-separated ``type:value``, e.g.
``uscc:91310115MA1K41CK14; email:sales@example.com``), ``email``, ``phone``, ``website``,
``notes``, ``source``, ``listed_on``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from interdiction.errors import InputFileError
from interdiction.parties.loaders.common import (
    MAX_NAME_CHARS,
    LoadResult,
    TruncatedCsvError,
    clean_text,
    csv_rows,
    decode_bytes,
    read_bytes,
)
from interdiction.parties.model import EntityKind, Identifier, ListedEntity, ListedName

__all__ = ["WATCHLIST_COLUMNS", "load_watchlist", "watchlist_entity_id"]

WATCHLIST_COLUMNS = (
    "id",
    "name",
    "aliases",
    "kind",
    "country",
    "identifiers",
    "email",
    "phone",
    "website",
    "notes",
    "source",
    "listed_on",
)
_KINDS: dict[str, EntityKind] = {
    "person": "person",
    "individual": "person",
    "organisation": "organisation",
    "organization": "organisation",
    "company": "organisation",
    "entity": "organisation",
    "vessel": "vessel",
    "ship": "vessel",
    "aircraft": "aircraft",
    "": "unknown",
    "unknown": "unknown",
}


def watchlist_entity_id(name: str) -> str:
    """A stable id for a row without an ``id`` column: the same name gives the same id."""
    digest = hashlib.sha256(" ".join(name.casefold().split()).encode("utf-8")).hexdigest()
    return f"wl-{digest[:16]}"


def _split(text: str) -> list[str]:
    return [clean_text(part) for part in text.split(";") if clean_text(part)]


def _identifiers(values: dict[str, str]) -> list[Identifier]:
    found = []
    for item in _split(values.get("identifiers", "")):
        kind, sep, value = item.partition(":")
        if sep and value.strip():
            found.append(
                Identifier(clean_text(kind).lower(), value.strip(), values.get("country", ""))
            )
        else:
            found.append(Identifier("other", item))
    for column in ("email", "phone", "website"):
        found.extend(Identifier(column, v) for v in _split(values.get(column, "")))
    return found


def load_watchlist(paths: Sequence[Path]) -> LoadResult:
    """Read one or more watchlist CSV files (UTF-8; cp1252 accepted).

    Args:
        paths: CSV files with a header row naming at least ``name``.

    Returns:
        LoadResult; a row with the wrong number of fields or no name is reported and skipped.

    Raises:
        InputFileError: a file is missing, empty, or has no ``name`` column.
    """
    entities: list[ListedEntity] = []
    problems: list[str] = []
    rejected = 0
    truncated = False
    seen: set[str] = set()
    for path in paths:
        if not path.is_file():
            raise InputFileError(f"{path} does not exist. Check the path.")
        text = decode_bytes(read_bytes(path))
        rows = csv_rows(text, path=path, problems=problems)
        try:
            header_line = next(rows, None)
            if header_line is None:
                raise InputFileError(
                    f"{path} is empty; a watchlist needs a header row with 'name'."
                )
            header = [clean_text(h).lower() for h in header_line[1]]
            if "name" not in header:
                raise InputFileError(
                    f"{path}: no 'name' column in the header ({', '.join(header)[:200]}). "
                    "The first row must name the columns, e.g. name,aliases,kind,country."
                )
            repeated = sorted({h for h in header if h and header.count(h) > 1})
            if repeated:
                raise InputFileError(
                    f"{path}: the column(s) {', '.join(repeated)[:200]} appear more than once in "
                    "the header (compared without case and surrounding spaces), so it is unclear "
                    "which to read. Delete or rename the extra column."
                )
            unknown = [h for h in header if h not in WATCHLIST_COLUMNS]
            if unknown:
                problems.append(
                    f"{path.name}: unknown column(s) {', '.join(unknown)[:200]} ignored"
                )
            for line, row in rows:
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    rejected += 1
                    problems.append(
                        f"{path.name} line {line}: {len(row)} fields, header has {len(header)}; row skipped"
                    )
                    continue
                values = {h: clean_text(v) for h, v in zip(header, row, strict=True)}
                name = values["name"]
                if not name or len(name) > MAX_NAME_CHARS:
                    rejected += 1
                    problems.append(
                        f"{path.name} line {line}: name empty or over {MAX_NAME_CHARS} characters; row skipped"
                    )
                    continue
                kind = _KINDS.get(values.get("kind", "").lower())
                if kind is None:
                    problems.append(
                        f"{path.name} line {line}: unknown kind {values['kind'][:30]!r}; set to unknown"
                    )
                    kind = "unknown"
                entity_id = values.get("id") or watchlist_entity_id(name)
                if entity_id in seen:
                    problems.append(
                        f"{path.name} line {line}: id {entity_id} repeated; row skipped"
                    )
                    continue
                seen.add(entity_id)
                aliases = [
                    ListedName(a, "aka")
                    for a in _split(values.get("aliases", ""))
                    if len(a) <= MAX_NAME_CHARS
                ]
                notes = "; ".join(
                    v for v in (values.get("notes", ""), values.get("source", "")) if v
                )
                entities.append(
                    ListedEntity(
                        source="watchlist",
                        entity_id=entity_id,
                        kind=kind,
                        names=tuple(dict.fromkeys([ListedName(name), *aliases])),
                        programs=("watchlist",),
                        countries=tuple(_split(values.get("country", ""))),
                        identifiers=tuple(dict.fromkeys(_identifiers(values))),
                        remarks=notes,
                        listed_on=values.get("listed_on", ""),
                    )
                )
        except TruncatedCsvError:
            truncated = True
            rejected += 1
    return LoadResult(
        source="watchlist",
        entities=tuple(entities),
        problems=tuple(problems),
        rejected_rows=rejected,
        truncated=truncated,
        files=tuple(paths),
    )
