"""The canonical shipment record: one row per house-level consignment, order or postal item.

Every reader (CSV, XLSX, JSON Lines, Parquet) produces a pandas DataFrame with exactly the
columns in ``RECORD_COLUMNS`` (in that order) followed by any extra input columns the user's file
had, kept under their original header so the output can show them. The rules (``screening.py``)
read only the canonical columns.

Conventions every consumer can rely on:

* string columns are never null: ``""`` means "not given" (no NaN checks in rules);
* float columns are ``float64`` with NaN for "not given";
* ``source_row`` is ``int64``: 1-based index of the data row in its file (header not counted;
  the n-th JSON line / Parquet row / spreadsheet data row);
* countries are ISO 3166-1 alpha-2 upper case (``CN``), ports are free text as declared;
* list-valued fields are ``';'``-separated strings in order (``"US;GT"``), no spaces;
* ``date`` is ISO ``yyyy-mm-dd``.

Field-level problems (an unparseable date, a negative weight, a 100 MB description) do not drop
the record: the field is cleared or truncated and a *warning* row goes to ``errors.csv``. A record
is *rejected* (an *error* row, record absent from the results) only when it cannot be told apart
from another one (a duplicate ``record_id``) or cannot be read at all. The invariant the report
states: ``inputs = results + rejected``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

__all__ = [
    "COLUMNS",
    "COUNTRY_COLUMNS",
    "ERROR_COLUMNS",
    "FLOAT_COLUMNS",
    "LIST_COLUMNS",
    "MODES",
    "PARTY_ROLES",
    "RECORD_COLUMNS",
    "REQUIRED_COLUMNS",
    "RESULT_LEAD_COLUMNS",
    "STRING_COLUMNS",
    "Column",
    "RecordError",
    "empty_errors",
    "empty_records",
    "errors_frame",
]

ColumnKind = Literal["str", "int", "float", "date", "country", "countries", "list", "mode", "hs"]


@dataclass(frozen=True)
class Column:
    """One canonical column: its name, how it is parsed, and what it means."""

    name: str
    kind: ColumnKind
    doc: str


COLUMNS: tuple[Column, ...] = (
    # -- identity and provenance
    Column(
        "record_id",
        "str",
        "id from the input, else '<file name>#<source_row>' (stable across runs)",
    ),
    Column("source_file", "str", "file name (not path) the record was read from"),
    Column("source_row", "int", "1-based data-row number in source_file (header not counted)"),
    Column("document_id", "str", "house BoL / HAWB / UPU S10 item id / order id, as declared"),
    Column("date", "date", "shipment date (loading, posting or order), ISO yyyy-mm-dd"),
    Column("mode", "mode", "sea | air | express | postal | road | rail | unknown"),
    Column("carrier", "str", "carrier name or code (SCAC, IATA prefix, postal operator)"),
    # -- parties (RF-B*: names, contact details and identifiers link records into a graph)
    Column("shipper_name", "str", "shipper / consignor / seller name as declared"),
    Column("shipper_address", "str", "shipper address, one line"),
    Column("shipper_country", "country", "shipper country, ISO2"),
    Column("shipper_email", "str", "shipper e-mail(s), ';'-separated"),
    Column("shipper_phone", "str", "shipper phone(s), ';'-separated, as declared"),
    Column("shipper_id", "str", "shipper identifier (tax id, USCI, EORI, account number)"),
    Column("consignee_name", "str", "consignee / buyer / addressee name"),
    Column("consignee_address", "str", "consignee address, one line"),
    Column("consignee_country", "country", "consignee country, ISO2"),
    Column("consignee_email", "str", "consignee e-mail(s), ';'-separated"),
    Column("consignee_phone", "str", "consignee phone(s), ';'-separated"),
    Column("consignee_id", "str", "consignee identifier (RFC, EIN, EORI, importer number)"),
    Column("notify_name", "str", "notify party name"),
    Column("notify_address", "str", "notify party address"),
    Column("notify_country", "country", "notify party country, ISO2"),
    Column("notify_email", "str", "notify party e-mail(s)"),
    Column("notify_phone", "str", "notify party phone(s)"),
    Column("forwarder_name", "str", "forwarder / consolidator / agent name"),
    Column("forwarder_country", "country", "forwarder country, ISO2"),
    # -- route (RF-C*)
    Column("origin_country", "country", "country of origin of the goods, ISO2"),
    Column("port_of_loading", "str", "port/airport of loading or office of posting, as declared"),
    Column("transshipment_ports", "list", "transshipment ports/airports in order, ';'-separated"),
    Column("port_of_discharge", "str", "port/airport of discharge, as declared"),
    Column("final_destination_country", "country", "final destination country, ISO2"),
    Column(
        "routing_countries",
        "countries",
        "countries the consignment passes, in order, ISO2 ';'-separated (as declared; may be empty)",
    ),
    # -- goods (RF-A*)
    Column(
        "description", "str", "goods description, free text, any language (truncated at 100k chars)"
    ),
    Column(
        "hs_code", "hs", "declared HS/HTS code, digits only as declared ('2933.39' -> '293339')"
    ),
    Column("quantity", "float", "declared quantity (pieces or quantity_unit)"),
    Column("quantity_unit", "str", "unit of quantity (PCS, KG, L, CTN ...), upper case"),
    Column(
        "gross_weight_kg",
        "float",
        "gross weight in kilograms (converted from lb/t when a unit is given)",
    ),
    Column("declared_value", "float", "declared value in currency"),
    Column("currency", "str", "ISO 4217 currency code, upper case"),
    Column(
        "category",
        "str",
        "declared item category (CN 23: gift, sample, sale, documents, returned, other)",
    ),
    Column("payment_method", "str", "payment method (T/T, card, crypto, cash, ...)"),
    Column("permit_ref", "str", "permit / licence references (PEN, DEA 452/486, import licence)"),
    Column("marks", "str", "marks and numbers"),
    Column("notes", "str", "free-text notes, handling information, customer note"),
)

RECORD_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS)
FLOAT_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.kind == "float")
STRING_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.kind not in ("float", "int"))
COUNTRY_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.kind == "country")
LIST_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.kind in ("list", "countries"))

# A file without a goods description cannot be screened for goods at all; everything else is
# optional because real extracts are sparse (about 40% missing values in vendor BoL data).
REQUIRED_COLUMNS: tuple[str, ...] = ("description",)

MODES: tuple[str, ...] = ("sea", "air", "express", "postal", "road", "rail", "unknown")
PARTY_ROLES: tuple[str, ...] = ("shipper", "consignee", "notify", "forwarder")

# records.csv / records.parquet: these first, then RECORD_COLUMNS minus record_id, then extras.
RESULT_LEAD_COLUMNS: tuple[str, ...] = (
    "record_id",
    "risk_score",
    "risk_level",
    "flags",
    "top_reason",
)

ERROR_COLUMNS: tuple[str, ...] = (
    "record_id",
    "source_file",
    "source_row",
    "field",
    "severity",
    "reason",
)

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class RecordError:
    """One problem with one input record, or with a whole file (source_row 0).

    ``severity`` is ``"error"`` when the record is rejected (not in the results) and
    ``"warning"`` when it was screened with the named field cleared or truncated.
    """

    record_id: str
    source_file: str
    source_row: int
    field: str
    severity: Severity
    reason: str


def empty_records(extra_columns: tuple[str, ...] = ()) -> pd.DataFrame:
    """An empty canonical records frame with the right dtypes."""
    data: dict[str, pd.Series] = {}
    for column in COLUMNS:
        if column.kind == "float":
            data[column.name] = pd.Series([], dtype="float64")
        elif column.kind == "int":
            data[column.name] = pd.Series([], dtype="int64")
        else:
            data[column.name] = pd.Series([], dtype=object)
    for name in extra_columns:
        data[name] = pd.Series([], dtype=object)
    return pd.DataFrame(data)


def errors_frame(errors: list[RecordError]) -> pd.DataFrame:
    """The errors.csv table for a list of problems, in the order given."""
    if not errors:
        return empty_errors()
    frame = pd.DataFrame(
        {
            "record_id": [e.record_id for e in errors],
            "source_file": [e.source_file for e in errors],
            "source_row": pd.Series([e.source_row for e in errors], dtype="int64"),
            "field": [e.field for e in errors],
            "severity": [e.severity for e in errors],
            "reason": [e.reason for e in errors],
        }
    )
    return frame


def empty_errors() -> pd.DataFrame:
    """An empty errors table with the right columns and dtypes."""
    return pd.DataFrame(
        {
            name: pd.Series([], dtype="int64" if name == "source_row" else object)
            for name in ERROR_COLUMNS
        }
    )
