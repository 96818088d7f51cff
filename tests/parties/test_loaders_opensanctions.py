"""OpenSanctions / FollowTheMoney JSON-lines loader."""

from __future__ import annotations

import json
from pathlib import Path

from interdiction.parties.loaders import load_opensanctions
from interdiction.parties.model import Identifier, ListedName

RECORDS = [
    {
        "id": "NK-abc",
        "schema": "Company",
        "caption": "Hebei Atun Trading Co., Ltd.",
        "properties": {
            "name": ["Hebei Atun Trading Co., Ltd."],
            "alias": ["河北阿吞贸易有限公司"],
            "weakAlias": ["HBATUN"],
            "registrationNumber": ["91130104MA09YL9T2W"],
            "website": ["www.atunchemical.com"],
            "country": ["cn"],
            "programId": ["US-ILLICIT-DRUGS"],
        },
        "datasets": ["us_ofac_sdn"],
    },
    {
        "id": "Q1",
        "schema": "Person",
        "properties": {
            "name": ["Ovidio Guzman Lopez"],
            "previousName": ["Ovidio Guzman"],
            "birthDate": ["1990-03-29"],
            "nationality": ["mx"],
            "innCode": ["7707083893"],
            "gender": ["male"],
        },
        "datasets": ["us_ofac_sdn"],
    },
    {"id": "s1", "schema": "Sanction", "properties": {"program": ["x"]}},
]


def _write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "entities.ftm.json"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_party_records(tmp_path: Path) -> None:
    path = _write(tmp_path, [json.dumps(r, ensure_ascii=False) for r in RECORDS])
    result = load_opensanctions([path])
    company, person = result.entities
    assert company.kind == "organisation"
    assert company.names == (
        ListedName("Hebei Atun Trading Co., Ltd.", "primary"),
        ListedName("河北阿吞贸易有限公司", "aka"),
        ListedName("HBATUN", "weak-aka"),
    )
    assert Identifier("registration", "91130104MA09YL9T2W") in company.identifiers
    assert company.programs == ("US-ILLICIT-DRUGS",)
    assert person.kind == "person"
    assert ListedName("Ovidio Guzman", "fka") in person.names
    assert person.dates_of_birth == ("1990-03-29",)
    assert person.programs == ("us_ofac_sdn",)
    assert Identifier("tax-id", "7707083893") in person.identifiers
    assert result.problems == ("records of non-party schemata skipped: Sanction 1",)


def test_bad_lines_reported(tmp_path: Path) -> None:
    good = json.dumps(RECORDS[0])
    lines = [
        good,
        "{not json",
        json.dumps({"id": "x", "schema": "Person", "properties": {}}),
        "[1]",
    ]
    result = load_opensanctions([_write(tmp_path, lines)])
    assert len(result.entities) == 1
    assert result.rejected_rows == 3
    assert "line 2" in result.problems[0]
    assert "line 3: no name" in result.problems[1]


def test_truncated_last_line(tmp_path: Path) -> None:
    path = tmp_path / "entities.ftm.json"
    text = json.dumps(RECORDS[0]) + "\n" + json.dumps(RECORDS[1])
    path.write_text(text[:-10], encoding="utf-8")
    result = load_opensanctions([path])
    assert result.truncated
    assert len(result.entities) == 1
