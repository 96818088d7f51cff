"""Parquet input as row-range slices that any process can load by itself.

The driver reads only the file footer (row count, column names) and hands out ``ParquetSlice``
objects; each Dask worker reads its own slice, so the driver never touches the data. Local runs
load the same slices, so partitions are identical in both modes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from interdiction.errors import InputFileError

if TYPE_CHECKING:
    from interdiction.shipments._chunk import RawChunk

__all__ = ["ParquetSlice", "parquet_slices"]


def _open(path: Path) -> Any:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path)
    except (pa.ArrowException, OSError, ValueError) as exc:  # a damaged footer can fail to decode
        raise InputFileError(
            f"{path.name}: not a readable Parquet file ({exc}). Re-export it, or convert it to CSV."
        ) from exc


@dataclass(frozen=True)
class ParquetSlice:
    """Rows ``first_row .. first_row + n_inputs - 1`` (1-based) of a Parquet file, not yet read."""

    path: str
    first_row: int
    n_inputs: int
    headers: tuple[str, ...]

    def load(self) -> RawChunk:
        """Read the slice: only the row groups it overlaps, converted to pandas once sliced.

        Raises:
            InputFileError: the data of these rows is corrupt.
        """
        import pyarrow as pa

        from interdiction.shipments._chunk import RawChunk

        path = Path(self.path)
        parquet = _open(path)
        start, stop = self.first_row - 1, self.first_row - 1 + self.n_inputs
        groups: list[int] = []
        offset = position = 0
        for index in range(parquet.metadata.num_row_groups):
            size = parquet.metadata.row_group(index).num_rows
            if position + size > start and position < stop:
                if not groups:
                    offset = start - position
                groups.append(index)
            position += size
        try:
            table = parquet.read_row_groups(groups, use_threads=False)
            table.validate(full=True)  # damaged text that is not UTF-8 would fail later, in pandas
            # ignore_metadata: columns pandas once saved as its index stay plain columns, so the
            # frame has exactly the file's columns, in order, under the names in ``headers``.
            frame = table.slice(offset, self.n_inputs).to_pandas(ignore_metadata=True)
        except (pa.ArrowException, OSError) as exc:
            raise InputFileError(
                f"{path.name}: Parquet data of rows {self.first_row}-{stop} is corrupt ({exc}); "
                "re-export the file."
            ) from exc
        frame.columns = list(self.headers)
        return RawChunk(frame.reset_index(drop=True), self.first_row, self.n_inputs)


def _unique_names(names: Sequence[object]) -> tuple[str, ...]:
    """The file's column names as text, a repeated one with "_" appended (as the XLSX reader does)."""
    unique: list[str] = []
    for name in names:
        text = str(name)
        while text in unique:
            text = f"{text}_"
        unique.append(text)
    return tuple(unique)


def parquet_slices(path: Path, chunk_rows: int) -> Iterator[ParquetSlice]:
    """Slices of at most ``chunk_rows`` rows covering the file, planned from its footer alone.

    Slices follow row-group boundaries (small groups are merged, large ones split evenly), so a
    slice reads each of its row groups once: a file written in 50,000-row groups is read exactly
    once in all.

    Raises:
        InputFileError: the file is not readable Parquet.
    """
    parquet = _open(path)
    headers = _unique_names(parquet.schema_arrow.names)
    sizes = [parquet.metadata.row_group(i).num_rows for i in range(parquet.metadata.num_row_groups)]
    if sum(sizes) == 0:
        yield ParquetSlice(str(path), 1, 0, headers)
        return
    start = pending = 0
    for size in sizes:
        if pending and pending + size > chunk_rows:
            yield ParquetSlice(str(path), start + 1, pending, headers)
            start, pending = start + pending, 0
        if size > chunk_rows:
            pieces = -(-size // chunk_rows)
            for index in range(pieces):
                lo, hi = size * index // pieces, size * (index + 1) // pieces
                yield ParquetSlice(str(path), start + lo + 1, hi - lo, headers)
            start += size
        else:
            pending += size
    if pending:
        yield ParquetSlice(str(path), start + 1, pending, headers)
