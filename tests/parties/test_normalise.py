"""Name normalisation: scripts, legal forms, abbreviations, person order; properties."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interdiction.errors import InputError
from interdiction.parties.normalise import (
    MAX_NAME_CHARS,
    consonant_skeleton,
    generic_weight,
    joined_spellings,
    name_key,
    normalise_name,
    phonetic_key,
    validate_name,
)


# Long fuzz campaigns: INTERDICTION_FUZZ_EXAMPLES=N raises every example budget in this file to at
# least N (e.g. 3000 with `pytest -n 1`); unset, the budgets below hold, so CI time is unchanged.
def _budget(n: int) -> int:
    return max(n, int(os.environ.get("INTERDICTION_FUZZ_EXAMPLES", "0")))


LEGAL_FORMS = [
    "Co., Ltd.",
    "Company Limited",
    "CO LTD",
    "Co.,Ltd",
    "Limited",
    "LLC",
    "L.L.C.",
    "Limited Liability Company",
    "S.A. de C.V.",
    "SA DE CV",
    "S. de R.L. de C.V.",
    "GmbH",
    "Inc.",
    "有限公司",
    "有限责任公司",
    "股份有限公司",
]
WORDS = st.sampled_from(
    ["Shanghai", "Cishun", "Hebei", "Atun", "Guzman", "Lopez", "Ovidio", "Smart", "Depot", "Zeta"]
)
NAME_TEXT = st.text(
    alphabet=st.sampled_from(
        list("abcxyzABCXYZ .,-&'()/0123")
        + list("上海慈顺化工有限公司張磊")
        + list("ПутинΑλέξ")
        + ["\u00e9"]
    ),
    max_size=40,
)


@pytest.mark.parametrize(
    ("name", "tokens"),
    [
        ("上海慈顺精细化工有限公司", ("shanghai", "cishun", "fine", "chemical")),
        ("上海慈順精細化工有限公司", ("shanghai", "cishun", "fine", "chemical")),
        ("Shanghai Cishun Fine Chem Co Ltd", ("shanghai", "cishun", "fine", "chemical")),
        (
            "SHANGHAI CISHUN FINE CHEMICAL COMPANY LIMITED",
            ("shanghai", "cishun", "fine", "chemical"),
        ),
        ("SOCIEDAD SPA PENINSULA, S. DE R.L. DE C.V.", ("sociedad", "spa", "peninsula")),
        ("Limited Liability Company Gazprom Neft", ("gazprom", "neft")),
        ("Smart Depot S.A.P.I. de C.V.", ("smart", "depot")),
        (
            "Wuhan Bio-Tech Int'l Imp & Exp Co.,Ltd",
            ("wuhan", "biotechnology", "international", "import", "export"),
        ),
        ("武汉华翔科技有限公司", ("wuhan", "huaxiang", "technology")),
        ("张磊", ("zhang", "lei")),
        ("欧阳修", ("ouyang", "xiu")),
        ("湖北省武汉市华翔科技有限公司", ("hubei", "wuhan", "huaxiang", "technology")),
        ("慈顺（上海）精细化工有限公司", ("cishun", "shanghai", "fine", "chemical")),
        ("Владимир Путин", ("vladimir", "putin")),
        ("GUZMÁN LÓPEZ, Ovidio", ("guzman", "lopez", "ovidio")),
        ("JOINT STOCK COMEANY STAR", ("star",)),
    ],
)
def test_examples(name: str, tokens: tuple[str, ...]) -> None:
    assert normalise_name(name).tokens == tokens


def test_legal_forms_are_kept_aside() -> None:
    assert normalise_name("Hebei Atun Trading Co., Ltd.").legal_forms == ("co ltd",)
    assert normalise_name("Foo S. de R.L. de C.V.").legal_forms == ("s de rl",)
    assert normalise_name("上海慈顺精细化工有限公司").legal_forms == ("co ltd",)


def test_chinese_business_words_are_noted() -> None:
    notes = normalise_name("上海慈顺精细化工有限公司").notes
    assert "精细化工 read as fine chemical" in notes
    assert any("Han" in note for note in notes)


def test_a_legal_form_alone_is_not_emptied() -> None:
    assert normalise_name("Limited").tokens == ("limited",)


def test_abjad_flag_and_skeleton() -> None:
    assert normalise_name("محمد علي").abjad
    assert consonant_skeleton("mohamed") == consonant_skeleton("mhmd") == "mhmd"


def test_phonetic_key_folds_romanisations() -> None:
    assert phonetic_key("aleksei") == phonetic_key("alexey")
    assert phonetic_key("dmitriy") == phonetic_key("dmitry")


def test_generic_words_weigh_less() -> None:
    assert generic_weight("biotechnology") < 0.5
    assert generic_weight("hubei") < 0.5
    assert generic_weight("cishun") == 1.0


def test_joined_spellings_use_the_written_abbreviation() -> None:
    # "Sumi Lab" is normalised to sumi + laboratory, yet is written "SUMILAB" when joined.
    assert ("sumilab", "sumi lab") in joined_spellings("sumi", "laboratory")
    assert joined_spellings("ci", "shun") == (("cishun", "ci shun"),)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("co", "ltd"),
        ("de", "la"),
        ("sa", "de"),
        ("s", "a"),
        ("de", "cv"),
        ("12", "34"),
        ("de", "rio"),
    ],
)
def test_short_common_fragments_do_not_join(first: str, second: str) -> None:
    assert joined_spellings(first, second) == ()


def test_a_connective_joins_a_full_word() -> None:
    assert joined_spellings("los", "zetas") == (("loszetas", "los zetas"),)


@pytest.mark.parametrize("bad", ["", "   ", "a" * (MAX_NAME_CHARS + 1), "bad\x00name", "x\x1by"])
def test_validate_refuses(bad: str) -> None:
    with pytest.raises(InputError):
        validate_name(bad)


def test_validate_accepts_mixed_scripts() -> None:
    validate_name("上海 Cishun Путин")


@settings(max_examples=_budget(200), deadline=None)
@given(NAME_TEXT)
def test_never_crashes_and_is_idempotent(text: str) -> None:
    once = normalise_name(text)
    assert all(t and t == t.lower() and t.isascii() for t in once.tokens)
    assert normalise_name(once.key).key == once.key


@settings(max_examples=_budget(100), deadline=None)
@given(st.text(max_size=80))
def test_never_crashes_on_any_text(text: str) -> None:
    normalise_name(text)


@settings(max_examples=_budget(150), deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=4, unique=True), st.sampled_from(LEGAL_FORMS))
def test_legal_form_insensitive(words: list[str], form: str) -> None:
    base = " ".join(words)
    assert name_key(f"{base} {form}") == name_key(base)


@settings(max_examples=_budget(100), deadline=None)
@given(st.lists(WORDS, min_size=2, max_size=4, unique=True))
def test_person_order_insensitive(words: list[str]) -> None:
    surnames, given_names = words[:-1], words[-1]
    listed = f"{' '.join(surnames).upper()}, {given_names}"
    written = f"{given_names} {' '.join(surnames)}"
    assert sorted(normalise_name(listed).tokens) == sorted(normalise_name(written).tokens)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("上海慈顺精细化工有限公司", "上海慈順精細化工有限公司"),
        ("上海慈顺精细化工有限公司", "Shanghai Cishun Fine Chemical Co., Ltd."),
        ("张磊", "Zhang Lei"),
        ("Владимир Путин", "Vladimir Putin"),
        ("ＳＨＡＮＧＨＡＩ　ＣＩＳＨＵＮ", "Shanghai Cishun"),
    ],
)
def test_script_insensitive(one: str, other: str) -> None:
    assert name_key(one) == name_key(other)


def test_every_data_table_loads_with_citations() -> None:
    from interdiction.parties.transliterate import TABLES, _data_rows

    for table in TABLES:
        rows = _data_rows(table)
        assert len(rows) >= 20, table
        assert all(all(v.strip() for v in row.values()) for row in rows), table


def test_chinese_legal_forms_cover_the_company_law_forms() -> None:
    for form in ("有限公司", "有限责任公司", "股份有限公司"):
        assert normalise_name(f"上海慈顺{form}").tokens == ("shanghai", "cishun")
        assert normalise_name(f"上海慈顺{form}").legal_forms == ("co ltd",)
