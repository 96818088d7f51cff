"""Read the UN Security Council Consolidated List (official XML) into ListedEntity.

Parsed with defusedxml: a file with a DTD, entity declarations or external references is
refused, so no entity expansion ("billion laughs") or external fetch can happen.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeElementTree
from defusedxml import DefusedXmlException

from interdiction.errors import InputFileError
from interdiction.parties.loaders.common import MAX_NAME_CHARS, LoadResult, clean_text, read_bytes
from interdiction.parties.model import (
    Address,
    EntityKind,
    Identifier,
    ListedEntity,
    ListedName,
    NameKind,
)

__all__ = ["load_un"]

_NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
# Individuals' alias QUALITY: "Good" / "Low" (UN's own low-quality flag) / missing;
# entities' QUALITY: "a.k.a." / "f.k.a." / missing.
_ALIAS_KINDS: dict[str, NameKind] = {
    "good": "aka",
    "low": "weak-aka",
    "a.k.a.": "aka",
    "f.k.a.": "fka",
    "n.k.a.": "nka",
    "": "aka",
}


def _text(element: Element | None, tag: str) -> str:
    if element is None:
        return ""
    child = element.find(tag)
    return clean_text(child.text or "") if child is not None else ""


def _values(element: Element, tag: str) -> list[str]:
    return [
        clean_text(v.text or "") for v in element.findall(f"{tag}/VALUE") if (v.text or "").strip()
    ]


def _document_type(text: str) -> str:
    lowered = text.lower()
    for needle, kind in (
        ("passport", "passport"),
        ("national identi", "national-id"),
        ("identity card", "national-id"),
        ("tax", "tax-id"),
        ("registration", "registration"),
    ):
        if needle in lowered:
            return kind
    return "other"


def _birth_dates(record: Element) -> list[str]:
    dates = []
    for dob in record.findall("INDIVIDUAL_DATE_OF_BIRTH"):
        kind = _text(dob, "TYPE_OF_DATE").upper()
        value = _text(dob, "DATE") or _text(dob, "YEAR")
        if not value and _text(dob, "FROM_YEAR"):
            value = f"{_text(dob, 'FROM_YEAR')}-{_text(dob, 'TO_YEAR')}".rstrip("-")
        if value:
            dates.append(f"circa {value}" if kind == "APPROXIMATELY" else value)
    return dates


def _entity(record: Element, person: bool) -> tuple[ListedEntity | None, str]:
    data_id = _text(record, "DATAID")
    if person:
        name = " ".join(p for p in (_text(record, tag) for tag in _NAME_PARTS) if p)
    else:
        name = _text(record, "FIRST_NAME")
    if not data_id:
        return None, "record without DATAID; skipped"
    if not name:
        return None, f"DATAID {data_id}: empty name; skipped"
    if len(name) > MAX_NAME_CHARS:
        return None, f"DATAID {data_id}: name of {len(name)} characters; skipped"
    names = [ListedName(name, "primary")]
    original = _text(record, "NAME_ORIGINAL_SCRIPT")
    if original and len(original) <= MAX_NAME_CHARS:  # over-long: corrupt, left out like aliases
        names.append(ListedName(original, "original-script"))
    alias_tag = "INDIVIDUAL_ALIAS" if person else "ENTITY_ALIAS"
    for alias in record.findall(alias_tag):
        alias_name = _text(alias, "ALIAS_NAME")
        if alias_name and len(alias_name) <= MAX_NAME_CHARS:
            quality = _text(alias, "QUALITY").lower()
            names.append(ListedName(alias_name, _ALIAS_KINDS.get(quality, "aka")))
    addresses = []
    address_tag = "INDIVIDUAL_ADDRESS" if person else "ENTITY_ADDRESS"
    for address in record.findall(address_tag):
        street = _text(address, "STREET")
        city = ", ".join(p for p in (_text(address, "CITY"), _text(address, "STATE_PROVINCE")) if p)
        country = _text(address, "COUNTRY")
        if street or city or country:
            addresses.append(Address(street, city, country))
    identifiers = []
    reference = _text(record, "REFERENCE_NUMBER")
    if reference:
        identifiers.append(Identifier("un-reference", reference))
    for document in record.findall("INDIVIDUAL_DOCUMENT"):
        number = _text(document, "NUMBER")
        if number:
            country = _text(document, "ISSUING_COUNTRY") or _text(document, "COUNTRY_OF_ISSUE")
            identifiers.append(
                Identifier(_document_type(_text(document, "TYPE_OF_DOCUMENT")), number, country)
            )
    places = []
    for place in record.findall("INDIVIDUAL_PLACE_OF_BIRTH"):
        text = ", ".join(
            p for p in (_text(place, t) for t in ("CITY", "STATE_PROVINCE", "COUNTRY")) if p
        )
        if text:
            places.append(text)
    countries = [*_values(record, "NATIONALITY"), *(a.country for a in addresses)]
    kind: EntityKind = "person" if person else "organisation"
    list_type = _text(record, "UN_LIST_TYPE")
    return (
        ListedEntity(
            source="un",
            entity_id=data_id,
            kind=kind,
            names=tuple(dict.fromkeys(names)),
            programs=(list_type,) if list_type else (),
            countries=tuple(dict.fromkeys(c for c in countries if c)),
            dates_of_birth=tuple(dict.fromkeys(_birth_dates(record))),
            places_of_birth=tuple(dict.fromkeys(places)),
            identifiers=tuple(dict.fromkeys(identifiers)),
            addresses=tuple(dict.fromkeys(addresses)),
            remarks=_text(record, "COMMENTS1"),
            gender=_text(record, "GENDER"),
            listed_on=_text(record, "LISTED_ON"),
        ),
        "",
    )


def _parse(path: Path) -> Element:
    data = read_bytes(path)
    try:
        root: Element = SafeElementTree.fromstring(
            data, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException as exc:
        raise InputFileError(
            f"{path}: refused unsafe XML ({type(exc).__name__}: a DTD, entity declaration or "
            "external reference). The official UN list has none; download it again from the UN."
        ) from exc
    except LookupError as exc:
        raise InputFileError(
            f"{path}: the XML declaration names an encoding Python does not know ({exc}); the "
            "official UN list is UTF-8. Download it again, or fix the encoding in its first line."
        ) from exc
    except (ParseError, ValueError) as exc:
        raise InputFileError(
            f"{path}: not well-formed XML ({exc}); the file looks truncated or corrupt. "
            "Download it again."
        ) from exc
    if root.tag != "CONSOLIDATED_LIST":
        raise InputFileError(
            f"{path}: root element is <{root.tag[:40]}>, expected <CONSOLIDATED_LIST>; "
            "this is not the UN consolidated list XML."
        )
    return root


def load_un(paths: Sequence[Path]) -> LoadResult:
    """Read one or more UN consolidated list XML files (normally one).

    Args:
        paths: XML files, or folders holding ``consolidated.xml`` (or any single ``*.xml``).

    Returns:
        LoadResult with one entity per INDIVIDUAL and ENTITY record.

    Raises:
        InputFileError: a file is missing, unsafe (DTD, entities), not well-formed, or not
            the UN list.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(path.glob("*.xml"))
            if len(found) != 1:
                raise InputFileError(
                    f"{path}: expected exactly one .xml file in the folder, found {len(found)}; "
                    "give the file itself."
                )
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise InputFileError(f"{path} does not exist. Check the path.")
    entities: list[ListedEntity] = []
    problems: list[str] = []
    rejected = 0
    seen: set[str] = set()
    for path in files:
        root = _parse(path)
        records = [(r, True) for r in root.iterfind("INDIVIDUALS/INDIVIDUAL")]
        records += [(r, False) for r in root.iterfind("ENTITIES/ENTITY")]
        for number, (record, person) in enumerate(records, start=1):
            entity, problem = _entity(record, person)
            if entity is None:
                rejected += 1
                problems.append(f"{path.name} record {number}: {problem}")
            elif entity.entity_id in seen:
                problems.append(
                    f"{path.name} record {number}: DATAID {entity.entity_id} repeated; skipped"
                )
            else:
                seen.add(entity.entity_id)
                entities.append(entity)
    return LoadResult(
        source="un",
        entities=tuple(entities),
        problems=tuple(problems),
        rejected_rows=rejected,
        files=tuple(files),
    )
