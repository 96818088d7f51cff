"""Read and validate the per-jurisdiction legal data files (``data/regulations/*.yaml``).

Every problem raises ``ReferenceDataError`` naming the file, the entry id and the field, and
saying what to fix. Nothing is skipped quietly: one bad entry stops the load.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from rdkit import Chem

from interdiction.errors import ReferenceDataError
from interdiction.regulations._fields import (
    ID_PATTERN,
    PENDING_KEYS,
    Where,
    check_keys,
    citation_field,
    covers_field,
    date_field,
    quiet_rdkit,
    smiles_field,
    text_field,
    texts_field,
)
from interdiction.regulations.model import ENTRY_KINDS, JURISDICTIONS, CoverageChange, Entry
from interdiction.regulations.registry import PendingItem, Regulations
from interdiction.substances.cas import is_valid_cas, normalise_cas
from interdiction.substances.identify import structure_key

__all__ = ["load_regulations", "load_file", "default_directory"]

_FILE_REQUIRED = {"version", "jurisdiction", "source", "entries"}
_FILE_OPTIONAL = {"pending", "notes"}
_ENTRY_REQUIRED = {"id", "name", "smiles", "category", "kind", "effective_from", "citation"}
_ENTRY_OPTIONAL = {
    "effective_to",
    "synonyms",
    "names_zh",
    "names_es",
    "cas",
    "covers",
    "notes",
    "history",
    "coverage_added",
    "formula",
}


def default_directory() -> Path:
    """The bundled data folder, ``interdiction/data/regulations``."""
    return Path(str(resources.files("interdiction") / "data" / "regulations"))


def _entry(path: Path, jurisdiction: str, raw: Any, index: int) -> Entry:
    where = Where(
        path, raw.get("id", f"#{index + 1}") if isinstance(raw, dict) else f"#{index + 1}"
    )
    if not isinstance(raw, dict):
        raise where.fail(
            "", "entry is not a mapping", "Each item under entries: needs id, name, smiles ..."
        )
    check_keys(where, raw, _ENTRY_REQUIRED, _ENTRY_OPTIONAL, "entry")
    entry_id = text_field(where, "id", raw["id"])
    if not ID_PATTERN.match(entry_id) or not entry_id.startswith(f"{jurisdiction}-"):
        raise where.fail(
            "id",
            f"{entry_id!r} must be lower-case and start with '{jurisdiction}-'",
            "Rename it, e.g. 'us-anpp'.",
        )
    kind = text_field(where, "kind", raw["kind"])
    if kind not in ENTRY_KINDS:
        raise where.fail(
            "kind", f"{kind!r} is not an entry kind", "Use 'controlled' or 'precursor'."
        )
    cas = texts_field(where, "cas", raw.get("cas"))
    for number in cas:
        if not is_valid_cas(number):
            raise where.fail(
                "cas",
                f"{number!r} fails the CAS check digit",
                "Correct the number or drop it (match on structure).",
            )
    start = date_field(where, "effective_from", raw["effective_from"])
    end = (
        date_field(where, "effective_to", raw["effective_to"])
        if raw.get("effective_to") is not None
        else None
    )
    if end is not None and end < start:
        raise where.fail(
            "effective_to", f"{end} is before effective_from {start}", "Swap or correct the dates."
        )
    covers = covers_field(where, "covers", raw.get("covers"))
    changes = []
    for n, change in enumerate(raw.get("coverage_added") or []):
        field = f"coverage_added[{n}]"
        if not isinstance(change, dict):
            raise where.fail(field, "not a mapping", "Give effective_from, covers and citation.")
        check_keys(where, change, {"effective_from", "covers", "citation"}, set(), field)
        day = date_field(where, f"{field}.effective_from", change["effective_from"])
        added = covers_field(where, f"{field}.covers", change["covers"])
        if day < start or (end is not None and day > end):
            raise where.fail(
                f"{field}.effective_from",
                f"{day} is outside the entry's period",
                "It must fall between effective_from and effective_to.",
            )
        if not set(added) <= set(covers):
            raise where.fail(
                f"{field}.covers",
                f"{added} not all in the entry's covers {covers}",
                "covers is the latest coverage: list the added kinds there too.",
            )
        changes.append(
            CoverageChange(
                day, added, citation_field(where, f"{field}.citation", change["citation"])
            )
        )
    history = []
    for n, item in enumerate(raw.get("history") or []):
        field = f"history[{n}]"
        if not isinstance(item, dict):
            raise where.fail(field, "not a mapping", "Give date and event.")
        check_keys(where, item, {"date", "event"}, set(), field)
        history.append(
            (
                date_field(where, f"{field}.date", item["date"]),
                text_field(where, f"{field}.event", item["event"]),
            )
        )
    return Entry(
        id=entry_id,
        jurisdiction=jurisdiction,
        name=text_field(where, "name", raw["name"]),
        smiles=smiles_field(
            where, raw["smiles"], text_field(where, "formula", raw.get("formula"), required=False)
        ),
        category=text_field(where, "category", raw["category"]),
        kind=kind,  # type: ignore[arg-type]  # checked against ENTRY_KINDS above
        effective_from=start,
        effective_to=end,
        citation=citation_field(where, "citation", raw["citation"]),
        synonyms=texts_field(where, "synonyms", raw.get("synonyms")),
        names_zh=texts_field(where, "names_zh", raw.get("names_zh")),
        names_es=texts_field(where, "names_es", raw.get("names_es")),
        cas=tuple(normalise_cas(c) for c in cas),
        covers=covers,
        notes=text_field(where, "notes", raw.get("notes"), required=False),
        history=tuple(sorted(history)),
        coverage_added=tuple(sorted(changes, key=lambda c: c.effective_from)),
    )


def load_file(path: Path) -> tuple[str, str, str, tuple[Entry, ...], tuple[PendingItem, ...]]:
    """Read one jurisdiction file: (jurisdiction, version, source, entries, pending items).

    Raises:
        ReferenceDataError: for any schema or content problem, naming file, entry and field.
    """
    where = Where(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise where.fail(
            "", f"cannot be read as UTF-8 YAML ({exc})", "Fix the file syntax."
        ) from exc
    if not isinstance(data, dict):
        raise where.fail(
            "",
            "top level is not a mapping",
            "Start the file with version:, jurisdiction:, source:, entries:.",
        )
    check_keys(where, data, _FILE_REQUIRED, _FILE_OPTIONAL, "file")
    jurisdiction = text_field(where, "jurisdiction", data["jurisdiction"]).lower()
    if jurisdiction not in JURISDICTIONS:
        raise where.fail(
            "jurisdiction",
            f"{jurisdiction!r} is not a known jurisdiction",
            f"Use one of {', '.join(JURISDICTIONS)}.",
        )
    if path.stem.lower() != jurisdiction:
        raise where.fail(
            "jurisdiction",
            f"file name says {path.stem!r}, content says {jurisdiction!r}",
            "Name the file <jurisdiction>.yaml.",
        )
    if not isinstance(data["entries"], list) or not data["entries"]:
        raise where.fail("entries", "no entries", "List at least one entry.")
    entries = tuple(_entry(path, jurisdiction, raw, n) for n, raw in enumerate(data["entries"]))
    pending = []
    for n, item in enumerate(data.get("pending") or []):
        item_where = Where(path, f"pending #{n + 1}")
        if not isinstance(item, dict):
            raise item_where.fail("", "not a mapping", "Give name and reason.")
        check_keys(item_where, item, PENDING_KEYS, set(), "pending item")
        pending.append(
            PendingItem(
                jurisdiction,
                text_field(item_where, "name", item["name"]),
                text_field(item_where, "reason", item["reason"]),
            )
        )
    version = text_field(where, "version", data["version"])
    return (
        jurisdiction,
        version,
        text_field(where, "source", data["source"]),
        entries,
        tuple(pending),
    )


def _key(smiles: str) -> str:
    with quiet_rdkit():
        mol = Chem.MolFromSmiles(smiles)
    return structure_key(mol)


def _load(directory: Path) -> Regulations:
    if not directory.is_dir():
        raise ReferenceDataError(
            f"{directory}: no such folder of regulation files. Point to a folder holding <jurisdiction>.yaml files."
        )
    paths = sorted(
        directory.glob("*.yaml"),
        key=lambda p: (JURISDICTIONS.index(p.stem) if p.stem in JURISDICTIONS else 99, p.name),
    )
    if not paths:
        raise ReferenceDataError(
            f"{directory}: holds no *.yaml regulation files. Add one per jurisdiction (us.yaml ...)."
        )
    entries: list[Entry] = []
    versions: list[tuple[str, str]] = []
    sources: list[tuple[str, str]] = []
    pending: list[PendingItem] = []
    keys: list[tuple[str, str]] = []
    seen_ids: dict[str, str] = {}
    seen_jurisdictions: dict[str, str] = {}
    cas_owner: dict[str, tuple[str, str, str]] = {}
    for path in paths:
        jurisdiction, version, source, file_entries, file_pending = load_file(path)
        if jurisdiction in seen_jurisdictions:
            raise Where(path).fail(
                "jurisdiction",
                f"{jurisdiction!r} is also the jurisdiction of {seen_jurisdictions[jurisdiction]}",
                "Keep one file per jurisdiction.",
            )
        seen_jurisdictions[jurisdiction] = path.name
        for entry in file_entries:
            where = Where(path, entry.id)
            if entry.id in seen_ids:
                raise where.fail(
                    "id", f"id also used in {seen_ids[entry.id]}", "Give every entry a unique id."
                )
            seen_ids[entry.id] = path.name
            key = _key(entry.smiles)
            for number in entry.cas:
                owner = cas_owner.setdefault(number, (key, entry.id, path.name))
                if owner[0] != key:
                    raise where.fail(
                        "cas",
                        f"CAS {number} has structure {key} here but {owner[0]} in {owner[2]} entry {owner[1]!r}",
                        "One CAS number is one substance: fix the SMILES or the CAS number in one of them.",
                    )
            keys.append((entry.id, key))
        entries.extend(file_entries)
        versions.append((jurisdiction, version))
        sources.append((jurisdiction, source))
        pending.extend(file_pending)
    return Regulations(tuple(entries), tuple(versions), tuple(sources), tuple(pending), tuple(keys))


@lru_cache(maxsize=1)
def _bundled() -> Regulations:
    return _load(default_directory())


def load_regulations(directory: Path | None = None) -> Regulations:
    """Load and validate every ``<jurisdiction>.yaml`` file of a folder.

    Args:
        directory: folder of data files; None for the bundled files (loaded once, then cached).

    Returns:
        The entries of all files with their versions and pending (unconfirmed) items.

    Raises:
        ReferenceDataError: for the first problem found, naming file, entry id and field.
    """
    if directory is None:
        return _bundled()
    return _load(Path(directory))
