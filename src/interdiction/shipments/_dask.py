"""Phase 1 on Dask: partitions go to workers as they are read, with a bounded number in flight.

Each worker screens its partition, writes the partition's checkpoint itself (the output directory
must be on storage the workers share: always true for a LocalCluster) and sends back only the
slim phase-2 tables. The driver never holds more than a few raw partitions at once.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from interdiction.errors import ConfigError
from interdiction.shipments._parquet import ParquetSlice
from interdiction.shipments.checkpoint import PartOutput
from interdiction.shipments.mapping import HeaderResolution
from interdiction.shipments.readers import RawChunk

__all__ = ["screen_and_checkpoint", "screen_on_dask"]

# Two partitions queued per worker keep every worker busy while the driver reads the next chunk,
# and cap the driver's memory at about (2 x workers + 1) raw partitions.
_IN_FLIGHT_PER_WORKER = 2


def screen_and_checkpoint(
    key: str,
    raw: RawChunk | ParquetSlice,
    resolution: HeaderResolution,
    source_file: str,
    checkpoint_dir: str,
    slim_columns: tuple[str, ...],
    kwargs: dict[str, Any],
) -> PartOutput:
    """Worker task: phase 1 for one partition, checkpoint it, return the slim tables."""
    from interdiction.shipments.checkpoint import Checkpoint
    from interdiction.shipments.pipeline import screen_partition

    part = screen_partition(key, raw, resolution, source_file, **kwargs)
    Checkpoint(Path(checkpoint_dir)).write(part)
    records = part.records[[c for c in slim_columns if c in part.records.columns]]
    return PartOutput(
        part.key, records, part.flags, part.parties, part.errors.iloc[0:0], part.n_inputs
    )


def screen_on_dask(
    tasks: Iterator[tuple[str, RawChunk | ParquetSlice, HeaderResolution, str]],
    keep: Callable[[PartOutput], None],
    kwargs: dict[str, Any],
    *,
    checkpoint_dir: Path,
    slim_columns: tuple[str, ...],
    scheduler: str | None,
    workers: int,
    progress: bool,
) -> int:
    """Run every task on a Dask cluster; return the number of workers used.

    Raises:
        ConfigError: the scheduler cannot be reached.
    """
    import importlib

    # distributed has no type hints: reach it through Any instead of silencing every call.
    distributed: Any = importlib.import_module("distributed")
    Client, LocalCluster, as_completed = (
        distributed.Client,
        distributed.LocalCluster,
        distributed.as_completed,
    )

    from interdiction.shipments._outputs import progress_bar

    cluster: Any = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="20s")
        else:
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.ERROR)  # fmt: skip
            client = Client(cluster)
    except OSError as exc:
        raise ConfigError(
            f"cannot reach the Dask scheduler {scheduler!r} ({exc}); check the address "
            "(e.g. tcp://HOST:8786) or run without --scheduler for a local cluster."
        ) from exc
    try:
        n_workers = max(1, len(client.scheduler_info()["workers"]))
        limit = _IN_FLIGHT_PER_WORKER * n_workers + 1
        pending = as_completed()
        run_token = uuid.uuid4().hex[:8]
        with progress_bar(progress) as bar:
            for key, raw, resolution, name in tasks:
                future = client.submit(screen_and_checkpoint, key, raw, resolution, name, str(checkpoint_dir),
                                       slim_columns, kwargs, key=f"screen-{key}-{run_token}", pure=False)  # fmt: skip
                pending.add(future)
                while pending.count() >= limit:
                    _collect(next(pending), keep, bar)
            for future in pending:
                _collect(future, keep, bar)
        return n_workers
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _collect(future: Any, keep: Callable[[PartOutput], None], bar: Any) -> None:
    part: PartOutput = future.result()
    keep(part)
    bar.update(part.n_inputs)
    future.release()
