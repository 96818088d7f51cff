"""Output assembly: CSV parts appended byte for byte, by the kernel or by the plain copy."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interdiction.shipments._writer import _append


def _appended(tmp: Path, head: bytes, parts: list[bytes]) -> bytes:
    target = tmp / "records.csv"
    target.write_bytes(head)
    with target.open("r+b") as out:
        out.seek(0, os.SEEK_END)
        for number, data in enumerate(parts):
            piece = tmp / f"part-{number}.csv"
            piece.write_bytes(data)
            with piece.open("rb") as source:
                _append(source, out)
    return target.read_bytes()


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=64), st.lists(st.binary(max_size=300_000), max_size=4))
def test_parts_are_appended_in_order_byte_for_byte(tmp_path_factory, head, parts) -> None:  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("append")
    assert _appended(tmp, head, parts) == head + b"".join(parts)


@pytest.mark.parametrize("failure", ["at once", "midway"])
def test_a_kernel_copy_that_fails_is_finished_by_the_plain_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    real = os.copy_file_range
    calls = []

    def flaky(src: int, dst: int, count: int) -> int:
        calls.append(count)
        if failure == "at once" or len(calls) > 1:
            raise OSError(18, "Invalid cross-device link")
        return real(src, dst, min(count, 1000))

    monkeypatch.setattr(os, "copy_file_range", flaky)
    parts = [bytes(range(256)) * 40, b'r2,"multi\nline",x\n' * 500]
    assert _appended(tmp_path, b"header\n", parts) == b"header\n" + b"".join(parts)
    assert calls
