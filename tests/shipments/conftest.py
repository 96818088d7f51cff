"""Fixtures for the shipment rule tests: build canonical records field by field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

from interdiction.shipments.records import COLUMNS, empty_records

# A plain, clean record: German machinery parts to a US company by sea, nothing to flag.
CLEAN: dict[str, Any] = {
    "date": "2023-05-10",
    "mode": "sea",
    "shipper_name": "Rheinmetall Pumpen GmbH",
    "shipper_address": "Industriestrasse 5, 40210 Duesseldorf",
    "shipper_country": "DE",
    "shipper_email": "export@rheinpumpen.de",
    "shipper_phone": "+49 211 555 0101",
    "consignee_name": "Midwest Fluid Systems Inc",
    "consignee_address": "1200 Commerce Drive, Columbus OH 43215",
    "consignee_country": "US",
    "consignee_email": "purchasing@midwestfluid.com",
    "consignee_phone": "+1 614 555 0199",
    "origin_country": "DE",
    "final_destination_country": "US",
    "routing_countries": "DE;US",
    "description": "centrifugal water pumps, cast iron housing",
    "hs_code": "841370",
    "gross_weight_kg": 850.0,
    "declared_value": 24000.0,
    "currency": "USD",
}


def build_records(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Canonical records frame: CLEAN defaults overridden per row, ids r1, r2, ..."""
    frame = empty_records()
    data = []
    for number, row in enumerate(rows, start=1):
        values = {c.name: (float("nan") if c.kind == "float" else "") for c in COLUMNS}
        values.update({"record_id": f"r{number}", "source_file": "test.csv", "source_row": number})
        values.update(CLEAN)
        values.update(row)
        data.append(values)
    built = pd.DataFrame(data, columns=list(frame.columns))
    built["source_row"] = built["source_row"].astype("int64")
    return built


@pytest.fixture
def records() -> Callable[..., pd.DataFrame]:
    """Factory: records(dict, dict, ...) -> canonical frame built on the CLEAN record."""

    def make(*rows: dict[str, Any]) -> pd.DataFrame:
        return build_records(list(rows))

    return make


@pytest.fixture(scope="session")
def context() -> Any:
    """Screening context without party lists (goods, HS and route rules)."""
    from interdiction.shipments.screening import ScreeningContext

    return ScreeningContext.load(lists="none")


@pytest.fixture(scope="session")
def listed_context() -> Any:
    """Screening context with the bundled sample party lists (real OFAC/watch-list slices)."""
    from interdiction.shipments.screening import ScreeningContext

    return ScreeningContext.load(lists="sample")


def run_screen(frame: pd.DataFrame, ctx: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both phases: (scored records, all flags)."""
    from interdiction.shipments.screening import finalise, screen_frame

    flags, parties = screen_frame(frame, ctx)
    return finalise(frame, flags, parties, ctx)


@pytest.fixture
def screen() -> Callable[..., tuple[pd.DataFrame, pd.DataFrame]]:
    """screen(frame, ctx) -> (scored records, flags) through both phases."""
    return run_screen
