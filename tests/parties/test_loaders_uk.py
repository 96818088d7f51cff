"""UK Sanctions List ODS extract loader."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from interdiction.errors import InputFileError
from interdiction.parties.loaders import LoadResult, load_uk

UK = Path("/work/shared/data/sanctions/uk/uk-sanctions-list-extract-2025-08-11.ods")
for _parent in Path(__file__).resolve().parents:
    if (_parent / "shared" / "data" / "sanctions").is_dir():
        UK = _parent / "shared" / "data" / "sanctions" / "uk" / UK.name
        break


@pytest.fixture(scope="module")
def uk_list() -> LoadResult:
    if not UK.is_file():
        pytest.skip("shared UK list not present")
    return load_uk([UK])


def test_counts_and_columns_not_shifted(uk_list: LoadResult) -> None:
    # 5,302 designations; two have an empty Name cell and are reported, not loaded.
    assert len(uk_list.entities) == 5_300
    assert uk_list.rejected_rows == 2
    assert Counter(e.kind for e in uk_list.entities) == {
        "person": 3_752,
        "organisation": 1_087,
        "vessel": 461,
    }
    # Rows with an empty "OFSI Group ID" keep their columns: the name stays a name.
    petrel = next(e for e in uk_list.entities if e.entity_id == "DPR0075")
    assert petrel.primary_name == "Petrel 8"
    assert petrel.programs == ("Democratic People's Republic of Korea",)
    assert petrel.identifiers == ()
    regimes = Counter(p for e in uk_list.entities for p in e.programs)
    assert regimes["Russia"] == 2_709  # 2,710 rows, RUS1467 has no name


def test_known_entity(uk_list: LoadResult) -> None:
    first = next(e for e in uk_list.entities if e.entity_id == "AFG0001")
    assert first.primary_name == "HAJI KHAIRULLAH HAJI SATTAR MONEY EXCHANGE"
    assert first.kind == "organisation"
    assert first.listed_on == "29-06-2012"
    assert first.identifiers[0].value == "12703"


def test_not_an_ods(tmp_path: Path) -> None:
    path = tmp_path / "list.ods"
    path.write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(InputFileError, match="ODS"):
        load_uk([path])
