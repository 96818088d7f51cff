"""Turn a raw chunk (the file's headers, text cells) into canonical records plus per-field problems.

Vectorised over a chunk: each distinct raw value is parsed once (manifests repeat countries, dates,
units and party names thousands of times), so a 50,000-row chunk takes well under a second.
A value that cannot be used clears its field and leaves a *warning* row naming the value; the
record is still screened (a garbled date must not let a precursor shipment through). Only a
totals row ("TOTAL", no goods description) is rejected: it is not a shipment.
"""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from collections.abc import Callable, Hashable, Iterable
from datetime import date, datetime
from functools import lru_cache, partial
from importlib import resources

import numpy as np
import pandas as pd
import yaml

from interdiction.errors import ReferenceDataError
from interdiction.shipments import places
from interdiction.shipments._amounts import (
    amount_currency,
    cell_weight_unit,
    column_weight_units,
    currency_code,
    weight_units,
)
from interdiction.shipments._layout import totals_rows
from interdiction.shipments.mapping import HeaderResolution, header_currency, unit_suffix
from interdiction.shipments.records import (
    COLUMNS,
    ERROR_COLUMNS,
    RECORD_COLUMNS,
    empty_errors,
)

__all__ = [
    "MAX_CELL_CHARS",
    "HIDDEN_COLUMNS",
    "ITEM_NUMBER_COLUMN",
    "ROW_NUMBER_COLUMN",
    "address_country",
    "normalise_chunk",
    "parse_country",
    "parse_date",
    "parse_hs_code",
    "parse_mode",
    "parse_number",
    "place_country",
    "prefers_day_first",
]

# A 100 MB description cell must not stall the rules: 100,000 characters is ~40 pages of text,
# far beyond any real goods description (AMS description lines are 45 characters each).
MAX_CELL_CHARS = 100_000
# Largest plausible single consignment: the biggest bulk carriers load about 400,000 t, so
# 500,000,000 kg on one record is a typo or a unit mix-up, not a shipment.
MAX_WEIGHT_KG = 5e8
# Dates before this are typos ("0224-05-03"); after today + this many days are typos too.
MIN_YEAR = 1950
MAX_DAYS_AHEAD = 730
# Readers that drop unreadable rows from a chunk (JSON Lines) put each row's true source_row here.
ROW_NUMBER_COLUMN = "__source_row__"
# A JSON line holding an array of goods items is read as one record per item; each record keeps
# the line's source_row and carries its 1-based item number here (blank: the line was not split),
# which makes its record_id unique ("m.jsonl#8.3", or "FWD-1/3" when the file gives an id).
ITEM_NUMBER_COLUMN = "__item__"
HIDDEN_COLUMNS = (ROW_NUMBER_COLUMN, ITEM_NUMBER_COLUMN)
# Day-first is tried after month-first only when month-first fails ("25/12/2024"): US customs
# data (AMS, Type 86) writes month first.
_DATE_FORMATS = (
    "%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%m/%d/%Y", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y",
    "%m-%d-%Y", "%d %b %Y", "%d-%b-%Y", "%d-%b-%y", "%b %d, %Y", "%B %d, %Y", "%d %B %Y",
    "%b %d %Y", "%Y年%m月%d日", "%m/%d/%y", "%d/%m/%y",
)  # fmt: skip
# Day-first twins of the month-first formats, tried first when a column is day-first.
_DAY_FIRST = {"%m/%d/%Y": "%d/%m/%Y", "%m-%d-%Y": "%d-%m-%Y", "%m/%d/%y": "%d/%m/%y"}
# A routing written as a chain of IATA airport codes or UN/LOCODEs ("PVG-ANC-LAX").
_CODE_CHAIN = r"(?:[A-Z]{3}|[A-Z]{2}[A-Z2-9]{3})(?:-(?:[A-Z]{3}|[A-Z]{2}[A-Z2-9]{3}))+"
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}(?:\s|$)")
# A code written as one number ("80132", "801.32"); 3, 5 and 7 digits are no code length of any
# tariff (HS 4/6, national 8/10; Japan's 9-digit codes are left alone).
_HS_NUMBER = re.compile(r"(\d{1,9})(?:\.(\d{1,6}))?")
_ODD_HS_LENGTHS = frozenset({3, 5, 7})


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _fold(text: str) -> str:
    return re.sub(r"[\W_]+", "", _plain(text))


def _mapping_file(name: str) -> dict[str, object]:
    data = yaml.safe_load(
        (resources.files("interdiction") / "data" / "mappings" / name).read_text(encoding="utf-8")
    )
    if not isinstance(data, dict) or "version" not in data:
        raise ReferenceDataError(f"{name} needs a `version` and its entries.")
    return data


def _sourced(data: dict[str, object], name: str, key: str, *fields: str) -> list[dict[str, object]]:
    entries = data.get(key)
    if not isinstance(entries, list) or not all(
        isinstance(e, dict)
        and (e.get("source") or e.get("citation"))
        and all(f in e for f in fields)
        for e in entries
    ):
        raise ReferenceDataError(
            f"{name}: every `{key}` entry needs {', '.join(fields)} and a source."
        )
    return entries


@lru_cache(maxsize=1)
def _mode_table() -> tuple[dict[str, str], tuple[tuple[str, tuple[str, ...]], ...]]:
    """(code -> mode, (mode, folded words) in check order) from transport_modes.yaml."""
    data = _mapping_file("transport_modes.yaml")
    codes = {
        _plain(str(e["code"])).strip(): str(e["mode"])
        for e in _sourced(data, "transport_modes.yaml", "codes", "code", "mode")
    }
    words = tuple(
        (str(e["mode"]), tuple(_plain(str(w)) for w in e["words"]))  # type: ignore[attr-defined]
        for e in _sourced(data, "transport_modes.yaml", "words", "mode", "words")
    )
    return codes, words


@lru_cache(maxsize=1)
def _country_tables() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(every country key -> ISO2, names, aliases and alpha-3 only, names and aliases only).

    Keys are folded text. Names in other languages are Unicode CLDR territory names from the
    babel package, for the locales of country_names.yaml; ISO names, codes and aliases win.
    """
    from babel import Locale

    index: dict[str, str] = {}
    alpha2: set[str] = set()
    alpha3: set[str] = set()
    base = resources.files("interdiction") / "data" / "mappings"
    with (base / "countries.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            alpha2.add(row["alpha2"])
            alpha3.add(_fold(row["alpha3"]))
            for key in ("alpha2", "alpha3", "name", "official_name", "common_name"):
                if row[key]:
                    index.setdefault(_fold(row[key]), row["alpha2"])
    localised: dict[str, set[str]] = {}
    for entry in _sourced(
        _mapping_file("country_names.yaml"), "country_names.yaml", "locales", "code"
    ):
        for code, name in Locale.parse(str(entry["code"])).territories.items():
            # "Irã", "Omã" (3 letters) would read like codes; a name two countries share is dropped.
            if code in alpha2 and (len(_fold(name)) > 3 or not _fold(name).isascii()):
                localised.setdefault(_fold(name), set()).add(code)
    for key, codes in localised.items():
        if len(codes) == 1:
            index.setdefault(key, next(iter(codes)))
    with (base / "country_aliases.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            index[_fold(row["alias"])] = row["alpha2"]
    names = {key: code for key, code in index.items() if key not in {c.casefold() for c in alpha2}}
    return index, names, {key: code for key, code in names.items() if key not in alpha3}


def parse_country(text: str) -> str | None:
    """ISO2 for a country code, ISO3 code or name in several languages; ``""`` for blank; None if unknown.

    Names come from ISO 3166-1, country_aliases.csv and CLDR (English, Spanish, Portuguese,
    French, German, Italian, Chinese): "ESPAÑA", "Suiza", "Corea del Sur", "韩国" all read.
    """
    if not text.strip():
        return ""
    return _country_tables()[0].get(_fold(text))


@lru_cache(maxsize=1)
def _subdivision_codes() -> frozenset[str]:
    """Two-letter state and province codes that are also ISO 3166-1 country codes (CA, IN, PE ...)."""
    address = _mapping_file("country_names.yaml").get("address")
    if not isinstance(address, dict):
        raise ReferenceDataError("country_names.yaml needs an `address` section.")
    entries = _sourced(address, "country_names.yaml", "subdivision_codes", "codes")
    return frozenset(str(code) for e in entries for code in e["codes"])  # type: ignore[attr-defined]


@lru_cache(maxsize=1)
def _address_rules() -> tuple[re.Pattern[str], frozenset[str]]:
    """(contact tail to cut, folded last parts that are not countries) from country_names.yaml."""
    data = _mapping_file("country_names.yaml")
    address = data.get("address")
    if not isinstance(address, dict):
        raise ReferenceDataError("country_names.yaml needs an `address` section.")
    contact = [str(w) for e in _sourced(address, "country_names.yaml", "contact_words", "words")
               for w in e["words"]]  # type: ignore[attr-defined]  # fmt: skip
    tail = re.compile(r"\s(?:" + "|".join(map(re.escape, contact)) + r")\b.*$", re.IGNORECASE)
    not_countries = _sourced(address, "country_names.yaml", "not_countries", "text")
    return tail, frozenset(_fold(str(e["text"])) for e in not_countries)


def address_country(text: str, *, codes: bool = True) -> str:
    """ISO2 of the country named by the last part of an address; ``""`` when it names none.

    The last part (after the last comma, semicolon or line break), with a contact tail
    ("TEL +86 ...") and postcode digits cut off, must be a country name in one of the known
    languages, an alias or an ISO alpha-3 code: "NO 5 RD, WUXI, JIANGSU, CHINA" -> "CN",
    "1500 N BROADWAY, WICHITA, KS 67214, USA" -> "US". Two-letter codes and cities are never
    read ("..., LOS ANGELES, CA" gives "": CA is California), nor names that are also states
    or cities there ("SAVANNAH, GEORGIA"). ``codes=False`` reads names and aliases only (a port
    cell "CAN" is an airport, not Canada).
    """
    parts = [part for part in re.split(r"[,;\n]", text) if part.strip()]
    if not parts:
        return ""
    tail, not_countries = _address_rules()
    last = re.sub(r"^[\d\s-]+|[\d\s()+-]+$", "", tail.sub("", " " + parts[-1]))
    key = _fold(last)
    if not key or key in not_countries:
        return ""
    return _country_tables()[1 if codes else 2].get(key, "")


def parse_date(text: str, *, today: date | None = None, day_first: bool = False) -> str | None:
    """ISO ``yyyy-mm-dd`` for a date in one of the usual formats; ``""`` for blank; None if unusable.

    ``day_first`` reads an ambiguous "05/03/2025" as 5 March (see ``prefers_day_first``);
    otherwise month first, as US customs data writes it.
    """
    text = text.strip()
    if not text:
        return ""
    candidate = text.split("T")[0] if re.match(r"^\d{4}-\d\d-\d\dT", text) else text
    # A time after the date, with or without a zone ("10:15:00 -0500", "10:15Z", "10:15 UTC"),
    # is dropped: the date is the one written, not converted to another zone.
    candidate = re.sub(
        r"\s+\d{1,2}:\d\d(:\d\d(\.\d+)?)?(\s*(Z|UTC|GMT|[+-]\d\d(:?\d\d)?))?$", "", candidate
    )
    iso = re.fullmatch(r"\d{4}-\d\d-\d\d", candidate) is not None
    formats = (
        tuple(dict.fromkeys(_DAY_FIRST.get(f, f) for f in _DATE_FORMATS))
        if day_first
        else _DATE_FORMATS
    )
    for fmt in ("iso", *formats) if iso else formats:
        try:
            parsed = (
                date.fromisoformat(candidate)
                if fmt == "iso"
                else datetime.strptime(candidate, fmt).date()
            )
        except ValueError:
            continue
        limit = (today or date.today()).toordinal() + MAX_DAYS_AHEAD
        if parsed.year < MIN_YEAR or parsed.toordinal() > limit:
            return None
        return parsed.isoformat()
    return None


def prefers_day_first(values: Iterable[str]) -> bool:
    """True when a column's numeric dates are written day first.

    One value that can only be day-first ("25/12/2024") and none that can only be month-first
    ("12/25/2024") decide the whole column, so "05/03/2024" in it is 5 March, not May 3.
    """
    day_only = month_only = False
    for value in values:
        match = _NUMERIC_DATE.match(value.strip())
        if match:
            first, second = int(match.group(1)), int(match.group(2))
            day_only |= first > 12 >= second
            month_only |= second > 12 >= first
    return day_only and not month_only


def parse_number(text: str) -> float | None:
    """A float from declared text ("1,234.50", "1.234,5", "USD 12", "3 kg"); NaN for blank; None if unusable."""
    text = text.strip()
    if not text:
        return math.nan
    cleaned = re.sub(r"[^\d,.\-+eE]", "", re.sub(r"^[A-Za-z$€£¥ ]+|[A-Za-z ]+$", "", text))
    if "," in cleaned and "." in cleaned:
        decimal = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        cleaned = cleaned.replace("." if decimal == "," else ",", "").replace(",", ".")
    elif "," in cleaned:
        # "1,234" and "12,345,678" group thousands; "3,5" is a decimal comma.
        thousands = re.fullmatch(r"-?\d{1,3}(,\d{3})+", cleaned)
        cleaned = cleaned.replace(",", "") if thousands else cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def parse_hs_code(text: str) -> str | None:
    """Digits of a declared HS/HTS code ("2933.39.00" -> "29333900"); ``""`` blank; None if no digits.

    A code a spreadsheet stored as a number lost its leading or trailing zero; HS digits come in
    pairs (chapter, heading, subheading), so the zero is put back: 0801.32 stored as 80132 or
    801.32 gives "080132", 2933.30 stored as 2933.3 gives "293330".
    """
    if not text.strip():
        return ""
    number = _HS_NUMBER.fullmatch(text.strip())
    if number is not None:
        whole, fraction = number.group(1), number.group(2)
        if len(whole) % 2 and (fraction is not None or len(whole) in _ODD_HS_LENGTHS):
            whole = "0" + whole
        if fraction is not None and len(fraction) % 2:
            fraction += "0"
        text = whole + (fraction or "")
    digits = re.sub(r"\D", "", text)
    return digits if 2 <= len(digits) <= 14 else None


def parse_mode(text: str) -> str:
    """One of records.MODES for a declared mode of transport ("Vessel, container" -> "sea").

    Words and codes are in ``data/mappings/transport_modes.yaml`` (English, Spanish, Portuguese,
    Chinese; UN/ECE Recommendation 19 codes); accents do not matter ("MARÍTIMO" == "MARITIMO").
    """
    codes, table = _mode_table()
    folded = _plain(text)
    if folded.strip() in codes:
        return codes[folded.strip()]
    words = set(re.findall(r"[\w]+", folded))
    for mode, keys in table:
        if any((key in folded) if " " in key or not key.isascii() else (key in words)
               for key in keys):  # fmt: skip
            return mode
    return "unknown"


def _map_unique(values: pd.Series, parse: Callable[[str], Hashable]) -> pd.Series:
    uniques = pd.unique(values)
    table = {value: parse(value) for value in uniques}
    return values.map(table)


def _as_text(series: pd.Series) -> pd.Series:
    # Fast paths: text columns (CSV, Parquet strings) only need blanks filled; numbers are
    # formatted without a spurious ".0" ("12", not "12.0"); anything else goes cell by cell.
    if series.empty:  # a file with headers and no rows: the float path below gives no .str
        return pd.Series([], dtype=object, index=series.index)
    dtype = series.dtype
    is_object = pd.api.types.is_object_dtype(dtype)
    if not is_object and pd.api.types.is_string_dtype(dtype):
        return series.fillna("")
    if pd.api.types.is_integer_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
        return series.astype(str)
    if is_object and pd.api.types.infer_dtype(series, skipna=True) in ("string", "empty"):
        return series.where(series.notna(), "")
    if pd.api.types.is_float_dtype(dtype):
        integral = series.notna() & (series % 1 == 0) & (series.abs() < 1e15)
        text = series.map(repr).where(
            ~integral, series.where(integral, 0).astype("int64").astype(str)
        )
        return text.where(series.notna(), "")
    series = series.astype(object).where(series.notna(), "")
    return series.map(lambda v: v if isinstance(v, str) else _cell_text(v))


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def normalise_chunk(
    raw: pd.DataFrame,
    resolution: HeaderResolution,
    *,
    source_file: str,
    first_row: int,
    today: date | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Canonical records and warning rows for one raw chunk.

    Args:
        raw: cells under the file's own headers (any dtype; None/NaN = blank).
        resolution: which header feeds which canonical column (``mapping.resolve_headers``).
        source_file: file name recorded on each record.
        first_row: ``source_row`` of the chunk's first row (1-based).
        today: reference day for "date in the future" checks (tests pin it).

    Returns:
        (records, errors): records has RECORD_COLUMNS then the pass-through extras; errors has
        ERROR_COLUMNS: warnings, and an error row for each totals row ("TOTAL" in the first
        cells, no goods description), the only rows this function leaves out of the records.
    """
    if ROW_NUMBER_COLUMN in raw.columns:
        rows = raw[ROW_NUMBER_COLUMN].to_numpy(dtype="int64")
    else:
        rows = np.arange(first_row, first_row + len(raw), dtype="int64")
    raw, rows, totals = _without_totals(raw, rows, resolution, source_file)
    raw, carried = _carry_order_fields(raw, rows, resolution, source_file)
    if carried is not None:
        totals = pd.concat([carried, totals], ignore_index=True) if len(totals) else carried
    n = len(raw)
    out: dict[str, pd.Series | np.ndarray] = {}
    problems: list[pd.DataFrame] = []

    def warn(mask: pd.Series, field: str, reasons: pd.Series) -> None:
        if mask.any():
            problems.append(pd.DataFrame({"pos": np.flatnonzero(mask.to_numpy()), "field": field,
                                          "reason": reasons[mask].to_numpy()}))  # fmt: skip

    def text(name: str) -> pd.Series:
        header = resolution.columns.get(name)
        if header is None:
            return pd.Series([""] * n, dtype=object)
        return _as_text(raw[header].reset_index(drop=True)).str.strip()

    column_units = column_weight_units()
    units = _map_unique(text("gross_weight_unit").str.casefold().str.rstrip("."), column_units.get)
    header_unit = unit_suffix(resolution.columns.get("gross_weight_kg", ""))[1]
    if "gross_weight_unit" not in resolution.columns and header_unit in column_units:
        # "Weight (lb)" with no unit column: the header's unit holds for every row.
        units = pd.Series(column_units[header_unit], index=units.index, dtype="float64")
    for column in COLUMNS:
        name = column.name
        if name in ("source_file", "source_row"):
            continue
        values = text(name)
        too_long = values.str.len() > MAX_CELL_CHARS
        if too_long.any():
            lengths = values.str.len()
            values = values.where(~too_long, values.str.slice(0, MAX_CELL_CHARS))
            warn(too_long, name, lengths.map(
                lambda k: f"{k:,} characters; only the first {MAX_CELL_CHARS:,} were screened"))  # fmt: skip
        if column.kind in ("str", "list") or name == "record_id":
            if name == "currency":
                values = _currencies(values, text("declared_value"), resolution)
            elif name == "quantity_unit":
                values = values.str.upper()
            elif name == "description" and "specification" in resolution.columns:
                values = _with_specification(values, text("specification"))
            elif name.endswith(("_email", "_phone")):
                if name.endswith("_email"):
                    values = values.str.lower()
                contact = name.rsplit("_", 1)[0] + "_contact"
                if contact in resolution.columns:
                    # "Contacto remitente" holds an e-mail or a phone: each feeds its own field.
                    found = _map_unique(text(contact), partial(_contact_part, email="mail" in name))
                    values = values.where(values != "", found)
            elif name == "marks" and "cas_number" in resolution.columns:
                values = _with_cas(values, text("cas_number"))
            elif name == "consignee_name":
                # "buyerName" where "buyerCompany" is blank; "Kim" + "Nguyen" when the export
                # splits a buyer's name and gives no company.
                full = (
                    text("consignee_first_name") + " " + text("consignee_last_name")
                ).str.strip()
                # Then a web shop's billing company and billing name.
                for fallback in (
                    text("consignee_person_name"),
                    text("billing_company"),
                    text("billing_name"),
                    full,
                ):
                    values = values.where(values != "", fallback)
            elif name == "consignee_address":
                values = _joined_address(values, text)
            elif name == "document_id" and "document_id" not in resolution.columns:
                # Shopify's order "Name" ("#1025") where the file has no other document id.
                order = text("order_name")
                values = order.where(order.str.contains(r"\d", regex=True), "")
            elif column.kind == "list":
                chain = values.str.fullmatch(_CODE_CHAIN)
                values = values.where(~chain, values.str.replace("-", ";", regex=False))
                values = values.str.replace(r"\s*[;,|>]\s*", ";", regex=True).str.strip(";")
            out[name] = values
        elif column.kind == "mode":
            modes = _map_unique(values, parse_mode)
            for header, mode in resolution.implied_modes.items():
                # No mode column, but a vessel name or container number: an ocean bill of lading.
                given = _as_text(raw[header].reset_index(drop=True)).str.strip() != ""
                modes = modes.where(~(given & (modes == "unknown")), mode)
            out[name] = modes
        elif column.kind == "country":
            parsed = _map_unique(values, parse_country)
            warn(parsed.isna(), name, "unknown country " + values.map(repr) + "; field cleared")
            address, blank = name.replace("_country", "_address"), values == ""
            if address in resolution.columns and blank.any():
                # No country given: the end of the party's address may name it ("..., CHINA").
                parsed[blank] = _map_unique(text(address)[blank], address_country)
            out[name] = parsed.fillna("")
        elif column.kind == "countries":
            parsed = _map_unique(values, _parse_countries)
            warn(parsed.isna(), name, "unknown country in " + values.map(repr) + "; field cleared")
            out[name] = parsed.fillna("")
        elif column.kind == "date":
            parsed = _map_unique(
                values,
                partial(parse_date, today=today, day_first=prefers_day_first(pd.unique(values))),
            )
            warn(parsed.isna(), name, "cannot read date " + values.map(repr)
                 + f" (expected e.g. 2024-05-03, between {MIN_YEAR} and 2 years ahead); field cleared")  # fmt: skip
            out[name] = parsed.fillna("")
        elif column.kind == "hs":
            parsed = _map_unique(values, parse_hs_code)
            warn(
                parsed.isna(),
                name,
                "HS code " + values.map(repr) + " has no 2-14 digit code; field cleared",
            )
            out[name] = parsed.fillna("")
        else:
            out[name] = _numbers(name, values, units, warn)
            if name == "declared_value" and "line_item_price" in resolution.columns:
                # A line item's price times its quantity is the line's value; the order total
                # only on a row without a line price.
                price = _numbers(name, text("line_item_price"), units, warn)
                quantity = _numbers("quantity", text("quantity"), units, lambda *_: None)
                line = price * quantity.fillna(1.0)
                out[name] = line.where(price.notna(), out[name])
    _fill_places(out, text, resolution, warn)
    if "billing_company" in resolution.columns:
        # The company that pays for a web-shop order is screened too: when a person is the
        # shipping name, the listed firm may appear only as the billing company. It takes the
        # notify role (the record model's other party) where the file gives no notify party.
        billing = text("billing_company").str.strip()
        consignee = pd.Series(out["consignee_name"], index=billing.index)
        notify = pd.Series(out["notify_name"], index=billing.index)
        other = (
            (billing != "") & (notify == "") & (billing.str.casefold() != consignee.str.casefold())
        )
        out["notify_name"] = notify.where(~other, billing)
    out["transshipment_ports"] = _between(
        pd.Series(out["transshipment_ports"]),
        pd.Series(out["port_of_loading"]),
        pd.Series(out["port_of_discharge"]),
    )
    out["routing_countries"] = _with_port_countries(
        pd.Series(out["routing_countries"]),
        text("place_of_receipt"),
        pd.Series(out["port_of_loading"]),
        pd.Series(out["transshipment_ports"]),
        pd.Series(out["port_of_discharge"]),
    )
    if "arrival_country" in resolution.columns:
        out["routing_countries"], out["final_destination_country"] = _with_arrival_country(
            pd.Series(out["routing_countries"]),
            pd.Series(out["final_destination_country"]),
            text("arrival_country"),
            warn,
        )
    out["source_file"] = pd.Series([source_file] * n, dtype=object)
    out["source_row"] = rows
    record_ids = pd.Series(out["record_id"])
    generated = record_ids == ""
    if generated.any():
        out["record_id"] = record_ids.where(
            ~generated, source_file + "#" + pd.Series(rows).astype(str)
        )
    if ITEM_NUMBER_COLUMN in raw.columns:
        # One record per goods item of a JSON line: "m.jsonl#8.3", or "FWD-1/3" under a given id.
        items = _as_text(raw[ITEM_NUMBER_COLUMN].reset_index(drop=True))
        split, record_ids = items != "", pd.Series(out["record_id"])
        out["record_id"] = record_ids.where(
            ~split, record_ids + np.where(generated, ".", "/") + items
        )
    records = pd.DataFrame({name: out[name] for name in RECORD_COLUMNS})
    for header, output in resolution.extras.items():
        records[output] = _as_text(raw[header].reset_index(drop=True))
    if not problems:
        return records, totals
    found = pd.concat(problems, ignore_index=True)
    positions = found["pos"].to_numpy()
    errors = pd.DataFrame({
        "record_id": records["record_id"].to_numpy()[positions],
        "source_file": source_file,
        "source_row": rows[positions],
        "field": found["field"].to_numpy(),
        "severity": "warning",
        "reason": found["reason"].to_numpy(),
    }, columns=list(ERROR_COLUMNS))  # fmt: skip
    if len(totals):
        errors = pd.concat([errors, totals], ignore_index=True)
    return records, errors.sort_values("source_row", kind="stable").reset_index(drop=True)


# Order-level fields a web-shop export (Shopify, WooCommerce) leaves blank on the 2nd+ line item
# of an order: the later lines take them from the order's first line. shipper_name is not among
# them: Shopify's "Vendor" is the line item's own.
_ORDER_FIELDS = frozenset({
    "date", "mode", "carrier", "payment_method", "notes", "currency", "final_destination_country",
    "shipper_address", "shipper_country", "shipper_email", "shipper_phone", "shipper_id",
    "consignee_name", "consignee_address", "consignee_country", "consignee_email",
    "consignee_phone", "consignee_id", "notify_name", "notify_address", "notify_country",
    "notify_email", "notify_phone", "forwarder_name", "forwarder_country",
    "consignee_first_name", "consignee_last_name", "consignee_person_name", "consignee_contact",
    "billing_company", "billing_name", "consignee_address_2", "consignee_city",
    "consignee_province", "consignee_postcode",
})  # fmt: skip


def _carry_order_fields(
    raw: pd.DataFrame, rows: np.ndarray, resolution: HeaderResolution, source_file: str
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Fill the order-level cells a later line item of an order leaves blank from its first line.

    An order is a run of consecutive rows with the same document id (or Shopify order "Name").
    Returns the frame and one file-level note when any cell was filled (None otherwise).
    """
    key_header = resolution.columns.get("document_id") or resolution.columns.get("order_name")
    headers = [h for c, h in resolution.columns.items() if c in _ORDER_FIELDS and h != key_header]
    if key_header is None or not headers or len(raw) < 2:
        return raw, None
    key = _as_text(raw[key_header].reset_index(drop=True)).str.strip()
    order = (key != key.shift()).cumsum()
    later = (key != "") & (key == key.shift())
    if not later.any():
        return raw, None
    raw = raw.copy()
    filled = pd.Series(False, index=key.index)
    for header in dict.fromkeys(headers):
        cells = _as_text(raw[header].reset_index(drop=True)).str.strip()
        first = cells.groupby(order).transform("first")
        take = later & (cells == "") & (first != "")
        if take.any():
            raw[header] = cells.where(~take, first).to_numpy()
            filled |= take
    if not filled.any():
        return raw, None
    orders = order[filled].nunique()
    note = (
        f"{source_file}: rows {int(rows[0])}-{int(rows[-1])}: {int(filled.sum())} later line(s) of "
        f"{orders} multi-line order(s) (same {key_header} on consecutive rows) left order-level "
        "fields blank (party, address, country, e-mail, phone, date, payment, notes, currency); "
        "they were taken from the order's first line."
    )
    return raw, pd.DataFrame(
        {"record_id": [""], "source_file": [source_file], "source_row": [0], "field": ["(file)"],
         "severity": ["warning"], "reason": [note]}, columns=list(ERROR_COLUMNS))  # fmt: skip


def _joined_address(address: pd.Series, text: Callable[[str], pd.Series]) -> pd.Series:
    """The consignee address with a web shop's second line, city, province and zip joined on
    (only where a street address is given)."""
    parts = [address, *(text(name) for name in ("consignee_address_2", "consignee_city",
                                                "consignee_province", "consignee_postcode"))]  # fmt: skip
    if all((part == "").all() for part in parts[1:]):
        return address
    # Shopify writes a zip as "'43215" so a spreadsheet keeps its leading zeros.
    parts[-1] = parts[-1].str.lstrip("'")
    frame = pd.concat(parts, axis=1)
    joined = frame.apply(lambda row: ", ".join(p for p in row if p), axis=1).astype(object)
    # A city or zip alone is no address: many parties share it (RF-B3 would read it as shared).
    return joined.where(address != "", address)


def _without_totals(
    raw: pd.DataFrame, rows: np.ndarray, resolution: HeaderResolution, source_file: str
) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame]:
    """The chunk without its totals rows, their row numbers, and an error row for each."""
    header = resolution.columns.get("description")
    if header is None or not len(raw):
        return raw, rows, empty_errors()
    goods = _as_text(raw[header].reset_index(drop=True)).str.strip()
    if "specification" in resolution.columns:
        spec = _as_text(raw[resolution.columns["specification"]].reset_index(drop=True))
        goods = goods + spec.str.strip()
    columns = [c for c in raw.columns if c not in HIDDEN_COLUMNS]
    totals = totals_rows(raw, goods, columns)
    if not totals.any():
        return raw, rows, empty_errors()
    dropped = rows[totals]
    errors = pd.DataFrame({
        "record_id": [f"{source_file}#{row}" for row in dropped],
        "source_file": source_file,
        "source_row": dropped.astype("int64"),
        "field": "(row)",
        "severity": "error",
        "reason": "a totals row (a totals word in its first cells and no goods description), "
                  "not a shipment: not screened. Nothing to do if it is the file's total line.",
    }, columns=list(ERROR_COLUMNS))  # fmt: skip
    return raw.iloc[np.flatnonzero(~totals)], rows[~totals], errors


def _currencies(values: pd.Series, amounts: pd.Series, resolution: HeaderResolution) -> pd.Series:
    # "美元", "usd", "840" in a currency column read as USD (others kept, upper case); a record
    # with no currency takes the one written with its amount ("$1,250.00", "21.968,76 €") or at
    # the end of the value header ("Declared Value (USD)").
    values = _map_unique(values, lambda text: currency_code(text) or text.upper())
    blank = values == ""
    if not blank.any():
        return values
    marked = blank & amounts.str.contains(r"[^\d\s.,'+\-]", regex=True)
    if marked.any():
        values[marked] = _map_unique(amounts[marked], amount_currency)
    header = header_currency(resolution.columns.get("declared_value", ""))
    if header:
        values = values.where(values != "", header)
    return values


def _with_specification(description: pd.Series, specification: pd.Series) -> pd.Series:
    # A Chinese export declaration gives a generic 商品名称 ("医药中间体", pharmaceutical
    # intermediate) and names the substance in 规格型号, its declaration elements
    # ("0|0|4-苯胺基哌啶|含量99%|25kg/纸板桶"): the goods rules must read both, or the listed
    # precursor goes unseen. Joined as "<商品名称>; <规格型号>".
    given = specification != ""
    joined = description.where(description == "", description + "; ") + specification
    return joined.where(given, description).str.slice(0, MAX_CELL_CHARS)


# A station cell: an IATA airport code or a UN/LOCODE ("HKG", "CNSZX", "CN SZX").
_STATION = re.compile(r"[A-Z]{3}|[A-Z]{2} ?[A-Z2-9]{3}")


def _station_codes(values: pd.Series) -> bool:
    """True when a column's values are station codes, not countries: every filled value has the
    shape of a code and one at least is an airport or port that is no country code ("SZX")."""
    codes = [value for value in pd.unique(values) if value]
    if not codes or not all(_STATION.fullmatch(value) for value in codes):
        return False
    return any(
        parse_country(code) is None
        and places.port_country(code, country_of=parse_country, single=False)
        for code in codes
    )


def place_country(text: str) -> str:
    """ISO2 of a place written as a country or as "place, country" ("Mexico" -> "MX",
    "Guadalajara, MX" -> "MX", "Tijuana, Baja California, MX" -> "MX"); ``""`` when it names
    none. A two-letter code closing the place counts unless it is also a state or province code
    there (``country_names.yaml``: "Long Beach, CA" is California, not Canada)."""
    country = parse_country(text)
    if country or not text.strip():
        return country or ""
    found = address_country(text)
    if found:
        return found
    tail = re.search(r",\s*([A-Z]{2})\.?\s*$", text)
    if tail is None or tail.group(1) in _subdivision_codes():
        return ""
    return parse_country(tail.group(1)) or ""


def _fill_places(
    out: dict[str, pd.Series | np.ndarray],
    text: Callable[[str], pd.Series],
    resolution: HeaderResolution,
    warn: Callable[[pd.Series, str, pd.Series], None],
) -> None:
    # "Origin"/"Dest" of an express manifest are stations ("HKG" -> port_of_loading); of other
    # exports, countries ("China" -> origin_country). A final destination place gives its
    # country. Each fills only what the file's own columns left empty.
    for helper, port, country in (
        ("origin_place", "port_of_loading", "origin_country"),
        ("destination_place", "port_of_discharge", "final_destination_country"),
        ("final_destination", "", "final_destination_country"),
    ):
        if helper not in resolution.columns:
            continue
        given = text(helper)
        if port and _station_codes(given):
            current = pd.Series(out[port])
            out[port] = current.where(current != "", given)
            continue
        found = _map_unique(given, place_country)
        warn((found == "") & (given != ""), country,
             "unknown country or place " + given.map(repr) + "; field not filled")  # fmt: skip
        current = pd.Series(out[country])
        out[country] = current.where(current != "", found)


def _with_arrival_country(
    routing: pd.Series,
    final: pd.Series,
    arrival_text: pd.Series,
    warn: Callable[[pd.Series, str, pd.Series], None],
) -> tuple[pd.Series, pd.Series]:
    # 运抵国(地区) is the first country the goods are shipped to. Where the final destination is
    # another country it is a transit country: "危地马拉" with final destination "墨西哥" puts
    # GT before MX in routing_countries (RF-C3: a third country on the way). With no final
    # destination it is the destination.
    arrival = _map_unique(arrival_text, parse_country)
    warn(
        arrival.isna(),
        "arrival_country",
        "unknown country " + arrival_text.map(repr) + "; not read",
    )
    arrival = arrival.fillna("")
    final = final.where(final != "", arrival)
    transit = (arrival != "") & (arrival != final)
    if transit.any():
        keys = routing[transit] + "|" + arrival[transit] + "|" + final[transit]
        routing = routing.copy()
        routing[transit] = _map_unique(
            keys, lambda key: places.merge_routes(key.split("|")[0], "", *key.split("|")[1:])
        )
    return routing, final


def _between(ports: pd.Series, loading: pd.Series, discharge: pd.Series) -> pd.Series:
    # An air waybill routing "PVG;ANC;LAX" names the airports of departure and destination
    # too; only the stops between them are transshipment points. Plain object arrays and one
    # answer per distinct (routing, loading, discharge): setting cells of an Arrow-backed column
    # one at a time costs seconds per million rows.
    values = ports.to_numpy(dtype=object)
    starts = loading.to_numpy(dtype=object)
    ends = discharge.to_numpy(dtype=object)
    result = values.copy()
    seen: dict[tuple[str, str, str], str] = {}
    for position in np.flatnonzero(values != ""):
        key = (values[position], starts[position], ends[position])
        if key not in seen:
            legs = key[0].split(";")
            if legs and legs[0].casefold() == key[1].casefold():
                legs = legs[1:]
            if legs and legs[-1].casefold() == key[2].casefold():
                legs = legs[:-1]
            seen[key] = ";".join(legs)
        result[position] = seen[key]
    return pd.Series(result, index=ports.index, dtype=ports.dtype)


def _place_country(text: str) -> str:
    # A port code ("KRPUS", "PVG"), else a country name closing the place ("Busan, South Korea");
    # never a code or a state after a comma ("Long Beach, CA", "Savannah, Georgia").
    return places.port_country(text, country_of=parse_country) or address_country(text, codes=False)


def _with_port_countries(
    routing: pd.Series,
    receipt: pd.Series,
    loading: pd.Series,
    ports: pd.Series,
    discharge: pd.Series,
) -> pd.Series:
    # Ports and airports written as codes or "city, country" name countries the consignment
    # passes: loading "CNXIY", transshipment "KRPUS" and discharge "MXZLO" put CN;KR;MX in
    # routing_countries (trade-records.md: routing countries are declared in ICS2, "derived for
    # others"). A place of receipt ("WUXI", "HKHKG") goes before the port of loading.
    # One answer per distinct cell, then per distinct (declared, found) pair.
    start = _map_unique(loading, _place_country).to_numpy(dtype=object)
    middle = _map_unique(ports, partial(places.ports_countries, country_of=parse_country)).to_numpy(
        dtype=object
    )
    first = _map_unique(receipt, _place_country).to_numpy(dtype=object)
    moved = (first != "") & (first != start)
    if moved.any():
        # Receipt "Hong Kong, Hong Kong", loading "Shenzhen, China": HK leads, CN is passed.
        joined = (
            pd.Series(start[moved], dtype=object) + ";" + pd.Series(middle[moved], dtype=object)
        )
        middle[moved] = joined.str.strip(";").to_numpy(dtype=object)
        start[moved] = first[moved]
    end = _map_unique(discharge, _place_country).to_numpy(dtype=object)
    found = (start != "") | (middle != "") | (end != "")
    if not found.any():
        return routing
    declared = routing.to_numpy(dtype=object)
    keys = pd.Series(
        declared[found] + "|" + start[found] + "|" + middle[found] + "|" + end[found],
        dtype=object,
    )
    result = declared.copy()
    result[found] = _map_unique(keys, lambda key: places.merge_routes(*key.split("|"))).to_numpy(
        dtype=object
    )
    return pd.Series(result, index=routing.index, dtype=object)


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"\+?\d[\d ().-]{5,}\d")


def _contact_part(text: str, *, email: bool) -> str:
    # A contact cell "sales@x.example.cn / +86 21 5555 0101": its e-mails or its phones.
    if email:
        return ";".join(m.lower() for m in _EMAIL.findall(text))
    return ";".join(m.strip() for m in _PHONE.findall(_EMAIL.sub(" ", text)))


def _with_cas(marks: pd.Series, cas: pd.Series) -> pd.Series:
    # An order book's "CAS No." column is read with the marks, where AMS data carries CAS
    # numbers too: marks "PO 7" and CAS "125541-22-2" give "PO 7; CAS 125541-22-2".
    given = cas != ""
    labelled = cas.where(cas.str.upper().str.startswith("CAS"), "CAS " + cas)
    joined = marks.where(marks == "", marks + "; ") + labelled
    return joined.where(given, marks)


def _parse_countries(text: str) -> str | None:
    parts = [p for p in re.split(r"\s*(?:[;,|>/]|->)\s*", text.strip()) if p]
    codes = [parse_country(p) for p in parts]
    if any(c is None for c in codes):
        return None
    return ";".join(c for c in codes if c)


def _numbers(
    name: str,
    values: pd.Series,
    units: pd.Series,
    warn: Callable[[pd.Series, str, pd.Series], None],
) -> pd.Series:
    fast = pd.to_numeric(values.where(values != "", None), errors="coerce").astype("float64")
    # "1e400" parses as infinity: send it the slow way too, where it is refused with a warning.
    fast = fast.where(np.isfinite(fast))
    slow = fast.isna() & (values != "")
    parsed = fast.astype("float64")
    if slow.any():
        parsed[slow] = _map_unique(values[slow], parse_number).astype("float64")
        bad = slow & parsed.isna()
        warn(bad, name, "cannot read number " + values.map(repr) + "; field cleared")
    if name == "gross_weight_kg":
        # A unit written in the cell ("800 g", "42344 lb") beats the unit column and the header.
        factors = units.astype("float64")
        written = pd.Series("", index=values.index, dtype=object)
        if slow.any():
            written[slow] = _map_unique(values[slow], cell_weight_unit)
        in_cell = written.notna() & (written != "")
        if in_cell.any():
            factors = factors.where(~in_cell, written[in_cell].map(weight_units()))
        unknown_word = written.isna() & parsed.notna()
        if unknown_word.any():
            warn(unknown_word, name, "unknown weight unit in " + values.map(repr)
                 + "; read in the column's unit (kg unless the header or a unit column names one)")  # fmt: skip
        unknown_unit = factors.isna() & ~unknown_word
        warn(unknown_unit & parsed.notna(), name, "unknown weight unit; read as kilograms")
        parsed = parsed * factors.fillna(1.0)
        absurd = parsed > MAX_WEIGHT_KG
        warn(
            absurd,
            name,
            parsed.map(
                lambda v: f"weight {v:,.0f} kg exceeds any single consignment; field cleared"
            ),
        )
        parsed = parsed.where(~absurd)
    negative = parsed < 0
    warn(negative, name, parsed.map(lambda v: f"negative value {v:g}; field cleared"))
    return parsed.where(~negative)
