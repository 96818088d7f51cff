"""A substance's legal status per jurisdiction over time.

Rather than re-stating the law, the timeline asks the same engine that gives verdicts: it
evaluates the structure on every date where any entry or class definition starts or ends, and
reports each change. So the history can never disagree with ``interdiction check --as-of``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from typing import Any

import yaml

from interdiction.regulations.model import JURISDICTIONS
from interdiction.substances.identify import canonical_smiles
from interdiction.substances.legal import assess
from interdiction.substances.resolve import resolve
from interdiction.substances.screen import get_screener
from interdiction.substances.standardise import standardise

__all__ = [
    "HistoryEvent",
    "SubstanceHistory",
    "substance_history",
    "format_history",
    "history_json",
]

_BEGINNING = date(1900, 1, 1)


@dataclass(frozen=True)
class HistoryEvent:
    """From ``date`` on, the substance had ``status`` in ``jurisdiction`` on this basis."""

    jurisdiction: str
    date: date
    status: str
    basis: str
    category: str
    citation: str


@dataclass(frozen=True)
class SubstanceHistory:
    """The timeline of one substance, oldest first per jurisdiction."""

    query: str
    name: str
    smiles: str
    events: tuple[HistoryEvent, ...]


def _dates_in(node: Any) -> Iterator[date]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("effective_from", "effective_to") and value:
                day = value if isinstance(value, date) else date.fromisoformat(str(value))
                # A control that ends on day X no longer applies on X + 1.
                yield day if key == "effective_from" else day + timedelta(days=1)
            else:
                yield from _dates_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from _dates_in(item)


def _change_dates() -> list[date]:
    screener = get_screener()
    # Entry starts, ends and coverage changes (e.g. US 4-AP halides from 2023-11-30).
    days: set[date] = set(screener.regulations.change_dates())
    classes = resources.files("interdiction") / "data" / "classes"
    if classes.is_dir():
        for item in classes.iterdir():
            if item.name.endswith((".yaml", ".yml")):
                days.update(_dates_in(yaml.safe_load(item.read_text(encoding="utf-8"))))
    return sorted(d for d in days if d <= date.today())


def substance_history(query: str) -> SubstanceHistory:
    """Status changes of the substance named by ``query`` in every jurisdiction.

    Raises:
        InputError: when the query cannot be resolved to a structure.
    """
    screener = get_screener()
    resolved = resolve(query, names=screener.regulations)
    parent = standardise(resolved.mol).mol
    events: list[HistoryEvent] = []
    last: dict[str, tuple[str, str]] = {}
    name = resolved.name
    for day in [_BEGINNING, *_change_dates()]:
        result = assess(parent, on=day, index=screener.index)
        name = name or result.name
        for verdict in result.jurisdictions:
            state = (verdict.status, verdict.basis)
            if last.get(verdict.jurisdiction) == state:
                continue
            if verdict.jurisdiction not in last and verdict.status == "not-listed":
                last[verdict.jurisdiction] = state
                continue
            last[verdict.jurisdiction] = state
            citation = verdict.reasons[0].citation if verdict.reasons else ""
            events.append(
                HistoryEvent(
                    verdict.jurisdiction,
                    day,
                    verdict.status,
                    verdict.basis,
                    verdict.category,
                    citation,
                )
            )
    order = {j: i for i, j in enumerate(JURISDICTIONS)}
    events.sort(key=lambda e: (order[e.jurisdiction], e.date))
    return SubstanceHistory(query, name, canonical_smiles(parent), tuple(events))


def format_history(history: SubstanceHistory) -> str:
    """Readable timeline: one block per jurisdiction."""
    lines = [f"{history.name or history.query}  ({history.smiles})", ""]
    for j in JURISDICTIONS:
        events = [e for e in history.events if e.jurisdiction == j]
        lines.append(f"{j.upper()}:")
        if not events:
            lines.append("  never listed (as far as the bundled data goes)")
        for e in events:
            what = (
                f"{e.status}"
                + (f" as {e.category}" if e.category else "")
                + (f" [{e.basis}]" if e.basis else "")
            )
            lines.append(f"  {e.date.isoformat()}  {what}")
            if e.citation:
                lines.append(f"              {e.citation}")
    return "\n".join(lines)


def history_json(history: SubstanceHistory) -> dict[str, Any]:
    """The timeline as plain JSON-ready data."""
    return {
        "query": history.query,
        "name": history.name,
        "smiles": history.smiles,
        "events": [
            {
                "jurisdiction": e.jurisdiction,
                "date": e.date.isoformat(),
                "status": e.status,
                "basis": e.basis,
                "category": e.category,
                "citation": e.citation,
            }
            for e in history.events
        ],
    }
