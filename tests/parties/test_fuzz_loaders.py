"""Bounded fuzz of every loader: damaged input gives a LoadResult or an InputFileError, nothing else."""

from __future__ import annotations

import io
import json
import os
import tempfile
import unicodedata
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from interdiction.errors import InputFileError
from interdiction.parties.loaders import (
    LoadResult,
    load_ofac,
    load_opensanctions,
    load_uk,
    load_un,
    load_watchlist,
)
from interdiction.parties.loaders.common import MAX_NAME_CHARS
from interdiction.parties.loaders.remarks import parse_remarks


# Long fuzz campaigns: INTERDICTION_FUZZ_EXAMPLES=N raises every example budget in this file to at
# least N (e.g. 3000 with `pytest -n 1`); unset, the budgets below hold, so CI time is unchanged.
def _budget(n: int) -> int:
    return max(n, int(os.environ.get("INTERDICTION_FUZZ_EXAMPLES", "0")))


SAMPLE = Path(__file__).resolve().parents[2] / "src" / "interdiction" / "data" / "lists" / "sample"
FUZZ = settings(
    max_examples=_budget(25),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

UN_SNIPPET = (
    b'<?xml version="1.0" encoding="UTF-8"?><CONSOLIDATED_LIST dateGenerated="2026-02-27">'
    b"<INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>ERIC</FIRST_NAME>"
    b"<SECOND_NAME>BADEGE</SECOND_NAME><UN_LIST_TYPE>DRC</UN_LIST_TYPE>"
    b"<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>E B</ALIAS_NAME></INDIVIDUAL_ALIAS>"
    b"<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><YEAR>1971</YEAR>"
    b"</INDIVIDUAL_DATE_OF_BIRTH></INDIVIDUAL></INDIVIDUALS><ENTITIES><ENTITY><DATAID>2</DATAID>"
    b"<FIRST_NAME>ADF</FIRST_NAME></ENTITY></ENTITIES></CONSOLIDATED_LIST>"
)
FTM_SNIPPET = (
    b'{"id":"a","schema":"Company","properties":{"name":["Hebei Atun Trading"],"email":["x@y.cn"]}}\n'
    b'{"id":"b","schema":"Person","properties":{"name":["Zhang Lei"],"birthDate":["1976"]}}\n'
)
WATCH_SNIPPET = b"name,aliases,kind,country\nHubei Amarvel Biotech,Amarvel,company,China\nAnhui Moker,,company,China\n"


@cache
def _ods_bytes() -> bytes:
    frame = pd.DataFrame(
        [
            [
                "AFG0001",
                "12703",
                "ROSHAN MONEY EXCHANGE",
                "Afghanistan",
                "Entity",
                "UN",
                "29-06-2012",
                "Asset freeze",
            ]
        ],
        columns=[
            "Unique ID",
            "OFSI Group ID",
            "Name",
            "Regime Name",
            "Type",
            "Designation source",
            "Date Designated",
            "Sanctions Imposed",
        ],
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "uk.ods"
        frame.to_excel(path, engine="odf", index=False)
        return path.read_bytes()


def _damage(data: bytes, cut: int, position: int, noise: bytes) -> bytes:
    """Cut the file short, or splice noise into it."""
    if cut % 2:
        return data[: cut % (len(data) + 1)]
    position %= len(data) + 1
    return data[:position] + noise + data[position + len(noise) :]


def _check(result: LoadResult) -> None:
    for entity in result.entities:
        assert entity.entity_id
        assert 0 < len(entity.primary_name) <= MAX_NAME_CHARS
        for name in entity.names:
            assert name.name and not any(unicodedata.category(c) == "Cc" for c in name.name)
            assert len(name.name) <= MAX_NAME_CHARS


def _run(loader: Callable[[Sequence[Path]], LoadResult], name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            result = loader([path])
        except InputFileError:
            return
        _check(result)


damage = st.tuples(st.integers(0, 10**6), st.integers(0, 10**6), st.binary(max_size=64))


@FUZZ
@given(damage)
def test_fuzz_ofac(args: tuple[int, int, bytes]) -> None:
    data = (SAMPLE / "ofac" / "sdn.csv").read_bytes()[:20_000]
    _run(load_ofac, "sdn.csv", _damage(data, *args))


@FUZZ
@given(damage)
def test_fuzz_ofac_alt_against_sample(args: tuple[int, int, bytes]) -> None:
    alt = _damage((SAMPLE / "ofac" / "alt.csv").read_bytes(), *args)
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "alt.csv").write_bytes(alt)
        (Path(folder) / "sdn.csv").write_bytes((SAMPLE / "ofac" / "sdn.csv").read_bytes())
        _check(load_ofac([Path(folder)]))


@FUZZ
@given(damage)
@example((0, 575, b"A"))  # "UTF-8" becomes "ATF-8": an unknown encoding in the XML declaration
def test_fuzz_un(args: tuple[int, int, bytes]) -> None:
    _run(load_un, "consolidated.xml", _damage(UN_SNIPPET, *args))


# Text that XML 1.0 can carry (no C0 controls but tab/newline, no surrogates), sometimes too long.
XML_TEXT = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",), blacklist_characters="\x00\ufffe\uffff"
    ).filter(lambda c: c >= " " or c in "\t\n\r"),
    max_size=10,
) | st.just("N" * (MAX_NAME_CHARS + 1))
UN_FIELDS = st.sampled_from(
    ["DATAID", "FIRST_NAME", "SECOND_NAME", "NAME_ORIGINAL_SCRIPT", "UN_LIST_TYPE", "COMMENTS1"]
)
UN_CHILDREN = st.sampled_from(
    ["INDIVIDUAL_ALIAS/ALIAS_NAME", "INDIVIDUAL_ALIAS/QUALITY", "ENTITY_ALIAS/ALIAS_NAME",
     "INDIVIDUAL_DOCUMENT/NUMBER", "INDIVIDUAL_DATE_OF_BIRTH/YEAR", "NATIONALITY/VALUE",
     "INDIVIDUAL_ADDRESS/COUNTRY", "INDIVIDUAL_PLACE_OF_BIRTH/CITY"]
)  # fmt: skip


@FUZZ
@given(
    st.lists(
        st.tuples(
            st.booleans(),
            st.lists(st.tuples(UN_FIELDS | UN_CHILDREN, XML_TEXT), max_size=6),
        ),
        max_size=4,
    )
)
# Found by fuzzing: an over-long NAME_ORIGINAL_SCRIPT was kept as a name (aliases were refused).
@example(
    [
        (
            False,
            [
                ("DATAID", "1"),
                ("FIRST_NAME", "A"),
                ("NAME_ORIGINAL_SCRIPT", "N" * (MAX_NAME_CHARS + 1)),
            ],
        )
    ]
)
def test_fuzz_un_fields(records: list[tuple[bool, list[tuple[str, str]]]]) -> None:
    """Well-formed UN XML whose fields are missing, repeated, odd or too long."""
    from xml.etree.ElementTree import Element, SubElement, tostring

    root = Element("CONSOLIDATED_LIST")
    groups = {True: SubElement(root, "INDIVIDUALS"), False: SubElement(root, "ENTITIES")}
    for person, fields in records:
        record = SubElement(groups[person], "INDIVIDUAL" if person else "ENTITY")
        for tag, text in fields:
            element = record
            for part in tag.split("/"):
                element = SubElement(element, part)
            element.text = text
    _run(load_un, "consolidated.xml", tostring(root, encoding="utf-8"))


@FUZZ
@given(damage)
def test_fuzz_opensanctions(args: tuple[int, int, bytes]) -> None:
    _run(load_opensanctions, "entities.ftm.json", _damage(FTM_SNIPPET, *args))


JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
FTM_PROPS = st.sampled_from(["name", "alias", "birthDate", "country", "idNumber", "email", "notes"])


@FUZZ
@given(
    st.lists(
        st.fixed_dictionaries(
            {},
            optional={
                "id": st.text(max_size=6) | JSON_VALUE,
                "schema": st.sampled_from(["Person", "Company", "Vessel"]) | JSON_VALUE,
                "caption": st.text(max_size=6) | st.just("N" * (MAX_NAME_CHARS + 1)) | JSON_VALUE,
                "datasets": JSON_VALUE,
                "properties": st.dictionaries(FTM_PROPS, JSON_VALUE, max_size=4) | JSON_VALUE,
            },
        ),
        max_size=4,
    )
)
# Found by fuzzing: a list as schema raised TypeError; an id of control characters only gave an
# entity with an empty id; an over-long caption became the primary name.
@example([{"schema": []}])
@example([{"id": "\x00", "schema": "Company", "properties": {"name": ["Hebei"]}}])
@example([{"id": "a", "schema": "Company", "caption": "N" * (MAX_NAME_CHARS + 1)}])
def test_fuzz_opensanctions_fields(records: list[dict[str, object]]) -> None:
    """Well-formed JSON lines whose fields have the wrong type or odd text."""
    data = "".join(json.dumps(record) + "\n" for record in records).encode()
    _run(load_opensanctions, "entities.ftm.json", data)


@FUZZ
@given(damage)
def test_fuzz_watchlist(args: tuple[int, int, bytes]) -> None:
    _run(load_watchlist, "watchlist.csv", _damage(WATCH_SNIPPET, *args))


def test_watchlist_column_repeated_is_a_clear_error(tmp_path: Path) -> None:
    # Found by a structural check: with "name" and " Name" only the last column was read.
    path = tmp_path / "watchlist.csv"
    path.write_text("name,kind, Name\nHubei Amarvel Biotech,company,Amarvel\n")
    with pytest.raises(InputFileError, match="name appear more than once"):
        load_watchlist([path])


def test_uk_column_repeated_after_trimming_is_a_clear_error(tmp_path: Path) -> None:
    # Found by a structural check: "Name" and "Name " both became "Name" and raised ValueError.
    frame = pd.read_excel(io.BytesIO(_ods_bytes()), engine="odf", dtype=str)
    frame["Name "] = "SOMEONE ELSE"
    path = tmp_path / "uk.ods"
    frame.to_excel(path, engine="odf", index=False)
    with pytest.raises(InputFileError, match="Name appear more than once"):
        load_uk([path])


@settings(max_examples=_budget(10), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damage)
def test_fuzz_uk(args: tuple[int, int, bytes]) -> None:
    _run(load_uk, "uk.ods", _damage(_ods_bytes(), *args))


@FUZZ
@given(
    st.text(max_size=400)
    | st.lists(
        st.tuples(
            st.sampled_from(["a.k.a. ", "alt. a.k.a. '", "Linked To: ", "DOB ", "Passport "]),
            st.text(max_size=20) | st.just("N" * (MAX_NAME_CHARS + 1)),
        ).map("".join),
        max_size=5,
    ).map("; ".join)
)
# Found by fuzzing: an over-long a.k.a. in the remarks became a name (the name columns refuse it).
@example("a.k.a. '" + "N" * (MAX_NAME_CHARS + 1) + "'.")
def test_remarks_never_crash(text: str) -> None:
    parsed = parse_remarks(text)
    assert all(i.value for i in parsed.identifiers)
    assert all(0 < len(n.name) <= MAX_NAME_CHARS for n in parsed.names)


@FUZZ
@given(
    st.lists(
        st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30), max_size=12
    )
)
def test_fuzz_watchlist_cells(cells: list[str]) -> None:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["name", "aliases", "kind"])
    for start in range(0, len(cells), 3):
        writer.writerow(cells[start : start + 3])
    _run(load_watchlist, "watchlist.csv", buffer.getvalue().encode("utf-8"))
