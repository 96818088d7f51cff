"""OFAC legacy CSV loader on the real shared files and on broken copies of them."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from interdiction.errors import InputFileError
from interdiction.parties.loaders import LoadResult, load_ofac
from interdiction.parties.model import Identifier, ListedEntity, ListedName

OFAC = Path(__file__).resolve().parents[3] / "shared" / "data" / "sanctions" / "ofac"
if not OFAC.is_dir():
    OFAC = Path("/work/shared/data/sanctions/ofac")
pytestmark = pytest.mark.skipif(not OFAC.is_dir(), reason="shared sanctions data not present")


@pytest.fixture(scope="module")
def may_2024() -> LoadResult:
    return load_ofac([OFAC / "sdn-2024-05-03", OFAC / "partial-2025-01" / "alt.csv"])


@pytest.fixture(scope="module")
def full_2021() -> LoadResult:
    return load_ofac([OFAC / "full-2021-07"])


def _by_id(result: LoadResult) -> dict[str, ListedEntity]:
    return {entity.entity_id: entity for entity in result.entities}


def test_counts_2024(may_2024: LoadResult) -> None:
    assert len(may_2024.entities) == 14_965
    drugs = [e for e in may_2024.entities if "ILLICIT-DRUGS-EO14059" in e.programs]
    assert len(drugs) == 293
    assert sum("SDNTK" in e.programs for e in may_2024.entities) == 1_439
    assert may_2024.rejected_rows == 0
    assert not may_2024.truncated


def test_orphan_aliases_reported_not_merged(may_2024: LoadResult) -> None:
    assert may_2024.problems[0].startswith("alt.csv: 1468 rows for 945 ent_nums not in sdn.csv")
    orphans = [p for p in may_2024.problems if "which is not in sdn.csv" in p]
    # 8,191 ent_nums in partial-2025-01/alt.csv, 7,246 of them in the May 2024 sdn.csv.
    orphan_ids = {p.split("ent_num ")[1].split(",")[0] for p in orphans}
    assert len(orphan_ids) == 8_191 - 7_246
    assert not orphan_ids & set(_by_id(may_2024))


def test_usccs_and_weak_alias(may_2024: LoadResult) -> None:
    hebei = _by_id(may_2024)["32313"]
    assert hebei.primary_name == "HEBEI ATUN TRADING CO., LTD."
    assert hebei.kind == "organisation"
    assert Identifier("uscc", "91130104MA09YL9T2W", "China") in hebei.identifiers
    assert Identifier("website", "www.atunchemical.com") in hebei.identifiers
    assert Identifier("crypto", "1JPfVv5cWRLx1js9NWxg46dG2CGbeRz4th") in hebei.identifiers
    assert ListedName("HBATUN", "weak-aka") in hebei.names


def test_person_remarks(may_2024: LoadResult) -> None:
    zhang = _by_id(may_2024)["16318"]
    assert zhang.kind == "person"
    assert zhang.dates_of_birth == ("03 Jan 1976",)
    assert zhang.places_of_birth == ("Shanghai, China",)
    assert zhang.countries == ("China",)
    assert Identifier("passport", "W76048374", "China") in zhang.identifiers
    assert Identifier("national-id", "320202197601030513", "China") in zhang.identifiers
    assert Identifier("chinese-commercial-code", "1728 4320") in zhang.identifiers
    assert zhang.linked_to == ("CEC LIMITED",)
    mexican = _by_id(may_2024)["18067"]
    assert mexican.gender == "Male"
    assert Identifier("curp", "AAIJ810808HSLLNN01", "Mexico") in mexican.identifiers
    assert Identifier("rfc", "AAIJ810808SX4", "Mexico") in mexican.identifiers
    # "Linked To: NUEVA ATUNERA TRITON S.A. DE C.V." ends the field: its "." is the name's.
    assert "NUEVA ATUNERA TRITON S.A. DE C.V." in mexican.linked_to


def test_strong_aliases_joined(may_2024: LoadResult) -> None:
    by_id = _by_id(may_2024)
    cishun = by_id["29897"]
    assert cishun.primary_name == "SHANGHAI CISHUN FINE CHEMICAL CO, LTD."
    assert ListedName("SHANGHAI FAST-FINE CHEMICALS CO., LTD.", "aka") in cishun.names
    assert Identifier("uscc", "91310115MA1K41CK14", "China") in cishun.identifiers
    assert ListedName("YE, Chuan Fa", "aka") in by_id["30889"].names


def test_full_2021_set(full_2021: LoadResult) -> None:
    assert ListedName("AERO-CARIBBEAN", "aka") in _by_id(full_2021)["36"].names
    assert len(full_2021.entities) == 8_976
    assert not [p for p in full_2021.problems if "not in sdn.csv" in p]
    assert sum("SDNTK" in e.programs for e in full_2021.entities) == 1_770


def test_kinds_2021(full_2021: LoadResult) -> None:
    kinds = Counter(e.kind for e in full_2021.entities)
    assert set(kinds) <= {"person", "organisation", "vessel", "aircraft"}
    assert kinds["vessel"] > 100 and kinds["aircraft"] > 10


def test_addresses_joined(full_2021: LoadResult) -> None:
    by_id = _by_id(full_2021)
    assert any(a.country == "Switzerland" for a in by_id["306"].addresses)


def test_missing_sdn_refused() -> None:
    with pytest.raises(InputFileError, match="no sdn.csv"):
        load_ofac([OFAC / "partial-2025-01"])


def test_truncated_file(tmp_path: Path) -> None:
    data = (OFAC / "full-2021-07" / "sdn.csv").read_bytes()
    cut = data[: len(data) // 2]
    cut = cut[: cut.rindex(b'"') - 3]  # inside a quoted field
    (tmp_path / "sdn.csv").write_bytes(cut)
    result = load_ofac([tmp_path])
    assert result.truncated
    assert result.rejected_rows >= 1
    assert 0 < len(result.entities) < 8_976


def test_miscolumned_and_bad_rows(tmp_path: Path) -> None:
    rows = [
        '1,"GOOD CO",-0- ,"SDNTK",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"Website www.x.example."',
        '2,"SHORT ROW",-0- ,"SDNTK"',
        'abc,"BAD ID",-0- ,"SDNTK",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ',
        '3,"",-0- ,"SDNTK",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ',
        f'4,"{"X" * 10_000}",-0- ,"SDNTK",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ',
        '5,"CTRL\x07 NAME\x00 LTD",-0- ,"SDNTK",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ',
    ]
    (tmp_path / "sdn.csv").write_bytes(("\r\n".join(rows) + "\r\n\x1a").encode("cp1252"))
    (tmp_path / "alt.csv").write_bytes(b'99,1,"aka","ORPHAN ALIAS",-0- \r\n\x1a')
    result = load_ofac([tmp_path])
    assert [e.entity_id for e in result.entities] == ["1", "5"]
    assert result.entities[1].primary_name == "CTRL NAME LTD"
    assert result.rejected_rows == 4
    text = "\n".join(result.problems)
    assert "line 2: 4 fields, expected 12" in text
    assert "'abc' is not a number" in text
    assert "empty name" in text
    assert "10000 characters" in text
    assert "alias for ent_num 99" in text


def test_chinese_commercial_code_decoded(may_2024: LoadResult) -> None:
    # Unihan kMainlandTelegraph: 1728 = 张 (zhang), 4320 = 磊 (lei).
    zhang = _by_id(may_2024)["16318"]
    assert ListedName("张磊", "original-script") in zhang.names
    decoded = {
        e.primary_name: n.name
        for e in may_2024.entities
        for n in e.names
        if n.kind == "original-script"
    }
    assert decoded["ZHENG, Guanghua"] == "郑广华"
    assert len(decoded) == 12


def test_remark_labels_file_cites_every_entry() -> None:
    from interdiction.parties.loaders.remarks import identifier_labels

    labels = dict(identifier_labels())
    assert labels["unified social credit code (uscc)"] == "uscc"
    assert labels["c.u.r.p."] == "curp"
    # Longest label first, so "Identification Number IMO" wins over "Identification Number".
    order = [label for label, _ in identifier_labels()]
    assert order.index("identification number imo") < order.index("identification number")
