"""Typed records of listed parties (sanctions and watch lists) and of match results.

The contract between the list loaders/store (``parties.loaders``, ``parties.store``) and the
matcher (``parties.matcher``), and what shipments screening reads.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

__all__ = [
    "NameKind",
    "EntityKind",
    "ListedName",
    "Identifier",
    "Address",
    "ListedEntity",
    "PartyMatch",
]

NameKind = Literal["primary", "aka", "fka", "nka", "weak-aka", "original-script"]
EntityKind = Literal["person", "organisation", "vessel", "aircraft", "unknown"]


@dataclass(frozen=True)
class ListedName:
    """One name of a listed entity as the list writes it (primary, alias, weak alias...)."""

    name: str
    kind: NameKind = "primary"


@dataclass(frozen=True)
class Identifier:
    """An identifier from the list, e.g. ("uscc", "91130104MA09YL9T2W", "China").

    ``type`` is a normalised lower-case label: uscc, rfc, curp, passport, national-id,
    registration, tax-id, email, phone, website, crypto, imo, other.
    """

    type: str
    value: str
    country: str = ""


@dataclass(frozen=True)
class Address:
    """A postal address as listed (free text parts) with its country."""

    street: str = ""
    city: str = ""
    country: str = ""


@dataclass(frozen=True)
class ListedEntity:
    """One entity of one list version.

    Attributes:
        source: list code, e.g. "ofac-sdn", "un", "uk", "watchlist".
        entity_id: the list's own id (OFAC ent_num as text, UN DATAID, UK Unique ID ...).
        kind: person / organisation / vessel / aircraft / unknown.
        names: primary name first, then aliases.
        programs: sanctions programmes, e.g. ("SDNTK", "ILLICIT-DRUGS-EO14059").
        countries: countries from addresses, nationality, citizenship.
        dates_of_birth: as written ("28 Jun 1973", "1973", "circa 1960").
        places_of_birth: as written.
        identifiers: USCC, RFC, CURP, passports, e-mails, phones, websites ...
        addresses: postal addresses.
        linked_to: names of other listed entries given by "Linked To:".
        remarks: the raw remarks text, kept whole.
        gender: as listed ("Male", "Female"), empty when not given.
        listed_on: designation date as the list writes it, empty when not given.
    """

    source: str
    entity_id: str
    kind: EntityKind
    names: tuple[ListedName, ...]
    programs: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    dates_of_birth: tuple[str, ...] = ()
    places_of_birth: tuple[str, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    addresses: tuple[Address, ...] = ()
    linked_to: tuple[str, ...] = ()
    remarks: str = ""
    gender: str = ""
    listed_on: str = ""

    @property
    def primary_name(self) -> str:
        """The list's primary name."""
        return self.names[0].name if self.names else ""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (tuples become lists); ``from_dict`` reverses it."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ListedEntity:
        """Rebuild an entity from ``to_dict`` output; missing optional keys take defaults."""
        return cls(
            source=str(data["source"]),
            entity_id=str(data["entity_id"]),
            kind=data["kind"],
            names=tuple(
                ListedName(str(n["name"]), n.get("kind", "primary")) for n in data["names"]
            ),
            programs=tuple(data.get("programs", ())),
            countries=tuple(data.get("countries", ())),
            dates_of_birth=tuple(data.get("dates_of_birth", ())),
            places_of_birth=tuple(data.get("places_of_birth", ())),
            identifiers=tuple(Identifier(**i) for i in data.get("identifiers", ())),
            addresses=tuple(Address(**a) for a in data.get("addresses", ())),
            linked_to=tuple(data.get("linked_to", ())),
            remarks=str(data.get("remarks", "")),
            gender=str(data.get("gender", "")),
            listed_on=str(data.get("listed_on", "")),
        )


@dataclass(frozen=True)
class PartyMatch:
    """One candidate for a screened name, with the reasons it matched.

    Attributes:
        score: 0..1, higher is more certain.
        source: list code of the entity.
        entity_id: list id of the entity (OFAC ent_num for OFAC).
        matched_name: the listed name or alias that matched best.
        primary_name: the entity's primary name.
        explanation: the parts that matched, in plain words.
        programs: the entity's programmes.
    """

    score: float
    source: str
    entity_id: str
    matched_name: str
    primary_name: str
    explanation: str
    programs: tuple[str, ...] = field(default=())
