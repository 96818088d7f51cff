"""Word lists and country tables the shipment rules read (``data/hs/terms.yaml``,
``data/hs/countries.yaml``), loaded once and validated."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from interdiction.errors import ReferenceDataError
from interdiction.shipments.hscodes import data_path, read_yaml

__all__ = ["CountryTables", "TermLists", "load_countries", "load_terms"]


@dataclass(frozen=True)
class TermLists:
    """Named term lists with their citations."""

    terms: Mapping[str, tuple[str, ...]]
    citations: Mapping[str, str]

    def get(self, name: str) -> tuple[str, ...]:
        """The terms of one list.

        Raises:
            ReferenceDataError: when the list does not exist.
        """
        try:
            return self.terms[name]
        except KeyError:
            raise ReferenceDataError(
                f"terms.yaml has no list {name!r}; known lists: {', '.join(sorted(self.terms))}."
            ) from None


@dataclass(frozen=True)
class CountryTables:
    """Jurisdiction mapping, lane country sets and phone codes."""

    direct: Mapping[str, str]
    eu_members: frozenset[str]
    otherwise: str
    lanes: Mapping[str, frozenset[str]]
    phone_codes: Mapping[str, tuple[str, ...]]
    jurisdiction_citation: str

    def jurisdiction_of(self, country: str) -> str:
        """Our legal data set for an ISO2 country ("" for an empty country)."""
        if not country:
            return ""
        if country in self.direct:
            return self.direct[country]
        if country in self.eu_members:
            return "eu"
        return self.otherwise

    def phone_countries(self, phone: str) -> tuple[str, ...]:
        """Countries of an international phone number ("+52 ...", "0086 ..."); () when unknown."""
        text = phone.strip()
        if not (text.startswith("+") or text.startswith("00")):
            return ()
        digits = "".join(c for c in text if c.isdigit())
        if text.startswith("00"):
            digits = digits[2:]
        for length in (3, 2, 1):
            countries = self.phone_codes.get(digits[:length])
            if countries:
                return countries
        return ()


@lru_cache(maxsize=4)
def load_terms(path: Path | None = None) -> TermLists:
    """Load the term lists (default: bundled ``data/hs/terms.yaml``).

    Raises:
        ReferenceDataError: a list without a citation or without terms.
    """
    file = path or data_path("hs", "terms.yaml")
    data = read_yaml(file)
    terms: dict[str, tuple[str, ...]] = {}
    citations: dict[str, str] = {}
    for name, row in (data.get("lists") or {}).items():
        if not isinstance(row, dict) or not row.get("citation"):
            raise ReferenceDataError(
                f"{file}: list {name!r} has no citation; add where it comes from."
            )
        values = row.get("terms")
        if not isinstance(values, list) or not values:
            raise ReferenceDataError(f"{file}: list {name!r} needs a non-empty 'terms' list.")
        terms[str(name)] = tuple(str(v) for v in values)
        citations[str(name)] = str(row["citation"]).strip()
    return TermLists(terms=terms, citations=citations)


@lru_cache(maxsize=4)
def load_countries(path: Path | None = None) -> CountryTables:
    """Load the country tables (default: bundled ``data/hs/countries.yaml``).

    Raises:
        ReferenceDataError: when a section is missing or malformed.
    """
    file = path or data_path("hs", "countries.yaml")
    data = read_yaml(file)
    try:
        jurisdictions = data["jurisdictions"]
        lanes = {
            str(name): frozenset(str(c) for c in row["countries"])
            for name, row in data["lanes"].items()
        }
        phone = {str(k): tuple(v) for k, v in data["phone_codes"]["codes"].items()}
        return CountryTables(
            direct={str(k): str(v) for k, v in jurisdictions["direct"].items()},
            eu_members=frozenset(jurisdictions["eu_members"]),
            otherwise=str(jurisdictions["otherwise"]),
            lanes=lanes,
            phone_codes=phone,
            jurisdiction_citation=" ".join(str(jurisdictions["citation"]).split()),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ReferenceDataError(
            f"{file}: missing or malformed section ({exc!r}); compare with the bundled countries.yaml."
        ) from exc
