"""Per-jurisdiction legal history of one substance, read straight from the data files."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from interdiction.errors import InputError
from interdiction.regulations.model import JURISDICTIONS, Citation, Entry
from interdiction.regulations.registry import Regulations
from interdiction.substances.cas import looks_like_cas

__all__ = ["EventKind", "TimelineEvent", "JurisdictionHistory", "timeline", "entries_for_substance"]

EventKind = Literal["listed", "coverage-added", "amended", "ended"]
_ORDER: dict[EventKind, int] = {"listed": 0, "coverage-added": 1, "amended": 2, "ended": 3}


@dataclass(frozen=True)
class TimelineEvent:
    """One dated change in a substance's legal status.

    Attributes:
        date: the day the change applies ("ended": the last day the control applied).
        jurisdiction: one of JURISDICTIONS.
        kind: "listed", "coverage-added", "amended" (a remark such as a specific listing or a
            name correction) or "ended".
        entry_id: the data-file entry the event comes from.
        category: the legal category of that entry.
        description: one line for people.
        citation: the instrument behind the event.
    """

    date: date
    jurisdiction: str
    kind: EventKind
    entry_id: str
    category: str
    description: str
    citation: Citation


@dataclass(frozen=True)
class JurisdictionHistory:
    """The events of one jurisdiction, oldest first."""

    jurisdiction: str
    events: tuple[TimelineEvent, ...]


def _events(entry: Entry) -> list[TimelineEvent]:
    covers = entry.covers_on(entry.effective_from)
    listed = f"listed as {entry.name} ({entry.category})" + (
        f", with its {', '.join(covers)}" if covers else ""
    )
    events = [
        TimelineEvent(
            entry.effective_from,
            entry.jurisdiction,
            "listed",
            entry.id,
            entry.category,
            listed,
            entry.citation,
        )
    ]
    for change in entry.coverage_added:
        events.append(
            TimelineEvent(
                change.effective_from,
                entry.jurisdiction,
                "coverage-added",
                entry.id,
                entry.category,
                f"coverage widened to its {', '.join(change.covers)}",
                change.citation,
            )
        )
    for day, remark in entry.history:
        events.append(
            TimelineEvent(
                day, entry.jurisdiction, "amended", entry.id, entry.category, remark, entry.citation
            )
        )
    if entry.effective_to is not None:
        events.append(
            TimelineEvent(
                entry.effective_to,
                entry.jurisdiction,
                "ended",
                entry.id,
                entry.category,
                f"{entry.category} listing ended (last day in force)",
                entry.citation,
            )
        )
    return events


def timeline(entries: Iterable[Entry]) -> tuple[JurisdictionHistory, ...]:
    """Group the events of the given entries (one substance) by jurisdiction, sorted by date.

    Args:
        entries: the entries for one substance, e.g. from ``entries_for_substance``.

    Returns:
        One history per jurisdiction that has events, in the order us cn un eu ca mx uk.
    """
    by_jurisdiction: dict[str, list[TimelineEvent]] = {}
    for entry in entries:
        by_jurisdiction.setdefault(entry.jurisdiction, []).extend(_events(entry))
    return tuple(
        JurisdictionHistory(
            j, tuple(sorted(by_jurisdiction[j], key=lambda e: (e.date, _ORDER[e.kind], e.entry_id)))
        )
        for j in JURISDICTIONS
        if j in by_jurisdiction
    )


def entries_for_substance(regulations: Regulations, query: str) -> tuple[Entry, ...]:
    """All entries for the substance named by ``query`` (a name, abbreviation or CAS number),
    widened to every entry with the same structure, so a jurisdiction that uses another name
    still appears.

    Raises:
        InputError: when no entry has that name or CAS number.
    """
    found = (
        regulations.find_by_cas(query) if looks_like_cas(query) else regulations.find_by_name(query)
    )
    if not found:
        raise InputError(
            f"{query!r} is not the name, abbreviation or CAS number of a listed substance; "
            "try another synonym, or check the structure with `interdiction check`."
        )
    keys = {regulations.structure_key(e.id) for e in found}
    widened = [e for key in sorted(keys) for e in regulations.find_by_structure_key(key)]
    return tuple(dict.fromkeys([*found, *widened]))
