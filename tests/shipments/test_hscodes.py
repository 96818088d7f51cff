"""HS tables: edition in force, codes per edition, watch set, expected codes per chemical."""

from __future__ import annotations

from datetime import date

from interdiction.shipments.hscodes import load_hs_tables


def test_edition_on_boundaries() -> None:
    hs = load_hs_tables()
    assert hs.edition_on(date(2021, 12, 31)) == "HS2017"
    assert hs.edition_on(date(2022, 1, 1)) == "HS2022"
    assert hs.edition_on(date(2010, 1, 1)) == "HS2017"


def test_npp_and_anpp_codes_by_edition() -> None:
    hs = load_hs_tables()
    assert hs.expected(("39742-60-4",), "precursor", "HS2017") == ("293339",)
    assert hs.expected(("39742-60-4",), "precursor", "HS2022") == ("293337",)
    assert hs.expected(("21409-26-7",), "precursor", "HS2022") == ("293336",)


def test_new_subheadings_do_not_exist_before_2022() -> None:
    hs = load_hs_tables()
    assert not hs.exists_in("293337", "HS2017")
    assert hs.exists_in("29333700", "HS2022")
    assert hs.exists_in("847989", "HS2017")  # not in the table: not judged


def test_watch_set_excludes_residual_2933_39() -> None:
    hs = load_hs_tables()
    assert hs.watch_label("293337", "HS2022") == "NPP"
    assert hs.watch_label("293337", "HS2017") == ""
    assert hs.watch_label("293339", "HS2022") == ""


def test_chapter_keywords_and_families() -> None:
    hs = load_hs_tables()
    chapters = {p for hit in hs.chapter_index.find("Dog food and snap hooks") for p in hit.payloads}
    assert chapters == {"23", "73"}
    assert hs.family_of("29") == hs.family_of("39") != hs.family_of("23")
