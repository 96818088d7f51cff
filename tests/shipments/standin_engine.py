"""A minimal stand-in for interdiction.shipments.screening, used by the pipeline tests only.

It follows the same contract (ScreeningContext.load, screen_frame, finalise, write_report) with
two trivial rules, so pipeline, Dask and resume behaviour can be tested independently of the
real rule set. Importable by Dask workers once tests/shipments is on sys.path.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

WORDS = ("fentanyl", "4-anpp", "npp", "4-ap", "pill press")


@dataclass(frozen=True)
class ScreeningContext:
    words: tuple[str, ...]

    @classmethod
    def load(cls, *, rule_packs: Sequence[Path] = (), lists: str = "auto") -> ScreeningContext:
        return cls(WORDS)


def screen_frame(records: pd.DataFrame, ctx: ScreeningContext) -> tuple[pd.DataFrame, pd.DataFrame]:
    # STANDIN_DELAY slows each partition down so a test can kill a run half-way.
    time.sleep(float(os.environ.get("STANDIN_DELAY", "0")))
    text = records["description"].str.casefold()
    rows = []
    for word in ctx.words:
        hit = text.str.contains(word, regex=False)
        for rid in records.loc[hit, "record_id"]:
            rows.append((rid, "T-WORD", 40.0, f"description mentions {word}", "test"))
    flags = pd.DataFrame(rows, columns=["record_id", "rule_id", "weight", "evidence", "source"])
    parties = []
    for role in ("shipper", "consignee"):
        part = pd.DataFrame(
            {
                "record_id": records["record_id"],
                "role": role,
                "name": records[f"{role}_name"],
                "name_key": records[f"{role}_name"].str.casefold(),
                "email": records[f"{role}_email"],
                "phone": records[f"{role}_phone"],
                "address_key": "",
                "identifier": "",
                "country": records[f"{role}_country"],
            }
        )
        parties.append(part)
    return flags, pd.concat(parties, ignore_index=True)


def finalise(records, flags, party_rows, ctx):  # type: ignore[no-untyped-def]
    emails = party_rows[party_rows["email"] != ""]
    shared = emails.groupby("email")["name_key"].nunique()
    shared = set(shared[shared > 1].index)
    extra = emails[emails["email"].isin(shared)].drop_duplicates("record_id")
    cross = pd.DataFrame(
        {
            "record_id": extra["record_id"],
            "rule_id": "T-SHARED",
            "weight": 30.0,
            "evidence": "e-mail " + extra["email"] + " shared",
            "source": "test",
        }
    )
    all_flags = pd.concat([f for f in (flags, cross) if len(f)] or [flags], ignore_index=True)
    score = all_flags.groupby("record_id")["weight"].sum().clip(upper=100)
    ids = all_flags.groupby("record_id")["rule_id"].agg(lambda s: ";".join(sorted(set(s))))
    top = all_flags.groupby("record_id")["evidence"].first()
    out = records.copy()
    out["risk_score"] = out["record_id"].map(score).fillna(0.0)
    out["risk_level"] = pd.cut(
        out["risk_score"], [-1, 0, 39, 69, 100], labels=["none", "low", "medium", "high"]
    ).astype(str)
    out["flags"] = out["record_id"].map(ids).astype(object).where(lambda s: s.notna(), "")
    out["top_reason"] = out["record_id"].map(top).astype(object).where(lambda s: s.notna(), "")
    return out, all_flags.sort_values(["record_id", "rule_id"], kind="stable").reset_index(
        drop=True
    )


def write_report(out_dir, records, flags, errors, *, summary):  # type: ignore[no-untyped-def]
    path = Path(out_dir) / "report.html"
    path.write_text(
        f"<html><body>{summary['inputs']} inputs, {summary['results']} results</body></html>"
    )
    return path
