"""Bounded fuzz runs: random bytes into every reader, random text into the SMILES parser.

A reader may refuse a whole file only with InputFileError; otherwise it yields records with
consecutive row numbers. The parser may refuse only with InputError. Bounded to stay < 10 s.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdkit import Chem

from interdiction.errors import InputError, InputFileError
from interdiction.substances.readers import read_inputs
from interdiction.substances.resolve import parse_smiles_fast, resolve


# Long fuzz campaigns: INTERDICTION_FUZZ_EXAMPLES=N raises every example budget in this file to at
# least N (e.g. 3000 with `pytest -n 1`); unset, the budgets below hold, so CI time is unchanged.
def _budget(n: int) -> int:
    return max(n, int(os.environ.get("INTERDICTION_FUZZ_EXAMPLES", "0")))


_EMPTY_NAMES = type(
    "NoNames", (), {"find_by_name": lambda s, t: (), "find_by_cas": lambda s, c: ()}
)()
SUFFIXES = ["in.csv", "in.tsv", "in.smi", "in.txt", "in.sdf", "in.csv.gz", "in.parquet"]
SEED_SDF = (
    Chem.MolToMolBlock(Chem.MolFromSmiles("CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"))
    + ">  <id>\nA\n\n$$$$\n"
).encode()
SEED_CSV = b'smiles,id\nCCO,1\n"C\nC",2\n=HYPERLINK("x"),3\n'


def _parquet(*names: str) -> bytes:
    """A small Parquet file with these column names (text, binary and number columns)."""
    arrays = [
        pa.array(["CCO", None, "c1ccccc1"]),
        pa.array([b"x", None, b"\xff"]),
        pa.array([1, 2, None]),
    ]
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_arrays(arrays[: len(names)], names=list(names)), buffer)
    return buffer.getvalue()


SEED_PARQUET = _parquet("smiles", "id", "name")


def _check_records(path: Path) -> None:
    try:
        records = list(read_inputs(path))
    except InputFileError as exc:
        assert str(exc)
        return
    assert [r.row for r in records] == list(range(1, len(records) + 1))
    for record in records[:20]:
        assert isinstance(record.text, str)
        if record.error:
            continue
        with contextlib.suppress(InputError):
            resolve(record.text, names=_EMPTY_NAMES, allow_opsin=False)


def _mutate(seed: bytes, cuts: list[int], junk: bytes) -> bytes:
    data = seed
    for cut in cuts:
        position = cut % (len(data) + 1)
        data = data[:position] + junk + data[position + len(junk) :]
    return data


@settings(
    max_examples=_budget(120),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.sampled_from(SUFFIXES),
    st.binary(max_size=400)
    | st.builds(
        _mutate,
        st.sampled_from([SEED_SDF, SEED_CSV, SEED_PARQUET]),
        st.lists(st.integers(0, 3000), max_size=4),
        st.binary(max_size=8),
    ),
)
# Found by fuzzing: a repeated column name in a Parquet file raised KeyError from pyarrow.
@example("in.parquet", _parquet("smiles", "smiles"))
@example("in.parquet", _parquet("smiles", "id", "id"))
# ... and a column name that is not UTF-8 in a damaged footer raised UnicodeDecodeError.
@example("in.parquet", _parquet("smiles", "id", "name").replace(b"name", b"\x80ame"))
# ... and so did a text cell whose stored bytes are not UTF-8.
@example("in.parquet", SEED_PARQUET.replace(b"c1ccccc1", b"\x801ccccc1", 1))
def test_readers_survive_random_bytes(suffix: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / suffix
        path.write_bytes(gzip.compress(data) if suffix.endswith(".gz") else data)
        _check_records(path)


@settings(max_examples=_budget(200), deadline=None)
@given(
    st.text(max_size=80) | st.text(alphabet="CNOScnos()[]=#@+-/\\.%123456789HlrBF", max_size=120)
)
def test_parse_smiles_fast_raises_only_input_error(text: str) -> None:
    try:
        mol = parse_smiles_fast(text)
    except InputError as exc:
        assert str(exc)
    else:
        assert mol.GetNumAtoms() > 0
