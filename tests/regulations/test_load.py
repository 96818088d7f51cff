"""Tests for regulations/load.py: every bundled file loads, every failure names file, entry and field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rdkit import Chem

from interdiction.errors import ReferenceDataError
from interdiction.regulations import JURISDICTIONS, load_regulations
from interdiction.substances.identify import structure_key

GOOD_ENTRY = {
    "id": "us-npp",
    "name": "N-Phenethyl-4-piperidone (NPP)",
    "synonyms": ["NPP"],
    "cas": ["39742-60-4"],
    "smiles": "O=C1CCN(CCc2ccccc2)CC1",
    "formula": "C13H17NO",
    "category": "List I",
    "kind": "precursor",
    "effective_from": "2007-04-23",
    "covers": ["salts"],
    "citation": {
        "document": "72 FR 20039",
        "section": "1310.02(a)",
        "date": "2007-04-23",
        "url": "",
        "confidence": "O",
    },
}


def _write(folder: Path, jurisdiction: str = "us", **changes: object) -> Path:
    entry = {**GOOD_ENTRY, **changes}
    entry = {k: v for k, v in entry.items() if v is not None}
    document = {"version": "1", "jurisdiction": jurisdiction, "source": "test", "entries": [entry]}
    path = folder / f"{jurisdiction}.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def _error(folder: Path) -> str:
    with pytest.raises(ReferenceDataError) as info:
        load_regulations(folder)
    return str(info.value)


def test_bundled_files_load_with_every_jurisdiction() -> None:
    regulations = load_regulations()
    assert {j for j, _ in regulations.versions} == set(JURISDICTIONS)
    assert all(regulations.for_jurisdiction(j) for j in JURISDICTIONS)
    assert all(regulations.version(j) for j in JURISDICTIONS)


def test_bundled_load_is_cached() -> None:
    assert load_regulations() is load_regulations()


def test_every_bundled_entry_has_a_citation_with_document_and_date() -> None:
    for entry in load_regulations().entries:
        assert entry.citation.document and entry.citation.date, entry.id
        assert entry.citation.confidence in {"P", "O", "S", "U"}


def test_a_good_file_loads(tmp_path: Path) -> None:
    _write(tmp_path)
    regulations = load_regulations(tmp_path)
    assert [e.id for e in regulations.entries] == ["us-npp"]


@pytest.mark.parametrize(
    ("changes", "field", "hint"),
    [
        ({"citation": None}, "citation", "lacks required key"),
        ({"smiles": "C1CC(N"}, "smiles", "cannot parse"),
        ({"formula": "C13H19NO"}, "smiles", "formula"),
        ({"cas": ["39742-60-5"]}, "cas", "check digit"),
        ({"kind": "narcotic"}, "kind", "controlled"),
        ({"covers": ["salts", "cousins"]}, "covers", "derivative kind"),
        ({"effective_from": "2007-13-01"}, "effective_from", "not a date"),
        ({"effective_to": "2001-01-01"}, "effective_to", "before effective_from"),
        ({"colour": "blue"}, "colour", "unknown key"),
        ({"id": "cn-npp"}, "id", "start with 'us-'"),
        ({"citation": {"document": "", "date": "2007"}}, "citation.document", "non-empty"),
        (
            {"citation": {"document": "x", "date": "2007", "confidence": "Z"}},
            "citation.confidence",
            "P, O, S or U",
        ),
        ({"smiles": "O=C1CCNCC1.Cl"}, "smiles", "several components"),
        (
            {
                "coverage_added": [
                    {
                        "effective_from": "2020-01-01",
                        "covers": ["halides"],
                        "citation": GOOD_ENTRY["citation"],
                    }
                ]
            },
            "coverage_added[0].covers",
            "covers",
        ),
    ],
)
def test_each_failure_names_file_entry_and_field(
    tmp_path: Path, changes: dict[str, object], field: str, hint: str
) -> None:
    _write(tmp_path, **changes)
    message = _error(tmp_path)
    assert message.startswith("us.yaml")
    assert "'us-npp'" in message or "'cn-npp'" in message
    assert f"field {field!r}" in message
    assert hint in message


def test_unknown_jurisdiction_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, jurisdiction="xx", id="xx-npp")
    assert "not a known jurisdiction" in _error(tmp_path)


def test_missing_file_key_is_refused(tmp_path: Path) -> None:
    (tmp_path / "us.yaml").write_text(
        "version: '1'\njurisdiction: us\nentries: []\n", encoding="utf-8"
    )
    message = _error(tmp_path)
    assert "us.yaml" in message and "source" in message


def test_broken_yaml_is_refused(tmp_path: Path) -> None:
    (tmp_path / "us.yaml").write_text("version: [1\n", encoding="utf-8")
    assert "cannot be read as UTF-8 YAML" in _error(tmp_path)


def test_duplicate_id_across_entries_is_refused(tmp_path: Path) -> None:
    document = {
        "version": "1",
        "jurisdiction": "us",
        "source": "t",
        "entries": [GOOD_ENTRY, GOOD_ENTRY],
    }
    (tmp_path / "us.yaml").write_text(yaml.safe_dump(document), encoding="utf-8")
    message = _error(tmp_path)
    assert "'us-npp'" in message and "unique" in message


def test_same_cas_with_another_structure_in_another_file_is_refused(tmp_path: Path) -> None:
    _write(tmp_path)
    _write(tmp_path, jurisdiction="eu", id="eu-npp", smiles="O=C1CCNCC1", formula=None)
    message = _error(tmp_path)
    assert "eu.yaml" in message and "'eu-npp'" in message and "39742-60-4" in message


def test_empty_folder_is_refused(tmp_path: Path) -> None:
    assert "no *.yaml" in _error(tmp_path)


def test_structure_keys_are_those_of_the_entry_smiles() -> None:
    regulations = load_regulations()
    entry = regulations.get("us-anpp")
    assert regulations.structure_key("us-anpp") == structure_key(Chem.MolFromSmiles(entry.smiles))


def test_pending_items_are_loaded_but_not_applied() -> None:
    regulations = load_regulations()
    pending = [p for p in regulations.pending if p.jurisdiction == "cn"]
    assert any("4-piperidone" in p.name for p in pending)
    assert not [e for e in regulations.for_jurisdiction("cn") if "piperidone" in e.name.lower()]


def test_pending_item_without_reason_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path)
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["pending"] = [{"name": "something"}]
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    message = _error(tmp_path)
    assert "us.yaml" in message and "pending #1" in message and "reason" in message
