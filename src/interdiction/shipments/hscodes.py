"""HS codes, edition-aware: which edition is in force on a day, which codes exist in it, which
subheadings name fentanyl or its precursors, and where a named chemical should be declared.

Data: ``data/hs/editions.yaml`` (editions, subheadings, watch set, chemicals) and
``data/hs/chapters.yaml`` (keywords per chapter). Example: NPP is 2933.39 under HS 2017 and
2933.37 under HS 2022, so "NPP" declared as 293339 on 2023-03-01 is a mismatch and on
2020-03-01 it is not.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from interdiction.errors import ReferenceDataError
from interdiction.shipments.terms import TermIndex

__all__ = ["HsTables", "data_path", "load_hs_tables", "read_yaml"]


def data_path(*parts: str) -> Path:
    """A file under the bundled ``interdiction/data`` folder."""
    return Path(str(resources.files("interdiction").joinpath("data", *parts)))


def read_yaml(path: Path) -> dict[str, Any]:
    """Read a YAML mapping with ``version`` and ``source``; raise ReferenceDataError otherwise."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ReferenceDataError(f"{path}: cannot read YAML ({exc}). Fix the file syntax.") from exc
    if not isinstance(data, dict):
        raise ReferenceDataError(f"{path}: expected a mapping at the top level.")
    for key in ("version", "source"):
        if not data.get(key):
            raise ReferenceDataError(
                f"{path}: missing {key!r}; every data file names its version and source."
            )
    return data


@dataclass(frozen=True)
class HsTables:
    """The loaded HS reference data."""

    edition_ids: tuple[str, ...]
    edition_starts: tuple[date, ...]
    subheadings: Mapping[str, tuple[str, ...]]
    descriptions: Mapping[str, str]
    watch: Mapping[str, Mapping[str, str]]
    chemicals: Mapping[str, Mapping[str, tuple[str, ...]]]
    chemical_citations: Mapping[str, str]
    default_controlled: Mapping[str, tuple[str, ...]]
    default_precursor: Mapping[str, tuple[str, ...]]
    chapter_titles: Mapping[str, str]
    chapter_index: TermIndex
    families: Mapping[str, str]

    def family_of(self, chapter: str) -> str:
        """The HS family (section group) of a two-digit chapter ("" when unknown)."""
        return self.families.get(chapter, "")

    def edition_on(self, day: date) -> str:
        """The HS edition in force on a day (the first edition for earlier days)."""
        index = bisect_right(self.edition_starts, day) - 1
        return self.edition_ids[max(index, 0)]

    def exists_in(self, code: str, edition: str) -> bool:
        """False only for a six-digit subheading this table knows and that the edition lacks."""
        editions = self.subheadings.get(code[:6])
        return editions is None or edition in editions

    def watch_label(self, code: str, edition: str) -> str:
        """Label of the watch-set subheading the declared code falls in ("" when none)."""
        return self.watch.get(edition, {}).get(code[:6], "")

    def expected(self, cas_numbers: tuple[str, ...], kind: str, edition: str) -> tuple[str, ...]:
        """HS prefixes where a chemical (by its CAS numbers and legal kind) should be declared."""
        for cas in cas_numbers:
            if cas in self.chemicals:
                return self.chemicals[cas].get(edition, ())
        table = self.default_controlled if kind == "controlled" else self.default_precursor
        return table.get(edition, ())


def _codes(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.isdigit() for v in value):
        raise ReferenceDataError(f"{where}: expected a list of HS digit strings like ['293339'].")
    return tuple(value)


@lru_cache(maxsize=4)
def load_hs_tables(directory: Path | None = None) -> HsTables:
    """Load ``editions.yaml`` and ``chapters.yaml`` from ``directory`` (default: bundled data).

    Raises:
        ReferenceDataError: naming the file and entry when something is malformed.
    """
    folder = directory or data_path("hs")
    path = folder / "editions.yaml"
    data = read_yaml(path)
    try:
        editions = sorted(
            ((date.fromisoformat(str(e["from"])), str(e["id"])) for e in data["editions"]),
        )
        subheadings = {str(s["code"]): tuple(s["editions"]) for s in data["subheadings"]}
        descriptions = {str(s["code"]): str(s["description"]) for s in data["subheadings"]}
        watch = {
            str(edition): {str(w["code"]): str(w["label"]) for w in rows}
            for edition, rows in data["watch"].items()
        }
        ids = [e for _, e in editions]
        chemicals: dict[str, dict[str, tuple[str, ...]]] = {}
        citations: dict[str, str] = {}
        for row in data["chemicals"]:
            if not row.get("citation"):
                raise ReferenceDataError(
                    f"{path}: chemical {row.get('cas')!r} has no citation; add one."
                )
            chemicals[str(row["cas"])] = {
                e: _codes(row[e], f"{path}: chemical {row['cas']}, {e}") for e in ids if e in row
            }
            citations[str(row["cas"])] = str(row["citation"])
        defaults = {
            name: {e: _codes(data[name][e], f"{path}: {name}.{e}") for e in ids}
            for name in ("default_controlled", "default_precursor")
        }
    except (KeyError, TypeError, ValueError) as exc:
        raise ReferenceDataError(
            f"{path}: malformed entry ({exc!r}); compare with the bundled editions.yaml."
        ) from exc
    chapters = read_yaml(folder / "chapters.yaml")
    pairs: list[tuple[str, str]] = []
    titles: dict[str, str] = {}
    for chapter, row in (chapters.get("chapters") or {}).items():
        code = str(chapter).zfill(2)
        if not isinstance(row, dict) or not isinstance(row.get("keywords"), list):
            raise ReferenceDataError(
                f"{folder / 'chapters.yaml'}: chapter {code} needs a keywords list."
            )
        titles[code] = str(row.get("title", ""))
        pairs.extend((str(k), code) for k in row["keywords"])
    families: dict[str, str] = {}
    for family, ranges in (chapters.get("families") or {}).items():
        for span in ranges:
            low, _, high = str(span).partition("-")
            for number in range(int(low), int(high or low) + 1):
                families[f"{number:02d}"] = str(family)
    return HsTables(
        edition_ids=tuple(ids),
        edition_starts=tuple(d for d, _ in editions),
        subheadings=subheadings,
        descriptions=descriptions,
        watch=watch,
        chemicals=chemicals,
        chemical_citations=citations,
        default_controlled=defaults["default_controlled"],
        default_precursor=defaults["default_precursor"],
        chapter_titles=titles,
        chapter_index=TermIndex(pairs),
        families=families,
    )
