"""Records the list store returns: versions, import summaries and diffs, and how diffs are built."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "DIFF_FIELDS",
    "ListVersion",
    "ImportSummary",
    "EntityRef",
    "FieldChange",
    "EntityChange",
    "ListDiff",
    "entity_changes",
    "entity_ref",
    "natural_key",
]

DIFF_FIELDS = (
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


def _render(value: Any) -> str:
    if isinstance(value, dict):
        return " ".join(f"{k}={v}" for k, v in value.items() if v)
    return str(value)


def entity_changes(old: dict[str, Any], new: dict[str, Any]) -> tuple[FieldChange, ...]:
    changes = []
    for name in DIFF_FIELDS:
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


def entity_ref(data: dict[str, Any]) -> EntityRef:
    names = data.get("names") or [{"name": ""}]
    return EntityRef(
        str(data["entity_id"]),
        str(names[0]["name"]),
        str(data["kind"]),
        tuple(data.get("programs", ())),
    )


def natural_key(entity_id: str) -> tuple[int, int, str]:
    """Sort OFAC ent_nums as numbers, other ids as text."""
    return (0, int(entity_id), "") if entity_id.isdigit() else (1, 0, entity_id)
