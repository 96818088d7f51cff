"""Route rules (RF-C*): each fires on a record made for it and stays quiet on a near-miss."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from rule_cases import ROUTES  # noqa: E402


def fired(screen, records, rows, ctx) -> set[str]:  # type: ignore[no-untyped-def]
    frame = records(*rows)
    _, flags = screen(frame, ctx)
    return set(flags.loc[flags["record_id"] == frame["record_id"].iloc[-1], "rule_id"])


@pytest.mark.parametrize("rule_id", sorted(ROUTES))
def test_rule_fires_on_its_record(rule_id, records, screen, context) -> None:  # type: ignore[no-untyped-def]
    assert rule_id in fired(screen, records, ROUTES[rule_id][0], context)


@pytest.mark.parametrize("rule_id", sorted(ROUTES))
def test_rule_quiet_on_near_miss(rule_id, records, screen, context) -> None:  # type: ignore[no-untyped-def]
    assert rule_id not in fired(screen, records, ROUTES[rule_id][1], context)


def test_gap_evidence_names_countries_and_date(records, screen, context) -> None:  # type: ignore[no-untyped-def]
    _, flags = screen(records(*ROUTES["RF-C3.gap"][0]), context)
    evidence = flags.loc[flags["rule_id"] == "RF-C3.gap", "evidence"].iloc[0]
    assert "2016-06-01" in evidence and "GT (un)" in evidence and "US (us: precursor)" in evidence


def test_jurisdiction_mapping(context) -> None:  # type: ignore[no-untyped-def]
    countries = context.countries
    assert [countries.jurisdiction_of(c) for c in ("US", "DE", "GB", "GT", "HK", "")] == [
        "us",
        "eu",
        "uk",
        "un",
        "un",
        "",
    ]


def test_lane_with_unspecified_goods_weighs_more(records, screen, context) -> None:  # type: ignore[no-untyped-def]
    from rule_cases import _CN_MX

    rule = context.rules.get("RF-C1")
    _, named = screen(records(_CN_MX), context)
    _, vague = screen(
        records({**_CN_MX, "description": "chemical intermediate, white powder"}), context
    )
    assert named.loc[named["rule_id"] == "RF-C1", "weight"].tolist() == [rule.weight]
    assert vague.loc[vague["rule_id"] == "RF-C1", "weight"].tolist() == [
        rule.param("suspect_goods_weight")
    ]


def test_documents_envelope_is_neither_vague_goods_nor_a_token_value(
    records, screen, context
) -> None:  # type: ignore[no-untyped-def]
    # An express DOX envelope from Hong Kong to a person, no commercial value: ordinary.
    envelope = {
        "mode": "express", "origin_country": "HK", "shipper_country": "HK",
        "consignee_name": "Olivia Brown", "consignee_country": "US", "final_destination_country": "US",
        "description": "DOCUMENTS (INVOICES / B/L COPIES)", "hs_code": "", "gross_weight_kg": 0.5,
        "declared_value": 0.0,
    }  # fmt: skip
    fired = set(screen(records(envelope), context)[1]["rule_id"])
    assert not fired & {"RF-C4", "RF-A5.token-value"}
    # "Documents" of 6 kg, or documents that name a listed chemical, are not an envelope.
    heavy = set(screen(records({**envelope, "gross_weight_kg": 6.0}), context)[1]["rule_id"])
    assert "RF-A5.token-value" in heavy
    named = {**envelope, "description": "documents and 4-AP sample"}
    assert {"RF-C4", "RF-A5.token-value"} <= set(screen(records(named), context)[1]["rule_id"])
