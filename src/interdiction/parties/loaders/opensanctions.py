"""Read OpenSanctions / FollowTheMoney entities (JSON lines) into ListedEntity.

Each line is one FtM entity: ``{"id", "schema", "properties": {prop: [values]}, "datasets"}``.
Party schemas are kept; other schemas (Sanction, Address, Ownership ...) are counted and skipped.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from interdiction.errors import InputFileError
from interdiction.parties.loaders.common import (
    MAX_NAME_CHARS,
    LoadResult,
    clean_text,
    decode_bytes,
    read_bytes,
)
from interdiction.parties.model import (
    Address,
    EntityKind,
    Identifier,
    ListedEntity,
    ListedName,
    NameKind,
)

__all__ = ["load_opensanctions"]

# FtM schemata (https://followthemoney.tech/explorer/schemata/) that describe a party.
_SCHEMA_KINDS: dict[str, EntityKind] = {
    "Person": "person",
    "Company": "organisation",
    "Organization": "organisation",
    "LegalEntity": "organisation",
    "PublicBody": "organisation",
    "Vessel": "vessel",
    "Airplane": "aircraft",
}
_NAME_PROPS: tuple[tuple[str, NameKind], ...] = (
    ("name", "aka"),
    ("alias", "aka"),
    ("previousName", "fka"),
    ("weakAlias", "weak-aka"),
)
# FtM identifier properties -> our Identifier.type.
_ID_PROPS = {
    "email": "email",
    "phone": "phone",
    "website": "website",
    "registrationNumber": "registration",
    "ogrnCode": "registration",
    "okpoCode": "registration",
    "taxNumber": "tax-id",
    "innCode": "tax-id",
    "vatCode": "tax-id",
    "idNumber": "national-id",
    "passportNumber": "passport",
    "imoNumber": "imo",
    "mmsi": "mmsi",
    "leiCode": "lei",
    "swiftBic": "swift",
    "uniqueEntityId": "registration",
    "callSign": "call-sign",
}
_COUNTRY_PROPS = ("country", "nationality", "citizenship", "jurisdiction", "mainCountry", "flag")


def _strings(properties: dict[str, Any], prop: str) -> list[str]:
    values = properties.get(prop) or []
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list):
        return []
    return [clean_text(v) for v in values if isinstance(v, str) and clean_text(v)]


def _entity(record: dict[str, Any]) -> ListedEntity:
    """Build one entity; raise ValueError with the reason when the record is unusable."""
    entity_id = record.get("id")
    if not isinstance(entity_id, str) or not clean_text(entity_id):
        raise ValueError("no string 'id'")
    properties = record.get("properties")
    if not isinstance(properties, dict):
        raise ValueError("no 'properties' object")
    names: list[ListedName] = []
    for prop, kind in _NAME_PROPS:
        for value in _strings(properties, prop):
            if len(value) > MAX_NAME_CHARS:
                raise ValueError(f"{prop} of {len(value)} characters")
            names.append(ListedName(value, kind))
    caption = record.get("caption")
    if isinstance(caption, str) and clean_text(caption) and not names:
        if len(clean_text(caption)) > MAX_NAME_CHARS:
            raise ValueError(f"caption of {len(clean_text(caption))} characters")
        names.append(ListedName(clean_text(caption)))
    if not names:
        raise ValueError("no name")
    names[0] = ListedName(names[0].name, "primary")
    identifiers = [
        Identifier(kind, value)
        for prop, kind in _ID_PROPS.items()
        for value in _strings(properties, prop)
    ]
    countries = [c for prop in _COUNTRY_PROPS for c in _strings(properties, prop)]
    programs = _strings(properties, "programId") or _strings(properties, "program")
    if not programs and isinstance(record.get("datasets"), list):
        programs = [clean_text(d) for d in record["datasets"] if isinstance(d, str)]
    return ListedEntity(
        source="opensanctions",
        entity_id=clean_text(entity_id),
        kind=_SCHEMA_KINDS[str(record["schema"])],
        names=tuple(dict.fromkeys(names)),
        programs=tuple(dict.fromkeys(programs)),
        countries=tuple(dict.fromkeys(countries)),
        dates_of_birth=tuple(_strings(properties, "birthDate")),
        places_of_birth=tuple(_strings(properties, "birthPlace")),
        identifiers=tuple(dict.fromkeys(identifiers)),
        addresses=tuple(Address(street=a) for a in _strings(properties, "address")),
        remarks="; ".join(_strings(properties, "notes")),
        gender=next(iter(_strings(properties, "gender")), ""),
        listed_on=next(iter(_strings(properties, "createdAt")), ""),
    )


def load_opensanctions(paths: Sequence[Path]) -> LoadResult:
    """Read FtM JSON-lines files (e.g. OpenSanctions' ``entities.ftm.json``).

    Args:
        paths: .json / .jsonl / .ftm.json files, one entity object per line.

    Returns:
        LoadResult with one entity per party record; broken lines are reported by number.

    Raises:
        InputFileError: a file is missing.
    """
    entities: list[ListedEntity] = []
    problems: list[str] = []
    rejected = 0
    truncated = False
    skipped: Counter[str] = Counter()
    seen: set[str] = set()
    for path in paths:
        if not path.is_file():
            raise InputFileError(f"{path} does not exist. Check the path.")
        text = decode_bytes(read_bytes(path))
        lines = text.split("\n")
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise ValueError("line is not a JSON object")
                schema = record.get("schema")
                if not isinstance(schema, str) or schema not in _SCHEMA_KINDS:
                    skipped[str(schema)[:40]] += 1
                    continue
                entity = _entity(record)
            except (ValueError, RecursionError) as exc:
                rejected += 1
                if number == len(lines) and not text.endswith("\n"):
                    truncated = True
                    problems.append(
                        f"{path.name} line {number}: cut short ({exc}); the file looks truncated"
                    )
                else:
                    problems.append(f"{path.name} line {number}: {str(exc)[:200]}; line skipped")
                continue
            if entity.entity_id in seen:
                problems.append(
                    f"{path.name} line {number}: id {entity.entity_id[:80]} repeated; skipped"
                )
                continue
            seen.add(entity.entity_id)
            entities.append(entity)
    if skipped:
        problems.append(
            "records of non-party schemata skipped: "
            + ", ".join(f"{schema} {count}" for schema, count in skipped.most_common())
        )
    return LoadResult(
        source="opensanctions",
        entities=tuple(entities),
        problems=tuple(problems),
        rejected_rows=rejected,
        truncated=truncated,
        files=tuple(paths),
    )
