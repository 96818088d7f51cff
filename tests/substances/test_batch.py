"""Batch screening: input order kept, bad rows don't sink the batch, time limit enforced."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date

import pytest

from interdiction.substances import batch
from interdiction.substances.model import SubstanceVerdict
from interdiction.substances.readers import InputRecord
from interdiction.substances.screen import get_screener

FENTANYL = "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"


def _records(texts: list[str]) -> list[InputRecord]:
    return [InputRecord(i, t, "", {}) for i, t in enumerate(texts, start=1)]


def test_order_and_count_kept_over_two_workers() -> None:
    texts = [
        FENTANYL if i % 7 == 0 else "CCO" if i % 3 else "not a smiles((" for i in range(1, 451)
    ]
    verdicts = list(batch.screen_batch(_records(texts), jobs=2, chunk_size=25))
    assert [v.row for v in verdicts] == list(range(1, 451))
    assert [v.input for v in verdicts] == texts
    assert all(v.error for v, t in zip(verdicts, texts, strict=True) if t.startswith("not"))
    assert all(
        v.status("us").status == "controlled"
        for v, t in zip(verdicts, texts, strict=True)
        if t == FENTANYL
    )


def test_reader_errors_become_invalid_rows() -> None:
    records = [
        InputRecord(1, "CCO", "", {}),
        InputRecord(2, "", "empty input", {}),
        InputRecord(3, FENTANYL, "", {}),
    ]
    verdicts = list(batch.screen_batch(records, jobs=1))
    assert verdicts[1].error == "empty input"
    assert verdicts[1].status("cn").status == "invalid-input"
    assert verdicts[2].status("un").status == "controlled"


@dataclass(frozen=True)
class _SlowOnMarker:
    """Stands in for a pathological structure: RDKit has no input we can rely on to hang."""

    def check(
        self, text: str, *, as_of: date | None = None, row: int = 1, identifiers: bool = False
    ) -> SubstanceVerdict:
        if text == "HANG":
            time.sleep(60)
        return get_screener().check(text, as_of=as_of, row=row, identifiers=identifiers)


def test_stuck_record_is_cut_off_and_the_rest_survive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "get_screener", _SlowOnMarker)
    texts = ["CCO", "HANG", FENTANYL, "CCN"]
    started = time.monotonic()
    verdicts = list(batch.screen_batch(_records(texts), jobs=1, time_limit_s=1.0, chunk_size=10))
    assert time.monotonic() - started < 30
    assert [v.input for v in verdicts] == texts
    assert "gave up after 1 s" in verdicts[1].error
    assert verdicts[1].status("us").status == "invalid-input"
    assert verdicts[2].status("us").status == "controlled"
    assert not verdicts[3].error
