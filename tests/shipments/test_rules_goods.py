"""Goods rules (RF-A*, RF-B5, RF-D*): each fires on a record made for it and stays quiet on a
near-miss. Cases live in rule_cases.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from rule_cases import GOODS  # noqa: E402


def fired(screen, records, rows, ctx) -> set[str]:  # type: ignore[no-untyped-def]
    frame = records(*rows)
    _, flags = screen(frame, ctx)
    last = frame["record_id"].iloc[-1]
    return set(flags.loc[flags["record_id"] == last, "rule_id"])


@pytest.mark.parametrize("rule_id", sorted(GOODS))
def test_rule_fires_on_its_record(rule_id, records, screen, context) -> None:  # type: ignore[no-untyped-def]
    assert rule_id in fired(screen, records, GOODS[rule_id][0], context)


@pytest.mark.parametrize("rule_id", sorted(GOODS))
def test_rule_quiet_on_near_miss(rule_id, records, screen, context) -> None:  # type: ignore[no-untyped-def]
    assert rule_id not in fired(screen, records, GOODS[rule_id][1], context)


def test_clean_record_draws_no_flag(records, screen, context) -> None:  # type: ignore[no-untyped-def]
    scored, flags = screen(records({}), context)
    assert flags.empty
    assert scored["risk_score"].iloc[0] == 0.0
    assert scored["risk_level"].iloc[0] == "low"


def test_npp_hs_depends_on_edition(records, screen, context) -> None:  # type: ignore[no-untyped-def]
    # NPP: 2933.39 under HS 2017 (CBP NY 892225), 2933.37 from HS 2022.
    before = {"description": "NPP", "hs_code": "293337", "date": "2021-12-31"}
    after = {"description": "NPP", "hs_code": "293337", "date": "2022-01-01"}
    assert "RF-A1.hs-mismatch" in fired(screen, records, [before], context)
    assert "RF-A1.hs-mismatch" not in fired(screen, records, [after], context)


def test_precursor_found_by_chinese_and_spanish_name(records, screen, context) -> None:  # type: ignore[no-untyped-def]
    for text in ("N-苯乙基-4-哌啶酮 25kg", "N-fenetil-4-piperidona 25 kg"):
        assert "RF-A2.precursor" in fired(
            screen, records, [{"description": text, "date": "2023-03-01"}], context
        )


def test_precursor_status_follows_shipment_date(records, screen, context) -> None:  # type: ignore[no-untyped-def]
    # 4-AP: US List I from 2020-05-15 (85 FR 20822); no jurisdiction listed it in 2015.
    assert "RF-A2.precursor" not in fired(
        screen, records, [{"description": "4-AP", "date": "2015-01-01"}], context
    )
    assert "RF-A2.precursor" in fired(
        screen, records, [{"description": "4-AP", "date": "2023-01-01"}], context
    )


def test_evidence_names_chemical_and_jurisdictions(records, screen, context) -> None:  # type: ignore[no-untyped-def]
    _, flags = screen(records({"description": "CAS 39742-60-4", "date": "2023-03-01"}), context)
    evidence = flags.loc[flags["rule_id"] == "RF-A2.precursor", "evidence"].iloc[0]
    assert (
        "CAS '39742-60-4'" in evidence
        and "N-Phenethyl-4-piperidone" in evidence
        and "us" in evidence
    )
    source = flags.loc[flags["rule_id"] == "RF-A2.precursor", "source"].iloc[0]
    assert source.startswith("RF-A2: S2 ")


def weight_of(screen, records, row, ctx, rule_id):  # type: ignore[no-untyped-def]
    _, flags = screen(records(row), ctx)
    return float(flags.loc[flags["rule_id"] == rule_id, "weight"].max())


def test_token_value_is_stronger_for_chemicals(records, screen, context) -> None:  # type: ignore[no-untyped-def]
    rules = context.rules
    chemical = {"description": "pyridine derivative", "hs_code": "293339", "declared_value": 3.0}
    assert weight_of(screen, records, chemical, context, "RF-A5.token-value") == rules.get(
        "RF-A5.token-value"
    ).param("chemical_weight")
    assert (
        weight_of(screen, records, {"declared_value": 0.0}, context, "RF-A5.token-value")
        == rules.get("RF-A5.token-value").weight
    )
    assert "RF-A5.token-value" not in fired(screen, records, [{"declared_value": 3.0}], context)


def test_unit_value_far_below_floor_counts_as_token(records, screen, context) -> None:  # type: ignore[no-untyped-def]
    rule = context.rules.get("RF-A5.unit-value")
    row = {
        "description": "pyridine derivative",
        "hs_code": "293339",
        "declared_value": 10.0,
        "gross_weight_kg": 500.0,
    }
    assert weight_of(screen, records, row, context, "RF-A5.unit-value") == rule.param(
        "token_weight"
    )
    row = {**row, "declared_value": 50.0}
    assert weight_of(screen, records, row, context, "RF-A5.unit-value") == rule.weight


def test_biotech_shipper_of_plant_extract_is_in_its_line_of_business(
    records, screen, context
) -> None:  # type: ignore[no-untyped-def]
    extract = {"shipper_name": "Hangzhou Greenleaf Biotech Co., Ltd.", "description": "GREEN TEA EXTRACT POWDER, FOOD GRADE"}  # fmt: skip
    assert "RF-A3.business" not in fired(
        screen, records, [{**extract, "hs_code": "130219"}], context
    )
    assert "RF-A3.business" not in fired(screen, records, [{**extract, "hs_code": ""}], context)
    furniture = {**extract, "description": "wooden dining tables", "hs_code": "940360"}
    assert "RF-A3.business" in fired(screen, records, [furniture], context)


def test_cosmetics_maker_buying_powder_is_not_outside_chemistry(records, screen, context) -> None:  # type: ignore[no-untyped-def]
    powder = {"description": "green tea extract powder", "hs_code": ""}
    assert "RF-B5" not in fired(screen, records, [{**powder, "consignee_name": "Glow Cosmetics Retail Inc."}], context)  # fmt: skip
    # A named botanical powder is not "chemicals"; a powder that names nothing more is.
    assert "RF-B5" not in fired(screen, records, [{**powder, "consignee_name": "Lone Star Apparel Co."}], context)  # fmt: skip
    vague = {
        "description": "powder, 1 kg",
        "hs_code": "",
        "consignee_name": "Lone Star Apparel Co.",
    }
    assert "RF-B5" in fired(screen, records, [vague], context)


@pytest.mark.parametrize(
    ("description", "chemical"),
    [
        ("powder", True),
        ("white powder sample", True),
        ("yellow powder 5 kg", True),
        ("crystalline powder", True),
        ("Mica Powder Set, 24 colours", False),
        ("Nitrile Gloves, powder-free, M (100)", False),
        ("Piperine 95% (Black Pepper Extract) Powder, 100 g", False),
    ],
)
def test_b2_powder_counts_only_when_it_names_nothing_more(  # type: ignore[no-untyped-def]
    records, screen, context, description: str, chemical: bool
) -> None:
    row = {"description": description, "hs_code": "", "consignee_name": "Robert Haines",
           "consignee_address": "12 Birch Ct, Naperville IL"}  # fmt: skip
    assert ("RF-B2" in fired(screen, records, [row], context)) is chemical


def test_test_strips_name_the_drug_they_detect_not_the_goods(records, screen, context) -> None:  # type: ignore[no-untyped-def]
    strips = {"description": "Fentanyl Test Strips, 100 pack (harm reduction)", "hs_code": "382200",
              "consignee_name": "Northside Harm Reduction Coalition"}  # fmt: skip
    found = fired(screen, records, [strips], context)
    assert not found & {"RF-A2.controlled", "RF-A1.permit", "RF-B2"}
    assert "RF-A2.controlled" in fired(
        screen, records, [{**strips, "description": "Fentanyl citrate 100 g"}], context
    )


@pytest.mark.parametrize(
    ("consignee", "description", "hs", "expected"),
    [
        # A food business buying a food-grade additive is inside its line of business.
        ("Harborview Foods Inc", "SODIUM BENZOATE POWDER FOOD GRADE", "291631", False),
        ("Nordic Bakery Supplies AB", "Sodium Benzoate Powder, preservative E211", "291631", False),
        ("Nordic Bakery Supplies AB", "Sodium Benzoate Powder E211", "291631", False),
        ("Nordic Bakery Supplies AB", "citric acid powder E 330", "291814", False),
        # A number that is no INS food-additive number says nothing.
        ("Nordic Bakery Supplies AB", "white powder E99 lot 2", "293339", True),
        (
            "Panaderia La Espiga SA de CV",
            "benzoato de sodio en polvo grado alimenticio",
            "291631",
            False,
        ),
        # The same business buying a powder with no food use said still draws RF-B5 ...
        ("Harborview Foods Inc", "white crystalline powder", "293339", True),
        # ... and a listed chemical is never excused by "food grade" around it.
        ("Harborview Foods Inc", "4-AP food grade powder", "293339", True),
        # Food-use words do not excuse a business outside food.
        ("Sunrise Textiles LLC", "preservative powder, food grade", "291631", True),
    ],
)
def test_b5_food_business_and_food_grade_goods(  # type: ignore[no-untyped-def]
    records, screen, context, consignee, description, hs, expected
) -> None:
    row = {"consignee_name": consignee, "description": description, "hs_code": hs}
    assert ("RF-B5" in fired(screen, records, [row], context)) is expected


@pytest.mark.parametrize(
    "note",
    [
        "Proveedor garantiza despacho aduanal 100% seguro",
        "cambiar el nombre de la mercancía en factura",
        "entrega discreta, sin problemas",
    ],
)
def test_d1_spanish_stealth_phrases(records, screen, context, note: str) -> None:  # type: ignore[no-untyped-def]
    row = {"notes": note, "description": "pigmento para pintura", "hs_code": "320649"}
    assert "RF-D1" in fired(screen, records, [row], context)
    plain = {**row, "notes": "Revisión previa OK; despacho aduanal en Manzanillo"}
    assert "RF-D1" not in fired(screen, records, [plain], context)


@pytest.mark.parametrize(
    ("description", "vague"),
    [
        ("茶叶", False),  # tea: two characters name the goods
        ("柠檬酸", False),  # citric acid
        ("货", True),  # "goods" alone
        ("tea", True),  # three Latin letters stay under min_length
    ],
)
def test_a4_vague_counts_chinese_characters_as_words(  # type: ignore[no-untyped-def]
    records, screen, context, description: str, vague: bool
) -> None:
    row = {"description": description, "hs_code": ""}
    assert ("RF-A4.vague" in fired(screen, records, [row], context)) is vague


def test_permit_named_in_the_notes_counts_as_a_permit_reference(records, screen, context) -> None:  # type: ignore[no-untyped-def]
    # A licensed rotary tablet press to a drug maker, the DEA Form 452 given in the remarks.
    press = {
        "description": "rotary tablet press, 16 stations", "hs_code": "847989",
        "consignee_name": "Midwest Generics Manufacturing Inc",
    }  # fmt: skip
    assert "RF-A6" in fired(screen, records, [press], context)
    noted = {**press, "notes": "DEA Form 452 filed 2025-03-02"}
    assert "RF-A6" not in fired(screen, records, [noted], context)
    npp = {"description": "NPP 25 kg", "hs_code": "293339"}
    assert "RF-A1.permit" in fired(screen, records, [npp], context)
    assert "RF-A1.permit" not in fired(
        screen, records, [{**npp, "notes": "import permit DEA 2025-0041"}], context
    )


def test_ceramic_capacitors_are_electrical_goods(records, screen, context) -> None:  # type: ignore[no-untyped-def]
    row = {"description": "multilayer ceramic capacitors 0603", "hs_code": "853224"}
    assert "RF-A3.chapter" not in fired(screen, records, [row], context)
    tiles = {"description": "ceramic floor tiles", "hs_code": "853224"}
    assert "RF-A3.chapter" in fired(screen, records, [tiles], context)
