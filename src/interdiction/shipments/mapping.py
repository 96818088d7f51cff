"""Which input header feeds which canonical column: user mapping files and vendor header recognition.

Order of precedence for each canonical column:

1. the user's ``--mapping`` file (``canonical_name: "Their Header"`` or a list of headers);
2. a header that already is the canonical name (``shipper_name``, ``Shipper Name``);
3. a known vendor header from ``data/mappings/vendor_headers.yaml`` (Panjiva, AMS, CN 23 ...);
4. a header in Spanish, Portuguese or Chinese, or a party header made of a role and a field
   ("sellerCompany", "Domicilio remitente", "收货人地址"), from ``data/mappings/header_words.yaml``.

Headers are compared after folding case and punctuation, so ``"Port of Loading (F)"`` meets
``port_of_loading_f``, and then as words: camelCase and snake_case split, accents folded and
articles dropped, so ``"totalPriceUsd"`` meets ``"Total Price"`` and ``"Descripcion mercancia"``
meets ``"Descripción de la mercancía"``. Headers that feed no canonical column are kept as
pass-through input fields and appear in the outputs unchanged; one file-level note names them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from interdiction.errors import ConfigError, InputFileError, ReferenceDataError
from interdiction.shipments.records import (
    MODES,
    RECORD_COLUMNS,
    REQUIRED_COLUMNS,
    RESULT_LEAD_COLUMNS,
)

__all__ = [
    "HELPER_COLUMNS",
    "ColumnMapping",
    "HeaderResolution",
    "fold_header",
    "header_currency",
    "header_key",
    "header_row_score",
    "names_goods",
    "load_mapping",
    "resolve_headers",
    "unit_suffix",
    "vendor_mapping",
]

# Columns a reader may fill that are not part of the record but help parse it:
# AMS gives `weight` in `weight_unit` (K, L, T), so the unit decides the kilogram figure;
# order books give the CAS number in its own column ("CAS No."), which the goods rules must
# read with the marks ("CAS 125541-22-2"); web-shop exports split a buyer's name in first and last
# name, which make the consignee name when no company name is given (a person: RF-B2, RF-C4), or
# give a buyer's company and person name apart ("buyerCompany", "buyerName": the person names the
# consignee where the company is blank); AMS gives a place of receipt before the port of loading
# (its country leads the route); a booking list gives a party's "contact" cell, an e-mail address
# or a phone number, read as such where the party has no e-mail or phone column. An express
# manifest's "Origin" and "Dest" hold station codes ("HKG", "DFW") where other exports hold
# countries: the values decide whether they are ports or countries. A final destination written
# as a place ("Guadalajara, MX") gives its country. A Chinese declaration's 运抵国 (country of
# arrival) is a country on the route when the goods go on elsewhere, and its 规格型号
# (specification) names the substance behind a generic 商品名称, so it is read with the goods.
# A web-shop export names the buyer's billing company and name (the consignee where the
# shipping company and name are blank), splits the shipping address in parts (joined into the
# consignee address), gives a line item's unit price (times its quantity, the line's value) and
# an order name ("#1025") repeated on each line item of an order.
# Helper headers are also kept as pass-through fields.
HELPER_COLUMNS: tuple[str, ...] = (
    "gross_weight_unit",
    "cas_number",
    "consignee_first_name",
    "consignee_last_name",
    "consignee_person_name",
    "place_of_receipt",
    "shipper_contact",
    "consignee_contact",
    "notify_contact",
    "origin_place",
    "destination_place",
    "final_destination",
    "arrival_country",
    "specification",
    "billing_company",
    "billing_name",
    "consignee_address_2",
    "consignee_city",
    "consignee_province",
    "consignee_postcode",
    "line_item_price",
    "order_name",
)
_MAPPABLE = frozenset(RECORD_COLUMNS) | frozenset(HELPER_COLUMNS)
_NOT_MAPPABLE = frozenset({"source_file", "source_row"})
_FOLD = re.compile(r"[^0-9a-z\u00c0-\uffff]+")


# Flattened JSON headers ("consignor.address.country"): leading parts may be dropped to meet an
# alias ("goodsItem.grossMass" -> "Gross Mass"), but never a party part, or "consignor.email"
# would feed the consignee's "Email"; the party part is kept with the last parts instead
# ("consignorcountry"). A qualifier leaf is dropped ("placeOfLoading.unlocode" -> "Place of
# Loading", "consignor.name" -> "Consignor").
_PARTY_PARTS = frozenset(
    {
        "consignor", "consignee", "shipper", "exporter", "importer", "buyer", "seller", "vendor",
        "supplier", "customer", "notify", "notifyparty", "sender", "recipient", "addressee",
        "declarant", "representative", "carrier", "forwarder", "billing", "shipping",
    }
)  # fmt: skip
# "(kg)", "[lbs]", "(in kg)", "(USD)" at the end of a header.
_UNIT_SUFFIX = re.compile(r"\s*[(\[]\s*(?:in\s+)?([A-Za-z]{1,6})\s*[)\]]\s*$")
_QUALIFIER_LEAVES = frozenset(
    {"name", "unlocode", "code", "description", "amount", "value", "text"}
)
# "totalPriceUsd", "Peso bruto kg": a last word that is a currency code or kilograms (the unit
# weights are read in anyway) is dropped to meet the alias ("Total Price", "Peso bruto").
_WEIGHT_WORDS = frozenset({"kg", "kgs"})
# Word boundaries inside camelCase: "buyerCompany" -> "buyer Company", "CASNumber" -> "CAS Number".
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_WORD = re.compile(r"[^\W_]+")
# Shown at most in the note on unread columns; the rest are counted.
_MAX_LISTED = 12


def fold_header(header: str) -> str:
    """Fold a header for comparison: lower case, punctuation and spaces removed.

    Example: ``"Port of Loading (F)"`` and ``"port_of_loading_f"`` both give ``"portofloadingf"``.
    """
    return _FOLD.sub("", str(header).casefold())


def header_key(header: str) -> str:
    """Fold a header into its words: camelCase and snake_case split, accents and case folded,
    articles and prepositions (``header_words.yaml`` stop words) dropped, words joined.

    Example: ``"Descripción de la mercancía"``, ``"DESCRIPCION_MERCANCIA"`` and
    ``"descripcionMercancia"`` all give ``"descripcionmercancia"``; ``"收货人地址"`` stays whole.
    """
    stop = _stop_words()
    return "".join(word for word in _header_words(header) if word not in stop)


def _header_words(header: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", _CAMEL.sub(" ", str(header)).casefold())
    return _WORD.findall("".join(c for c in decomposed if not unicodedata.combining(c)))


def _key_forms(header: str) -> list[str]:
    """header_key of a file's header, then without a last currency or kilogram word."""
    stop = _stop_words()
    words = [word for word in _header_words(header) if word not in stop]
    forms = ["".join(words)]
    if len(words) > 1 and (words[-1] in _currencies() or words[-1] in _WEIGHT_WORDS):
        forms.append("".join(words[:-1]))
    return forms


@lru_cache(maxsize=1)
def _currencies() -> frozenset[str]:
    from babel.numbers import list_currencies  # ISO 4217 codes, from CLDR

    return frozenset(code.casefold() for code in list_currencies())


def unit_suffix(header: str) -> tuple[str, str]:
    """Split a unit or currency written at the end of a header: "Net weight (kg)" -> ("Net
    weight", "kg"), "Value [USD]" -> ("Value", "usd"); ("header", "") when there is none.

    The bare header then meets its alias, and a weight header's unit converts the weights.
    """
    match = _UNIT_SUFFIX.search(str(header))
    if match is None or not match.start():
        return str(header), ""
    return str(header)[: match.start()], match.group(1).casefold()


def header_currency(header: str) -> str:
    """The ISO 4217 code a value header names at its end ("Declared Value (USD)",
    "totalPriceUsd", "Valor factura USD" -> "USD"); ``""`` when it names none."""
    bare, unit = unit_suffix(header)
    if unit and unit in _currencies():
        return unit.upper()
    words = _header_words(bare)
    if len(words) > 1 and words[-1] in _currencies():
        return words[-1].upper()
    return ""


def _path_folds(header: str) -> list[str]:
    """Extra folded forms of a flattened JSON header ``a.b.c``, most specific first."""
    parts = [fold_header(part) for part in str(header).split(".")]
    parts = [part for part in parts if part]
    if len(parts) < 2:
        return []
    forms: list[str] = []
    roles = [i for i, part in enumerate(parts[:-1]) if part in _PARTY_PARTS]
    if roles:
        role = roles[-1]
        forms.extend(parts[role] + "".join(parts[j:]) for j in range(role + 1, len(parts)))
    for k in range(1, len(parts)):
        if any(part in _PARTY_PARTS for part in parts[:k]):
            break
        if k < len(parts) - 1 or parts[-1] not in _QUALIFIER_LEAVES:
            forms.append("".join(parts[k:]))  # a bare "amount" or "code" says nothing
    if parts[-1] in _QUALIFIER_LEAVES:
        parent = ".".join(parts[:-1])
        forms.extend([parent.replace(".", ""), *_path_folds(parent)])
    return [form for form in dict.fromkeys(forms) if form != "".join(parts)]


@dataclass(frozen=True)
class ColumnMapping:
    """Candidate input headers for each canonical column, best first."""

    columns: Mapping[str, tuple[str, ...]]
    origin: str


@dataclass(frozen=True)
class HeaderResolution:
    """How one file's headers were understood.

    Attributes:
        columns: canonical (or helper) column -> the file's header that feeds it.
        extras: file headers passed through unchanged -> output name (renamed only when the
            name would collide with an output column, e.g. ``risk_score`` -> ``input_risk_score``).
        notes: things the user should know (a mapped header absent from this file, the
            columns no rule reads ...).
        implied_modes: file header -> mode its filled cells imply when the file has no mode
            column ("Vessel Name" -> "sea").
    """

    columns: Mapping[str, str]
    extras: Mapping[str, str]
    notes: tuple[str, ...] = field(default=())
    implied_modes: Mapping[str, str] = field(default_factory=dict)


def load_mapping(path: Path) -> ColumnMapping:
    """Read a user's column-mapping YAML file.

    The file maps canonical column names to the user's headers, e.g.::

        description: "Item text"
        consignee_name: ["Buyer", "Ship-to name"]

    (optionally nested under a ``columns:`` key).

    Raises:
        ConfigError: the file is missing, not YAML, or names a column we do not know.
    """
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"mapping file {path} does not exist; check the --mapping path.") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"mapping file {path} is not readable YAML ({exc}); write lines like "
            'description: "Item text".'
        ) from exc
    if isinstance(data, dict) and isinstance(data.get("columns"), dict):
        data = data["columns"]
    if not isinstance(data, dict):
        raise ConfigError(
            f"mapping file {path} must be a YAML mapping of canonical column to your header, "
            'e.g. description: "Item text".'
        )
    columns: dict[str, tuple[str, ...]] = {}
    for key, value in data.items():
        name = str(key)
        if name not in _MAPPABLE or name in _NOT_MAPPABLE:
            expected = ", ".join(sorted(_MAPPABLE - _NOT_MAPPABLE))
            raise ConfigError(
                f"mapping file {path}: unknown column {name!r}. Expected one of: {expected}."
            )
        headers = value if isinstance(value, list) else [value]
        if not headers or not all(isinstance(h, str | int) and str(h).strip() for h in headers):
            raise ConfigError(
                f"mapping file {path}: {name} must name a header (text) or a list of headers, "
                f"got {value!r}."
            )
        columns[name] = tuple(str(h) for h in headers)
    return ColumnMapping(columns=columns, origin=str(path))


@lru_cache(maxsize=1)
def vendor_mapping() -> ColumnMapping:
    """The bundled vendor-header recognitions (``data/mappings/vendor_headers.yaml``).

    Raises:
        ReferenceDataError: the bundled file is malformed or an entry has no source.
    """
    resource = resources.files("interdiction") / "data" / "mappings" / "vendor_headers.yaml"
    data = yaml.safe_load(resource.read_text(encoding="utf-8"))
    if (
        not isinstance(data, dict)
        or "version" not in data
        or not isinstance(data.get("columns"), dict)
    ):
        raise ReferenceDataError("vendor_headers.yaml needs `version` and a `columns` mapping.")
    columns: dict[str, tuple[str, ...]] = {}
    for name, entries in data["columns"].items():
        if name not in _MAPPABLE:
            raise ReferenceDataError(f"vendor_headers.yaml: unknown canonical column {name!r}.")
        headers = []
        for entry in entries:
            if not isinstance(entry, dict) or not entry.get("header") or not entry.get("source"):
                raise ReferenceDataError(
                    f"vendor_headers.yaml: {name}: every alias needs `header` and `source`, got {entry!r}."
                )
            headers.append(str(entry["header"]))
        columns[name] = tuple(headers)
    return ColumnMapping(columns=columns, origin=f"vendor_headers.yaml {data['version']}")


# A candidate header with its two compared forms: (header, fold_header, header_key).
_Candidate = tuple[str, str, str]


@dataclass(frozen=True)
class _Vocabulary:
    """Candidate headers per column, best first: vendor aliases, then header words; and the
    headers that imply a mode, and headers known to carry nothing the rules read (as keys)."""

    vendor: Mapping[str, tuple[_Candidate, ...]]
    words: Mapping[str, tuple[_Candidate, ...]]
    implied_modes: Mapping[str, tuple[_Candidate, ...]]
    not_screened: frozenset[str]
    owner: Mapping[str, str]  # fold or key of any candidate -> the first column it feeds


def _candidates(headers: Sequence[str]) -> tuple[_Candidate, ...]:
    return tuple((h, fold_header(h), header_key(h)) for h in dict.fromkeys(headers))


@lru_cache(maxsize=1)
def _header_words_file() -> dict[str, object]:
    resource = resources.files("interdiction") / "data" / "mappings" / "header_words.yaml"
    data = yaml.safe_load(resource.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(
        key in data for key in ("version", "stop_words", "parties", "columns")
    ):
        raise ReferenceDataError(
            "header_words.yaml needs `version`, `stop_words`, `parties` and `columns`."
        )
    return data


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    groups = _groups(_header_words_file()["stop_words"], "stop_words", "words")
    return frozenset(fold_header(word) for group in groups for word in group["words"])


def _groups(entries: object, where: str, key: str) -> list[dict[str, list[str]]]:
    """Entries of one header_words.yaml list, each checked for its words and its source."""
    checked = []
    for entry in entries if isinstance(entries, list) else [entries]:
        if (
            not isinstance(entry, dict)
            or not entry.get("source")
            or not isinstance(entry.get(key), list)
            or not entry[key]
        ):
            raise ReferenceDataError(
                f"header_words.yaml: {where}: every entry needs a `{key}` list and a `source`, "
                f"got {entry!r}."
            )
        checked.append({**entry, key: [str(word) for word in entry[key]]})
    return checked


def _party_headers(parties: object) -> dict[str, list[_Candidate]]:
    """Party headers composed of each role word and each field word, in either order."""
    if not isinstance(parties, dict):
        raise ReferenceDataError("header_words.yaml: `parties` needs `roles` and `attributes`.")
    fields: dict[str, list[_Candidate]] = {}
    for group in _groups(parties.get("attributes"), "parties.attributes", "words"):
        fields.setdefault(str(group.get("field")), []).extend(_candidates(group["words"]))
    columns: dict[str, list[_Candidate]] = {}
    for role, groups in dict(parties.get("roles") or {}).items():
        words = [w for g in _groups(groups, f"parties.roles.{role}", "words") for w in g["words"]]
        roles = _candidates(words)

        def combos(field: str, roles: tuple[_Candidate, ...] = roles) -> list[_Candidate]:
            # Both forms of a header are the words' forms joined: compose them, don't refold.
            pairs = [(r, a) for a in fields.get(field, []) for r in roles]
            return [(f"{r[0]} {a[0]}", r[1] + a[1], r[2] + a[2]) for r, a in pairs] + [
                (f"{a[0]} {r[0]}", a[1] + r[1], a[2] + r[2]) for r, a in pairs
            ]

        # "Remitente" is the shipper's name; a company beats a person ("buyerCompany").
        columns[f"{role}_name"] = [*roles, *combos("company"), *combos("person")]
        columns[f"{role}_person_name"] = combos("person")
        for kind in fields:
            if kind not in ("company", "person"):
                columns[f"{role}_{kind}"] = combos(kind)
    return {name: candidates for name, candidates in columns.items() if name in _MAPPABLE}


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    """Vendor aliases and the composed header words (``data/mappings/header_words.yaml``).

    Raises:
        ReferenceDataError: an entry without words or source, an unknown column or mode, or one
            header that would feed two different columns.
    """
    data = _header_words_file()
    columns = _party_headers(data["parties"])
    for name, groups in dict(data["columns"]).items():  # type: ignore[call-overload]
        if name not in _MAPPABLE or name in _NOT_MAPPABLE:
            raise ReferenceDataError(f"header_words.yaml: unknown canonical column {name!r}.")
        columns.setdefault(name, []).extend(
            _candidates(
                [h for g in _groups(groups, f"columns.{name}", "headers") for h in g["headers"]]
            )
        )
    words = {name: tuple(dict.fromkeys(candidates)) for name, candidates in columns.items()}
    seen: dict[str, str] = {}
    for name, candidates in words.items():
        if not name.endswith("_person_name"):  # also a candidate of <role>_name on purpose
            for header, _, key in candidates:
                if seen.setdefault(key, name) != name:
                    raise ReferenceDataError(
                        f"header_words.yaml: {header!r} would feed both {seen[key]} and {name}; "
                        "keep it under one column."
                    )
    implied: dict[str, tuple[_Candidate, ...]] = {}
    for mode, groups in dict(data.get("implied_modes") or {}).items():  # type: ignore[call-overload]
        if mode not in MODES or mode == "unknown":
            raise ReferenceDataError(f"header_words.yaml: implied_modes: unknown mode {mode!r}.")
        implied[str(mode)] = _candidates(
            [h for g in _groups(groups, f"implied_modes.{mode}", "headers") for h in g["headers"]]
        )
    known = data.get("not_screened") or []
    if not isinstance(known, list) or not all(
        isinstance(e, dict) and e.get("header") and e.get("source") for e in known
    ):
        raise ReferenceDataError(
            "header_words.yaml: not_screened: each needs `header` and `source`."
        )
    vendor = {name: _candidates(headers) for name, headers in vendor_mapping().columns.items()}
    owner: dict[str, str] = {}
    for table in (vendor, words):
        for name, candidates in table.items():
            for _, folded, key in candidates:
                owner.setdefault(folded, name)
                owner.setdefault(key, name)
    return _Vocabulary(
        vendor=vendor,
        words=words,
        implied_modes=implied,
        not_screened=frozenset(header_key(str(entry["header"])) for entry in known),
        owner=owner,
    )


def resolve_headers(
    headers: Sequence[str], *, mapping: ColumnMapping | None = None, file_label: str = "input"
) -> HeaderResolution:
    """Decide which of a file's headers feeds each canonical column.

    Args:
        headers: the file's headers in file order.
        mapping: the user's mapping (takes precedence over everything else).
        file_label: file name used in messages.

    Returns:
        The resolution; headers feeding nothing are kept as pass-through extras.

    Raises:
        InputFileError: a required column (the goods description) cannot be found; the message
            lists the headers found and what was expected.
    """
    headers = [str(h) for h in headers]
    by_fold: dict[str, str] = {}
    by_key: dict[str, str] = {}
    for header in headers:
        by_fold.setdefault(fold_header(header), header)
    for header in headers:
        for form in _path_folds(header):
            by_fold.setdefault(form, header)
    for header in headers:
        bare = unit_suffix(header)[0]
        if bare != header:
            by_fold.setdefault(fold_header(bare), header)
        for form in (*_key_forms(header), *(_key_forms(bare) if bare != header else ())):
            by_key.setdefault(form, header)
    chosen: dict[str, str] = {}
    used: set[str] = set()
    notes: list[str] = []

    def find(candidate: _Candidate, *, exact_first: bool, free: bool = True) -> str | None:
        header, folded, key = candidate
        for found in (header if exact_first and header in headers else None,
                      by_fold.get(folded), by_key.get(key)):  # fmt: skip
            if found is not None and not (free and found in used):
                return found
        return None

    def take(name: str, candidates: Sequence[_Candidate], *, exact_first: bool) -> bool:
        for candidate in candidates:
            found = find(candidate, exact_first=exact_first)
            if found is not None:
                chosen[name] = found
                used.add(found)
                return True
        return False

    if mapping is not None:
        for name, given in mapping.columns.items():
            if not take(name, _candidates(given), exact_first=True):
                notes.append(
                    f"{file_label}: mapping {mapping.origin} names {', '.join(map(repr, given))} "
                    f"for {name}, but the file has no such header."
                )
    for name in (*RECORD_COLUMNS, *HELPER_COLUMNS):
        if name not in chosen and name not in _NOT_MAPPABLE:
            take(name, _candidates([name]), exact_first=True)
    vocabulary = _vocabulary()
    # Vendor aliases first for every column, then the header words for the columns still open:
    # an exact English vendor header is never taken by a looser word match of another column.
    for table in (vocabulary.vendor, vocabulary.words):
        for name, candidates in table.items():
            if name not in chosen:
                take(name, candidates, exact_first=True)

    missing = [name for name in REQUIRED_COLUMNS if name not in chosen]
    if missing:
        aliases = {name: vendor_mapping().columns.get(name, ()) for name in missing}
        expected = "; ".join(
            f"{name} (or one of: {', '.join(repr(a) for a in aliases[name][:8])} ...)"
            for name in missing
        )
        raise InputFileError(
            f"{file_label}: cannot find the required column(s) {', '.join(missing)}. "
            f"Found headers: {', '.join(repr(h) for h in headers) or 'none'}. Expected: {expected}. "
            f'Give --mapping FILE with a line like {missing[0]}: "Your Header".'
        )
    reserved = set(RECORD_COLUMNS) | set(RESULT_LEAD_COLUMNS) | set(HELPER_COLUMNS)
    extras: dict[str, str] = {}
    feeding_record = {chosen[name] for name in chosen if name not in HELPER_COLUMNS}
    for header in headers:
        if header in feeding_record or header in extras:
            continue
        output = header
        while output in reserved or output in extras.values():
            output = f"input_{output}"
        extras[header] = output
    implied: dict[str, str] = {}
    if "mode" not in chosen:
        # An ocean bill of lading names a vessel or container: with no mode column, a record
        # with such a value is read as sea (said once, in a note).
        for mode, candidates in vocabulary.implied_modes.items():
            for candidate in candidates:
                found = find(candidate, exact_first=True, free=False)
                if found is not None:
                    implied.setdefault(found, mode)
        implied = {header: implied[header] for header in headers if header in implied}
        for mode in dict.fromkeys(implied.values()):
            named = ", ".join(h for h, m in implied.items() if m == mode)
            notes.append(
                f"{file_label}: no mode of transport column; records with a value under "
                f"{named} are read as mode {mode}."
            )
    unread = [
        _unread_label(header, chosen, vocabulary)
        for header in headers
        if header not in used and header not in implied
        and header_key(header) not in vocabulary.not_screened
    ]  # fmt: skip
    if unread:
        more = len(unread) - _MAX_LISTED
        notes.append(
            f"{file_label}: columns not read by any rule (kept in the output as given): "
            + ", ".join(unread[:_MAX_LISTED])
            + (f" and {more} more" if more > 0 else "")
            + "."
        )
    return HeaderResolution(
        columns=chosen, extras=extras, notes=tuple(notes), implied_modes=implied
    )


def header_row_score(headers: Sequence[object]) -> int:
    """How well one row of cells reads as the file's header row, without a mapping file.

    Returns the number of canonical and helper columns its cells feed, or -1 when it has no
    goods description column (a title row "Daily Export Manifest 2025-06-02" gives -1; the real
    header row "HAWB No., ..., Description, HS" gives 15).
    """
    names = [str(cell).strip() for cell in headers if cell is not None and str(cell).strip()]
    if not names:
        return -1
    try:
        resolution = resolve_headers(names)
    except InputFileError:
        return -1
    return len(resolution.columns)


@lru_cache(maxsize=256)
def names_goods(headers: tuple[str, ...]) -> bool:
    """True when these headers (one JSON array item's keys) include a goods description column.

    A JSON Lines consignment with a ``goodsItems`` array of ``{"description": ..., "hsCode": ...}``
    is read as one record per item; an array of ``{"code": ..., "text": ...}`` remarks is not.
    """
    try:
        resolve_headers(list(headers))
    except InputFileError:
        return False
    return True


def _unread_label(header: str, chosen: Mapping[str, str], vocabulary: _Vocabulary) -> str:
    """The header, and the column it would feed when another header feeds that column already."""
    for form in (fold_header(header), *_path_folds(header), *_key_forms(header)):
        name = vocabulary.owner.get(form)
        if name is not None and name in chosen:
            return f"{header} (a second {name})"
    return header
