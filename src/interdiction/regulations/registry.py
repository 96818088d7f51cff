"""The loaded legal lists of every jurisdiction, with look-ups by name, CAS number and structure."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from interdiction.errors import InputError
from interdiction.regulations.model import JURISDICTIONS, Entry
from interdiction.regulations.names import normalise_name
from interdiction.substances.cas import normalise_cas

__all__ = ["PendingItem", "Regulations"]


@dataclass(frozen=True)
class PendingItem:
    """A control the data files name but do not apply, because it is not confirmed yet.

    Attributes:
        jurisdiction: one of JURISDICTIONS.
        name: the substance or instrument concerned.
        reason: what is unconfirmed and what would confirm it.
    """

    jurisdiction: str
    name: str
    reason: str


def _group(pairs: Iterable[tuple[str, Entry]]) -> dict[str, tuple[Entry, ...]]:
    grouped: defaultdict[str, list[Entry]] = defaultdict(list)
    for key, entry in pairs:
        if key and entry not in grouped[key]:
            grouped[key].append(entry)
    return {key: tuple(entries) for key, entries in grouped.items()}


@dataclass(frozen=True)
class Regulations:
    """Every entry of every jurisdiction's data file, in file order (us cn un eu ca mx uk).

    Attributes:
        entries: all entries.
        versions: (jurisdiction, file version) pairs.
        sources: (jurisdiction, file source line) pairs.
        pending: controls named in the files but not applied (unconfirmed).
        structure_keys: (entry id, structure key) pairs; the key is
            ``substances.identify.structure_key`` of the entry's SMILES.
    """

    entries: tuple[Entry, ...]
    versions: tuple[tuple[str, str], ...] = ()
    sources: tuple[tuple[str, str], ...] = ()
    pending: tuple[PendingItem, ...] = ()
    structure_keys: tuple[tuple[str, str], ...] = ()
    _by_name: Mapping[str, tuple[Entry, ...]] = field(init=False, repr=False, compare=False)
    _by_cas: Mapping[str, tuple[Entry, ...]] = field(init=False, repr=False, compare=False)
    _by_key: Mapping[str, tuple[Entry, ...]] = field(init=False, repr=False, compare=False)
    _by_id: Mapping[str, Entry] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id = {entry.id: entry for entry in self.entries}
        keys = dict(self.structure_keys)
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(
            self,
            "_by_name",
            _group((normalise_name(n), e) for e in self.entries for n in e.all_names()),
        )
        object.__setattr__(self, "_by_cas", _group((c, e) for e in self.entries for c in e.cas))
        object.__setattr__(self, "_by_key", _group((keys.get(e.id, ""), e) for e in self.entries))

    def __hash__(self) -> int:
        return hash((self.entries, self.versions))

    def version(self, jurisdiction: str) -> str:
        """Version string of one jurisdiction's data file ("" when it has no file)."""
        return dict(self.versions).get(jurisdiction.lower(), "")

    def get(self, entry_id: str) -> Entry:
        """The entry with this id.

        Raises:
            InputError: when no entry has that id.
        """
        try:
            return self._by_id[entry_id]
        except KeyError:
            raise InputError(
                f"no regulation entry has id {entry_id!r}; ids look like 'us-anpp' "
                "(see interdiction/data/regulations/*.yaml)."
            ) from None

    def for_jurisdiction(self, jurisdiction: str) -> tuple[Entry, ...]:
        """Entries of one jurisdiction ("us", "cn", ...; case-insensitive).

        Raises:
            InputError: for a code outside JURISDICTIONS.
        """
        code = jurisdiction.strip().lower()
        if code not in JURISDICTIONS:
            raise InputError(
                f"unknown jurisdiction {jurisdiction!r}; use one of {', '.join(JURISDICTIONS)}."
            )
        return tuple(e for e in self.entries if e.jurisdiction == code)

    def in_force(self, jurisdiction: str, on: date) -> tuple[Entry, ...]:
        """Entries of one jurisdiction whose control applies on the given day."""
        return tuple(e for e in self.for_jurisdiction(jurisdiction) if e.in_force(on))

    def find_by_name(self, text: str) -> tuple[Entry, ...]:
        """Entries (any jurisdiction) with a name, synonym, abbreviation, Chinese or Spanish
        name equal to ``text``, ignoring case, spaces, hyphens and character width.

        Never raises; unknown text gives an empty tuple.
        """
        key = normalise_name(text)
        return self._by_name.get(key, ()) if key else ()

    def find_by_cas(self, cas_number: str) -> tuple[Entry, ...]:
        """Entries (any jurisdiction) listing this CAS number (free base, salt or hydrate).

        Raises:
            InputError: when the text is not a CAS number or its check digit is wrong.
        """
        return self._by_cas.get(normalise_cas(cas_number), ())

    def find_by_structure_key(self, key: str) -> tuple[Entry, ...]:
        """Entries whose structure has this ``substances.identify.structure_key``."""
        return self._by_key.get(key, ())

    def structure_key(self, entry_id: str) -> str:
        """The structure key of one entry ("" when unknown)."""
        return dict(self.structure_keys).get(entry_id, "")

    def change_dates(self) -> tuple[date, ...]:
        """Every day on which some entry's status or coverage changes, sorted.

        An entry that ends on day X contributes X + 1 (the first day it no longer applies).
        """
        days: set[date] = set()
        for entry in self.entries:
            days.add(entry.effective_from)
            days.update(change.effective_from for change in entry.coverage_added)
            if entry.effective_to is not None:
                days.add(entry.effective_to + timedelta(days=1))
        return tuple(sorted(days))
