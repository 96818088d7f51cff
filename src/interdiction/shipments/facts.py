"""Per-partition facts the rules share (folded text, HS digits, dates, chemicals found), computed
once with vectorised pandas operations, and the sink that collects fired flags."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property

import numpy as np
import pandas as pd

from interdiction.shipments.context import ScreeningContext
from interdiction.shipments.goods import Chemical, ChemicalStatus, Mention
from interdiction.shipments.terms import fold_series

__all__ = ["FLAG_COLUMNS", "Facts", "FlagSink"]

FLAG_COLUMNS: tuple[str, ...] = ("record_id", "rule_id", "weight", "evidence", "source")


def _text(records: pd.DataFrame, column: str) -> pd.Series:
    if column not in records.columns:
        return pd.Series([""] * len(records), index=records.index, dtype=object)
    return records[column].fillna("").astype(str)


def _number(records: pd.DataFrame, column: str) -> np.ndarray:
    if column not in records.columns:
        return np.full(len(records), np.nan)
    return np.asarray(pd.to_numeric(records[column], errors="coerce"), dtype=float)


class Facts:
    """Read-only view of one partition with derived columns (row positions 0..n-1)."""

    def __init__(self, records: pd.DataFrame, ctx: ScreeningContext) -> None:
        self.records = records
        self.ctx = ctx
        self.n = len(records)
        self.record_ids = _text(records, "record_id").to_numpy()

    def text(self, column: str) -> pd.Series:
        """A string column with "" for missing, positional index (cached)."""
        cache = self.__dict__.setdefault("_text", {})
        if column not in cache:
            cache[column] = _text(self.records, column).reset_index(drop=True)
        return cache[column]

    def values(self, column: str) -> list[str]:
        """A string column as a Python list (fast per-row access in loops), cached."""
        cache: dict[str, list[str]] = self.__dict__.setdefault("_values", {})
        if column not in cache:
            cache[column] = self.text(column).tolist()
        return cache[column]

    def number(self, column: str) -> np.ndarray:
        """A float column (NaN for missing)."""
        return _number(self.records, column)

    def folded(self, column: str) -> pd.Series:
        """A string column folded for term matching (NFKC, case-folded)."""
        cache = self.__dict__.setdefault("_folded", {})
        if column not in cache:
            cache[column] = fold_series(self.text(column))
        return cache[column]

    @cached_property
    def goods_text(self) -> pd.Series:
        """Description, marks and notes, folded and joined with ' | '."""
        return (
            self.folded("description") + " | " + self.folded("marks") + " | " + self.folded("notes")
        )

    @cached_property
    def hs(self) -> pd.Series:
        """Declared HS digits ("" when none)."""
        return self.text("hs_code").str.replace(r"\D", "", regex=True)

    @cached_property
    def chapter(self) -> pd.Series:
        """Declared HS chapter (two digits, "" when fewer than two digits were declared)."""
        return self.hs.where(self.hs.str.len() >= 2, "").str[:2]

    @cached_property
    def dates(self) -> list[date]:
        """Shipment date per row; rows without a date get the context's 'today'."""
        parsed = pd.to_datetime(self.text("date"), errors="coerce", format="%Y-%m-%d")
        today = self.ctx.today
        return [d.date() if not pd.isna(d) else today for d in parsed]

    @cached_property
    def editions(self) -> list[str]:
        """HS edition in force per row."""
        cache: dict[date, str] = {}
        out = []
        for day in self.dates:
            if day not in cache:
                cache[day] = self.ctx.hs.edition_on(day)
            out.append(cache[day])
        return out

    @cached_property
    def _scan(self) -> tuple[dict[int, list[Mention]], list[tuple[int, str, str]]]:
        mentions, typos = self.ctx.goods.mentions(self.goods_text)
        if self.ctx.systematic is not None:
            mentions.extend(self.ctx.systematic.mentions(self.goods_text))
        # "Fentanyl Test Strips": the listed name is what the product detects, not what it is.
        test_kits = self.has_terms("test_kit_terms", "description")
        by_row: dict[int, list[Mention]] = {}
        for mention in mentions:
            if test_kits[mention.position]:
                continue
            row = by_row.setdefault(mention.position, [])
            if all(m.chemical != mention.chemical for m in row):
                row.append(mention)
        return by_row, typos

    @property
    def mentions(self) -> dict[int, list[Mention]]:
        """Distinct chemicals found per row position."""
        return self._scan[0]

    @property
    def cas_typos(self) -> list[tuple[int, str, str]]:
        """(position, written, listed CAS) for CAS numbers off only in the check digit."""
        return self._scan[1]

    def chemicals(self, position: int) -> list[tuple[Mention, Chemical, ChemicalStatus]]:
        """Chemicals named in a row with their status on the row's date."""
        goods = self.ctx.goods
        day = self.dates[position]
        return [
            (m, goods.chemicals[m.chemical], goods.status(m.chemical, day))
            for m in self.mentions.get(position, [])
        ]

    @cached_property
    def listed_rows(self) -> np.ndarray:
        """Rows naming a chemical that is listed somewhere on the row's date."""
        flags = np.zeros(self.n, dtype=bool)
        for position in self.mentions:
            flags[position] = any(s.listed_in() for _, _, s in self.chemicals(position))
        return flags

    def has_terms(self, list_name: str, column: str = "goods") -> np.ndarray:
        """Rows whose column (or the goods text) contains a term of a word list."""
        series = self.goods_text if column == "goods" else self.folded(column)
        return self.ctx.index(list_name).mask(series)

    @cached_property
    def has_permit(self) -> np.ndarray:
        """Rows that give a permit reference: the permit column, or a permit named in the notes
        or marks ("DEA Form 452 filed", "PEN 2024-118", "permiso COFEPRIS ..."). Whether the
        permit is real is for the officer to check; the record no longer says it has none."""
        given = (self.text("permit_ref").str.strip() != "").to_numpy()
        return np.asarray(
            given
            | self.has_terms("permit_phrases", "notes")
            | self.has_terms("permit_phrases", "marks"),
            dtype=bool,
        )

    @cached_property
    def documents_only(self) -> np.ndarray:
        """Rows that are a documents envelope: the goods text names only papers ("DOCUMENTS
        (INVOICES / B/L COPIES)", 文件), the parcel weighs at most 2 kg (or nothing is declared)
        and no chemical is named. A courier's DOX service carries no dutiable goods, so a zero
        value or a vague-sounding "documents" says nothing there."""
        candidates = self.ctx.index("document_terms").mask(self.folded("description"))
        result = np.zeros(self.n, dtype=bool)
        if not candidates.any():
            return result
        filler = self.ctx.index("filler_terms")
        documents = self.ctx.index("document_terms")
        weight = self.number("gross_weight_kg")
        texts = self.folded("description")
        for position in np.flatnonzero(candidates).tolist():
            text = texts.iat[position]
            for index in (documents, filler):
                for hit in sorted(index.find(text), key=lambda h: -len(h.matched)):
                    text = text.replace(hit.matched, " ")
            light = bool(np.isnan(weight[position]) or weight[position] <= 2.0)
            result[position] = light and not re.sub(r"[\W\d_]+", "", text)
        named = np.zeros(self.n, dtype=bool)
        named[list(self.mentions)] = True
        return result & ~named

    @cached_property
    def chemical_goods(self) -> np.ndarray:
        """Rows whose goods are chemicals: HS chapter 28/29/38, a named chemical, or chemical words."""
        by_hs = self.chapter.isin(["28", "29", "38"]).to_numpy()
        by_name = np.zeros(self.n, dtype=bool)
        by_name[list(self.mentions)] = True
        # A bare "powder" counts only in a description that names nothing more specific
        # ("powder, 1 kg" yes; "Mica Powder Set", "Nitrile gloves, powder-free" no).
        powder = self.has_terms("powder_words", "description") & self.vague_description
        return np.asarray(
            by_hs | by_name | self.has_terms("chemical_goods", "description") | powder, dtype=bool
        )

    @cached_property
    def vague_parts(self) -> tuple[np.ndarray, np.ndarray, pd.Series]:
        """(description made only of vague, unspecified-chemical and filler words; the words
        that made it so include an unspecified-chemical one; the stripped description)."""
        stripped = (
            self.folded("description")
            .str.replace(r"[^\w\s\u3400-\u9fff/%-]", " ", regex=True)
            .str.strip()
        )
        covered = np.zeros(self.n, dtype=bool)
        chemical = np.zeros(self.n, dtype=bool)
        by_row: dict[int, list[str]] = {}
        for list_name in ("unspecified_chemical", "vague_terms"):
            for hit in self.ctx.index(list_name).scan(stripped):
                by_row.setdefault(hit.position, []).append(hit.matched)
                if list_name == "unspecified_chemical":
                    chemical[hit.position] = True
        filler = self.ctx.index("filler_terms")
        for position, matched in by_row.items():
            text = stripped.iat[position]
            for term in sorted(matched, key=len, reverse=True):
                text = text.replace(term, " ")
            for hit in filler.find(text):
                text = text.replace(hit.matched, " ")
            covered[position] = not text.strip()
        return covered, chemical, stripped

    @property
    def vague_description(self) -> np.ndarray:
        """Rows whose goods text is only vague words ("goods", "white powder sample", 样品)."""
        return self.vague_parts[0]

    def is_person(self, role: str) -> np.ndarray:
        """Rows whose party name looks like a private person (2-4 words, no organisation word)."""
        cache: dict[str, np.ndarray] = self.__dict__.setdefault("_person", {})
        if role in cache:
            return cache[role]
        names = self.folded(f"{role}_name")
        words = names.str.count(r"\S+").fillna(0).to_numpy()
        organisation = self.ctx.index("organisation_words").mask(names)
        letters_only = names.str.fullmatch(r"[^\d@]+").fillna(False).to_numpy(dtype=bool)
        cache[role] = (words >= 2) & (words <= 4) & ~organisation & letters_only
        return cache[role]

    def countries(self, position: int, *columns: str) -> list[str]:
        """ISO2 countries from the named columns (list columns split on ';'), in order, no blanks."""
        out: list[str] = []
        for column in columns:
            value = self.values(column)[position]
            out.extend(c for c in value.split(";") if c)
        return out


@dataclass
class FlagSink:
    """Collects fired flags; one row per (record, rule, evidence)."""

    facts: Facts

    def __post_init__(self) -> None:
        self.rows: list[tuple[str, str, float, str, str]] = []

    def add(
        self, rule_id: str, position: int, evidence: str, *, weight: float | None = None
    ) -> None:
        """Record that a rule fired on a row, with the evidence in plain words."""
        rules = self.facts.ctx.rules
        rule = rules.get(rule_id)
        self.rows.append(
            (
                str(self.facts.record_ids[position]),
                rule_id,
                rule.weight if weight is None else weight,
                evidence,
                rules.citation(rule_id),
            )
        )

    def add_all(self, rule_id: str, positions: Iterable[int], evidence: str) -> None:
        """The same evidence on many rows."""
        for position in positions:
            self.add(rule_id, int(position), evidence)

    def frame(self) -> pd.DataFrame:
        """The flags table (FLAG_COLUMNS)."""
        frame = pd.DataFrame(self.rows, columns=list(FLAG_COLUMNS))
        frame["weight"] = frame["weight"].astype(float)
        return frame
