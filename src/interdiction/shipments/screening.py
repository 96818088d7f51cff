"""Shipment screening in two phases.

Phase 1, ``screen_frame``: per partition, pure pandas in and out (safe on Dask workers): goods,
HS, route and party rules that need one record at a time; returns the flags and the party rows.
Phase 2, ``finalise``: over all records at once: the network rules (shared contacts, hops to
listed parties, many shippers to one consignee), then the risk score of every record.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from interdiction.shipments.context import ScreeningContext
from interdiction.shipments.facts import FLAG_COLUMNS, Facts, FlagSink
from interdiction.shipments.goods_rules import run_goods_rules
from interdiction.shipments.network import run_network_rules, varied_goods
from interdiction.shipments.party_rules import PARTY_ROW_COLUMNS, run_party_rules
from interdiction.shipments.routes import run_route_rules
from interdiction.shipments.scoring import SCORE_COLUMNS, score_records

__all__ = [
    "FLAG_COLUMNS",
    "PARTY_ROW_COLUMNS",
    "SCORE_COLUMNS",
    "ScreeningContext",
    "empty_flags",
    "empty_party_rows",
    "finalise",
    "screen_frame",
]

# Goods flags that make "other goods" suspect for the lane rule RF-C1 (seized precursors travel
# declared as dog food or plastic sheets, so the lane matters even when the HS is not chemical).
_SUSPECT_GOODS = (
    "RF-A3.cover",
    "RF-A3.chapter",
    "RF-A3.business",
    "RF-A4.vague",
    "RF-A4.chemical",
    "RF-A2.cas-typo",
)


def empty_flags() -> pd.DataFrame:
    """An empty flags table with FLAG_COLUMNS and dtypes (meta for Dask)."""
    frame = pd.DataFrame({c: pd.Series([], dtype=object) for c in FLAG_COLUMNS})
    frame["weight"] = frame["weight"].astype(float)
    return frame


def empty_party_rows() -> pd.DataFrame:
    """An empty party-rows table with PARTY_ROW_COLUMNS (meta for Dask)."""
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in PARTY_ROW_COLUMNS})


def screen_frame(records: pd.DataFrame, ctx: ScreeningContext) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Phase 1 on one partition of canonical records (the input is not modified).

    Returns:
        (flags with FLAG_COLUMNS, party rows with PARTY_ROW_COLUMNS).
    """
    if records.empty:
        return empty_flags(), empty_party_rows()
    facts = Facts(records, ctx)
    sink = FlagSink(facts)
    run_goods_rules(facts, sink)
    suspect = np.zeros(facts.n, dtype=bool)
    index = {rid: i for i, rid in enumerate(facts.record_ids)}
    for record_id, rule_id, *_ in sink.rows:
        if rule_id in _SUSPECT_GOODS:
            suspect[index[record_id]] = True
    run_route_rules(facts, sink, suspect)
    parties = run_party_rules(facts, sink)
    flags = sink.frame() if sink.rows else empty_flags()
    return flags, parties


def finalise(
    records: pd.DataFrame, flags: pd.DataFrame, party_rows: pd.DataFrame, ctx: ScreeningContext
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Phase 2 over all records: network rules, then scores.

    Returns:
        (records with risk_score, risk_level, flags, top_reason added; all flags, network ones
        included, ordered by record then weight).
    """
    # Goods (RF-A), route (RF-C) and order (RF-D) flags mark a parcel that can be part of a
    # split consignment (RF-C7); party flags alone do not.
    goods_or_route = flags["rule_id"].astype(str).str.match(r"RF-[ACD]")
    suspect_ids = frozenset(flags.loc[goods_or_route, "record_id"].astype(str))
    network = run_network_rules(records, party_rows, ctx.rules, suspect_ids=suspect_ids)
    if ctx.rules.enabled("RF-B9"):
        network.extend(
            varied_goods(
                records,
                party_rows,
                ctx.rules,
                chemical_names=ctx.index("chemical_business"),
                family_of=ctx.hs.family_of,
            )
        )
    if network:
        extra = pd.DataFrame(network, columns=["record_id", "rule_id", "evidence"])
        extra["weight"] = extra["rule_id"].map(lambda r: ctx.rules.get(r).weight).astype(float)
        extra["source"] = extra["rule_id"].map(ctx.rules.citation)
        extra = extra.drop_duplicates(["record_id", "rule_id", "evidence"])
        all_flags = pd.concat([flags, extra[list(FLAG_COLUMNS)]], ignore_index=True)
    else:
        all_flags = flags.reset_index(drop=True)
    scores = score_records(records["record_id"].astype(str), all_flags, ctx.rules)
    result = records.copy()
    for column in SCORE_COLUMNS:
        result[column] = scores[column].to_numpy()
    if not all_flags.empty:
        all_flags = all_flags.sort_values(
            ["record_id", "weight"], ascending=[True, False], kind="stable"
        )
    return result, all_flags.reset_index(drop=True)
