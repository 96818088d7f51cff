"""Phase 3 of the screening job: join scores to each partition's full records and write the outputs.

Each partition is written to ``OUT/.checkpoint/out/`` as its own uncompressed Arrow IPC file and
header-less CSV file by whichever process holds it (a Dask worker, or the driver in local mode);
the driver appends each part, in input order, into records.parquet and records.csv as soon as it
and the parts before it are written, so assembling overlaps with writing. The driver memory-maps
each Arrow part (nothing to decode: Parquet parts cost a decode per part on the driver, the serial
end of a Dask run) and has the kernel copy each CSV part. Both modes run the same code, so their
files are byte-identical.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import pandas as pd

from interdiction.csvsafe import safe_frame, safe_table
from interdiction.shipments.checkpoint import Checkpoint
from interdiction.shipments.records import ERROR_COLUMNS, RECORD_COLUMNS, RecordError, errors_frame

T = TypeVar("T")

__all__ = ["PartTask", "PartWritten", "Written", "assemble_outputs", "output_schema", "write_part"]


@dataclass(frozen=True)
class PartTask:
    """Everything a process needs to write one partition's output part."""

    key: str
    checkpoint_dir: str
    parts_dir: str
    scores: pd.DataFrame  # indexed by record_id, the score columns only
    duplicate_rows: frozenset[int]
    columns: tuple[str, ...]
    schema: Any  # pyarrow.Schema of the output table


@dataclass(frozen=True)
class PartWritten:
    """What one written part holds."""

    key: str
    n_inputs: int
    rows: int
    levels: Mapping[str, int]
    errors: pd.DataFrame


def _csv_options(header: bool) -> Any:
    import pyarrow.csv as pa_csv

    return pa_csv.WriteOptions(include_header=header, quoting_style="needed")


def write_part(task: PartTask) -> PartWritten:
    """Join scores to one partition's records and write its Parquet and CSV part files."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    part = Checkpoint(Path(task.checkpoint_dir)).read(task.key, tables=("records", "errors"))
    records = part.records
    if task.duplicate_rows:
        records = records[~records["source_row"].isin(task.duplicate_rows)]
    scores = task.scores.reindex(records["record_id"].to_numpy()).reset_index(drop=True)
    frame = pd.concat([records.reset_index(drop=True), scores], axis=1).reindex(
        columns=list(task.columns)
    )
    for field in task.schema:
        if pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            column = frame[field.name]
            if column.isna().any():
                frame[field.name] = column.astype(object).where(column.notna(), "")
    table = pa.Table.from_pandas(frame, schema=task.schema, preserve_index=False)
    base = Path(task.parts_dir) / task.key
    with pa.OSFile(f"{base}.arrow", "wb") as sink, pa.ipc.new_file(sink, table.schema) as ipc:
        ipc.write_table(table)
    # The CSV is opened in spreadsheets: no cell may run as a formula (Parquet keeps raw values).
    pa_csv.write_csv(safe_table(table), f"{base}.csv", write_options=_csv_options(False))
    levels = frame["risk_level"].value_counts().to_dict() if "risk_level" in frame.columns else {}
    return PartWritten(
        task.key,
        part.n_inputs,
        len(frame),
        {str(k): int(v) for k, v in levels.items()},
        part.errors,
    )


def output_schema(
    checkpoint: Checkpoint, keys: Sequence[str], scored: pd.DataFrame, columns: Sequence[str]
) -> Any:
    """One Arrow schema for every part: record types from the checkpoint, score types from scored."""
    import pyarrow as pa

    types: dict[str, Any] = {}
    for key in keys:
        for field in checkpoint.schema(key):
            if field.name not in types or pa.types.is_null(types[field.name]):
                types[field.name] = field.type
    sample = pa.Table.from_pandas(scored.head(1), preserve_index=False)
    for field in sample.schema:
        types.setdefault(field.name, field.type)
    fields = []
    for name in columns:
        kind = types.get(name, pa.string())
        if (
            pa.types.is_null(kind)
            or pa.types.is_large_string(kind)
            or str(kind).startswith("string_view")
        ):
            kind = pa.string()
        fields.append(pa.field(name, kind))
    return pa.schema(fields)


@dataclass(frozen=True)
class Written:
    """The assembled outputs."""

    inputs: int
    results: int
    rejected: int
    warnings: int
    by_level: Mapping[str, int]
    errors: pd.DataFrame
    outputs: tuple[Path, ...]


def _append(source: BinaryIO, target: BinaryIO) -> None:
    """Append all of ``source`` to ``target`` inside the kernel where it can (Linux
    copy_file_range: half a gigabyte of CSV parts never passes through Python's buffers)."""
    target.flush()
    size = os.fstat(source.fileno()).st_size
    copy = getattr(os, "copy_file_range", None)
    offset = 0
    if copy is not None:
        try:
            while offset < size:
                copied = copy(source.fileno(), target.fileno(), size - offset)
                if copied == 0:
                    break
                offset += copied
        except OSError:
            pass  # another filesystem or kernel: the plain copy below finishes the part
    source.seek(offset)
    target.seek(0, os.SEEK_END)
    shutil.copyfileobj(source, target)


def _concatenate(
    parts: Iterable[PartWritten], parts_dir: Path, schema: Any, parquet_path: Path, csv_path: Path
) -> list[PartWritten]:
    """Append each written part, in the order given, to the Parquet and CSV outputs."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv
    import pyarrow.parquet as pq

    done = []
    pa_csv.write_csv(schema.empty_table(), csv_path, write_options=_csv_options(True))
    # Not opened for appending: copy_file_range refuses a target opened with O_APPEND.
    with pq.ParquetWriter(parquet_path, schema) as writer, csv_path.open("r+b") as csv:
        csv.seek(0, os.SEEK_END)
        for part in parts:
            base = parts_dir / part.key
            with pa.memory_map(f"{base}.arrow") as source:
                writer.write_table(pa.ipc.open_file(source).read_all().cast(schema))
            with open(f"{base}.csv", "rb") as piece:
                _append(piece, csv)
            os.remove(f"{base}.arrow")
            os.remove(f"{base}.csv")
            done.append(part)
    shutil.rmtree(parts_dir, ignore_errors=True)
    return done


def assemble_outputs(
    out_dir: Path,
    checkpoint: Checkpoint,
    keys: Sequence[str],
    scored: pd.DataFrame,
    flags: pd.DataFrame,
    score_columns: Sequence[str],
    duplicate_rows: Mapping[str, frozenset[int]],
    duplicate_errors: Mapping[str, tuple[RecordError, ...]],
    file_errors: Sequence[RecordError],
    slim_ids: Mapping[str, Sequence[str]],
    run_parts: Callable[[list[PartTask]], Iterator[PartWritten]],
    then: Callable[[Written], T],
) -> tuple[Written, T]:
    """Write every part (through ``run_parts``: local loop or Dask), assembling them as they come.

    ``run_parts`` yields the written parts in task order; a thread appends each one to
    records.parquet and records.csv while later parts are still being written (Arrow's readers and
    writers release the GIL). ``then`` (the report) runs once the counts are known.
    """
    extras: dict[str, None] = {}
    for key in keys:
        extras.update((c, None) for c in checkpoint.columns(key) if c not in RECORD_COLUMNS)
    columns = ("record_id", *score_columns, *RECORD_COLUMNS[1:], *extras)
    schema = output_schema(checkpoint, keys, scored[["record_id", *score_columns]], columns)
    parts_dir = checkpoint.directory / "out"
    shutil.rmtree(parts_dir, ignore_errors=True)
    parts_dir.mkdir(parents=True)
    # One reindex for all partitions, then cut: cheaper than one look-up per partition.
    ids = [rid for key in keys for rid in slim_ids[key]]
    aligned = (
        scored.drop_duplicates("record_id").set_index("record_id")[list(score_columns)].reindex(ids)
    )
    tasks, start = [], 0
    for key in keys:
        scores, start = aligned.iloc[start : start + len(slim_ids[key])], start + len(slim_ids[key])
        tasks.append(PartTask(key, str(checkpoint.directory), str(parts_dir), scores,
                              duplicate_rows.get(key, frozenset()), columns, schema))  # fmt: skip
    targets = {
        name: out_dir / name
        for name in ("records.parquet", "records.csv", "flags.csv", "errors.csv")
    }
    temporary = {name: path.with_name(f".{name}.tmp") for name, path in targets.items()}
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="interdiction-outputs") as pool:
        job = pool.submit(_concatenate, run_parts(tasks), parts_dir, schema,
                          temporary["records.parquet"], temporary["records.csv"])  # fmt: skip
        try:
            safe_frame(flags).to_csv(temporary["flags.csv"], index=False)
        finally:
            written = {part.key: part for part in job.result()}
    error_parts = []
    for key in keys:
        error_parts.append(written[key].errors)
        error_parts.append(errors_frame(list(duplicate_errors.get(key, ()))))
    error_parts.append(errors_frame(list(file_errors)))
    kept = [e for e in error_parts if len(e)]
    errors = (pd.concat(kept, ignore_index=True) if kept else errors_frame([]))[list(ERROR_COLUMNS)]
    safe_frame(errors).to_csv(temporary["errors.csv"], index=False)
    levels: dict[str, int] = {}
    for part in written.values():
        for level, count in part.levels.items():
            levels[level] = levels.get(level, 0) + count
    rejected_rows = errors[(errors["severity"] == "error") & (errors["source_row"] > 0)]
    result = Written(
        inputs=sum(p.n_inputs for p in written.values()), results=sum(p.rows for p in written.values()),
        rejected=len(rejected_rows.drop_duplicates(["source_file", "source_row"])),
        warnings=int((errors["severity"] == "warning").sum()), by_level=levels, errors=errors,
        outputs=tuple(targets.values()),
    )  # fmt: skip
    extra = then(result)
    for name, path in targets.items():
        os.replace(temporary[name], path)
    return result, extra
