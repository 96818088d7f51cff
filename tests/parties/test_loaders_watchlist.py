"""User watchlist CSV loader and the bundled sample."""

from __future__ import annotations

from pathlib import Path

import pytest

from interdiction.errors import InputFileError
from interdiction.parties.loaders import load_bundled_sample, load_watchlist, watchlist_entity_id
from interdiction.parties.model import Identifier, ListedName


def test_columns(tmp_path: Path) -> None:
    path = tmp_path / "watch.csv"
    path.write_text(
        "name,aliases,kind,country,identifiers,email,notes\n"
        'Hubei Amarvel Biotech,"Amarvel Biotech; 示例生物科技有限公司",company,China,'
        '"uscc:91420100MA4K0000XX; rfc: ABC123",sales@amarvel.example,indicted\n'
        "Some Person,,person,,,,\n",
        encoding="utf-8",
    )
    result = load_watchlist([path])
    amarvel, person = result.entities
    assert amarvel.kind == "organisation"
    assert ListedName("示例生物科技有限公司", "aka") in amarvel.names
    assert Identifier("uscc", "91420100MA4K0000XX", "China") in amarvel.identifiers
    assert Identifier("rfc", "ABC123", "China") in amarvel.identifiers
    assert Identifier("email", "sales@amarvel.example") in amarvel.identifiers
    assert amarvel.entity_id == watchlist_entity_id("hubei  AMARVEL biotech")
    assert person.kind == "person"
    assert result.problems == ()


def test_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "watch.csv"
    path.write_text(
        "name,kind,extra\nA Co,company,x\nonly-two,fields\n,company,x\n"
        + "Z" * 10_000
        + ",company,x\n",
        encoding="utf-8",
    )
    result = load_watchlist([path])
    assert [e.primary_name for e in result.entities] == ["A Co"]
    assert result.rejected_rows == 3
    assert "unknown column(s) extra" in result.problems[0]
    assert "line 3: 2 fields, header has 3" in result.problems[1]


def test_no_name_column(tmp_path: Path) -> None:
    path = tmp_path / "watch.csv"
    path.write_text("company,country\nA,B\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="no 'name' column"):
        load_watchlist([path])


def test_bundled_sample() -> None:
    sample = load_bundled_sample()
    ofac = [e for e in sample if e.source == "ofac-sdn"]
    watch = [e for e in sample if e.source == "watchlist"]
    assert len(ofac) == 337
    assert sum("ILLICIT-DRUGS-EO14059" in e.programs for e in ofac) == 293
    cishun = next(e for e in ofac if e.entity_id == "29897")
    assert ListedName("SHANGHAI FAST-FINE CHEMICALS CO., LTD.", "aka") in cishun.names
    zhang = next(e for e in ofac if e.entity_id == "16318")
    assert ListedName("张磊", "original-script") in zhang.names
    assert {e.primary_name for e in watch} >= {
        "Hubei Amarvel Biotech",
        "Anhui Rencheng",
        "Hefei GSK",
    }
    assert all(e.remarks for e in watch)  # every row cites its source
