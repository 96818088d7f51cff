"""Risk score per record from the rules that fired.

    risk_score = 100 * (1 - prod over distinct fired rules of (1 - weight))

A "noisy-or": each rule is read as an independent chance that the shipment is a diversion
attempt, so two moderate flags (0.3 and 0.3) give 51, never more than 100, and a rule firing
twice on one record (two chemicals) counts once, with its largest weight. Bands come from the
rule pack (default: medium 25, high 50, critical 75), chosen so that no weak rule alone
(weight < 0.25) leaves "low" — the sources say one red flag is not proof (S1, S2, S27).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from interdiction.shipments.rules import RuleSet

__all__ = ["SCORE_COLUMNS", "score_records"]

SCORE_COLUMNS: tuple[str, ...] = ("risk_score", "risk_level", "flags", "top_reason")


def score_records(record_ids: pd.Series, flags: pd.DataFrame, rules: RuleSet) -> pd.DataFrame:
    """Score, level, fired rule ids (strongest first) and top reason for each record id.

    Returns:
        A frame indexed like ``record_ids`` with SCORE_COLUMNS.
    """
    out = pd.DataFrame(index=record_ids.index)
    out["risk_score"] = 0.0
    out["risk_level"] = rules.level(0.0)
    out["flags"] = ""
    out["top_reason"] = ""
    if flags.empty:
        return out
    best = flags.sort_values(["record_id", "weight"], ascending=[True, False]).drop_duplicates(
        ["record_id", "rule_id"]
    )
    best = best.assign(_keep=np.log1p(-best["weight"].clip(upper=0.999999)))
    grouped = best.groupby("record_id", sort=False)
    score = 100.0 * (1.0 - np.exp(grouped["_keep"].sum()))
    # Ties go to the rule listed first in the pack ("names NPP" before "no permit").
    rank = {rule_id: position for position, rule_id in enumerate(rules.rules)}
    best = best.assign(_rank=best["rule_id"].map(rank).fillna(len(rank)))
    ordered = best.sort_values(["record_id", "weight", "_rank"], ascending=[True, False, True])
    # Fired rule ids per record, strongest first: one pass over the sorted rows (a pandas
    # groupby-join calls Python once per flagged record, seconds for a million records).
    joined: dict[str, str] = {}
    for record_id, rule_id in zip(
        ordered["record_id"].to_numpy(dtype=object),
        ordered["rule_id"].to_numpy(dtype=object),
        strict=True,
    ):
        joined[record_id] = f"{joined[record_id]};{rule_id}" if record_id in joined else rule_id
    rule_list = pd.Series(joined, dtype=object)
    top = ordered.drop_duplicates("record_id").set_index("record_id")
    descriptions = top["rule_id"].map(lambda r: rules.get(r).description if r in rules.rules else r)
    reason = descriptions + " — " + top["evidence"].astype(str)
    ids = record_ids.astype(str)
    # One hash look-up of every record id, shared by the three columns (three maps before).
    flagged = pd.Index(score.index)
    where = flagged.get_indexer(ids)
    found = where >= 0
    out["risk_score"] = (
        pd.Series(np.where(found, score.to_numpy(dtype=float)[where], 0.0), index=out.index)
        .round(1)
        .to_numpy()
    )
    # rules.level, vectorised (a million Python calls otherwise).
    values = out["risk_score"].to_numpy(dtype=float)
    bands = [values >= rules.bands[level] for level in ("critical", "high", "medium")]
    out["risk_level"] = np.select(bands, ["critical", "high", "medium"], "low").tolist()
    for column, values in (("flags", rule_list), ("top_reason", reason)):
        aligned = values.reindex(flagged).to_numpy(dtype=object)[where]
        out[column] = np.where(found, aligned, "").tolist()
    return out
