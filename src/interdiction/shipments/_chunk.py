"""The unit every reader yields: rows of one file under its own headers."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from interdiction.shipments.records import RecordError

__all__ = ["RawChunk"]


@dataclass(frozen=True)
class RawChunk:
    """Rows of one file under its own headers, plus rows that could not be read at all.

    Attributes:
        frame: the readable rows (cells as text or native values; blank = None/NaN/"").
        first_row: ``source_row`` of the chunk's first data row (1-based).
        n_inputs: input rows this chunk covers, readable or not.
        rejected: RecordError rows for unreadable rows (severity "error").
        notes: file-level warnings (encoding fallbacks, malformed lines) carried once.
    """

    frame: pd.DataFrame
    first_row: int
    n_inputs: int
    rejected: tuple[RecordError, ...] = field(default=())
    notes: tuple[str, ...] = field(default=())
