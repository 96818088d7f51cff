"""Batch screening over worker processes, in input order, with a hard per-molecule time limit.

RDKit calls cannot be interrupted from Python, so a pathological structure could hang a
batch. Each worker reports which record it is on (a heartbeat in shared memory); the parent
kills a worker that stays on one record longer than the limit, gives that record an
invalid-input verdict, and re-queues the rest of its chunk on a fresh worker. Nothing is lost
and the output keeps input order.
"""

from __future__ import annotations

import multiprocessing as mp
import queue
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from interdiction.substances import guards
from interdiction.substances.model import SubstanceVerdict
from interdiction.substances.readers import InputRecord
from interdiction.substances.screen import get_screener, invalid_verdict

__all__ = ["screen_batch", "DEFAULT_TIME_LIMIT_S"]

# A normal molecule takes well under 10 ms; 10 s means something is pathological.
DEFAULT_TIME_LIMIT_S = 10.0
# Records per task: large enough to amortise inter-process traffic, small enough that a killed
# worker re-does little work.
CHUNK_SIZE = 200
_IDLE = -1.0


@dataclass(frozen=True)
class _Task:
    chunk_id: int
    rows: tuple[int, ...]
    texts: tuple[str, ...]
    errors: tuple[str, ...]  # reader errors, or a verdict forced by the watchdog


def _worker_main(
    tasks: Any, results: Any, beat: Any, as_of: date | None, identifiers: bool
) -> None:
    screener = get_screener()
    # RDKit's log off for this worker (error messages still give reasons). After loading the
    # reference data: a BlockLogs that closes later would switch the log back on.
    guards.silence_rdkit()
    while True:
        task: _Task | None = tasks.get()
        if task is None:
            return
        out: list[SubstanceVerdict] = []
        for i, (row, text, error) in enumerate(
            zip(task.rows, task.texts, task.errors, strict=True)
        ):
            beat[0], beat[1], beat[2] = float(task.chunk_id), float(i), time.monotonic()
            if error:
                out.append(invalid_verdict(row, text, error))
            else:
                out.append(screener.check(text, as_of=as_of, row=row, identifiers=identifiers))
        beat[2] = _IDLE
        results.put((task.chunk_id, out))


class _Pool:
    def __init__(self, jobs: int, as_of: date | None, identifiers: bool) -> None:
        self._ctx = mp.get_context("fork")
        self.tasks = self._ctx.Queue()
        self.results = self._ctx.Queue()
        self._args = (as_of, identifiers)
        self.workers: list[tuple[Any, Any]] = [self._start() for _ in range(jobs)]

    def _start(self) -> tuple[Any, Any]:
        beat: Any = self._ctx.Array("d", [0.0, 0.0, _IDLE], lock=False)
        proc = self._ctx.Process(
            target=_worker_main, args=(self.tasks, self.results, beat, *self._args), daemon=True
        )
        proc.start()
        return proc, beat

    def replace(self, position: int) -> None:
        proc, _ = self.workers[position]
        proc.kill()
        proc.join(timeout=5)
        self.workers[position] = self._start()

    def close(self) -> None:
        for _ in self.workers:
            self.tasks.put(None)
        for proc, _ in self.workers:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.kill()


def _chunks(records: Iterable[InputRecord], size: int) -> Iterator[_Task]:
    batch: list[InputRecord] = []
    chunk_id = 0
    for record in records:
        batch.append(record)
        if len(batch) == size:
            yield _make_task(chunk_id, batch)
            chunk_id += 1
            batch = []
    if batch:
        yield _make_task(chunk_id, batch)


def _make_task(chunk_id: int, batch: list[InputRecord]) -> _Task:
    return _Task(
        chunk_id,
        tuple(r.row for r in batch),
        tuple(r.text for r in batch),
        tuple(r.error for r in batch),
    )


def screen_batch(
    records: Iterable[InputRecord],
    *,
    as_of: date | None = None,
    jobs: int = 1,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    identifiers: bool = False,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[SubstanceVerdict]:
    """Screen records on ``jobs`` worker processes; yield one verdict per record, in order.

    Memory stays flat: at most ``2 * jobs`` chunks are in flight and results are yielded as soon
    as the next chunk in order is complete.

    Args:
        records: input records (e.g. from ``substances.readers.read_inputs``).
        as_of: the day the law is applied on (default today).
        jobs: worker processes.
        time_limit_s: a record still running after this many seconds gets invalid-input.
        identifiers: fill smiles and inchikey on every row.
        chunk_size: records per task.
    """
    pool = _Pool(max(1, jobs), as_of, identifiers)
    pending = _chunks(records, chunk_size)
    in_flight: dict[int, _Task] = {}
    done: dict[int, list[SubstanceVerdict]] = {}
    next_out = 0
    exhausted = False
    try:
        while True:
            while not exhausted and len(in_flight) < 2 * len(pool.workers):
                task = next(pending, None)
                if task is None:
                    exhausted = True
                    break
                in_flight[task.chunk_id] = task
                pool.tasks.put(task)
            if exhausted and not in_flight and next_out not in done:
                return
            try:
                chunk_id, verdicts = pool.results.get(timeout=0.2)
                if chunk_id in in_flight:
                    del in_flight[chunk_id]
                    done[chunk_id] = verdicts
            except queue.Empty:
                _watchdog(pool, in_flight, time_limit_s)
            while next_out in done:
                yield from done.pop(next_out)
                next_out += 1
    finally:
        pool.close()


def _watchdog(pool: _Pool, in_flight: dict[int, _Task], time_limit_s: float) -> None:
    """Kill a worker stuck on one record (or dead), force that record invalid, re-queue the rest."""
    now = time.monotonic()
    for position, (proc, beat) in enumerate(pool.workers):
        started = beat[2]
        stuck = started != _IDLE and now - started > time_limit_s
        died = not proc.is_alive()
        if not (stuck or died):
            continue
        chunk_id, index = int(beat[0]), int(beat[1])
        pool.replace(position)
        task = in_flight.get(chunk_id)
        if task is None or started == _IDLE:
            continue
        reason = (
            f"gave up after {time_limit_s:g} s on this structure (pathological ring system or "
            "size); check the input, or raise --time-limit"
            if stuck
            else "the worker crashed on this structure; check the input"
        )
        errors = list(task.errors)
        errors[index] = errors[index] or reason
        fixed = _Task(task.chunk_id, task.rows, task.texts, tuple(errors))
        in_flight[chunk_id] = fixed
        pool.tasks.put(fixed)
