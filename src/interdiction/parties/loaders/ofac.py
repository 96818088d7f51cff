"""Read OFAC's legacy CSV set (sdn.csv, alt.csv, add.csv, sdn_comments.csv) into ListedEntity.

Format (no header, ``-0-`` null marker, cp1252, trailing 0x1A byte, files joined on
``ent_num``) as documented by OFAC and in shared/data/sanctions/README.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from interdiction.errors import InputFileError
from interdiction.parties.loaders.common import (
    MAX_FIELD_CHARS,
    MAX_NAME_CHARS,
    LoadResult,
    TruncatedCsvError,
    clean_text,
    csv_rows,
    decode_bytes,
    expand_paths,
    read_bytes,
)
from interdiction.parties.loaders.remarks import parse_remarks
from interdiction.parties.model import (
    Address,
    EntityKind,
    Identifier,
    ListedEntity,
    ListedName,
    NameKind,
)

__all__ = ["OFAC_FILE_NAMES", "load_ofac"]

OFAC_FILE_NAMES = ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv")
_COLUMNS = {"sdn.csv": 12, "alt.csv": 5, "add.csv": 6, "sdn_comments.csv": 2}
_TYPES: dict[str, EntityKind] = {
    "individual": "person",
    "": "organisation",
    "vessel": "vessel",
    "aircraft": "aircraft",
}
_ALT_KINDS: dict[str, NameKind] = {"aka": "aka", "fka": "fka", "nka": "nka"}
_ENT_NUM = re.compile(r"\d{1,12}")


@dataclass
class _Draft:
    """An entity being assembled from the four files."""

    ent_num: str
    kind: EntityKind
    name: str
    programs: tuple[str, ...]
    remarks: str
    call_sign: str = ""
    vessel_flag: str = ""
    aliases: list[ListedName] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)


def _null(value: str) -> str:
    """OFAC writes ``-0- `` for an empty field."""
    value = value.strip()
    return "" if value == "-0-" else value


def _file_rows(
    path: Path, name: str, problems: list[str]
) -> tuple[list[tuple[int, list[str]]], bool, int]:
    """Decode and split one OFAC file. Returns (rows, truncated, rejected row count)."""
    text = decode_bytes(read_bytes(path), encoding="cp1252")
    truncated = False
    body = text.rstrip("\x1a")
    if body == text and body and not body.endswith("\n"):
        truncated = True
        problems.append(
            f"{path.name}: ends in mid-line without OFAC's end-of-file mark; "
            "the file looks truncated. Download it again."
        )
    rows: list[tuple[int, list[str]]] = []
    rejected = 0
    expected = _COLUMNS[name]
    try:
        for line, row in csv_rows(body, path=path, problems=problems):
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if len(row) != expected:
                rejected += 1
                problems.append(
                    f"{path.name} line {line}: {len(row)} fields, expected {expected}; "
                    "row skipped (mis-columned or truncated row)"
                )
                continue
            ent_num = row[0].strip()
            if not _ENT_NUM.fullmatch(ent_num):
                rejected += 1
                problems.append(
                    f"{path.name} line {line}: ent_num {ent_num[:40]!r} is not a number; row skipped"
                )
                continue
            rows.append((line, row))
    except TruncatedCsvError:
        truncated = True
        rejected += 1
    if truncated and rows and len(rows[-1][1]) != expected:
        rows.pop()
    return rows, truncated, rejected


def _primary(
    rows: list[tuple[int, list[str]]], path: Path, problems: list[str]
) -> tuple[dict[str, _Draft], int]:
    drafts: dict[str, _Draft] = {}
    rejected = 0
    for line, row in rows:
        ent_num = row[0].strip()
        name = clean_text(_null(row[1]))
        sdn_type = _null(row[2]).lower()
        where = f"{path.name} line {line} (ent_num {ent_num})"
        if not name:
            rejected += 1
            problems.append(f"{where}: empty name; row skipped")
            continue
        if len(name) > MAX_NAME_CHARS:
            rejected += 1
            problems.append(
                f"{where}: name of {len(name)} characters (limit {MAX_NAME_CHARS}); row skipped"
            )
            continue
        if ent_num in drafts:
            rejected += 1
            problems.append(f"{where}: ent_num repeated (first row kept); row skipped")
            continue
        kind = _TYPES.get(sdn_type)
        if kind is None:
            problems.append(f"{where}: unknown SDN_Type {sdn_type[:40]!r}; kind set to unknown")
            kind = "unknown"
        program_text = _null(row[3]).strip("[] ")
        programs = tuple(p for p in (clean_text(p) for p in program_text.split("] [")) if p)
        remarks = clean_text(_null(row[11]))
        drafts[ent_num] = _Draft(
            ent_num=ent_num,
            kind=kind,
            name=name,
            programs=programs,
            remarks=remarks,
            call_sign=clean_text(_null(row[5])),
            vessel_flag=clean_text(_null(row[9])),
        )
    return drafts, rejected


def _orphan(path: Path, line: int, ent_num: str, what: str) -> str:
    return (
        f"{path.name} line {line}: {what} for ent_num {ent_num}, which is not in sdn.csv; "
        "not merged into any entity (use the sdn.csv of the same download)"
    )


def _summarise_orphans(problems: list[str]) -> list[str]:
    """Put one line per file first: "alt.csv: 1468 rows for 945 ent_nums not in sdn.csv ..."."""
    counts: dict[str, tuple[int, set[str]]] = {}
    for problem in problems:
        if "which is not in sdn.csv" in problem:
            name = problem.split(" ", 1)[0]
            rows, ids = counts.get(name, (0, set()))
            ids.add(problem.split("ent_num ", 1)[1].split(",", 1)[0])
            counts[name] = (rows + 1, ids)
    summary = [
        f"{name}: {rows} rows for {len(ids)} ent_nums not in sdn.csv were not merged "
        "(designated after, or removed before, that sdn.csv); each is listed below"
        for name, (rows, ids) in counts.items()
    ]
    return summary + problems


def _attach_comments(
    drafts: dict[str, _Draft], rows: list[tuple[int, list[str]]], path: Path, problems: list[str]
) -> None:
    for line, row in rows:
        ent_num = row[0].strip()
        draft = drafts.get(ent_num)
        if draft is None:
            problems.append(_orphan(path, line, ent_num, "remarks continuation"))
            continue
        # The continuation starts mid-word ("tive Date (EO 14024 ..."): join without a separator.
        text = clean_text(draft.remarks + _null(row[1]).rstrip())
        if len(text) > MAX_FIELD_CHARS:
            problems.append(f"{path.name} line {line}: remarks cut at {MAX_FIELD_CHARS} characters")
            text = text[:MAX_FIELD_CHARS]
        draft.remarks = text


def _attach_aliases(
    drafts: dict[str, _Draft], rows: list[tuple[int, list[str]]], path: Path, problems: list[str]
) -> int:
    rejected = 0
    for line, row in rows:
        ent_num = row[0].strip()
        draft = drafts.get(ent_num)
        if draft is None:
            problems.append(_orphan(path, line, ent_num, "alias"))
            continue
        name = clean_text(_null(row[3]))
        alt_type = _null(row[2]).lower().replace(".", "")
        if not name or len(name) > MAX_NAME_CHARS:
            rejected += 1
            problems.append(
                f"{path.name} line {line} (ent_num {ent_num}): alias empty or over "
                f"{MAX_NAME_CHARS} characters; alias skipped"
            )
            continue
        kind = _ALT_KINDS.get(alt_type)
        if kind is None:
            problems.append(
                f"{path.name} line {line} (ent_num {ent_num}): unknown alt_type "
                f"{alt_type[:20]!r}; kept as aka"
            )
            kind = "aka"
        draft.aliases.append(ListedName(name, kind))
    return rejected


def _attach_addresses(
    drafts: dict[str, _Draft], rows: list[tuple[int, list[str]]], path: Path, problems: list[str]
) -> None:
    for line, row in rows:
        ent_num = row[0].strip()
        draft = drafts.get(ent_num)
        if draft is None:
            problems.append(_orphan(path, line, ent_num, "address"))
            continue
        street, city, country = (clean_text(_null(value))[:MAX_NAME_CHARS] for value in row[2:5])
        if street or city or country:
            draft.addresses.append(Address(street=street, city=city, country=country))


def _unique(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def _finish(draft: _Draft, primary_names: set[str]) -> ListedEntity:
    parsed = parse_remarks(draft.remarks)
    names = [ListedName(draft.name, "primary"), *draft.aliases, *parsed.names]
    unique_names = tuple(dict.fromkeys(n for n in names if n.name))
    linked = []
    for target in parsed.linked_to:
        # The field's closing "." is cut before splitting, which also cuts it from a name
        # such as "NUEVA ATUNERA TRITON S.A. DE C.V.": put it back when that is a listed name.
        if target not in primary_names and f"{target}." in primary_names:
            target = f"{target}."
        linked.append(target)
    identifiers = list(parsed.identifiers)
    countries = [*parsed.countries, *(a.country for a in draft.addresses)]
    if draft.vessel_flag:
        countries.append(draft.vessel_flag)
    if draft.call_sign:
        identifiers.append(Identifier("call-sign", draft.call_sign, draft.vessel_flag))
    return ListedEntity(
        source="ofac-sdn",
        entity_id=draft.ent_num,
        kind=draft.kind,
        names=unique_names,
        programs=draft.programs,
        countries=_unique(countries),
        dates_of_birth=parsed.dates_of_birth,
        places_of_birth=parsed.places_of_birth,
        identifiers=tuple(dict.fromkeys(identifiers)),
        addresses=tuple(dict.fromkeys(draft.addresses)),
        linked_to=_unique(linked),
        remarks=draft.remarks,
        gender=parsed.gender,
    )


def load_ofac(paths: Sequence[Path]) -> LoadResult:
    """Read an OFAC legacy CSV set: sdn.csv plus any of alt.csv, add.csv, sdn_comments.csv.

    Args:
        paths: the files, or folders holding them; a later path wins for the same file name,
            so ``[sdn_folder, other_download/alt.csv]`` joins that alt.csv to that sdn.csv.

    Returns:
        LoadResult with one entity per sdn.csv row. Aliases, addresses and remarks whose
        ent_num is not in sdn.csv are reported in ``problems`` and not merged.

    Raises:
        InputFileError: a path is missing, a file name is unknown, or no sdn.csv is given.
    """
    files = expand_paths(paths, OFAC_FILE_NAMES)
    if "sdn.csv" not in files:
        raise InputFileError(
            "no sdn.csv among " + ", ".join(str(p) for p in paths) + "; OFAC aliases and "
            "addresses need the primary file. Give sdn.csv or the folder holding it."
        )
    problems: list[str] = []
    rows: dict[str, list[tuple[int, list[str]]]] = {}
    truncated = False
    rejected = 0
    for name in OFAC_FILE_NAMES:
        if name in files:
            file_rows, file_truncated, file_rejected = _file_rows(files[name], name, problems)
            rows[name] = file_rows
            truncated = truncated or file_truncated
            rejected += file_rejected
    drafts, bad_primary = _primary(rows["sdn.csv"], files["sdn.csv"], problems)
    rejected += bad_primary
    if "sdn_comments.csv" in files:
        _attach_comments(drafts, rows["sdn_comments.csv"], files["sdn_comments.csv"], problems)
    if "alt.csv" in files:
        rejected += _attach_aliases(drafts, rows["alt.csv"], files["alt.csv"], problems)
    if "add.csv" in files:
        _attach_addresses(drafts, rows["add.csv"], files["add.csv"], problems)
    problems = _summarise_orphans(problems)
    primary_names = {draft.name for draft in drafts.values()}
    entities = tuple(_finish(draft, primary_names) for draft in drafts.values())
    return LoadResult(
        source="ofac-sdn",
        entities=entities,
        problems=tuple(problems),
        rejected_rows=rejected,
        truncated=truncated,
        files=tuple(files[name] for name in OFAC_FILE_NAMES if name in files),
    )
