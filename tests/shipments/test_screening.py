"""screen_frame / finalise contract: pure, any text in, known rule ids and one score per record out."""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interdiction.shipments.screening import FLAG_COLUMNS, PARTY_ROW_COLUMNS, finalise, screen_frame

TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    description=TEXT,
    notes=TEXT,
    name=TEXT,
    phone=TEXT,
    hs=st.text(alphabet="0123456789. ", max_size=12),
    value=st.one_of(st.just(float("nan")), st.floats(min_value=-5, max_value=1e9)),
)
def test_any_text_screens_without_error(
    records, context, description, notes, name, phone, hs, value
) -> None:  # type: ignore[no-untyped-def]
    frame = records(
        {
            "description": description,
            "notes": notes,
            "consignee_name": name,
            "consignee_phone": phone,
            "hs_code": hs,
            "declared_value": value,
        },
        {"description": description + " npp", "shipper_name": name, "mode": "express"},
    )
    before = frame.copy()
    flags, parties = screen_frame(frame, context)
    pd.testing.assert_frame_equal(frame, before)  # the input is not modified
    assert tuple(flags.columns) == FLAG_COLUMNS and tuple(parties.columns) == PARTY_ROW_COLUMNS
    assert set(flags["rule_id"]) <= set(context.rules.rules)
    scored, all_flags = finalise(frame, flags, parties, context)
    assert len(scored) == 2 and all(
        0 <= s <= 100 and not math.isnan(s) for s in scored["risk_score"]
    )


def test_partitioning_does_not_change_phase_one(records, context) -> None:  # type: ignore[no-untyped-def]
    rows = [{"description": d} for d in ("NPP 1 kg", "dog food", "gift", "pumps", "4-AP")]
    frame = records(*rows)
    whole, _ = screen_frame(frame, context)
    parts = pd.concat(
        [screen_frame(frame.iloc[i : i + 2], context)[0] for i in range(0, 5, 2)], ignore_index=True
    )
    key = ["record_id", "rule_id", "evidence"]
    pd.testing.assert_frame_equal(
        whole.sort_values(key).reset_index(drop=True), parts.sort_values(key).reset_index(drop=True)
    )


def test_empty_partition(records, context) -> None:  # type: ignore[no-untyped-def]
    flags, parties = screen_frame(records({}).iloc[0:0], context)
    assert flags.empty and parties.empty and tuple(flags.columns) == FLAG_COLUMNS
