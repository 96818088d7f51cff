"""Bring names in any script to lower-case Latin words the way sanctions lists write them.

Chinese (traditional or simplified, OpenCC turns the former into the latter) is cut into place
names, business words, legal forms and the remaining trade name or person name: places and trade
names become one pinyin word each (上海慈顺 -> "shanghai cishun", as OFAC writes SHANGHAI CISHUN),
business words are translated (化工 -> "chemical") so characters meet an English list name,
legal forms are marked for folding. Other scripts go through anyascii (Cyrillic, Greek, Arabic,
Hebrew, Hangul, Thai, kana).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from anyascii import anyascii

from interdiction.errors import ReferenceDataError

__all__ = [
    "TABLES",
    "Transliteration",
    "has_cjk",
    "is_abjad",
    "transliterate",
]

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
# Arabic and Hebrew are written without short vowels: "محمد" reads "mhmd", not "mohamed";
# Thai leaves inherent vowels unwritten too ("สมชาย" reads "smchay" for Somchai).
_ABJAD = re.compile(
    r"[\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\u0e00-\u0e7f\ufb50-\ufdff\ufe70-\ufeff]"
)
# Administrative suffixes after a place name: 湖北省武汉市 = Hubei (province) Wuhan (city);
# lists write the place alone (HUBEI, WUHAN).
_ADMIN_SUFFIXES = frozenset("省市区县")
# Compound surnames keep their two characters together: 欧阳修 -> "ouyang xiu".
_COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "诸葛",
        "上官",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "令狐",
        "独孤",
        "端木",
        "南宫",
        "西门",
    ]
)


@dataclass(frozen=True)
class Transliteration:
    """Latin text for a name, with the legal forms and translations found on the way.

    Attributes:
        text: lower-case Latin text (legal forms already taken out of Chinese parts).
        legal_forms: canonical legal forms found in Chinese parts ("co ltd").
        notes: what was read how, e.g. "化工 read as chemical".
        scripts: scripts met besides Latin ("Han", "Cyrillic", ...).
        abjad: the name came from Arabic or Hebrew script (vowels missing).
    """

    text: str
    legal_forms: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    scripts: tuple[str, ...] = ()
    abjad: bool = False


TABLES = (
    "legal_forms.csv",
    "abbreviations.csv",
    "business_words_zh.csv",
    "place_names_zh.csv",
    "generic_words.csv",
)


@cache
def _data_rows(name: str) -> list[dict[str, str]]:
    """Rows of a table in interdiction/data/parties ("#" lines are comments).

    Raises:
        ReferenceDataError: a row lacks a value, or its citation/why, or the file has no version.
    """
    path = resources.files("interdiction") / "data" / "parties" / name
    with path.open(encoding="utf-8") as handle:
        text = handle.read()
    if "# version:" not in text:
        raise ReferenceDataError(f"data/parties/{name} has no '# version:' line; add one.")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    rows = list(csv.DictReader(lines))
    for number, row in enumerate(rows, start=2):
        empty = [k for k, v in row.items() if k is None or v is None or not v.strip()]
        if empty:
            raise ReferenceDataError(
                f"data/parties/{name} row {number}: no value for {', '.join(map(str, empty))}; "
                "every entry needs all columns, including its citation."
            )
    return rows


@cache
def _chinese_words() -> dict[str, tuple[str, str]]:
    """Chinese word -> (kind, latin) for legal forms, business words and place names."""
    words: dict[str, tuple[str, str]] = {}
    for row in _data_rows("place_names_zh.csv"):
        words[row["chinese"]] = ("place", row["latin"])
    for row in _data_rows("business_words_zh.csv"):
        words[row["chinese"]] = ("business", row["english"])
    for row in _data_rows("legal_forms.csv"):
        if _CJK.fullmatch(row["form"]):
            words[row["form"]] = ("legal", row["canonical"])
    return words


@cache
def _converter() -> object | None:
    try:
        import opencc
    except ImportError:  # pragma: no cover - opencc is a dependency; degrade to no conversion
        return None
    return opencc.OpenCC("t2s")


def _simplified(text: str) -> str:
    converter = _converter()
    if converter is None:  # pragma: no cover
        return text
    return str(converter.convert(text))  # type: ignore[attr-defined]


def _pinyin(chars: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin

    # Names are written without tones and with u for ü (吕 -> lu), as OFAC does.
    return [anyascii(s).lower() for s in lazy_pinyin(chars, style=Style.NORMAL, v_to_u=True)]


def _person(chars: str) -> str:
    """张磊 -> "zhang lei"; 欧阳修 -> "ouyang xiu": surname, then the given name as one word."""
    split = 2 if chars[:2] in _COMPOUND_SURNAMES else 1
    return f"{''.join(_pinyin(chars[:split]))} {''.join(_pinyin(chars[split:]))}"


def _chinese_run(run: str, legal: list[str], notes: list[str], company: bool) -> str:
    """Cut one run of Chinese characters into words; return its Latin rendering."""
    words = _chinese_words()
    longest = max(len(w) for w in words)
    parts: list[str] = []
    rest = ""
    hits = 0
    i = 0
    while i < len(run):
        for size in range(min(longest, len(run) - i), 0, -1):
            found = words.get(run[i : i + size])
            if found is not None:
                break
        else:
            rest += run[i]
            i += 1
            continue
        if rest:
            parts.append("".join(_pinyin(rest)))
            rest = ""
        kind, latin = found
        word = run[i : i + size]
        hits += 1
        if kind == "legal":
            legal.append(latin)
        elif kind == "place" and i + size < len(run) and run[i + size] in _ADMIN_SUFFIXES:
            parts.append(latin)
            size += 1
        else:
            parts.append(latin)
            if kind == "business":
                notes.append(f"{word} read as {latin}")
        i += size
    if hits == 0 and not company and 2 <= len(run) <= 4:
        return _person(run)
    if rest:
        parts.append("".join(_pinyin(rest)))
    return " ".join(parts)


def has_cjk(text: str) -> bool:
    """True when the text holds Chinese characters."""
    return _CJK.search(text) is not None


def is_abjad(text: str) -> bool:
    """True when the text holds Arabic or Hebrew letters."""
    return _ABJAD.search(text) is not None


def _script_names(text: str) -> tuple[str, ...]:
    found: set[str] = set()
    for char in text:
        if ord(char) < 0x250 or not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        found.add(name.split(" ")[0].title() if name else "Unknown")
    return tuple(sorted("Han" if s == "Cjk" else s for s in found))


def transliterate(text: str) -> Transliteration:
    """Latin rendering of a name in any script.

    Args:
        text: the name, already NFKC-normalised.

    Returns:
        Transliteration with lower-case text, Chinese legal forms, notes and the scripts met.
    """
    if text.isascii():
        return Transliteration(text.lower())
    scripts = _script_names(text)
    legal: list[str] = []
    notes: list[str] = []
    if has_cjk(text):
        text = _simplified(text)
        # 慈顺（上海）精细化工: a run without known words is a trade name when the whole name is
        # a company's, a person's name otherwise (张磊 -> "zhang lei").
        company = any(word in text for word in _chinese_words())
        text = _CJK.sub(lambda m: f" {_chinese_run(m.group(0), legal, notes, company)} ", text)
    if _HANGUL.search(text):
        # Each Hangul block is one syllable; lists write Korean names syllable by syllable.
        text = _HANGUL.sub(lambda m: f" {anyascii(m.group(0))} ", text)
    abjad = is_abjad(text)
    latin = anyascii(text).lower()
    return Transliteration(latin, tuple(legal), tuple(notes), scripts, abjad)
