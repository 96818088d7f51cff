"""Legal data: which substances each jurisdiction lists, since when, under which clause."""

from __future__ import annotations

from interdiction.regulations.load import default_directory, load_regulations
from interdiction.regulations.model import (
    COVERS,
    ENTRY_KINDS,
    JURISDICTIONS,
    Citation,
    CoverageChange,
    Entry,
    EntryKind,
    Jurisdiction,
    Status,
)
from interdiction.regulations.names import normalise_name
from interdiction.regulations.registry import PendingItem, Regulations
from interdiction.regulations.timeline import (
    JurisdictionHistory,
    TimelineEvent,
    entries_for_substance,
    timeline,
)

__all__ = [
    "COVERS",
    "ENTRY_KINDS",
    "JURISDICTIONS",
    "Citation",
    "CoverageChange",
    "Entry",
    "EntryKind",
    "Jurisdiction",
    "JurisdictionHistory",
    "PendingItem",
    "Regulations",
    "Status",
    "TimelineEvent",
    "default_directory",
    "entries_for_substance",
    "load_regulations",
    "normalise_name",
    "timeline",
]
