"""Parse the Remarks field of OFAC's SDN CSV into dates, places, countries, identifiers and aliases.

Items are separated by "; ", a repeated label takes the prefix "alt.", and the field ends in
".". The label table is data: ``data/lists/ofac_remarks.yaml``. Unknown items are not lost:
the whole remarks text stays on the entity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from interdiction.errors import ReferenceDataError
from interdiction.parties.loaders.common import MAX_NAME_CHARS
from interdiction.parties.loaders.telegraph import decode_telegraph
from interdiction.parties.model import Identifier, ListedName

__all__ = ["ParsedRemarks", "parse_remarks", "identifier_labels"]

_WEAK_ALIAS = re.compile(r"(?i)^(?:a\.k\.a\.|f\.k\.a\.|n\.k\.a\.|d\.b\.a\.)\s*(.*)$")
_ALT_PREFIX = re.compile(r"(?i)^alt\.\s+")
# "G23851362 (China)" and "752790751 (Russia) expires 04 Feb 2026": value, then country.
_TRAILING_COUNTRY = re.compile(r"^(.*?)\s*\(([^()]*)\)(?:\s+(?:expires|issued)\b.*)?$")
_SIMPLE = {
    "dob": "dob",
    "pob": "pob",
    "nationality": "country",
    "citizen": "country",
    "gender": "gender",
}


@dataclass(frozen=True)
class ParsedRemarks:
    """What parse_remarks found in one Remarks text."""

    names: tuple[ListedName, ...] = ()
    linked_to: tuple[str, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    countries: tuple[str, ...] = ()
    dates_of_birth: tuple[str, ...] = ()
    places_of_birth: tuple[str, ...] = ()
    gender: str = ""
    unknown: tuple[str, ...] = ()


@cache
def identifier_labels() -> tuple[tuple[str, str], ...]:
    """(lower-case label, identifier type) pairs from ofac_remarks.yaml, longest label first.

    Raises:
        ReferenceDataError: the file is missing an entry's label, type or citation.
    """
    text = (resources.files("interdiction") / "data" / "lists" / "ofac_remarks.yaml").read_text(
        "utf-8"
    )
    data = yaml.safe_load(text)
    pairs = []
    for number, entry in enumerate(data.get("entries") or [], start=1):
        if not all(entry.get(key) for key in ("label", "type", "citation")):
            raise ReferenceDataError(
                f"ofac_remarks.yaml entry {number}: needs label, type and citation; fix the file."
            )
        pairs.append((str(entry["label"]).lower(), str(entry["type"])))
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


def _split_country(value: str) -> tuple[str, str]:
    match = _TRAILING_COUNTRY.match(value)
    if match and match.group(1):
        return match.group(1).strip(), match.group(2).strip()
    return value.strip(), ""


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].strip()
    return value.strip("'").strip()


def _identifier(item: str) -> Identifier | None:
    lowered = item.lower()
    for label, kind in identifier_labels():
        if not lowered.startswith(label):
            continue
        rest = item[len(label) :]
        if rest and label[-1].isalnum() and rest[0].isalnum():
            continue  # "RFCX..." is not the label "RFC"
        value, country = _split_country(rest.strip(" :#"))
        head, colon, tail = value.partition(": ")
        if colon and head.lower() in label:
            value = tail.strip()  # "Cedula No. Cedula: M-137560" repeats its label
        if kind == "crypto":
            # "Digital Currency Address - XBT 1JPf...": the address is what identifies.
            parts = value.split()
            value = parts[-1] if parts else ""
            country = ""
        else:
            # "Telephone No. 0096..." / "Passport No. A123": the "No." belongs to the label.
            for prefix in ("No.", "No ", "Number "):
                value = value.removeprefix(prefix)
            value = value.strip(" :#")
        if value:
            return Identifier(kind, value, country)
        return None
    return None


def parse_remarks(text: str) -> ParsedRemarks:
    """Split an OFAC Remarks text into its items and read the ones we know.

    Args:
        text: the Remarks field (with its sdn_comments continuation already joined).

    Returns:
        ParsedRemarks; a weak a.k.a. becomes ListedName(kind="weak-aka"), a Chinese
        Commercial Code both an identifier and, when decodable, an original-script name.
    """
    body = text.strip()
    if body.endswith("."):
        body = body[:-1]
    names: list[ListedName] = []
    linked: list[str] = []
    identifiers: list[Identifier] = []
    countries: list[str] = []
    dobs: list[str] = []
    pobs: list[str] = []
    unknown: list[str] = []
    gender = ""
    for raw in body.split("; "):
        item = _ALT_PREFIX.sub("", raw.strip())
        if not item:
            continue
        weak = _WEAK_ALIAS.match(item)
        if weak:
            name = _unquote(weak.group(1))
            if len(name) > MAX_NAME_CHARS:  # corrupt, as in the name columns: kept as unknown
                unknown.append(item)
            elif name:
                names.append(ListedName(name, "weak-aka"))
            continue
        if item.lower().startswith("linked to:"):
            target = item[len("linked to:") :].strip()
            if target:
                linked.append(target)
            continue
        head, _, value = item.partition(" ")
        simple = _SIMPLE.get(head.lower())
        if simple and value.strip():
            value = value.strip()
            if simple == "dob":
                dobs.append(value)
            elif simple == "pob":
                pobs.append(value)
            elif simple == "country":
                countries.append(value)
            else:
                gender = gender or value
            continue
        identifier = _identifier(item)
        if identifier is None:
            unknown.append(item)
            continue
        identifiers.append(identifier)
        if identifier.type == "chinese-commercial-code":
            decoded = decode_telegraph(identifier.value)
            if decoded and len(decoded) <= MAX_NAME_CHARS:
                names.append(ListedName(decoded, "original-script"))
    return ParsedRemarks(
        names=tuple(names),
        linked_to=tuple(linked),
        identifiers=tuple(identifiers),
        countries=tuple(countries),
        dates_of_birth=tuple(dobs),
        places_of_birth=tuple(pobs),
        gender=gender,
        unknown=tuple(unknown),
    )
