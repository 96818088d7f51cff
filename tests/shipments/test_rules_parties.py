"""Party rules (RF-B1/B2/B8/E3 in phase 1; RF-B1.network/B3/B4/C7 in phase 2)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from rule_cases import NETWORK, PARTIES  # noqa: E402


def fired(screen, records, rows, ctx) -> set[str]:  # type: ignore[no-untyped-def]
    frame = records(*rows)
    _, flags = screen(frame, ctx)
    return set(flags.loc[flags["record_id"] == frame["record_id"].iloc[-1], "rule_id"])


CASES = {**PARTIES, **NETWORK}


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fires_on_its_records(rule_id, records, screen, context) -> None:  # type: ignore[no-untyped-def]
    assert rule_id in fired(screen, records, CASES[rule_id][0], context)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_quiet_on_near_miss(rule_id, records, screen, context) -> None:  # type: ignore[no-untyped-def]
    assert rule_id not in fired(screen, records, CASES[rule_id][1], context)


# OFAC SDN entries in the bundled sample lists (ent_num 32313 and 29897).
LISTED_NAME = {
    "shipper_name": "Hebei Atun Trading Company Limited",
    "shipper_country": "CN",
    "shipper_phone": "+86 311 5555 0000",
    "shipper_address": "Shijiazhuang",
    "shipper_email": "",
}
LISTED_EMAIL = {
    "shipper_name": "Green Leaf Materials Co.",
    "shipper_country": "CN",
    "shipper_email": "1160437003@qq.com",
    "shipper_phone": "+86 21 5555 0000",
}


def test_b1_listed_name(records, screen, listed_context) -> None:  # type: ignore[no-untyped-def]
    _, flags = screen(records(LISTED_NAME), listed_context)
    evidence = flags.loc[flags["rule_id"] == "RF-B1", "evidence"]
    assert len(evidence) == 1 and "32313" in evidence.iloc[0]


def test_b1_listed_email(records, screen, listed_context) -> None:  # type: ignore[no-untyped-def]
    _, flags = screen(records(LISTED_EMAIL), listed_context)
    assert flags.loc[flags["rule_id"] == "RF-B1", "evidence"].str.contains("29897").any()


def test_b1_quiet_on_clean_names(records, screen, listed_context) -> None:  # type: ignore[no-untyped-def]
    _, flags = screen(records({}), listed_context)
    assert "RF-B1" not in set(flags["rule_id"])


def test_b1_network_two_hops_by_shared_contacts(records, screen, listed_context) -> None:  # type: ignore[no-untyped-def]
    # listed shipper -> shares phone with B -> B shares e-mail with C: C is two hops away.
    b = {
        "shipper_name": "Bright Star Trading Ltd",
        "shipper_country": "CN",
        "shipper_phone": "+86 311 5555 0000",
        "shipper_email": "bs@example.cn",
        "shipper_address": "Guangzhou",
    }
    c = {
        "shipper_name": "Corona Fine Goods Ltd",
        "shipper_country": "CN",
        "shipper_phone": "+86 20 7777 1111",
        "shipper_email": "bs@example.cn",
        "shipper_address": "Shenzhen",
    }
    far = {
        "shipper_name": "Delta Goods Ltd",
        "shipper_country": "CN",
        "shipper_phone": "+86 20 8888 1111",
        "shipper_email": "d@example.cn",
        "shipper_address": "Xiamen",
    }
    _, flags = screen(records(LISTED_NAME, b, c, far), listed_context)
    network = flags[flags["rule_id"] == "RF-B1.network"]
    assert set(network["record_id"]) == {"r2", "r3"}
    assert network.loc[network["record_id"] == "r3", "evidence"].str.contains("2 hop").all()


def test_b1_network_quiet_for_trading_partner_records(records, screen, listed_context) -> None:  # type: ignore[no-untyped-def]
    # The consignee that bought from the listed shipper: its other purchases are not flagged
    # (follow_trades is off by default); the listed record itself carries RF-B1.
    _, flags = screen(records(LISTED_NAME, {}), listed_context)
    assert "RF-B1.network" not in set(flags.loc[flags["record_id"] == "r2", "rule_id"])


def test_b1_network_follows_trades_when_the_pack_says_so(
    records, screen, listed_context, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    # A rule pack that switches follow_trades on: the consignee that bought from the listed
    # shipper is one hop away, so its other record (r3, another supplier) is flagged too.
    import dataclasses

    from interdiction.shipments.rules import load_rules

    pack = tmp_path / "trades.yaml"
    pack.write_text(
        "version: test\nsource: test pack\nrules:\n  - id: RF-B1.network\n    parameters: {follow_trades: true}\n",
        encoding="utf-8",
    )
    ctx = dataclasses.replace(listed_context, rules=load_rules([pack]), _indexes={})
    other = {"shipper_name": "Rheinmetall Pumpen GmbH"}
    _, default = screen(records(LISTED_NAME, {}, other), listed_context)
    _, followed = screen(records(LISTED_NAME, {}, other), ctx)
    assert "RF-B1.network" not in set(default["rule_id"])
    network = followed[followed["rule_id"] == "RF-B1.network"]
    assert {"r2", "r3"} <= set(network["record_id"])
    assert network["evidence"].str.contains("trading in record r1").any()


def test_b1_fuzzy_variant_and_possible_match_weight(records, screen, listed_context) -> None:  # type: ignore[no-untyped-def]
    # The party engine (or the exact-key fallback) finds a spelling variant of a listed name.
    variant = {**LISTED_NAME, "shipper_name": "HEBEI ATUN TRADING"}
    _, flags = screen(records(variant), listed_context)
    assert flags.loc[flags["rule_id"] == "RF-B1", "evidence"].str.contains("32313").any()


def test_b1_weak_match_gets_weak_weight(records, screen, listed_context) -> None:  # type: ignore[no-untyped-def]
    import dataclasses

    from interdiction.shipments.rules import RuleSet

    rules: RuleSet = listed_context.rules
    strict = dataclasses.replace(
        rules.get("RF-B1"), parameters={"min_score": 1.01, "weak_weight": 0.2}
    )
    ctx = dataclasses.replace(
        listed_context, rules=dataclasses.replace(rules, rules={**rules.rules, "RF-B1": strict})
    )
    scored, flags = screen(records(LISTED_NAME), ctx)
    assert flags.loc[flags["rule_id"] == "RF-B1", "weight"].tolist() == [0.2]
    assert "possible match" in flags.loc[flags["rule_id"] == "RF-B1", "evidence"].iloc[0]


def _parcel(n: int, day: str) -> dict[str, object]:
    return {
        "mode": "express",
        "gross_weight_kg": 1.5,
        "consignee_name": "Northgate Supply LLC",
        "consignee_email": "",
        "consignee_phone": "",
        "shipper_name": f"Supplier {n} Co., Ltd.",
        "shipper_phone": f"+86 27 5555 010{n}",
        "shipper_email": f"s{n}@example.cn",
        "date": day,
        "description": "sample powder",
        "hs_code": "",
    }


def test_c7_ignores_established_suppliers(records, screen, context) -> None:  # type: ignore[no-untyped-def]
    # The same three suppliers ship every month: ordinary trade, not a split consignment.
    monthly = [_parcel(n, f"2024-{month:02d}-1{n}") for month in (1, 2, 3) for n in range(3)]
    _, flags = screen(records(*monthly), context)
    assert "RF-C7" not in set(flags["rule_id"])
    # Three one-off shippers inside the window still fire, next to the established ones.
    one_off = [_parcel(n, f"2024-02-2{n - 3}") for n in range(3, 6)]
    frame = records(*monthly, *one_off)
    _, flags = screen(frame, context)
    flagged = set(flags.loc[flags["rule_id"] == "RF-C7", "record_id"])
    assert set(frame["record_id"].iloc[-3:]) <= flagged


@pytest.mark.parametrize(
    "company",
    ["PharmaNord A/S", "Baltic Paint Sp. z o.o.", "Lederwaren Hofmann KG", "PT Sinar Jaya"],
)
def test_b2_legal_forms_are_not_persons(company, records, screen, context) -> None:  # type: ignore[no-untyped-def]
    powder = {"description": "white powder", "hs_code": "293339"}
    assert "RF-B2" not in fired(screen, records, [{**powder, "consignee_name": company}], context)
    assert "RF-B2" in fired(
        screen, records, [{**powder, "consignee_name": "Anna Kowalska"}], context
    )


def test_c7_ignores_parcels_without_a_red_flag_of_their_own(records, screen, context) -> None:  # type: ignore[no-untyped-def]
    # A shopper's T-shirts, mug and phone case from three shops in one week.
    goods = [("cotton t-shirts", "610910"), ("ceramic mug", "691200"), ("phone case", "392690")]
    shop = [{**_parcel(n, f"2024-02-1{n}"), "description": text, "hs_code": hs} for n, (text, hs) in enumerate(goods)]  # fmt: skip
    _, flags = screen(records(*shop), context)
    assert "RF-C7" not in set(flags["rule_id"])
    _, flags = screen(records(*[_parcel(n, f"2024-02-1{n}") for n in range(3)]), context)
    assert "RF-C7" in set(flags["rule_id"])


def _with_zhang_wei(context, zhang_wei):  # type: ignore[no-untyped-def]
    """The goods/route context with the real party engine over the sample lists plus OFAC SDN
    45391 ZHANG, Wei, wired the way ScreeningContext.load wires it."""
    import dataclasses

    from interdiction.parties.loaders import load_bundled_sample
    from interdiction.parties.matcher import Matcher

    matcher = Matcher.build([*load_bundled_sample(), zhang_wei])

    def search(name: str, country: str):  # type: ignore[no-untyped-def]
        return tuple(matcher.search(name, country=country or None, limit=3))

    return dataclasses.replace(context, party_search=search, _party_cache={})


def test_b1_quiet_on_a_common_name_alone(records, screen, context, zhang_wei) -> None:  # type: ignore[no-untyped-def]
    # Postal sender "Zhang Wei" in China: some 290,000 people bear the name; without a date of
    # birth, ID or address agreeing it is not the listed ZHANG, Wei.
    sender = {"mode": "postal", "shipper_name": "Zhang Wei", "shipper_country": "CN"}
    scored, flags = screen(records(sender), _with_zhang_wei(context, zhang_wei))
    assert "RF-B1" not in set(flags["rule_id"])
    assert scored["risk_level"].iloc[0] == "low"


def test_b1_fires_on_an_uncommon_listed_person(records, screen, context, zhang_wei) -> None:  # type: ignore[no-untyped-def]
    # ZHANG, Lei (sample SDN 16318) is not a common name: the name alone still fires RF-B1.
    sender = {"mode": "postal", "shipper_name": "Zhang Lei", "shipper_country": "CN"}
    _, flags = screen(records(sender), _with_zhang_wei(context, zhang_wei))
    evidence = flags.loc[flags["rule_id"] == "RF-B1", "evidence"]
    assert len(evidence) == 1 and "16318" in evidence.iloc[0]


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("notes", "contact Mr Li: 1160437003@QQ.com for documents"),
        ("marks", "PO 7731 / 1160437003@qq.com"),
        ("shipper_address", "Rm 5, No. 8 Lane, Shanghai, China 1160437003@qq.com"),
    ],
)
def test_b1_listed_email_written_in_free_text(records, screen, listed_context, field, text) -> None:  # type: ignore[no-untyped-def]
    # OFAC SDN 29897 lists the e-mail 1160437003@qq.com; here it is only in a remark or address.
    row = {field: text, "shipper_name": "Ever Bright Trading Co", "shipper_email": "",
           "description": "plastic additive", "hs_code": "390110"}  # fmt: skip
    _, flags = screen(records(row), listed_context)
    evidence = flags.loc[flags["rule_id"] == "RF-B1", "evidence"]
    assert evidence.str.contains("29897").any()
    assert evidence.str.contains("in the").any()


def test_b1_free_text_numbers_that_are_no_listed_contact_stay_quiet(
    records, screen, listed_context
) -> None:  # type: ignore[no-untyped-def]
    row = {"notes": "ref 2024-118-55 call +1 614 555 0100; zip 43215-1234", "consignee_address":
           "1200 Commerce Drive, Columbus OH 43215-1234", "shipper_email": ""}  # fmt: skip
    _, flags = screen(records(row), listed_context)
    assert "RF-B1" not in set(flags["rule_id"])


def test_b1_listed_phone_written_in_an_address(records, screen, listed_context) -> None:  # type: ignore[no-untyped-def]
    # OFAC SDN 41297 (WANG, Hongfei) lists phone 8615927270571, written here with spaces.
    row = {"consignee_address": "Av. Juarez 10, Culiacan, Sinaloa; Tel +86 159 2727 0571",
           "consignee_phone": ""}  # fmt: skip
    _, flags = screen(records(row), listed_context)
    evidence = flags.loc[flags["rule_id"] == "RF-B1", "evidence"]
    assert evidence.str.contains("41297").any() and evidence.str.contains("consignee address").any()
