"""The screening job: read every input in chunks, screen each chunk (locally or on Dask), then
score across records and write the results.

Phase 1 (per partition, pure, parallel): normalise a raw chunk into canonical records and run
``screening.screen_frame``; the output is checkpointed. Phase 2 (driver, global): read the slim
columns back from the checkpoint, drop duplicate record ids, run ``screening.finalise`` on them
(cross-record rules and scoring). Phase 3
(driver, streamed): join scores back to each partition's full records and write the outputs.
Only the slim phase-2 tables grow with the input; full records stay on disk.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache, partial
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

import pandas as pd

from interdiction.errors import InputFileError
from interdiction.shipments import _outputs
from interdiction.shipments._parquet import ParquetSlice
from interdiction.shipments._writer import (
    PartTask,
    PartWritten,
    Written,
    assemble_outputs,
    write_part,
)
from interdiction.shipments.checkpoint import Checkpoint, PartOutput, fingerprint_inputs, part_key
from interdiction.shipments.mapping import (
    ColumnMapping,
    HeaderResolution,
    load_mapping,
    resolve_headers,
)
from interdiction.shipments.normalise import ROW_NUMBER_COLUMN, normalise_chunk
from interdiction.shipments.readers import (
    DEFAULT_CHUNK_ROWS,
    RawChunk,
    iter_partitions,
    partition_headers,
)
from interdiction.shipments.records import RecordError, errors_frame

__all__ = ["DEFAULT_ENGINE", "SLIM_COLUMNS", "RunSummary", "run_screen", "screen_partition"]

DEFAULT_ENGINE = "interdiction.shipments.screening"
# What finalise() gets when the engine does not name its own FINALISE_COLUMNS: identity, route,
# goods codes and amounts; no free text, so 1,000,000 records stay a few hundred MB.
SLIM_COLUMNS: tuple[str, ...] = (
    "record_id", "source_file", "source_row", "date", "mode", "shipper_name", "shipper_country",
    "consignee_name", "consignee_country", "origin_country", "port_of_loading",
    "transshipment_ports", "port_of_discharge", "final_destination_country", "routing_countries",
    "hs_code", "quantity", "quantity_unit", "gross_weight_kg", "declared_value", "currency", "category",
)  # fmt: skip


_SLIM_TABLES = ("records", "flags", "parties")


@dataclass(frozen=True)
class RunSummary:
    """What a screening run did. ``inputs == results + rejected`` for the files that could be read."""

    out_dir: Path
    report: Path | None
    inputs: int
    results: int
    rejected: int
    warnings: int
    by_level: Mapping[str, int]
    files: tuple[str, ...]
    unreadable_files: tuple[str, ...]
    partitions: int
    resumed_partitions: int
    seconds: float
    mode: Literal["local", "dask"]
    workers: int
    outputs: tuple[Path, ...] = field(default=())
    timings: Mapping[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain values for JSON and for the report's summary."""
        data = asdict(self)
        data.update(out_dir=str(self.out_dir), report=str(self.report) if self.report else None,
                    outputs=[str(p) for p in self.outputs], by_level=dict(self.by_level),
                    timings=dict(self.timings))  # fmt: skip
        return data


@lru_cache(maxsize=4)
def _engine(name: str) -> ModuleType:
    return importlib.import_module(name)


@lru_cache(maxsize=4)
def _context(engine: str, rule_packs: tuple[str, ...], lists: str) -> Any:
    # Per-process cache of read-only reference data: each Dask worker loads the rules and lists
    # once, on its first partition, and reuses them for every later one.
    return _engine(engine).ScreeningContext.load(
        rule_packs=tuple(Path(p) for p in rule_packs), lists=lists
    )


def screen_partition(
    key: str,
    part: RawChunk | ParquetSlice,
    resolution: HeaderResolution,
    source_file: str,
    *,
    engine: str = DEFAULT_ENGINE,
    rule_packs: tuple[str, ...] = (),
    lists: str = "auto",
) -> PartOutput:
    """Phase 1 for one partition: canonical records, within-partition duplicates, screen_frame.

    Pure: the same chunk gives the same output on any worker; reference data comes from a
    per-process cache.
    """
    raw = _load(part, source_file)
    records, errors = normalise_chunk(
        raw.frame, resolution, source_file=source_file, first_row=raw.first_row
    )
    duplicate = records["record_id"].duplicated(keep="first")
    rejected = list(raw.rejected)
    if duplicate.any():
        first_rows = records.drop_duplicates("record_id").set_index("record_id")["source_row"]
        for rid, row in zip(
            records.loc[duplicate, "record_id"], records.loc[duplicate, "source_row"], strict=True
        ):
            rejected.append(RecordError(rid, source_file, int(row), "record_id", "error",
                                        f"duplicate record_id {rid!r}; first used in {source_file} row "
                                        f"{int(first_rows[rid])}; this later record was not screened"))  # fmt: skip
        records = records[~duplicate].reset_index(drop=True)
    notes = [
        RecordError("", source_file, 0, "(file)", "warning", n)
        for n in (*raw.notes, *resolution.notes)
    ]
    errors = _concat([errors_frame(notes), errors_frame(rejected), errors])
    ctx = _context(engine, rule_packs, lists)
    flags, parties = _engine(engine).screen_frame(records, ctx)
    return PartOutput(key, records, flags, parties, errors, raw.n_inputs)


def _load(part: RawChunk | ParquetSlice, source_file: str) -> RawChunk:
    if isinstance(part, RawChunk):
        return part
    try:
        return part.load()
    except InputFileError as exc:
        # Damaged row groups: every row of the slice is reported as not screened, the run goes on.
        rows = range(part.first_row, part.first_row + part.n_inputs)
        rejected = tuple(
            RecordError(f"{source_file}#{row}", source_file, row, "(row)", "error", str(exc))
            for row in rows
        )
        frame = pd.DataFrame({h: pd.Series([], dtype=object) for h in part.headers})
        return RawChunk(frame, part.first_row, part.n_inputs, rejected)


def _unscreened(raw: RawChunk, headers: tuple[str, ...], source_file: str, why: str) -> RawChunk:
    """The chunk with every readable row rejected for ``why`` (already rejected rows stay)."""
    if ROW_NUMBER_COLUMN in raw.frame.columns:
        rows = [int(r) for r in raw.frame[ROW_NUMBER_COLUMN]]
    else:
        rows = list(range(raw.first_row, raw.first_row + len(raw.frame)))
    rejected = tuple(
        RecordError(f"{source_file}#{row}", source_file, row, "(row)", "error",
                    f"not screened: this row has other columns than the rest of the file. {why}")
        for row in rows
    )  # fmt: skip
    frame = pd.DataFrame({h: pd.Series([], dtype=object) for h in headers})
    return RawChunk(frame, raw.first_row, raw.n_inputs, (*raw.rejected, *rejected), raw.notes)


def _record_details(
    checkpoint: Checkpoint,
    ids_by_part: Mapping[str, Sequence[str]],
    record_ids: Sequence[str],
    columns: Sequence[str],
) -> dict[str, dict[str, str]]:
    """Full-record fields of a few records (the report's top records), read from the parts that
    hold them: the phase-2 tables carry no free text."""
    wanted = set(record_ids)
    found: dict[str, dict[str, str]] = {}
    for key, ids in ids_by_part.items():
        if wanted.isdisjoint(ids):
            continue
        records = checkpoint.read(key, tables=("records",), columns=("record_id", *columns)).records
        rows = records[records["record_id"].isin(wanted)]
        for row in rows.to_dict("records"):
            found[str(row["record_id"])] = {
                c: "" if pd.isna(row.get(c)) else str(row.get(c)) for c in columns
            }
        if len(found) == len(wanted):
            break
    return found


def _write_parts_here(tasks: list[PartTask]) -> Iterator[PartWritten]:
    return (write_part(task) for task in tasks)


def _concat(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    kept = [f for f in frames if len(f)]
    return pd.concat(kept, ignore_index=True) if kept else frames[-1]


@dataclass
class _Run:
    """Driver-side state of one run (mutable bookkeeping, never sent to workers)."""

    checkpoint: Checkpoint
    slim_columns: tuple[str, ...]
    keys: list[str] = field(default_factory=list)
    file_errors: list[RecordError] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    resumed: int = 0

    reading: dict[str, Future[PartOutput]] = field(default_factory=dict)
    readers: ThreadPoolExecutor | None = None

    def _read(self, key: str) -> PartOutput:
        self.checkpoint.schema(key)  # cached for the output schema of phase 3
        return self.checkpoint.read(key, tables=_SLIM_TABLES, columns=self.slim_columns)

    def prefetch(self, key: str) -> None:
        """Start reading a finished partition's slim tables while later ones are screened (the
        driver waits on the workers then; phase 2 starts with the tables already in memory)."""
        if self.readers is None:
            self.readers = ThreadPoolExecutor(max_workers=1, thread_name_prefix="interdiction-slim")
        if key not in self.reading:
            self.reading[key] = self.readers.submit(self._read, key)

    def read_slim(self) -> dict[str, PartOutput]:
        """The slim phase-2 tables of every partition, read back from the checkpoint.

        Every mode (local, Dask, resumed) takes them from the same files, so phase 2 sees
        exactly the same values whichever process screened a partition; Arrow decodes the files
        while the GIL is released. Partitions prefetched during phase 1 are only collected.
        """
        with ThreadPoolExecutor(max_workers=4, thread_name_prefix="interdiction-slim") as pool:
            rest = {k: pool.submit(self._read, k) for k in self.keys if k not in self.reading}
            slim = {k: (self.reading.get(k) or rest[k]).result() for k in self.keys}
        if self.readers is not None:
            self.readers.shutdown(wait=True)
        self.reading.clear()
        return slim


def _tasks(
    paths: Sequence[Path], mapping: ColumnMapping | None, chunk_rows: int, run: _Run
) -> Iterator[tuple[str, RawChunk | ParquetSlice, HeaderResolution, str]]:
    """Raw partitions still to screen, in input order; finished ones are loaded from the checkpoint."""
    resolutions: dict[tuple[str, ...], HeaderResolution] = {}
    for file_index, path in enumerate(paths):
        usable: tuple[str, ...] | None = None  # headers of the file's first usable partition
        # What the header resolution says (columns not read, a mapped header missing ...) is
        # said once per file and header set, by its first partition, resumed or not: a file of
        # twenty partitions does not repeat it twenty times in errors.csv.
        noted: set[tuple[str, ...]] = set()
        try:
            for chunk_index, raw in enumerate(iter_partitions(path, chunk_rows=chunk_rows)):
                key = part_key(file_index, chunk_index)
                headers = partition_headers(raw)
                first_with_headers = headers not in noted
                noted.add(headers)
                if run.checkpoint.done(key):
                    run.keys.append(key)
                    run.resumed += 1
                    continue
                if headers not in resolutions:
                    if not headers and raw.n_inputs == 0:
                        raise InputFileError(f"{path.name}: the file is empty; nothing to screen.")
                    try:
                        resolutions[headers] = resolve_headers(
                            headers, mapping=mapping, file_label=path.name
                        )
                    except InputFileError as exc:
                        if usable is None or not isinstance(raw, RawChunk):
                            raise
                        # JSON Lines name their keys line by line: when a later block of lines
                        # lacks the needed ones, each of its rows is reported, the file goes on.
                        raw, headers = _unscreened(raw, usable, path.name, str(exc)), usable
                        first_with_headers = False  # the usable headers' notes were said
                usable = usable or headers
                # A partition counts only once its headers resolve: a file refused here has
                # nothing in the checkpoint, and phase 2 must not look for it.
                run.keys.append(key)
                resolution = resolutions[headers]
                if not first_with_headers and resolution.notes:
                    resolution = replace(resolution, notes=())
                yield key, raw, resolution, path.name
        except InputFileError as exc:
            run.unreadable.append(str(exc))
            run.file_errors.append(RecordError("", path.name, 0, "(file)", "error", str(exc)))


def run_screen(
    inputs: Sequence[Path],
    out_dir: Path,
    *,
    mapping: Path | ColumnMapping | None = None,
    dask: bool = False,
    scheduler: str | None = None,
    workers: int = 2,
    resume: Path | None = None,
    rule_packs: Sequence[Path] = (),
    lists: str = "auto",
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    progress: bool = True,
    engine: str = DEFAULT_ENGINE,
) -> RunSummary:
    """Screen shipment files and write records.parquet/csv, flags.csv, errors.csv and report.html.

    Args:
        inputs: CSV, XLSX, JSON Lines or Parquet files, screened in this order.
        out_dir: output directory (created); its ``.checkpoint/`` holds finished partitions.
        mapping: a column-mapping YAML file (or loaded mapping) for the inputs' own headers.
        dask: run phase 1 on Dask (a LocalCluster of ``workers`` processes unless ``scheduler``).
        scheduler: address of a running Dask scheduler, e.g. ``tcp://10.0.0.5:8786``.
        workers: LocalCluster worker processes (one thread each).
        resume: output directory of a killed run with the same inputs: finished partitions are
            reused, the rest screened; outputs go to ``out_dir``.
        rule_packs: extra rule-pack YAML files for the screening engine.
        lists: which sanctions/watch lists the engine loads (``"auto"``: the local list store).
        chunk_rows: rows per partition.
        progress: show a progress bar on stderr.
        engine: module providing ScreeningContext, screen_frame, finalise and write_report.

    Returns:
        The run summary (counts, files, where the report is).

    Raises:
        InputFileError: no input file could be read at all.
        ConfigError: a bad mapping file, or ``resume`` holds a checkpoint of other inputs.
    """
    started = time.perf_counter()
    paths = list(dict.fromkeys(Path(p).resolve() for p in inputs))
    column_mapping = load_mapping(mapping) if isinstance(mapping, str | Path) else mapping
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if resume is not None and Path(resume).resolve() != out_dir.resolve():
        _outputs.copy_checkpoint(Path(resume) / ".checkpoint", out_dir / ".checkpoint")
    checkpoint = Checkpoint(out_dir / ".checkpoint")
    packs = tuple(str(Path(p).resolve()) for p in rule_packs)
    options = {"chunk_rows": chunk_rows, "engine": engine, "lists": lists, "rule_packs": packs,
               "mapping": repr(column_mapping.columns) if column_mapping else None}  # fmt: skip
    existing = [p for p in paths if p.is_file()]
    checkpoint.start(
        fingerprint_inputs(existing, options, [Path(p) for p in packs]), resume=resume is not None
    )
    module = _engine(engine)
    slim_columns = tuple(dict.fromkeys(("record_id", "source_file", "source_row",
                                         *getattr(module, "FINALISE_COLUMNS", SLIM_COLUMNS))))  # fmt: skip
    run = _Run(checkpoint, slim_columns)
    kwargs: dict[str, Any] = {"engine": engine, "rule_packs": packs, "lists": lists}
    tasks = _tasks(paths, column_mapping, chunk_rows, run)
    session = None
    sections: Future[str] | None = None
    if dask:
        from interdiction.shipments._dask import DaskSession

        # The driver needs the context only for phase 2: load it while the cluster starts and the
        # workers screen, instead of after them.
        preload = ThreadPoolExecutor(max_workers=1, thread_name_prefix="interdiction-context")
        preloaded = preload.submit(_context, engine, packs, lists)
        preload.shutdown(wait=False)
        session = DaskSession(scheduler=scheduler, workers=workers)
    try:
        if session is not None:
            session.screen(tasks, kwargs, checkpoint_dir=checkpoint.directory, progress=progress,
                           on_done=run.prefetch)  # fmt: skip
        else:
            with _outputs.progress_bar(progress) as bar:
                for key, raw, resolution, name in tasks:
                    part = screen_partition(key, raw, resolution, name, **kwargs)
                    run.checkpoint.write(part)
                    bar.update(raw.n_inputs)
        if not run.keys and run.unreadable:
            raise InputFileError("no input file could be read: " + " | ".join(run.unreadable))
        timings = {"screen": time.perf_counter() - started}
        ctx = preloaded.result() if dask else _context(engine, packs, lists)
        timings["context"] = time.perf_counter() - started - sum(timings.values())
        slim = run.read_slim()
        timings["read_slim"] = time.perf_counter() - started - sum(timings.values())
        phase2 = _outputs.finalise_all(run.keys, slim, module, ctx)
        timings["finalise"] = time.perf_counter() - started - sum(timings.values())
        # Phase 3 needs only each partition's record ids: the slim party rows and flags (the
        # largest tables the driver holds) are released before the outputs are written.
        slim_ids = {key: slim[key].records["record_id"].tolist() for key in run.keys}
        del slim
        # The bundled engine keeps its report writer in shipments/report.py. Its sections after
        # the summary need only the scores and flags: a thread builds them while the output
        # parts are written (on the workers with Dask, so the driver would only wait).
        write_report = getattr(module, "write_report", None)
        report_options: dict[str, Any] = {}
        if write_report is None:
            bundled = _engine("interdiction.shipments.report")
            write_report = bundled.write_report
            sections_pool = ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="interdiction-report"
            )
            sections = sections_pool.submit(
                bundled.report_sections, phase2.scored, phase2.flags,
                details=partial(_record_details, checkpoint, slim_ids),
            )  # fmt: skip
            sections_pool.shutdown(wait=False)

        def summarise(counts: Written) -> RunSummary:
            return RunSummary(
                out_dir=out_dir, report=None, inputs=counts.inputs, results=counts.results,
                rejected=counts.rejected, warnings=counts.warnings, by_level=counts.by_level,
                files=tuple(str(p) for p in paths), unreadable_files=tuple(run.unreadable),
                partitions=len(run.keys), resumed_partitions=run.resumed,
                seconds=round(time.perf_counter() - started, 3), mode="dask" if dask else "local",
                workers=session.workers if session is not None else 1, outputs=counts.outputs,
            )  # fmt: skip

        def report(counts: Written) -> Path:
            if sections is not None:
                report_options["sections"] = sections.result()
            return Path(write_report(out_dir, phase2.scored, phase2.flags, counts.errors,
                                     summary=summarise(counts).to_dict(), **report_options))  # fmt: skip

        counts, report_path = assemble_outputs(
            out_dir, checkpoint, run.keys, phase2.scored, phase2.flags,
            _outputs.score_columns(phase2.scored, slim_columns), phase2.duplicate_rows,
            phase2.duplicate_errors, run.file_errors,
            slim_ids,
            session.write_parts if session is not None else _write_parts_here, report,
        )  # fmt: skip
        timings["outputs_and_report"] = time.perf_counter() - started - sum(timings.values())
    finally:
        if run.readers is not None:
            run.readers.shutdown(wait=False, cancel_futures=True)
        if session is not None:
            session.close()
    seconds = time.perf_counter() - started
    rounded = {name: round(value, 3) for name, value in timings.items()}
    return RunSummary(**{**summarise(counts).__dict__, "report": report_path, "seconds": round(seconds, 3),
                         "timings": rounded})  # fmt: skip
