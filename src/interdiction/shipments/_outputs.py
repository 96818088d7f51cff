"""Phases 2 and 3 of the screening job: global duplicate check and finalise, then streamed outputs."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd

from interdiction.shipments.checkpoint import PartOutput
from interdiction.shipments.facts import FLAG_COLUMNS as _FLAG_COLUMNS
from interdiction.shipments.party_rules import PARTY_ROW_COLUMNS
from interdiction.shipments.records import (
    RESULT_LEAD_COLUMNS,
    RecordError,
)

__all__ = [
    "FLAG_COLUMNS",
    "PARTY_COLUMNS",
    "copy_checkpoint",
    "finalise_all",
    "progress_bar",
    "score_columns",
]

# The engine's own column lists (one definition): used for the empty frames of a run with no rows.
FLAG_COLUMNS = _FLAG_COLUMNS
PARTY_COLUMNS = PARTY_ROW_COLUMNS


@dataclass(frozen=True)
class Phase2:
    """Scores for every kept record, all flags, and the cross-partition duplicates rejected."""

    scored: pd.DataFrame
    flags: pd.DataFrame
    duplicate_rows: Mapping[str, frozenset[int]]
    duplicate_errors: Mapping[str, tuple[RecordError, ...]]


@contextmanager
def progress_bar(enabled: bool) -> Iterator[Any]:
    """A tqdm bar counting input records on stderr (a no-op object when disabled)."""
    from tqdm import tqdm

    with tqdm(total=None, unit=" records", desc="screening", disable=not enabled, file=sys.stderr,
              mininterval=1.0, smoothing=0.1) as bar:  # fmt: skip
        yield bar


def copy_checkpoint(source: Path, target: Path) -> None:
    """Copy finished partitions of an earlier run into a new output directory."""
    if not source.is_dir():
        return
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".tmp-*"))


def _frame(
    parts: Sequence[pd.DataFrame], columns: Sequence[str], ordinals: Sequence[int]
) -> pd.DataFrame:
    tagged = [p.assign(_part=o) for p, o in zip(parts, ordinals, strict=True) if len(p)]
    if not tagged:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in (*columns, "_part")})
    return pd.concat(tagged, ignore_index=True)


def finalise_all(
    keys: Sequence[str], slim: Mapping[str, PartOutput], module: ModuleType, ctx: Any
) -> Phase2:
    """Reject later duplicates of a record id across partitions, then run the engine's finalise()."""
    ordinals = range(len(keys))
    records = _frame(
        [slim[k].records for k in keys], ("record_id", "source_file", "source_row"), ordinals
    )
    duplicate = _duplicated(records["record_id"])
    duplicate_rows: dict[str, frozenset[int]] = {}
    duplicate_errors: dict[str, tuple[RecordError, ...]] = {}
    if duplicate.any():
        first = records[~duplicate].set_index("record_id")[["source_file", "source_row"]]
        later = records[duplicate]
        for ordinal, group in later.groupby("_part", sort=True):
            key = keys[int(str(ordinal))]
            duplicate_rows[key] = frozenset(int(r) for r in group["source_row"])
            duplicate_errors[key] = tuple(
                RecordError(
                    rid,
                    str(file),
                    int(row),
                    "record_id",
                    "error",
                    f"duplicate record_id {rid!r}; first used in {first.at[rid, 'source_file']} row "
                    f"{int(first.at[rid, 'source_row'])}; this later record was not screened",
                )  # fmt: skip
                for rid, file, row in zip(
                    group["record_id"], group["source_file"], group["source_row"], strict=True
                )
            )
        dropped = later[["_part", "record_id"]].assign(_drop=True)
    kept = records[~duplicate].drop(columns="_part").reset_index(drop=True)
    flags = _frame([slim[k].flags for k in keys], FLAG_COLUMNS, ordinals)
    parties = _frame([slim[k].parties for k in keys], PARTY_COLUMNS, ordinals)
    if duplicate.any():
        flags = _without(flags, dropped)
        parties = _without(parties, dropped)
    scored, all_flags = module.finalise(
        kept, flags.drop(columns="_part"), parties.drop(columns="_part"), ctx
    )
    return Phase2(scored, all_flags, duplicate_rows, duplicate_errors)


def _duplicated(ids: pd.Series) -> pd.Series:
    """``ids.duplicated(keep="first")``, answered at once when Arrow counts no repeated id (the
    usual case: hashing the ids in Arrow costs a third of pandas' full check)."""
    import pyarrow as pa

    values = pa.array(ids, from_pandas=True)
    if _count_distinct(values) == len(ids):
        return pd.Series(False, index=ids.index)
    return ids.duplicated(keep="first")


def _count_distinct(values: Any) -> int:
    import pyarrow.compute as pc

    return int(pc.count_distinct(values, mode="all").as_py())


def _without(frame: pd.DataFrame, dropped: pd.DataFrame) -> pd.DataFrame:
    merged = frame.merge(dropped, on=["_part", "record_id"], how="left")
    return merged[merged["_drop"].isna()].drop(columns="_drop").reset_index(drop=True)


def score_columns(scored: pd.DataFrame, slim_columns: Sequence[str]) -> list[str]:
    lead = [c for c in RESULT_LEAD_COLUMNS[1:] if c in scored.columns]
    added = [
        c for c in scored.columns if c not in slim_columns and c not in lead and c != "record_id"
    ]
    return [*lead, *added]
