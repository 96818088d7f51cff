"""Weights and money written with their unit in the cell, for normalise.py.

Exports write a weight with its unit ("12.5 kg", "800 g", "42344 lb", "18.31 t") and an amount
with its currency ("$1,250.00", "21.968,76 €", "USD 400", "RMB 500"). Read as bare numbers,
"800 g" would be 800 kg and "42344 lb" 42,344 kg; and a value without its currency cannot be
compared with a price floor. The unit words, symbols and names are data:
``data/mappings/weight_units.yaml`` and ``data/mappings/currencies.yaml``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

import yaml

from interdiction.errors import ReferenceDataError

__all__ = [
    "amount_currency",
    "cell_weight_unit",
    "column_weight_units",
    "currency_code",
    "weight_units",
]

# A number with text before or after it: "USD 3,400.00", "21.968,76 €", "-1,250 kg", "$1,250".
_AMOUNT = re.compile(r"^\s*(?P<before>[^\d+\-.,]*?)\s*[-+]?\s*[\d][\d\s.,']*(?P<after>.*?)\s*$")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKC", text).casefold().strip().rstrip(".")
    return re.sub(r"\s+", " ", decomposed)


def _data(name: str) -> dict[str, object]:
    path = resources.files("interdiction") / "data" / "mappings" / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not data.get("version") or not data.get("source"):
        raise ReferenceDataError(f"{name} needs a `version`, a `source` and its entries.")
    return data


def _entries(data: dict[str, object], name: str, key: str, *fields: str) -> list[dict[str, object]]:
    entries = data.get(key)
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and e.get("source") and all(f in e for f in fields) for e in entries
    ):
        raise ReferenceDataError(
            f"{name}: every `{key}` entry needs {', '.join(fields)} and a source."
        )
    return entries


@lru_cache(maxsize=1)
def weight_units() -> dict[str, float]:
    """Folded unit word -> kilograms per unit, for units written in a weight cell or header.

    Raises:
        ReferenceDataError: weight_units.yaml is malformed or an entry has no source.
    """
    data = _data("weight_units.yaml")
    table: dict[str, float] = {}
    for entry in _entries(data, "weight_units.yaml", "units", "kg", "words"):
        for word in entry["words"]:  # type: ignore[attr-defined]
            table[_fold(str(word))] = float(entry["kg"])  # type: ignore[arg-type]
    return table


@lru_cache(maxsize=1)
def column_weight_units() -> dict[str, float]:
    """Unit words and the one-letter AMS codes (K, L, T) read in a weight-unit column; "" is kg."""
    data = _data("weight_units.yaml")
    table = {"": 1.0, **weight_units()}
    for entry in _entries(data, "weight_units.yaml", "column_codes", "code", "kg"):
        table[_fold(str(entry["code"]))] = float(entry["kg"])  # type: ignore[arg-type]
    return table


def cell_weight_unit(text: str) -> str | None:
    """The unit written after the number of a weight cell, folded ("800 g" -> "g"); ``""`` when
    there is none ("12.5", "N/A" give ""); None when the cell holds a number and a word that is
    not a weight unit ("12 bags")."""
    match = _AMOUNT.match(text)
    if match is None or match.group("before").strip():
        return ""
    unit = _fold(match.group("after"))
    if not unit:
        return ""
    return unit if unit in weight_units() else None


@lru_cache(maxsize=1)
def _currency_tables() -> tuple[frozenset[str], dict[str, str]]:
    """(ISO 4217 alphabetic codes, folded name / symbol / numeric code -> ISO code)."""
    from babel import Locale
    from babel.numbers import list_currencies

    codes = frozenset(list_currencies())
    data = _data("currencies.yaml")
    table: dict[str, str] = {}
    for entry in _entries(data, "currencies.yaml", "locales", "code"):
        for code, name in Locale.parse(str(entry["code"])).currencies.items():
            if code in codes:
                table.setdefault(_fold(name), code)
    for key, field in (("names", "text"), ("symbols", "symbol"), ("numeric", "code")):
        for entry in _entries(data, "currencies.yaml", key, field, "currency"):
            currency = str(entry["currency"])
            if currency not in codes:
                raise ReferenceDataError(
                    f"currencies.yaml: {key}: {currency!r} is not an ISO 4217 code."
                )
            table[_fold(str(entry[field]))] = currency
    return codes, table


def currency_code(text: str) -> str:
    """ISO 4217 code for a currency as written ("美元", "usd", "US Dollar", "840", "€");
    ``""`` when the text names no currency we know."""
    folded = _fold(text)
    if not folded:
        return ""
    codes, table = _currency_tables()
    if folded.upper() in codes:
        return folded.upper()
    return table.get(folded, "")


def amount_currency(text: str) -> str:
    """ISO 4217 code of the currency written with an amount ("$1,250.00" -> "USD",
    "21.968,76 €" -> "EUR", "RMB 500" -> "CNY"); ``""`` when it names none."""
    match = _AMOUNT.match(text)
    if match is None:
        return ""
    before, after = match.group("before").strip(), match.group("after").strip()
    if before and after:
        return ""  # "approx. 5 USD" or "USD 5 each": not one currency marker
    return currency_code(before or after)
