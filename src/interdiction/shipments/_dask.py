"""The Dask side of the screening job: a cluster session that screens partitions and writes parts.

Phase 1: partitions go to workers as they are planned, with a bounded number in flight; each
worker screens its partition and writes the checkpoint itself (the output directory must be on
storage the workers share: always true for a LocalCluster). Only the partition's key and row
count come back: the driver reads the slim phase-2 tables from the checkpoint once all are done,
so it spends no CPU receiving data while the workers need every core. Phase 3: workers join
scores to their partitions and write the output parts.
"""

from __future__ import annotations

import importlib
import logging
import re
import socket
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from interdiction.errors import ConfigError
from interdiction.shipments._parquet import ParquetSlice
from interdiction.shipments._writer import PartTask, PartWritten, write_part
from interdiction.shipments.mapping import HeaderResolution
from interdiction.shipments.readers import RawChunk

__all__ = ["DaskSession", "screen_and_checkpoint"]

# A LocalCluster here exists for one batch job, not for watching: no statistical profiler sampling
# every worker's stack 100 times a second, no GIL poller, and resource monitors every second or
# two instead of ten times a second. On a two-core laptop that CPU goes to screening instead.
_BATCH_CONFIG: dict[str, Any] = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.admin.system-monitor.gil.enabled": False,
    "distributed.admin.system-monitor.disk": False,
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.tick.interval": "200ms",
}

# Two partitions queued per worker keep every worker busy while the driver plans the next one,
# and cap the driver's memory at about (2 x workers + 1) partitions.
_IN_FLIGHT_PER_WORKER = 2


def screen_and_checkpoint(
    key: str,
    raw: RawChunk | ParquetSlice,
    resolution: HeaderResolution,
    source_file: str,
    checkpoint_dir: str,
    kwargs: dict[str, Any],
) -> tuple[str, int]:
    """Worker task: phase 1 for one partition, checkpoint it; returns (key, input rows)."""
    from interdiction.shipments.checkpoint import Checkpoint
    from interdiction.shipments.pipeline import screen_partition

    part = screen_partition(key, raw, resolution, source_file, **kwargs)
    Checkpoint(Path(checkpoint_dir)).write(part)
    return part.key, part.n_inputs


def _probe(address: str) -> None:
    # A refused port fails at once here, where the Dask client would retry for its whole timeout.
    match = re.fullmatch(r"(?:tcp|tls)://\[?([^\]]+?)\]?:(\d+)", address.strip())
    if match:
        with socket.create_connection((match.group(1), int(match.group(2))), timeout=10):
            pass


class DaskSession:
    """A Dask client on a LocalCluster (one thread per worker process) or a given scheduler."""

    def __init__(self, *, scheduler: str | None, workers: int) -> None:
        """Start or connect to the cluster.

        Raises:
            ConfigError: the scheduler cannot be reached.
        """
        # distributed has no type hints: reach it through Any instead of silencing every call.
        self._distributed: Any = importlib.import_module("distributed")
        self._cluster: Any = None
        self._token = uuid.uuid4().hex[:8]
        try:
            if scheduler:
                _probe(scheduler)
                self._client: Any = self._distributed.Client(scheduler, timeout="20s")
            else:
                with importlib.import_module("dask").config.set(_BATCH_CONFIG):
                    self._cluster = self._distributed.LocalCluster(
                        n_workers=workers, threads_per_worker=1, processes=True,
                        dashboard_address=None, silence_logs=logging.ERROR,
                    )  # fmt: skip
                    self._client = self._distributed.Client(self._cluster)
        except OSError as exc:
            raise ConfigError(
                f"cannot reach the Dask scheduler {scheduler!r} ({exc}); check the address "
                "(e.g. tcp://HOST:8786) or run without --scheduler for a local cluster."
            ) from exc
        self.workers = max(1, len(self._client.scheduler_info()["workers"]))

    def screen(
        self,
        tasks: Iterator[tuple[str, RawChunk | ParquetSlice, HeaderResolution, str]],
        kwargs: dict[str, Any],
        *,
        checkpoint_dir: Path,
        progress: bool,
        on_done: Callable[[str], None] | None = None,
    ) -> None:
        """Phase 1: screen and checkpoint every task on the cluster; ``on_done(key)`` is called
        on the driver as each partition's checkpoint is complete."""
        from interdiction.shipments._outputs import progress_bar

        limit = _IN_FLIGHT_PER_WORKER * self.workers + 1
        pending = self._distributed.as_completed()
        with progress_bar(progress) as bar:
            for key, raw, resolution, name in tasks:
                future = self._client.submit(screen_and_checkpoint, key, raw, resolution, name, str(checkpoint_dir),
                                             kwargs, key=f"screen-{key}-{self._token}", pure=False)  # fmt: skip
                pending.add(future)
                while pending.count() >= limit:
                    self._collect(next(pending), bar, on_done)
            for future in pending:
                self._collect(future, bar, on_done)

    def write_parts(self, tasks: list[PartTask]) -> Iterator[PartWritten]:
        """Phase 3: submit every output part to the workers now; yield them in task order."""
        futures = [self._client.submit(write_part, task, key=f"write-{task.key}-{self._token}", pure=False)
                   for task in tasks]  # fmt: skip

        def in_order() -> Iterator[PartWritten]:
            for future in futures:
                written: PartWritten = future.result()
                future.release()
                yield written

        return in_order()

    @staticmethod
    def _collect(future: Any, bar: Any, on_done: Callable[[str], None] | None = None) -> None:
        key, rows = future.result()
        bar.update(rows)
        future.release()
        if on_done is not None:
            on_done(key)

    def close(self) -> None:
        """Disconnect, and stop the LocalCluster if this session started it."""
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()
