"""Tests for regulations/registry.py: look-ups by name, CAS and structure; as-of behaviour."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdkit import Chem

from interdiction.errors import InputError
from interdiction.regulations import Entry, load_regulations
from interdiction.regulations.names import normalise_name

REGULATIONS = load_regulations()
ENTRIES = REGULATIONS.entries


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_every_entry_round_trips(entry: Entry) -> None:
    assert Chem.MolFromSmiles(entry.smiles) is not None
    for name in entry.all_names():
        assert entry in REGULATIONS.find_by_name(name), name
    for number in entry.cas:
        assert entry in REGULATIONS.find_by_cas(number)
    assert entry in REGULATIONS.find_by_structure_key(REGULATIONS.structure_key(entry.id))
    assert entry in REGULATIONS.in_force(entry.jurisdiction, entry.effective_from)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1-boc-4-AP", "us-1-boc-4-ap"),
        ("1 BOC 4 ap", "us-1-boc-4-ap"),
        ("ＡＮＰＰ", "us-anpp"),
        ("4-ANPP", "us-anpp"),
        ("despropionyl fentanyl", "us-anpp"),
        ("N-fenetil-4-piperidona", "mx-npp"),
        ("4-anilino-N-fenetilpiperidina", "mx-anpp"),
        ("N-fenil-4-piperidinamina", "mx-4-ap"),
        ("芬太尼", "cn-fentanyl"),
        ("N-苯乙基-4-哌啶酮", "cn-npp"),
        ("4-苯胺基-N-苯乙基哌啶", "cn-anpp"),
        ("去甲芬太尼", "cn-norfentanyl"),
        ("N-苯基-4-哌啶胺", "cn-4-ap"),
        ("4-哌啶酮", "us-4-piperidone"),
        ("α-methylfentanyl", "us-alpha-methylfentanyl"),
        ("norfentanyl", "us-norfentanyl"),
        ("4-AP", "us-4-ap"),
        ("NPP", "us-npp"),
    ],
)
def test_find_by_name_ignores_case_space_hyphen_width(text: str, expected: str) -> None:
    assert expected in [e.id for e in REGULATIONS.find_by_name(text)]


def test_traditional_chinese_meets_simplified() -> None:
    assert "cn-fentanyl" in [e.id for e in REGULATIONS.find_by_name("芬太尼")]
    assert normalise_name("去甲芬太尼") == normalise_name("去甲芬太尼")


def test_prime_is_kept_apart_from_plain_name() -> None:
    assert normalise_name("alpha'-methyl butyryl fentanyl") != normalise_name(
        "alpha-methyl butyryl fentanyl"
    )
    assert normalise_name("alpha′-methyl butyryl fentanyl") == normalise_name(
        "alpha'-methylbutyryl fentanyl"
    )


def test_bracket_style_does_not_matter() -> None:
    found = REGULATIONS.find_by_name("N-phenyl-N-(1-(2-phenylethyl)piperidin-4-yl)propanamide")
    assert "us-fentanyl" in [e.id for e in found]


def test_unknown_name_gives_nothing() -> None:
    assert REGULATIONS.find_by_name("aspirin") == ()
    assert REGULATIONS.find_by_name("   ") == ()


def test_find_by_cas_covers_salts_and_every_jurisdiction() -> None:
    ids = {e.id for e in REGULATIONS.find_by_cas("41979-39-9")}  # 4-piperidone hydrochloride
    assert {"us-4-piperidone", "un-4-piperidone", "eu-4-piperidone", "ca-4-piperidone"} <= ids
    assert {e.jurisdiction for e in REGULATIONS.find_by_cas("125541-22-2")} == {
        "us",
        "cn",
        "un",
        "eu",
        "ca",
    }


def test_find_by_cas_rejects_bad_check_digit() -> None:
    with pytest.raises(InputError, match="check digit"):
        REGULATIONS.find_by_cas("1609-66-5")


def test_unknown_jurisdiction_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown jurisdiction"):
        REGULATIONS.for_jurisdiction("fr")


def test_us_4ap_halides_only_from_2023_11_30() -> None:
    entry = REGULATIONS.get("us-4-ap")
    assert "halides" not in entry.covers_on(date(2023, 11, 29))
    assert {"amides", "carbamates", "salts"} <= set(entry.covers_on(date(2023, 11, 29)))
    assert "halides" in entry.covers_on(date(2023, 11, 30))
    assert entry not in REGULATIONS.in_force("us", date(2020, 5, 14))
    assert entry in REGULATIONS.in_force("us", date(2020, 5, 15))


def test_un_4ap_before_and_after_it_binds() -> None:
    assert "un-4-ap" not in [e.id for e in REGULATIONS.in_force("un", date(2022, 11, 22))]
    assert "un-4-ap" in [e.id for e in REGULATIONS.in_force("un", date(2022, 11, 23))]


def test_us_1boc4ap_is_controlled_from_the_carbamate_date_not_the_specific_listing() -> None:
    assert "us-1-boc-4-ap" in [e.id for e in REGULATIONS.in_force("us", date(2021, 1, 1))]


def test_canada_1boc4ap_moves_from_ministerial_order_to_pcr_without_gap() -> None:
    def ids(day: date) -> set[str]:
        return {e.id for e in REGULATIONS.in_force("ca", day)}

    assert "ca-1-boc-4-ap-ministerial-order" in ids(date(2023, 8, 29))
    assert "ca-1-boc-4-ap" not in ids(date(2023, 8, 29))
    assert "ca-1-boc-4-ap" in ids(date(2023, 8, 30))
    assert "ca-1-boc-4-ap-ministerial-order" not in ids(date(2023, 8, 30))
    assert not {"ca-1-boc-4-ap", "ca-1-boc-4-ap-ministerial-order"} & ids(date(2022, 8, 30))


def test_anpp_and_norfentanyl_are_controlled_in_us_and_precursors_in_eu() -> None:
    assert REGULATIONS.get("us-anpp").kind == "controlled"
    assert REGULATIONS.get("us-norfentanyl").kind == "controlled"
    assert REGULATIONS.get("ca-anpp").kind == "controlled"
    assert REGULATIONS.get("eu-anpp").kind == "precursor"


def test_change_dates_include_coverage_additions() -> None:
    days = REGULATIONS.change_dates()
    assert date(2023, 11, 30) in days  # US 4-AP halides
    assert date(2023, 8, 30) in days  # day after the Canadian order ended
    assert list(days) == sorted(days)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_find_by_name_never_crashes(text: str) -> None:
    result = REGULATIONS.find_by_name(text)
    assert isinstance(result, tuple)
    assert normalise_name(normalise_name(text)) == normalise_name(text)


def test_no_jurisdiction_lists_one_structure_twice_at_the_same_time() -> None:
    seen: dict[tuple[str, str], list[Entry]] = {}
    for entry in ENTRIES:
        seen.setdefault((entry.jurisdiction, REGULATIONS.structure_key(entry.id)), []).append(entry)
    for group in seen.values():
        for a in group:
            for b in group:
                if a is not b:
                    assert not a.in_force(b.effective_from), (a.id, b.id)
