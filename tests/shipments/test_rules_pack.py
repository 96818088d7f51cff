"""Rule packs: the bundled pack loads, every rule has tests, user packs override and extend,
and malformed packs fail with a message naming the file and the rule."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from interdiction.errors import ReferenceDataError
from interdiction.shipments.rules import RULE_LISTS, load_rules
from interdiction.shipments.screening import ScreeningContext

sys.path.insert(0, str(Path(__file__).parent))
from rule_cases import GOODS, NETWORK, PARTIES, ROUTES  # noqa: E402

# Rules whose tests need the party lists (test_rules_parties.py: test_b1_*).
_LIST_TESTED = {"RF-B1", "RF-B1.network"}


def test_every_default_rule_has_its_own_cases() -> None:
    rules = load_rules()
    cased = set(GOODS) | set(ROUTES) | set(PARTIES) | set(NETWORK) | _LIST_TESTED
    assert set(rules.rules) == cased


def test_every_rule_cites_known_sources() -> None:
    rules = load_rules()
    for rule in rules.rules.values():
        assert rule.sources and 0 < rule.weight <= 1
        assert all(source in rules.sources for source in rule.sources)
        assert rules.citation(rule.id).startswith(rule.indicator + ": ")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pack.yaml"
    path.write_text('version: "1"\nsource: "test pack"\n' + text, encoding="utf-8")
    return path


def test_user_pack_overrides_weight_and_disables(tmp_path: Path) -> None:
    pack = write(
        tmp_path, "rules:\n  - {id: RF-C1, weight: 0.6}\n  - {id: RF-E3, enabled: false}\n"
    )
    rules = load_rules([pack])
    assert rules.get("RF-C1").weight == 0.6
    assert not rules.enabled("RF-E3")
    assert rules.get("RF-C1").sources == load_rules().get("RF-C1").sources


def test_user_pack_extends_a_word_list_and_the_rule_uses_it(
    tmp_path: Path, records, screen
) -> None:  # type: ignore[no-untyped-def]
    pack = write(tmp_path, "rules:\n  - id: RF-A3.cover\n    extend: {cover_terms: [bath salts]}\n")
    ctx = ScreeningContext.load(rule_packs=[pack], lists="none")
    _, flags = screen(records({"description": "Bath Salts, lavender"}), ctx)
    assert "RF-A3.cover" in set(flags["rule_id"])


def test_user_pack_adds_keyword_rule(tmp_path: Path, records, screen) -> None:  # type: ignore[no-untyped-def]
    pack = write(
        tmp_path,
        "sources:\n  X1: {title: internal memo}\nrules:\n"
        "  - id: LOCAL-1\n    kind: keywords\n    description: internal watch word\n    weight: 0.4\n"
        "    fields: [notes]\n    sources: [X1]\n    parameters: {terms: [blue lotus], fields: [notes, marks]}\n",
    )
    ctx = ScreeningContext.load(rule_packs=[pack], lists="none")
    scored, flags = screen(records({"marks": "BLUE-LOTUS 7"}, {}), ctx)
    assert list(flags.loc[flags["rule_id"] == "LOCAL-1", "record_id"]) == ["r1"]
    assert scored.loc[0, "risk_score"] == 40.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rules:\n  - {id: RF-C1, weight: 1.5}\n", "rule 'RF-C1': weight 1.5"),
        ("rules:\n  - {id: RF-C1, colour: red}\n", "rule 'RF-C1': unknown key"),
        ("rules:\n  - {id: NEW-1, weight: 0.2}\n", "rule 'NEW-1': is not a built-in rule"),
        ("rules:\n  - {id: RF-C7, parameters: {window: 3}}\n", "rule 'RF-C7': unknown parameter"),
        (
            "rules:\n  - id: RF-C1\n    extend: {cover_terms: [x]}\n",
            "rule 'RF-C1': cannot extend list",
        ),
        ("rules:\n  - {id: RF-C1, sources: [S999]}\n", "unknown source"),
        ("scoring:\n  bands: {medium: 60, high: 50, critical: 75}\n", "medium < high < critical"),
    ],
)
def test_bad_pack_names_file_and_rule(tmp_path: Path, text: str, expected: str) -> None:
    pack = write(tmp_path, text)
    with pytest.raises(ReferenceDataError, match="pack.yaml|unknown source|medium") as info:
        load_rules([pack])
    assert expected in str(info.value)


def test_missing_pack_says_check_path(tmp_path: Path) -> None:
    with pytest.raises(ReferenceDataError, match="--rules"):
        load_rules([tmp_path / "nope.yaml"])


def test_rule_lists_name_existing_lists() -> None:
    from interdiction.shipments.reference import load_terms

    terms = load_terms()
    for lists in RULE_LISTS.values():
        for name in lists:
            assert terms.get(name)


def test_rules_readme_lists_every_rule() -> None:
    from interdiction.shipments.rules import default_pack

    readme = (default_pack().parent / "README.md").read_text(encoding="utf-8")
    for rule in load_rules().rules.values():
        assert f"| {rule.id} | {rule.weight:g} |" in readme, (
            f"README.md row for {rule.id} missing or stale"
        )
