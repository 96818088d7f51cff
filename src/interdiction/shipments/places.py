"""Countries of ports and airports written as codes in route columns.

Manifests name places by code: UN/LOCODEs in customs and ocean data ("CNSHA", "KRPUS", "CN SHA";
UNECE Recommendation 16: the first two letters are the ISO 3166-1 country) and IATA airport codes
in air waybill routings ("CAN-ICN-LAX"). Reading them gives the route rules the countries a
consignment passes: "KRPUS" as a transshipment port puts KR on the route. A place written as a name
("Shanghai", "Long Beach, CA") gives no country here: "CA" is California, not Canada.

Codes and their sources: ``data/mappings/place_codes.yaml``; airports from the airportsdata package,
loaded once per process and only when a cell looks like a code.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from typing import Any

import airportsdata
import yaml

__all__ = ["merge_routes", "port_country", "ports_countries"]

# "CNSHA", "CN SHA", "USLA2"; a code may close a name: "Shanghai (CNSHA)", "Pudong (PVG)".
_LOCODE = re.compile(r"([A-Z]{2}) ?([A-Z2-9]{3})")
_IATA = re.compile(r"[A-Z]{3}")
_BRACKETED = re.compile(r".*\(\s*([A-Z]{2} ?[A-Z2-9]{3}|[A-Z]{3})\s*\)")
# Place words in airport names and cities ("GENOVA", "LAGOS", "TOKYO") that would otherwise read
# as LOCODEs of another country (GE Georgia, LA Laos, TO Tonga).
_WORD = re.compile(r"[A-Z]+")

CountryOf = Callable[[str], str | None]


@lru_cache(maxsize=1)
def _iata() -> dict[str, Any]:
    # The airport table, parsed once per process for both look-ups below.
    return dict(airportsdata.load("IATA"))


@lru_cache(maxsize=1)
def _airports() -> dict[str, str]:
    # IATA code -> ISO 3166-1 alpha-2 (airportsdata gives "country" as alpha-2).
    return {code: airport["country"] for code, airport in _iata().items()
            if len(airport["country"]) == 2}  # fmt: skip


@lru_cache(maxsize=1)
def _place_words() -> frozenset[str]:
    words: set[str] = set()
    for airport in _iata().values():
        for text in (airport["city"], airport["name"], airport["subd"]):
            words.update(_WORD.findall(_ascii_upper(text)))
    return frozenset(w for w in words if len(w) == 5)


@lru_cache(maxsize=1)
def _not_places() -> frozenset[str]:
    path = resources.files("interdiction") / "data" / "mappings" / "place_codes.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return frozenset(entry["code"] for entry in data["not_places"])


def _ascii_upper(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.upper())
    return "".join(c for c in decomposed if c.isascii())


def port_country(text: str, *, country_of: CountryOf, single: bool = True) -> str:
    """ISO 3166-1 alpha-2 country of one port/airport code; ``""`` when the text is no code we know.

    Args:
        text: one cell or leg as declared ("KRPUS", "CN SHA", "ICN", "Shanghai (CNSHA)").
        country_of: the project's country reader (``normalise.parse_country``): it says which
            two-letter prefixes are ISO codes and which words are country names ("CHINA").
        single: the cell holds this one place. A lone "CAN" or "FRA" may mean Canada or France,
            so an ISO alpha-3 country code whose airport lies in another country gives nothing;
            in a chain ("CAN-ICN-LAX") every leg is an airport.

    Returns:
        an ISO code, or ``""``; never raises.
    """
    code = text.strip()
    bracketed = _BRACKETED.fullmatch(code)
    if bracketed:
        code = bracketed.group(1)
    if not code or code in _not_places():
        return ""
    if len(code) == 3 and _IATA.fullmatch(code):
        country = _airports().get(code, "")
        if single and country and country_of(code) not in (None, country):
            return ""
        return country
    locode = _LOCODE.fullmatch(code)
    if locode is None or country_of(locode.group(1)) != locode.group(1):
        return ""
    if (
        " " not in code
        and code.isalpha()
        and (country_of(code) is not None or code in _place_words())
    ):
        # "CHINA", "GENOVA"-style words are names, not codes (CH is Switzerland).
        return ""
    return locode.group(1)


def ports_countries(text: str, *, country_of: CountryOf) -> str:
    """Countries of a ';'-separated list of ports/airports, in order, ';'-separated.

    Unknown legs are skipped and a country repeated by consecutive legs is given once
    ("CAN;PEK;ICN" -> "CN;KR").
    """
    legs = [leg for leg in text.split(";") if leg.strip()]
    countries: list[str] = []
    for leg in legs:
        country = port_country(leg, country_of=country_of, single=len(legs) == 1)
        if country and (not countries or countries[-1] != country):
            countries.append(country)
    return ";".join(countries)


def merge_routes(declared: str, loading: str, transit: str, discharge: str) -> str:
    """Declared routing countries with the countries of the port codes added in order.

    All are ';'-separated ISO codes. The loading country leads and the discharge country closes
    the route when the declaration lacks them; a transit country goes after the previous port
    country on the route, else after the first declared country ("CN;MX" with transit "KR" ->
    "CN;KR;MX").
    """
    route = [c for c in declared.split(";") if c]
    if loading and loading not in route:
        route.insert(0, loading)
    if discharge and discharge not in route:
        route.append(discharge)
    after = route.index(loading) if loading else (0 if len(route) >= 2 else -1)
    for country in (c for c in transit.split(";") if c):
        if country in route[after + 1 :]:
            after = route.index(country, after + 1)
        elif country not in route:
            route.insert(after + 1, country)
            after += 1
    return ";".join(route)
