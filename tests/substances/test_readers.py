"""File readers: every format, encodings, broken records, honest row numbers, streaming."""

from __future__ import annotations

import codecs
import gzip
import time
import tracemalloc
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from rdkit import Chem

from interdiction.errors import InputError, InputFileError
from interdiction.substances.readers import InputRecord, read_inputs
from interdiction.substances.resolve import resolve

FENTANYL = "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"


def rows(path: Path, **kwargs: str) -> list[InputRecord]:
    return list(read_inputs(path, **kwargs))


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# --- CSV / TSV -------------------------------------------------------------------------------


def test_csv_default_column_and_extras(tmp_path: Path) -> None:
    path = write(tmp_path / "in.csv", f"id,SMILES,note\nA1,{FENTANYL},x\nA2,CCO,y\n".encode())
    got = rows(path)
    assert [(r.row, r.text, r.error) for r in got] == [(1, FENTANYL, ""), (2, "CCO", "")]
    assert got[0].extra == {"id": "A1", "note": "x"}


def test_csv_named_column_case_insensitive(tmp_path: Path) -> None:
    path = write(tmp_path / "in.csv", b"code,Structure\n1,CCO\n")
    assert rows(path, column="structure")[0].text == "CCO"
    assert rows(path, column="code")[0].text == "1"


def test_csv_missing_column_lists_columns(tmp_path: Path) -> None:
    path = write(tmp_path / "in.csv", b"code,what\n1,CCO\n")
    with pytest.raises(InputFileError, match=r"no column 'smiles'.*'code', 'what'"):
        read_inputs(path, column="smiles")


def test_csv_without_known_column_uses_the_first(tmp_path: Path) -> None:
    path = write(tmp_path / "in.csv", b"molecule,id\nCCO,7\n")
    assert rows(path)[0].text == "CCO"


def test_csv_keeps_formulas_and_user_text_exactly(tmp_path: Path) -> None:
    formula = '=HYPERLINK("http://example.com","x")'
    path = write(
        tmp_path / "in.csv",
        f'input\n"{formula.replace(chr(34), chr(34) * 2)}"\n  CCO  \n+cmd\n'.encode(),
    )
    assert [r.text for r in rows(path)] == [formula, "  CCO  ", "+cmd"]
    assert all(r.error == "" for r in rows(path))


def test_csv_empty_cells_short_rows_and_multiline_cells(tmp_path: Path) -> None:
    path = write(
        tmp_path / "in.csv",
        b'id,smiles\n1,\n2\n\n3,"C\nC"\n4,CCO,extra\n',
    )
    got = rows(path)
    assert [r.row for r in got] == [1, 2, 3, 4, 5]
    assert got[0].error == "empty input"
    assert "has 1 field(s)" in got[1].error
    assert got[2].error == "empty input"  # a blank line is a row, not skipped
    assert got[3].text == "C\nC"
    assert got[4].text == "CCO" and got[4].extra["_overflow"] == "extra"


def test_semicolon_and_tab_delimiters(tmp_path: Path) -> None:
    semi = write(tmp_path / "eu.csv", b"id;smiles\n1;CCO\n")
    assert rows(semi)[0].text == "CCO"
    tsv = write(tmp_path / "in.tsv", b"smiles\tid\nC,C\t1\n")
    assert rows(tsv)[0].text == "C,C"


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-16-le", b""),
    ],
)
def test_encodings(tmp_path: Path, encoding: str, bom: bytes) -> None:
    text = "smiles,name\nCCO,éthanol\n芬太尼,fentanyl\n"
    path = write(tmp_path / "in.csv", bom + text.encode(encoding))
    got = rows(path)
    assert [r.text for r in got] == ["CCO", "芬太尼"]
    assert got[0].extra["name"] == "éthanol"
    assert all(r.error == "" and "_encoding" not in r.extra for r in got)


def test_cp1252_rows_are_read_and_marked(tmp_path: Path) -> None:
    data = b"name\nfentanyl\nclorhidrato de fentan\xedlo\nCCO\n"
    got = rows(write(tmp_path / "in.csv", data))
    assert [r.text for r in got] == ["fentanyl", "clorhidrato de fentanílo", "CCO"]
    assert got[1].extra.get("_encoding") == "cp1252" and got[1].error == ""
    assert "_encoding" not in got[0].extra


def test_undecodable_row_gets_an_error_and_is_not_dropped(tmp_path: Path) -> None:
    data = b"smiles\nCCO\nC\x81\x8dC\nCCN\n"  # 0x81 and 0x8D are undefined in cp1252
    got = rows(write(tmp_path / "in.csv", data))
    assert [r.row for r in got] == [1, 2, 3]
    assert "neither UTF-8 nor Windows-1252" in got[1].error
    assert got[2].text == "CCN" and got[2].error == ""


def test_invalid_utf16_row_gets_an_error(tmp_path: Path) -> None:
    data = codecs.BOM_UTF16_LE + "smiles\nCCO\n".encode("utf-16-le") + b"\x00\xd8C\x00\n\x00"
    got = rows(write(tmp_path / "in.csv", data))
    assert got[0].text == "CCO" and got[0].error == ""
    assert "not valid utf-16" in got[1].error


# --- SMILES / text ---------------------------------------------------------------------------


def test_smi_ids_header_and_empty_lines(tmp_path: Path) -> None:
    path = write(tmp_path / "in.smi", f"SMILES Name\n{FENTANYL} fentanyl one\n\nCCO\t7\n".encode())
    got = rows(path)
    assert [(r.row, r.text, r.error) for r in got] == [
        (1, FENTANYL, ""),
        (2, "", "empty input"),
        (3, "CCO", ""),
    ]
    assert got[0].extra == {"id": "fentanyl one"} and got[2].extra == {"id": "7"}


def test_txt_keeps_names_with_spaces(tmp_path: Path) -> None:
    path = write(tmp_path / "in.txt", "fentanyl citrate\nacetic anhydride\tA-7\n芬太尼\n".encode())
    got = rows(path)
    assert [r.text for r in got] == ["fentanyl citrate", "acetic anhydride", "芬太尼"]
    assert got[1].extra == {"id": "A-7"}


def test_crlf_line_endings(tmp_path: Path) -> None:
    got = rows(write(tmp_path / "in.smi", b"CCO a\r\nCCN b\r\n"))
    assert [(r.text, r.extra["id"]) for r in got] == [("CCO", "a"), ("CCN", "b")]


# --- SDF -------------------------------------------------------------------------------------


def _sdf_record(smiles: str, name: str) -> str:
    mol = Chem.MolFromSmiles(smiles)
    mol.SetProp("_Name", name)
    mol.SetProp("supplier_id", f"S-{name}")
    return Chem.MolToMolBlock(mol) + f">  <supplier_id>\nS-{name}\n\n$$$$\n"


def test_sdf_broken_record_does_not_stop_the_rest(tmp_path: Path) -> None:
    broken = "garbage title\n  no counts line here\n\n> <supplier_id>\nS-bad\n\n$$$$\n"
    bad_atoms = _sdf_record("CCO", "badatoms").replace("  1  2  1", "  1  7  1")
    text = _sdf_record(FENTANYL, "fentanyl") + broken + bad_atoms + _sdf_record("CCN", "ethylamine")
    got = rows(write(tmp_path / "in.sdf", text.encode()))
    assert [r.row for r in got] == [1, 2, 3, 4]
    assert got[0].error == "" and got[0].extra == {"title": "fentanyl", "supplier_id": "S-fentanyl"}
    assert Chem.MolToSmiles(resolve(got[0].text).mol) == Chem.MolToSmiles(
        Chem.MolFromSmiles(FENTANYL)
    )
    assert "no 'M  END'" in got[1].error and got[1].text.startswith("garbage title")
    assert got[2].error == ""  # the reader does not parse; resolve refuses it
    with pytest.raises(InputError, match="cannot read molfile"):
        resolve(got[2].text)
    assert got[3].extra["title"] == "ethylamine"
    assert resolve(got[3].text).how == "molblock"


def test_sdf_last_record_without_terminator(tmp_path: Path) -> None:
    text = _sdf_record("CCO", "a") + Chem.MolToMolBlock(Chem.MolFromSmiles("CCN")) + "\n\n"
    got = rows(write(tmp_path / "in.sdf", text.encode()))
    assert len(got) == 2 and got[1].error == ""


def test_sdf_gz(tmp_path: Path) -> None:
    path = tmp_path / "in.sdf.gz"
    path.write_bytes(gzip.compress((_sdf_record("CCO", "a") * 3).encode()))
    assert [r.extra["title"] for r in rows(path)] == ["a", "a", "a"]


# --- Parquet ---------------------------------------------------------------------------------


def test_parquet_named_column_with_ids_and_nulls(tmp_path: Path) -> None:
    path = tmp_path / "in.parquet"
    table = pa.table(
        {"id": ["a", "b", "c"], "smiles": [FENTANYL, None, "CCO"], "big": [1.0, 2.0, 3.0]}
    )
    pq.write_table(table, path)
    got = rows(path)
    assert [(r.row, r.text, r.error) for r in got] == [
        (1, FENTANYL, ""),
        (2, "", "empty input"),
        (3, "CCO", ""),
    ]
    assert got[2].extra == {"id": "c"}
    with pytest.raises(InputFileError, match="no column 'nope'"):
        read_inputs(path, column="nope")


def test_parquet_many_batches(tmp_path: Path) -> None:
    path = tmp_path / "many.parquet"
    pq.write_table(pa.table({"smiles": ["C" * (1 + i % 5) for i in range(20_000)]}), path)
    got = rows(path)
    assert len(got) == 20_000 and got[-1].row == 20_000 and got[-1].text == "CCCCC"


# --- whole-file failures and streaming -------------------------------------------------------


def test_missing_unknown_binary_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="cannot open"):
        read_inputs(tmp_path / "nope.csv")
    with pytest.raises(InputFileError, match="cannot tell the format"):
        read_inputs(write(tmp_path / "in.xyz", b"CCO\n"))
    with pytest.raises(InputFileError, match="binary"):
        read_inputs(write(tmp_path / "in.smi", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01"))
    with pytest.raises(InputFileError, match="empty"):
        read_inputs(write(tmp_path / "in.csv", b""))
    with pytest.raises(InputFileError, match="not a readable gzip"):
        read_inputs(write(tmp_path / "in.csv.gz", b"smiles\nCCO\n"))
    with pytest.raises(InputFileError, match="Parquet"):
        read_inputs(write(tmp_path / "in.parquet", b"not parquet"))
    assert rows(write(tmp_path / "empty.smi", b"")) == []


def test_truncated_gzip_raises_after_the_rows_it_could_read(tmp_path: Path) -> None:
    data = gzip.compress(("smiles\n" + "CCO\n" * 50_000).encode())
    path = write(tmp_path / "in.csv.gz", data[: len(data) // 2])
    records = read_inputs(path)
    with pytest.raises(InputFileError, match="truncated or corrupt"):
        for _ in records:
            pass


def test_streaming_keeps_memory_flat(tmp_path: Path) -> None:
    path = tmp_path / "big.smi"
    with path.open("w", encoding="utf-8") as handle:
        for i in range(50_000):
            handle.write(f"{FENTANYL} id{i}\n")
    tracemalloc.start()
    started = time.perf_counter()
    count = 0
    for record in read_inputs(path):
        count += 1
        assert record.error == ""
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 50_000
    assert peak < 1_000_000  # the whole file is ~2.4 MB
    assert time.perf_counter() - started < 10


def test_sdf_column_reads_a_data_item(tmp_path: Path) -> None:
    text = _sdf_record("CCO", "a") + Chem.MolToMolBlock(Chem.MolFromSmiles("CCN")) + "$$$$\n"
    got = rows(write(tmp_path / "in.sdf", text.encode()), column="supplier_id")
    assert (got[0].text, got[0].error) == ("S-a", "")
    assert "supplier_id" not in got[0].extra
    assert got[1].error == "SDF record 2 has no data item <supplier_id>"
