"""Phase-1 route rules (red-flags.md section 3 C): China/Hong Kong to Mexico lanes, US gateways,
transshipment, small parcels to people, hidden origin, and the jurisdiction gap for the named
chemical on the shipment date.

Countries are mapped to our legal data sets with ``data/hs/countries.yaml``: US us, CN cn,
CA ca, MX mx, GB uk, EU members eu, every other country un (the 1988 and 1961 Conventions are
near-universal; national dates differ, which the evidence says).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from interdiction.shipments.facts import Facts, FlagSink

__all__ = ["run_route_rules", "route_label"]


def _in(series: pd.Series, countries: frozenset[str]) -> np.ndarray:
    return np.asarray(series.isin(countries), dtype=bool)


def _contains(series: pd.Series, country: str) -> np.ndarray:
    return np.asarray(series.str.contains(rf"(?:^|;){country}(?:;|$)", regex=True), dtype=bool)


def _or_route_end(given: pd.Series, routing: pd.Series, *, end: int) -> pd.Series:
    missing = (given == "") & (routing != "")
    if not missing.any():
        return given
    result = given.copy()
    result[missing] = routing[missing].str.split(";").str[end]
    return result


def route_label(origin: str, shipper_country: str, final: str, consignee_country: str) -> str:
    """Lane as "CN->MX" (origin else shipper country, final destination else consignee country)."""
    start = origin or shipper_country or "??"
    end = final or consignee_country or "??"
    return f"{start}->{end}"


def run_route_rules(f: Facts, out: FlagSink, suspect_goods: np.ndarray) -> None:
    """Run every enabled route rule on a partition.

    Args:
        suspect_goods: rows whose goods text already drew a cover/vague/mismatch flag; RF-C1
            treats them like chemicals because seized precursors are declared as other goods.
    """
    ctx = f.ctx
    rules = ctx.rules
    lanes = ctx.countries.lanes
    routing = f.text("routing_countries")
    # Without a declared origin or shipper country, the first country of the route (a port of
    # loading "CNXIY" gives CN) is where the goods come from; likewise the last for the end.
    origin = _or_route_end(
        f.text("origin_country").where(f.text("origin_country") != "", f.text("shipper_country")),
        routing,
        end=0,
    )
    final = _or_route_end(
        f.text("final_destination_country").where(
            f.text("final_destination_country") != "", f.text("consignee_country")
        ),
        routing,
        end=-1,
    )
    from_source = _in(origin, lanes["source_countries"]) | _in(
        f.text("shipper_country"), lanes["source_countries"]
    )
    to_market = _in(final, lanes["market_countries"])
    chemical = f.chemical_goods | f.listed_rows
    via_us = np.zeros(f.n, dtype=bool)
    for gateway in lanes["gateway_countries"]:
        via_us |= _contains(routing, gateway) | (f.text("consignee_country") == gateway).to_numpy()
    if rules.enabled("RF-C1"):
        suspect_weight = float(rules.get("RF-C1").param("suspect_goods_weight", 0.35))
        hits = from_source & to_market & (chemical | suspect_goods | f.has_terms("tablet_press"))
        for position in np.flatnonzero(hits):
            path = routing.iat[position] or f"{origin.iat[position]};{final.iat[position]}"
            what = "chemicals" if chemical[position] else "goods"
            via = " via the US" if via_us[position] else ""
            # Lane and misdeclaration together are the pattern of the cases (S2 mislabelling).
            suspect = bool(suspect_goods[position])
            out.add(
                "RF-C1",
                int(position),
                f"{what} from {origin.iat[position]} to {final.iat[position]}{via} (route {path})"
                + ("; goods unspecified or mis-described" if suspect else ""),
                weight=suspect_weight if suspect else None,
            )
    if rules.enabled("RF-C2"):
        air = (f.text("mode") == "air").to_numpy()
        hits = air & from_source & to_market & via_us & chemical
        for position in np.flatnonzero(hits):
            out.add(
                "RF-C2",
                int(position),
                f"air cargo of chemicals {origin.iat[position]} -> US gateway -> {final.iat[position]}",
            )
    intermediates = _intermediates(f, origin, final)
    if rules.enabled("RF-C3"):
        minimum = int(rules.get("RF-C3").param("min_intermediate", 1))
        for position in np.flatnonzero(chemical):
            middle = intermediates[position]
            ports = f.values("transshipment_ports")[position]
            if len(middle) >= minimum or (minimum <= 1 and ports):
                where = ", ".join(middle) or ports
                out.add(
                    "RF-C3",
                    int(position),
                    f"chemicals routed {origin.iat[position]} -> {where} -> {final.iat[position]}",
                )
    if rules.enabled("RF-C3.gap"):
        _gap(f, out, origin, final, intermediates)
    if rules.enabled("RF-C4"):
        limit = float(rules.get("RF-C4").param("max_weight_kg", 2.0))
        small = f.text("mode").isin(["postal", "express"]).to_numpy()
        weight = f.number("gross_weight_kg")
        with np.errstate(invalid="ignore"):
            light = weight < limit
        goods = chemical | (f.has_terms("vague_terms", "description") & ~f.documents_only)
        hits = small & from_source & light & goods & f.is_person("consignee")
        for position in np.flatnonzero(hits):
            out.add(
                "RF-C4",
                int(position),
                f"{f.values('mode')[position]} parcel of {weight[position]:g} kg from {origin.iat[position]} "
                f"to private person {f.values('consignee_name')[position]!r}",
            )
    if rules.enabled("RF-C8"):
        declared_origin = f.text("origin_country")
        shipper_country = f.text("shipper_country")
        hits = (
            (declared_origin != "").to_numpy()
            & (shipper_country != "").to_numpy()
            & (declared_origin != shipper_country).to_numpy()
            & _in(shipper_country, lanes["reexport_hubs"])
            & chemical
        )
        for position in np.flatnonzero(hits):
            out.add(
                "RF-C8",
                int(position),
                f"chemicals of {declared_origin.iat[position]} origin shipped from re-export hub {shipper_country.iat[position]}",
            )


def _intermediates(f: Facts, origin: pd.Series, final: pd.Series) -> list[list[str]]:
    routing = f.text("routing_countries").tolist()
    consignee = f.text("consignee_country").tolist()
    shipper = f.text("shipper_country").tolist()
    starts = origin.tolist()
    ends_list = final.tolist()
    result: list[list[str]] = []
    for position, path in enumerate(routing):
        ends = {starts[position], ends_list[position], shipper[position]}
        middle = [c for c in path.split(";") if c and c not in ends] if path else []
        if (
            consignee[position]
            and consignee[position] not in ends
            and consignee[position] not in middle
        ):
            middle.append(consignee[position])
        result.append(list(dict.fromkeys(middle)))
    return result


def _gap(
    f: Facts, out: FlagSink, origin: pd.Series, final: pd.Series, intermediates: list[list[str]]
) -> None:
    countries = f.ctx.countries
    known = set(f.ctx.goods.jurisdictions)
    for position in np.flatnonzero(f.listed_rows):
        start = origin.iat[position]
        end = final.iat[position]
        ends = {c: countries.jurisdiction_of(c) for c in (start, end) if c}
        passes = [c for c in [*intermediates[position], end] if c]
        for _, chem, status in f.chemicals(int(position)):
            controls = {
                c: j
                for c, j in ends.items()
                if status.statuses.get(j) in ("controlled", "precursor")
            }
            if not controls:
                continue
            gaps = []
            for country in passes:
                j = countries.jurisdiction_of(country)
                if j in known and status.statuses.get(j) == "not-listed":
                    gaps.append(f"{country} ({j})")
            if gaps:
                day = f.dates[position].isoformat()
                holders = ", ".join(f"{c} ({j}: {status.statuses[j]})" for c, j in controls.items())
                out.add(
                    "RF-C3.gap",
                    int(position),
                    f"{chem.name} on {day}: not listed in {', '.join(gaps)} on the route, "
                    f"while {holders} controls it",
                )
