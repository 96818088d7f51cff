"""Decode Chinese Commercial (telegraph) Codes, four digits per character, to Chinese characters.

The table is ``data/lists/chinese_telegraph_codes.csv``, taken from the Unicode Han Database
(Unihan) field kMainlandTelegraph. Without the table the code stays an identifier only.
"""

from __future__ import annotations

import csv
import io
import re
from functools import cache
from importlib import resources

__all__ = ["decode_telegraph", "telegraph_table"]

_CODE = re.compile(r"\d{4}")


@cache
def telegraph_table() -> dict[str, str]:
    """code -> character; empty when the table file is absent."""
    path = resources.files("interdiction") / "data" / "lists" / "chinese_telegraph_codes.csv"
    if not path.is_file():
        return {}
    rows = csv.reader(io.StringIO(path.read_text("utf-8")))
    return {row[0]: row[1] for row in rows if len(row) >= 2 and _CODE.fullmatch(row[0])}


def decode_telegraph(code: str) -> str:
    """Turn "1728 4320" into its characters; "" when any group is unknown or malformed.

    Args:
        code: four-digit groups separated by white space.

    Returns:
        The characters, or "" when the code cannot be decoded in full.
    """
    groups = code.split()
    table = telegraph_table()
    if not groups or not table or not all(_CODE.fullmatch(g) for g in groups):
        return ""
    chars = [table.get(group, "") for group in groups]
    return "".join(chars) if all(chars) else ""
