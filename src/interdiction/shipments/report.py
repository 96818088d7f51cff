"""The shipments HTML report: one self-contained file (inline CSS and SVG, no network).

Sections: summary counts (inputs = results + rejected), the highest-risk records with every flag
and its source, the chemicals found drawn with the listed part highlighted, the party network
around flagged parties, and bar charts of risk by route, HS heading and party. All user text is
escaped.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from rdkit import Chem
from rdkit.Chem.Draw import rdMolDraw2D

from interdiction.regulations import load_regulations
from interdiction.shipments.goods import Chemical, GoodsIndex, substance_checker
from interdiction.shipments.routes import route_label

__all__ = ["report_sections", "write_report"]

_TOP = 50
# Fields of the full record shown for the top records when the scored table lacks them.
_DETAIL_COLUMNS = ("description",)
# (record ids, columns) -> {record_id: {column: text}}: full-record fields for a few records.
Details = Callable[[Sequence[str], Sequence[str]], Mapping[str, Mapping[str, str]]]
_STRUCTURE = re.compile(r"\(structure (\S+)\):")
_LEVEL_COLOURS = {"critical": "#b71c1c", "high": "#e65100", "medium": "#f9a825", "low": "#9e9e9e"}
_NETWORK_RULES = ("RF-B1", "RF-B1.network", "RF-B3", "RF-B4", "RF-C7")
_CSS = """
body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:1.5em}h2{border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:32px}
table{border-collapse:collapse;width:100%;font-size:.9em}td,th{border:1px solid #ddd;padding:4px 6px;vertical-align:top;text-align:left}
th{background:#f3f3f3}.level{color:#fff;padding:1px 6px;border-radius:3px;font-weight:600}
.small{font-size:.8em;color:#555}.chem{display:inline-block;margin:8px;vertical-align:top;border:1px solid #ddd;padding:4px}
details summary{cursor:pointer}
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _level(level: str) -> str:
    return f'<span class="level" style="background:{_LEVEL_COLOURS.get(level, "#777")}">{_e(level)}</span>'


def _bar_chart(title: str, values: Sequence[tuple[str, float]], *, unit: str = "") -> str:
    """Horizontal bar chart as inline SVG."""
    if not values:
        return f"<p class='small'>{_e(title)}: nothing to show.</p>"
    width, bar, gap, label_w = 720, 18, 6, 240
    height = len(values) * (bar + gap) + 30
    top = max(v for _, v in values) or 1.0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" aria-label="{_e(title)}">'
    ]
    parts.append(f'<text x="0" y="14" font-size="13" font-weight="600">{_e(title)}</text>')
    for i, (label, value) in enumerate(values):
        y = 24 + i * (bar + gap)
        length = (width - label_w - 80) * value / top
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 13}" font-size="11" text-anchor="end">{_e(label[:38])}</text>'
        )
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{length:.1f}" height="{bar}" fill="#c62828"/>'
        )
        parts.append(
            f'<text x="{label_w + length + 4:.1f}" y="{y + 13}" font-size="11">{value:.1f}{_e(unit)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _risk_by(records: pd.DataFrame, key: pa.Array, title: str) -> str:
    """Bar chart of the mean score per key, for the 12 keys with the highest total score (ties
    by key); records with an empty key are left out. Grouped in Arrow: no Python per record."""
    table = pa.table({"key": key, "score": records["risk_score"].to_numpy(dtype=float)})
    table = table.filter(pc.not_equal(table["key"], ""))
    if table.num_rows == 0:
        return _bar_chart(title, [])
    stats = (
        table.group_by("key")
        .aggregate([("score", "sum"), ("score", "count"), ("score", "mean")])
        .sort_by([("score_sum", "descending"), ("key", "ascending")])
        .slice(0, 12)
        .to_pylist()
    )
    return _bar_chart(
        title,
        [
            (f"{row['key']} (n={int(row['score_count'])})", float(row["score_mean"]))
            for row in stats
        ],
        unit=" avg",
    )


def _molecule_svg(smiles: str, name: str, atoms: Sequence[int]) -> str:
    mol = Chem.MolFromSmiles(smiles)
    if mol is None:
        return ""
    highlight = [a for a in atoms if a < mol.GetNumAtoms()] or list(range(mol.GetNumAtoms()))
    bonds = [
        b.GetIdx()
        for b in mol.GetBonds()
        if b.GetBeginAtomIdx() in highlight and b.GetEndAtomIdx() in highlight
    ]
    drawer = rdMolDraw2D.MolDraw2DSVG(300, 220)
    rdMolDraw2D.PrepareAndDrawMolecule(
        drawer, mol, legend=name[:40], highlightAtoms=highlight, highlightBonds=bonds
    )
    drawer.FinishDrawing()
    text = str(drawer.GetDrawingText())
    return text[text.find("<svg") :]


def _chemicals_section(flags: pd.DataFrame) -> str:
    goods = GoodsIndex.build(load_regulations())
    hits = (
        flags[flags["rule_id"].astype(str).str.startswith("RF-A2.")] if not flags.empty else flags
    )
    if hits.empty:
        return "<p>No listed chemical was named in the goods text.</p>"
    counts: dict[str, int] = {}
    for evidence in hits["evidence"].astype(str):
        structure = _STRUCTURE.search(evidence)
        if structure is not None:
            # A chemical read from a systematic name, not in the legal files: drawn from its SMILES.
            key = structure.group(1)
            name = (
                evidence.split(" = ", 1)[1].split(" (structure ", 1)[0]
                if " = " in evidence
                else key
            )
            goods.chemicals.setdefault(key, Chemical(key, name, key, (), (), "controlled"))
            counts[key] = counts.get(key, 0) + 1
            continue
        for key, chem in goods.chemicals.items():
            if f"= {chem.name}:" in evidence or f"is {chem.name}" in evidence:
                counts[key] = counts.get(key, 0) + 1
    checker = substance_checker()
    cards = []
    for key, count in sorted(counts.items(), key=lambda kv: -kv[1]):
        chem = goods.chemicals[key]
        atoms: list[int] = []
        smiles = chem.smiles
        if checker is not None:
            verdict = checker(chem.smiles, as_of=date.today())
            if verdict.smiles:
                smiles = verdict.smiles
                atoms = [a for h in verdict.highlights for a in h.atoms]
        svg = _molecule_svg(smiles, chem.name, atoms)
        how = "matched regions highlighted" if atoms else "whole listed molecule highlighted"
        cards.append(
            f'<div class="chem">{svg}<div><b>{_e(chem.name)}</b><br><span class="small">{count} flag(s); '
            f"CAS {_e(', '.join(chem.cas) or 'n/a')}; {how}</span></div></div>"
        )
    return "".join(cards)


def _network_svg(records: pd.DataFrame, flags: pd.DataFrame) -> str:
    if flags.empty:
        return "<p>No network flags.</p>"
    chosen = flags[flags["rule_id"].isin(_NETWORK_RULES)]
    if chosen.empty:
        return (
            "<p>No party was linked to a listed party or shared contacts with other companies.</p>"
        )
    listed_ids = set(flags.loc[flags["rule_id"] == "RF-B1", "record_id"])
    linked_ids = set(chosen.loc[chosen["rule_id"] != "RF-B1", "record_id"])
    subset = records[records["record_id"].isin(set(chosen["record_id"]))].head(150)
    graph = nx.Graph()
    for row in subset.itertuples(index=False):
        shipper, consignee = str(row.shipper_name), str(row.consignee_name)
        if shipper and consignee:
            graph.add_edge(shipper, consignee)
            for name in (shipper, consignee):
                if row.record_id in listed_ids:
                    graph.nodes[name]["listed"] = True
                if row.record_id in linked_ids:
                    graph.nodes[name]["linked"] = True
    if graph.number_of_nodes() == 0:
        return "<p>No named parties in the flagged records.</p>"
    positions = nx.spring_layout(graph, seed=7, k=1.5 / math.sqrt(graph.number_of_nodes()))
    width, height, pad = 900, 560, 60
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]

    def scale(value: float, low: float, high: float, size: int) -> float:
        return pad + (value - low) / ((high - low) or 1.0) * (size - 2 * pad)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" aria-label="party network">'
    ]
    for a, b in graph.edges():
        (ax, ay), (bx, by) = positions[a], positions[b]
        out.append(
            f'<line x1="{scale(ax, min(xs), max(xs), width):.1f}" y1="{scale(ay, min(ys), max(ys), height):.1f}" '
            f'x2="{scale(bx, min(xs), max(xs), width):.1f}" y2="{scale(by, min(ys), max(ys), height):.1f}" stroke="#999"/>'
        )
    for node, (x, y) in positions.items():
        attributes = graph.nodes[node]
        colour = (
            "#b71c1c"
            if attributes.get("listed")
            else "#ef6c00"
            if attributes.get("linked")
            else "#1565c0"
        )
        cx, cy = scale(x, min(xs), max(xs), width), scale(y, min(ys), max(ys), height)
        out.append(
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="6" fill="{colour}"><title>{_e(node)}</title></circle>'
        )
        out.append(f'<text x="{cx + 8:.1f}" y="{cy + 4:.1f}" font-size="10">{_e(node[:28])}</text>')
    out.append("</svg>")
    legend = (
        "<p class='small'>Red: parties of a record matching a listed entity (RF-B1); orange: parties of "
        "records linked by shared contacts, hops to a listed party or split shipments (RF-B1.network, "
        "RF-B3, RF-B4, RF-C7); blue: their other trading partners; lines: trades (shipper to consignee).</p>"
    )
    return "".join(out) + legend


def _top_records(records: pd.DataFrame, flags: pd.DataFrame, details: Details | None = None) -> str:
    # The same rows as a stable descending sort of the whole table, taking only those shown.
    scores = records["risk_score"].to_numpy(dtype=float)
    order = np.argsort(-scores, kind="stable")[:_TOP]
    top = _blank(records.iloc[order])
    top = top[top["risk_score"] > 0]
    missing = [c for c in _DETAIL_COLUMNS if c not in top.columns]
    if details is not None and missing and not top.empty:
        # The scored table carries no free text (it is kept small for a million records): the
        # goods text of the shown records is fetched for them alone.
        found = details([str(r) for r in top["record_id"]], missing)
        for column in missing:
            top[column] = [found.get(str(r), {}).get(column, "") for r in top["record_id"]]
    if top.empty:
        return "<p>No record drew a flag.</p>"
    # Only the shown records' flags are grouped (grouping every flag costs seconds at 1M records).
    shown = flags[flags["record_id"].isin(list(top["record_id"]))] if not flags.empty else flags
    by_record = {rid: group for rid, group in shown.groupby("record_id")} if not shown.empty else {}
    rows = []
    for row in top.itertuples(index=False):
        record = row._asdict()
        details = by_record.get(record["record_id"])
        items = ""
        if details is not None:
            items = "".join(
                f"<li><b>{_e(f.rule_id)}</b> (weight {f.weight:.2f}): {_e(f.evidence)}<br><span class='small'>{_e(f.source)}</span></li>"
                for f in details.itertuples(index=False)
            )
        lane = route_label(
            str(record.get("origin_country", "")), str(record.get("shipper_country", "")),
            str(record.get("final_destination_country", "")), str(record.get("consignee_country", "")),
        )  # fmt: skip
        rows.append(
            f"<tr><td>{_e(record['record_id'])}</td><td>{record['risk_score']:.1f}</td><td>{_level(str(record['risk_level']))}</td>"
            f"<td>{_e(record.get('shipper_name', ''))} &rarr; {_e(record.get('consignee_name', ''))}<br><span class='small'>{_e(lane)}; "
            f"HS {_e(record.get('hs_code', ''))}</span><br>{_e(str(record.get('description', ''))[:200])}</td><td>{_e(record['top_reason'])}"
            f"<details><summary>all {0 if details is None else len(details)} flag(s)</summary><ul>{items}</ul></details></td></tr>"
        )
    return (
        "<table><tr><th>record</th><th>score</th><th>level</th><th>parties, route, HS, goods</th><th>why</th></tr>"
        + "".join(rows)
        + "</table>"
    )


def _summary(
    records: pd.DataFrame, flags: pd.DataFrame, errors: pd.DataFrame, summary: Mapping[str, Any]
) -> str:
    levels = records["risk_level"].value_counts() if not records.empty else pd.Series(dtype=int)
    inputs = summary.get("inputs", len(records))
    results = summary.get("results", len(records))
    rejected = summary.get("rejected", summary.get("errors", ""))
    lines = [
        f"<p><b>Inputs {_e(inputs)} = results {_e(results)} + rejected {_e(rejected)}</b>. "
        f"Problem rows in errors.csv: {len(errors)} (warnings keep the record; errors reject it).</p>",
        "<table><tr>"
        + "".join(f"<th>{_e(level)}</th>" for level in _LEVEL_COLOURS)
        + "<th>flags fired</th></tr><tr>",
        "".join(f"<td>{int(levels.get(level, 0))}</td>" for level in _LEVEL_COLOURS)
        + f"<td>{len(flags)}</td></tr></table>",
        "<details><summary>run details</summary><table>"
        + "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in summary.items())
        + "</table></details>",
        "<p class='small'>Score = 100 &times; (1 &minus; &prod;(1 &minus; weight)) over the distinct rules fired on a record; "
        "bands: medium &ge; 25, high &ge; 50, critical &ge; 75. No single red flag is proof (FinCEN FIN-2019-A006, FIN-2024-A002; DEA).</p>",
    ]
    return "".join(lines)


def _blank(records: pd.DataFrame) -> pd.DataFrame:
    blank = records.copy()
    for name in blank.columns:
        if blank[name].dtype == object:
            blank[name] = blank[name].fillna("")
    return blank


def _text(records: pd.DataFrame, name: str) -> pa.Array:
    """One column as an Arrow string array, missing values and an absent column as "" (Arrow
    compute works on the records' Arrow-backed columns without a Python object per value)."""
    if name not in records.columns:
        return pa.array([""] * len(records), type=pa.string())
    column = records[name]
    values = pa.array(column, from_pandas=True)
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        values = pa.array(column.astype(object).where(column.notna(), "").astype(str))
    return pc.fill_null(values.cast(pa.string()), "")


def _routes(records: pd.DataFrame) -> pa.Array:
    """``route_label`` of every record, on whole columns."""

    def first(*columns: pa.Array) -> pa.Array:
        chosen = pa.array(["??"] * len(records), type=columns[0].type)
        for column in reversed(columns):
            chosen = pc.if_else(pc.not_equal(column, ""), column, chosen)
        return chosen

    start = first(_text(records, "origin_country"), _text(records, "shipper_country"))
    end = first(_text(records, "final_destination_country"), _text(records, "consignee_country"))
    return pc.binary_join_element_wise(start, end, "->")


def report_sections(
    records: pd.DataFrame, flags: pd.DataFrame, *, details: Details | None = None
) -> str:
    """The report's HTML after the summary (top records, chemicals, network, charts).

    It needs only the scored records and the flags, so the pipeline builds it while the output
    parts are still being written, and passes it to ``write_report(..., sections=...)``. Only the
    columns and rows each section shows are copied: at a million records a copy of the whole
    table costs more than the sections themselves. ``details`` fetches the goods text of the
    top records when ``records`` lacks it (the pipeline reads it from the checkpoint).
    """

    digits = pc.replace_substring_regex(_text(records, "hs_code"), r"\D", "")
    heading = pc.utf8_slice_codeunits(digits, 0, 4)
    charts = (
        _risk_by(records, _routes(records), "Average risk by route (top 12 by total risk)")
        + _risk_by(records, heading, "Average risk by declared HS heading")
        + _risk_by(records, _text(records, "consignee_name"), "Average risk by consignee")
        + _risk_by(records, _text(records, "shipper_name"), "Average risk by shipper")
    ) if not records.empty else "<p>No records.</p>"  # fmt: skip
    network = records[[c for c in ("record_id", "shipper_name", "consignee_name") if c in records]]
    return (
        f"<h2>Highest-risk records</h2>{_top_records(records, flags, details) if not records.empty else '<p>No records.</p>'}"
        f"<h2>Chemicals found</h2>{_chemicals_section(flags)}"
        f"<h2>Party network around flagged parties</h2>{_network_svg(_blank(network), flags) if not records.empty else ''}"
        f"<h2>Risk by route, HS heading and party</h2>{charts}"
    )


def write_report(
    out_dir: Path,
    records: pd.DataFrame,
    flags: pd.DataFrame,
    errors: pd.DataFrame,
    *,
    summary: dict[str, Any],
    sections: str | None = None,
) -> Path:
    """Write ``out_dir/report.html`` and return its path.

    Args:
        records: scored records (record_id, risk_score, risk_level, flags, top_reason, parties, route, hs_code).
        flags: all fired flags (record_id, rule_id, weight, evidence, source).
        errors: the errors table.
        summary: run counts (inputs, results, rejected ...), shown as given.
        sections: ``report_sections(records, flags)`` when already built (computed here otherwise).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    if sections is None:
        sections = report_sections(records, flags)
    body = (
        f"<h1>Shipment screening report</h1><p class='small'>Generated {date.today().isoformat()} by interdiction. "
        "Self-contained; no network access needed.</p>"
        f"<h2>Summary</h2>{_summary(records, flags, errors, summary)}"
        f"{sections}"
    )
    page = f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Shipment screening report</title><style>{_CSS}</style></head><body>{body}</body></html>"
    path = out_dir / "report.html"
    path.write_text(page, encoding="utf-8")
    return path
