"""Read the UK FCDO Sanctions List as an ODS spreadsheet (the 8-column extract) into ListedEntity.

Read with pandas' ODF engine (odfpy), which honours repeated and empty cells: a naive cell
reader shifts columns on the ~450 rows with an empty "OFSI Group ID".
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from interdiction.errors import InputFileError
from interdiction.parties.loaders.common import MAX_NAME_CHARS, LoadResult, clean_text
from interdiction.parties.model import EntityKind, Identifier, ListedEntity, ListedName

__all__ = ["UK_COLUMNS", "load_uk"]

UK_COLUMNS = (
    "Unique ID",
    "OFSI Group ID",
    "Name",
    "Regime Name",
    "Type",
    "Designation source",
    "Date Designated",
    "Sanctions Imposed",
)
_KINDS: dict[str, EntityKind] = {
    "individual": "person",
    "entity": "organisation",
    "ship": "vessel",
}


def _read_sheet(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise InputFileError(f"{path} does not exist. Check the path.")
    try:
        frame = pd.read_excel(path, engine="odf", dtype=str, keep_default_na=False)
    except (zipfile.BadZipFile, ValueError, KeyError, OSError) as exc:
        raise InputFileError(
            f"{path}: cannot read it as an ODS spreadsheet ({type(exc).__name__}: {exc}); the "
            "file looks truncated or is not the UK Sanctions List ODS. Download it again."
        ) from exc
    except Exception as exc:  # odfpy raises its own and xml errors on corrupt content
        raise InputFileError(
            f"{path}: corrupt ODS content ({type(exc).__name__}: {exc}). Download it again."
        ) from exc
    frame.columns = [clean_text(str(c)) for c in frame.columns]
    repeated = [c for c in UK_COLUMNS if list(frame.columns).count(c) > 1]
    if repeated:
        raise InputFileError(
            f"{path}: the column(s) {', '.join(repeated)} appear more than once (headers are "
            "compared without surrounding spaces), so it is unclear which to read. Delete or "
            "rename the extra column, or download the list again."
        )
    missing = [c for c in UK_COLUMNS if c not in frame.columns]
    if missing:
        raise InputFileError(
            f"{path}: missing column(s) {', '.join(missing)}; found "
            f"{', '.join(map(str, frame.columns))[:300]}. Expected the UK Sanctions List "
            "extract with the columns " + ", ".join(UK_COLUMNS) + "."
        )
    return frame


def load_uk(paths: Sequence[Path]) -> LoadResult:
    """Read UK Sanctions List ODS extracts (one row per designation, names only).

    Args:
        paths: .ods files.

    Returns:
        LoadResult; entity_id is the "Unique ID" (e.g. "RUS1234").

    Raises:
        InputFileError: a file is missing, not an ODS, or lacks the expected columns.
    """
    entities: list[ListedEntity] = []
    problems: list[str] = []
    rejected = 0
    seen: set[str] = set()
    for path in paths:
        frame = _read_sheet(path)
        for index, row in enumerate(frame[list(UK_COLUMNS)].itertuples(index=False), start=2):
            values = {c: clean_text(str(v)) for c, v in zip(UK_COLUMNS, row, strict=True)}
            unique_id, name = values["Unique ID"], values["Name"]
            where = f"{path.name} row {index}"
            if not unique_id:
                rejected += 1
                problems.append(f"{where}: empty Unique ID; row skipped")
                continue
            if not name or len(name) > MAX_NAME_CHARS:
                rejected += 1
                problems.append(
                    f"{where} ({unique_id}): name empty or over {MAX_NAME_CHARS} characters; row skipped"
                )
                continue
            if unique_id in seen:
                problems.append(f"{where}: Unique ID {unique_id} repeated; row skipped")
                continue
            seen.add(unique_id)
            kind = _KINDS.get(values["Type"].lower())
            if kind is None:
                problems.append(
                    f"{where} ({unique_id}): unknown Type {values['Type'][:30]!r}; kind set to unknown"
                )
                kind = "unknown"
            group = values["OFSI Group ID"]
            entities.append(
                ListedEntity(
                    source="uk",
                    entity_id=unique_id,
                    kind=kind,
                    names=(ListedName(name, "primary"),),
                    programs=(values["Regime Name"],) if values["Regime Name"] else (),
                    identifiers=(Identifier("ofsi-group-id", group, "United Kingdom"),)
                    if group
                    else (),
                    remarks="; ".join(
                        f"{label}: {values[label]}"
                        for label in ("Designation source", "Sanctions Imposed")
                        if values[label]
                    ),
                    listed_on=values["Date Designated"],
                )
            )
    return LoadResult(
        source="uk",
        entities=tuple(entities),
        problems=tuple(problems),
        rejected_rows=rejected,
        files=tuple(paths),
    )
