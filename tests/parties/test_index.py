"""Name index: postings, rarity, spelling neighbours, identifier keys."""

from __future__ import annotations

import pytest

from interdiction.parties.index import NameIndex, identifier_keys
from interdiction.parties.loaders import load_bundled_sample
from interdiction.parties.model import Identifier, ListedEntity, ListedName


@pytest.fixture(scope="module")
def index() -> NameIndex:
    return NameIndex.build(load_bundled_sample())


def _entity(entity_id: str, *names: str, ids: tuple[Identifier, ...] = ()) -> ListedEntity:
    return ListedEntity(
        "test", entity_id, "organisation", tuple(ListedName(n) for n in names), identifiers=ids
    )


def test_every_name_is_indexed_once_per_token(index: NameIndex) -> None:
    cishun = index.postings["cishun"]
    assert len(cishun) == len(set(cishun))
    assert {index.entities[index.names[i].entity].entity_id for i in cishun} == {"29897"}


def test_rare_tokens_weigh_more_than_generic_ones(index: NameIndex) -> None:
    assert index.weight("cishun") > 3 * index.weight("chemical")
    assert index.weight("cishun") > 2 * index.weight("shanghai")


def test_resolve_typo_and_split(index: NameIndex) -> None:
    typo = index.resolve("cishum")
    assert typo[0].token == "cishun" and typo[0].how == "typo"
    swapped = index.resolve("csihun")
    assert swapped and swapped[0].token == "cishun"
    assert index.resolve("cishun")[0].how == "exact"
    assert index.resolve("qqqqqqqq") == []


def test_joined_words_reach_split_ones() -> None:
    small = NameIndex.build([_entity("1", "Ci Shun Trading"), _entity("2", "Other Name")])
    hits = small.resolve("cishun")
    assert {h.token for h in hits} == {"ci", "shun"}


def test_split_words_must_sit_side_by_side() -> None:
    # "ci" in one name and "shun" in another do not make "cishun".
    small = NameIndex.build([_entity("1", "Ci Trading"), _entity("2", "Shun Holdings")])
    assert small.resolve("cishun") == []
    assert small.candidates(("cishun",)) == []


@pytest.mark.parametrize(
    ("tokens", "entity_id"),
    [
        (("sumi", "laboratory"), "41896"),  # "SUMI LAB" -> listed SUMILAB
        (("hebeiatun",), "32313"),  # listed HEBEI ATUN
        (("amarvelbiotech",), "doj-2023-06-amarvel"),  # listed Amarvel Biotech
    ],
)
def test_candidates_across_split_and_joined_words(
    index: NameIndex, tokens: tuple[str, ...], entity_id: str
) -> None:
    found = index.candidates(tokens)
    assert found and index.entities[index.names[found[0]].entity].entity_id == entity_id


def test_candidates_come_from_postings_not_a_scan(index: NameIndex) -> None:
    found = index.candidates(("shanghai", "cishun", "fine", "chemical"))
    assert found and index.entities[index.names[found[0]].entity].entity_id == "29897"
    assert len(found) <= 24
    assert index.candidates(("zzzzqqq",)) == []


def test_short_weak_aliases_are_not_indexed() -> None:
    entity = ListedEntity(
        "test", "1", "person", (ListedName("ZAMBADA, Ismael"), ListedName("40", "weak-aka"))
    )
    assert "40" not in NameIndex.build([entity]).postings


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("91130104MA09YL9T2W", "9113 0104-ma09yl9t2w"),
        ("1160437003@qq.com", "1160437003@QQ.COM"),
        ("8615815351839", "+86 158 1535 1839"),
        ("www.atunchemical.com", "https://atunchemical.com/"),
    ],
)
def test_identifier_keys_meet(one: str, other: str) -> None:
    assert set(identifier_keys(one)) & set(identifier_keys(other))


def test_identifier_keys_ignore_short_values() -> None:
    assert identifier_keys("12") == ()
    assert identifier_keys("") == ()


def test_identifiers_are_indexed() -> None:
    entity = _entity("7", "Hebei Atun", ids=(Identifier("uscc", "91130104MA09YL9T2W", "China"),))
    small = NameIndex.build([entity])
    assert small.identifiers["id:91130104MA09YL9T2W"] == [(0, "uscc", "91130104MA09YL9T2W")]
