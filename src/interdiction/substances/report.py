"""HTML report of a substance batch: counts per status and jurisdiction, a chart, and the
flagged structures drawn with the matched part highlighted. Built incrementally (memory flat).
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from interdiction import __version__
from interdiction.regulations.model import JURISDICTIONS
from interdiction.substances.draw import REGION_COLOURS, verdict_svg
from interdiction.substances.model import SubstanceVerdict

__all__ = ["BatchReport"]

_STATUSES = ("controlled", "precursor", "not-listed", "invalid-input")
_STATUS_COLOURS = {
    "controlled": "#c0392b",
    "precursor": "#e67e22",
    "not-listed": "#95a5a6",
    "invalid-input": "#7f8c8d",
}
# Drawing every flagged structure of a 100k-row batch would make an unusable page.
MAX_DRAWN = 150
MAX_INVALID_LISTED = 200


@dataclass
class BatchReport:
    """Accumulates verdicts as they stream by; ``write`` renders the HTML page."""

    source: str
    as_of: date
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    flag_counts: Counter[str] = field(default_factory=Counter)
    total: int = 0
    invalid: int = 0
    drawn: list[SubstanceVerdict] = field(default_factory=list)
    flagged_total: int = 0
    invalid_rows: list[SubstanceVerdict] = field(default_factory=list)

    def add(self, verdict: SubstanceVerdict) -> None:
        """Count one verdict; keep it for drawing if it is listed or flagged (up to a cap)."""
        self.total += 1
        for j in verdict.jurisdictions:
            self.counts[(j.jurisdiction, j.status)] += 1
        for code in {f.code for f in verdict.flags}:
            self.flag_counts[code] += 1
        if verdict.error:
            self.invalid += 1
            if len(self.invalid_rows) < MAX_INVALID_LISTED:
                self.invalid_rows.append(verdict)
        elif verdict.is_listed_anywhere or verdict.flags:
            self.flagged_total += 1
            if len(self.drawn) < MAX_DRAWN:
                self.drawn.append(verdict)

    def write(self, path: Path) -> Path:
        """Render the page to ``path`` (parent folders created) and return it."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self._render(), encoding="utf-8")
        return path

    def _render(self) -> str:
        esc = html.escape
        parts = [
            "<!doctype html><html><head><meta charset='utf-8'>",
            f"<title>interdiction substance report: {esc(self.source)}</title>",
            "<style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}"
            "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}"
            "th{background:#f4f4f4}.card{display:inline-block;vertical-align:top;width:380px;margin:6px;"
            "border:1px solid #ddd;padding:6px;font-size:12px}.card svg{width:360px;height:260px}"
            ".st-controlled{color:#c0392b;font-weight:bold}.st-precursor{color:#e67e22;font-weight:bold}"
            ".legend span{display:inline-block;padding:2px 8px;margin-right:6px}</style></head><body>",
            "<h1>Substance screening report</h1>",
            f"<p>Input: <code>{esc(self.source)}</code> &middot; law applied as of <b>{self.as_of}</b>"
            f" &middot; interdiction {__version__}</p>",
            f"<p><b>{self.total}</b> rows read: {self.total - self.invalid} classified, "
            f"<b>{self.invalid}</b> invalid input (listed below); {self.flagged_total} listed "
            "somewhere or flagged.</p>",
            "<h2>Status per jurisdiction</h2>",
            self._counts_table(),
            self._chart(),
            "<h2>Risk flags</h2>",
            self._flags_table(),
            f"<h2>Listed or flagged structures (first {MAX_DRAWN})</h2>",
            self._legend(),
            *[self._card(v) for v in self.drawn],
            "<h2>Invalid inputs</h2>",
            self._invalid_table(),
            "<p style='color:#666;font-size:12px'>Identification only. A structure near a "
            "controlled one is a risk to review, never a cleared alternative.</p>",
            "</body></html>",
        ]
        return "\n".join(parts)

    def _counts_table(self) -> str:
        head = "".join(f"<th>{j.upper()}</th>" for j in JURISDICTIONS)
        rows = []
        for status in _STATUSES:
            cells = "".join(f"<td>{self.counts[(j, status)]}</td>" for j in JURISDICTIONS)
            rows.append(f"<tr><th class='st-{status}'>{status}</th>{cells}</tr>")
        return f"<table id='counts'><tr><th>status</th>{head}</tr>{''.join(rows)}</table>"

    def _chart(self) -> str:
        """Stacked horizontal bars of controlled/precursor counts per jurisdiction (inline SVG)."""
        width, bar_h, gap, left = 520, 18, 8, 40
        peak = max(
            [self.counts[(j, "controlled")] + self.counts[(j, "precursor")] for j in JURISDICTIONS]
            + [1]
        )
        scale = (width - left - 60) / peak
        items = []
        for i, j in enumerate(JURISDICTIONS):
            y = i * (bar_h + gap) + 10
            x: float = left
            items.append(f"<text x='0' y='{y + 13}' font-size='12'>{j.upper()}</text>")
            for status in ("controlled", "precursor"):
                n = self.counts[(j, status)]
                w = n * scale
                if n:
                    items.append(
                        f"<rect x='{x:.1f}' y='{y}' width='{w:.1f}' height='{bar_h}' "
                        f"fill='{_STATUS_COLOURS[status]}'><title>{j.upper()} {status}: {n}</title></rect>"
                    )
                x += w
            total = self.counts[(j, "controlled")] + self.counts[(j, "precursor")]
            items.append(f"<text x='{x + 4:.1f}' y='{y + 13}' font-size='12'>{total}</text>")
        height = len(JURISDICTIONS) * (bar_h + gap) + 30
        key = (
            f"<text x='{left}' y='{height - 4}' font-size='11' fill='{_STATUS_COLOURS['controlled']}'>"
            f"controlled</text><text x='{left + 80}' y='{height - 4}' font-size='11' "
            f"fill='{_STATUS_COLOURS['precursor']}'>precursor</text>"
        )
        return (
            f"<svg id='chart' xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
            f"role='img' aria-label='listed rows per jurisdiction'>{''.join(items)}{key}</svg>"
        )

    def _flags_table(self) -> str:
        if not self.flag_counts:
            return "<p>No risk flags.</p>"
        rows = "".join(
            f"<tr><th>{html.escape(code)}</th><td>{n}</td></tr>"
            for code, n in sorted(self.flag_counts.items())
        )
        return f"<table><tr><th>flag</th><th>rows</th></tr>{rows}</table>"

    @staticmethod
    def _legend() -> str:
        spans = "".join(
            f"<span style='background:rgb({int(r * 255)},{int(g * 255)},{int(b * 255)})'>{region}</span>"
            for region, (r, g, b) in REGION_COLOURS.items()
        )
        return f"<p class='legend'>Highlighted regions: {spans}</p>"

    @staticmethod
    def _card(verdict: SubstanceVerdict) -> str:
        esc = html.escape
        statuses = " ".join(
            f"<span class='st-{j.status}'>{j.jurisdiction.upper()}:{esc(j.status)}"
            f"{' (' + esc(j.basis) + ')' if j.basis else ''}</span>"
            for j in verdict.jurisdictions
            if j.status != "not-listed"
        )
        flags = "<br>".join(f"&#9888; {esc(f.code)}: {esc(f.detail)}" for f in verdict.flags)
        return (
            f"<div class='card'>{verdict_svg(verdict)}<div>row {verdict.row}: "
            f"<code>{esc(verdict.input[:80])}</code></div><div>{esc(verdict.name)}</div>"
            f"<div>{statuses or 'not listed anywhere'}</div><div>{flags}</div></div>"
        )

    def _invalid_table(self) -> str:
        if not self.invalid_rows:
            return "<p>None.</p>"
        rows = "".join(
            f"<tr><td>{v.row}</td><td style='text-align:left'><code>{html.escape(v.input[:80])}</code>"
            f"</td><td style='text-align:left'>{html.escape(v.error)}</td></tr>"
            for v in self.invalid_rows
        )
        more = (
            f"<p>... and {self.invalid - len(self.invalid_rows)} more (see the output file).</p>"
            if self.invalid > len(self.invalid_rows)
            else ""
        )
        return (
            f"<table><tr><th>row</th><th>input</th><th>what is wrong</th></tr>{rows}</table>{more}"
        )
