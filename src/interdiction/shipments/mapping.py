"""Which input header feeds which canonical column: user mapping files and vendor header recognition.

Order of precedence for each canonical column:

1. the user's ``--mapping`` file (``canonical_name: "Their Header"`` or a list of headers);
2. a header that already is the canonical name (``shipper_name``, ``Shipper Name``);
3. a known vendor header from ``data/mappings/vendor_headers.yaml`` (Panjiva, AMS, CN 23 ...).

Headers are compared after folding case and punctuation, so ``"Port of Loading (F)"`` meets
``port_of_loading_f``. Headers that feed no canonical column are kept as pass-through input
fields and appear in the outputs unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from interdiction.errors import ConfigError, InputFileError, ReferenceDataError
from interdiction.shipments.records import RECORD_COLUMNS, REQUIRED_COLUMNS, RESULT_LEAD_COLUMNS

__all__ = [
    "HELPER_COLUMNS",
    "ColumnMapping",
    "HeaderResolution",
    "fold_header",
    "load_mapping",
    "resolve_headers",
    "unit_suffix",
    "vendor_mapping",
]

# Columns a reader may fill that are not part of the record but help parse it:
# AMS gives `weight` in `weight_unit` (K, L, T), so the unit decides the kilogram figure;
# order books give the CAS number in its own column ("CAS No."), which the goods rules must
# read with the marks ("CAS 125541-22-2"); web-shop exports split a buyer's name in first and last
# name, which make the consignee name when no company name is given (a person: RF-B2, RF-C4).
# Helper headers are also kept as pass-through fields.
HELPER_COLUMNS: tuple[str, ...] = (
    "gross_weight_unit",
    "cas_number",
    "consignee_first_name",
    "consignee_last_name",
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


def fold_header(header: str) -> str:
    """Fold a header for comparison: lower case, punctuation and spaces removed.

    Example: ``"Port of Loading (F)"`` and ``"port_of_loading_f"`` both give ``"portofloadingf"``.
    """
    return _FOLD.sub("", str(header).casefold())


def unit_suffix(header: str) -> tuple[str, str]:
    """Split a unit or currency written at the end of a header: "Net weight (kg)" -> ("Net
    weight", "kg"), "Value [USD]" -> ("Value", "usd"); ("header", "") when there is none.

    The bare header then meets its alias, and a weight header's unit converts the weights.
    """
    match = _UNIT_SUFFIX.search(str(header))
    if match is None or not match.start():
        return str(header), ""
    return str(header)[: match.start()], match.group(1).casefold()


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
        notes: things the user should know (a mapped header absent from this file ...).
    """

    columns: Mapping[str, str]
    extras: Mapping[str, str]
    notes: tuple[str, ...] = field(default=())


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
    for header in headers:
        by_fold.setdefault(fold_header(header), header)
    for header in headers:
        for form in _path_folds(header):
            by_fold.setdefault(form, header)
    for header in headers:
        bare = unit_suffix(header)[0]
        if bare != header:
            by_fold.setdefault(fold_header(bare), header)
    chosen: dict[str, str] = {}
    used: set[str] = set()
    notes: list[str] = []

    def take(name: str, candidates: Sequence[str], *, exact_first: bool) -> bool:
        for candidate in candidates:
            found = (
                candidate
                if exact_first and candidate in headers
                else by_fold.get(fold_header(candidate))
            )
            if found is not None and found not in used:
                chosen[name] = found
                used.add(found)
                return True
        return False

    if mapping is not None:
        for name, candidates in mapping.columns.items():
            if not take(name, candidates, exact_first=True):
                notes.append(
                    f"{file_label}: mapping {mapping.origin} names {', '.join(map(repr, candidates))} "
                    f"for {name}, but the file has no such header."
                )
    for name in (*RECORD_COLUMNS, *HELPER_COLUMNS):
        if name not in chosen and name not in _NOT_MAPPABLE:
            take(name, (name,), exact_first=True)
    vendor = vendor_mapping()
    for name, candidates in vendor.columns.items():
        if name not in chosen:
            take(name, candidates, exact_first=True)

    missing = [name for name in REQUIRED_COLUMNS if name not in chosen]
    if missing:
        aliases = {name: vendor.columns.get(name, ()) for name in missing}
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
    return HeaderResolution(columns=chosen, extras=extras, notes=tuple(notes))
