"""Split an SD file into records, one at a time, without parsing the structures.

A record is everything up to a "$$$$" line. Its molfile (up to "M  END") becomes the record's
text; its data items ("> <name>" then value lines) become ``extra``. A record that is broken
(no "M  END", undecodable bytes, too large) is still yielded, with an error, and the next
record is read normally: RDKit's own SDF supplier is not used because it cannot hand back the
text of a record it failed to parse.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from interdiction.substances.guards import MAX_INPUT_CHARS
from interdiction.substances.textfile import DecodedLine

__all__ = ["SdfRecord", "sdf_records"]

_DATA_HEADER = re.compile(r"^>.*?<([^>]*)>")


@dataclass(frozen=True)
class SdfRecord:
    """One SD record.

    Attributes:
        index: 1-based record number.
        molblock: the molfile text (title line to "M  END"), or the raw text when broken.
        error: "" when the record looks whole, else what is wrong.
        props: data items; the title line (when not blank) under "title".
        encoding: "cp1252" when some line fell back to Windows-1252.
    """

    index: int
    molblock: str
    error: str = ""
    props: dict[str, str] = field(default_factory=dict)
    encoding: str = ""


def _finish(index: int, lines: list[str], errors: list[str], encoding: str, size: int) -> SdfRecord:
    end = next((i for i, line in enumerate(lines) if line.startswith("M  END")), -1)
    props: dict[str, str] = {}
    if lines and lines[0].strip():
        props["title"] = lines[0].strip()
    if end >= 0:
        molblock = "\n".join(lines[: end + 1]) + "\n"
        key = ""
        values: list[str] = []
        for line in [*lines[end + 1 :], ""]:
            header = _DATA_HEADER.match(line)
            if header:
                key, values = header.group(1), []
            elif key and line.strip() == "":
                props[key] = "\n".join(values)
                key = ""
            elif key:
                values.append(line)
    else:
        molblock = "\n".join(lines) + "\n"
        errors.append(
            f"SDF record {index} has no 'M  END' line (broken or truncated record); "
            "the following records are still read"
        )
    if size > MAX_INPUT_CHARS:
        errors.insert(
            0,
            f"SDF record {index} is {size} characters, over the limit of {MAX_INPUT_CHARS}; "
            "only its start is kept",
        )
    return SdfRecord(index, molblock, "; ".join(errors), props, encoding)


def sdf_records(lines: Iterable[DecodedLine]) -> Iterator[SdfRecord]:
    """Records of an SD file, in order; memory holds one record (capped) at a time."""
    index = 0
    current: list[str] = []
    errors: list[str] = []
    encoding = ""
    size = 0
    for line in lines:
        if line.text.startswith("$$$$"):
            index += 1
            yield _finish(index, current, errors, encoding, size)
            current, errors, encoding, size = [], [], "", 0
            continue
        size += len(line.text) + 1
        if size <= MAX_INPUT_CHARS:
            current.append(line.text)
        if line.error and len(errors) < 3:
            errors.append(line.error)
        if line.encoding:
            encoding = line.encoding
    if any(text.strip() for text in current):
        index += 1
        yield _finish(index, current, errors, encoding, size)
