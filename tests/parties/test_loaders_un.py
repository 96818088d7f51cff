"""UN consolidated XML loader: real file, and refusal of unsafe or broken XML."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from interdiction.errors import InputFileError
from interdiction.parties.loaders import LoadResult, load_un
from interdiction.parties.model import Identifier, ListedName

UN = Path("/work/shared/data/sanctions/un/consolidated-2026-02-27.xml")
for _parent in Path(__file__).resolve().parents:
    if (_parent / "shared" / "data" / "sanctions").is_dir():
        UN = _parent / "shared" / "data" / "sanctions" / "un" / "consolidated-2026-02-27.xml"
        break


@pytest.fixture(scope="module")
def un_list() -> LoadResult:
    if not UN.is_file():
        pytest.skip("shared UN list not present")
    return load_un([UN])


def test_counts(un_list: LoadResult) -> None:
    kinds = Counter(e.kind for e in un_list.entities)
    assert kinds == {"person": 730, "organisation": 273}
    assert un_list.rejected_rows == 0


def test_alias_qualities(un_list: LoadResult) -> None:
    names = Counter(n.kind for e in un_list.entities for n in e.names)
    assert names["original-script"] == 378
    assert names["weak-aka"] == 615  # individuals' QUALITY "Low"
    assert names["fka"] == 19


def test_known_entries(un_list: LoadResult) -> None:
    by_id = {e.entity_id: e for e in un_list.entities}
    badege = by_id["6907993"]
    assert badege.primary_name == "ERIC BADEGE"
    assert badege.programs == ("DRC",)
    assert badege.dates_of_birth == ("1971",)
    assert badege.listed_on == "2012-12-31"
    assert Identifier("un-reference", "CDi.001") in badege.identifiers
    adf = by_id["6908402"]
    assert adf.kind == "organisation"
    assert ListedName("Allied Democratic Forces", "aka") in adf.names
    assert ListedName("NALU", "fka") in adf.names
    saddam = by_id["6908048"]
    assert ListedName("صدام حسين التكريتي", "original-script") in saddam.names


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>&lol2;</FIRST_NAME>
</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY ext SYSTEM "file:///etc/passwd">]>
<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>&ext;</FIRST_NAME>
</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"""
DTD_ONLY = b"""<?xml version="1.0"?>
<!DOCTYPE CONSOLIDATED_LIST SYSTEM "http://127.0.0.1:9/x.dtd">
<CONSOLIDATED_LIST/>"""


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, EXTERNAL, DTD_ONLY])
def test_unsafe_xml_refused(tmp_path: Path, payload: bytes) -> None:
    path = tmp_path / "consolidated.xml"
    path.write_bytes(payload)
    with pytest.raises(InputFileError, match="refused unsafe XML"):
        load_un([path])


def test_truncated_xml(tmp_path: Path) -> None:
    if not UN.is_file():
        pytest.skip("shared UN list not present")
    path = tmp_path / "consolidated.xml"
    path.write_bytes(UN.read_bytes()[:200_000])
    with pytest.raises(InputFileError, match="truncated or corrupt"):
        load_un([path])


def test_wrong_root_and_empty_name(tmp_path: Path) -> None:
    path = tmp_path / "other.xml"
    path.write_bytes(b"<rss/>")
    with pytest.raises(InputFileError, match="expected <CONSOLIDATED_LIST>"):
        load_un([path])
    path.write_bytes(
        b"<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>7</DATAID><FIRST_NAME> \x01 </FIRST_NAME>"
        b"</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>".replace(b"\x01", b"")
    )
    result = load_un([path])
    assert result.entities == ()
    assert result.rejected_rows == 1
    assert "DATAID 7: empty name" in result.problems[0]
