"""Pieces every list loader shares: the load result, text cleaning and CSV reading."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from interdiction.errors import InputFileError
from interdiction.parties.model import ListedEntity

__all__ = [
    "LoadResult",
    "MAX_NAME_CHARS",
    "MAX_FIELD_CHARS",
    "clean_text",
    "decode_bytes",
    "read_bytes",
    "csv_rows",
    "expand_paths",
    "TruncatedCsvError",
]

# A listed name is at most a few hundred characters (the longest OFAC SDN name is ~350);
# a 10 kB "name" is a corrupt or hostile row, so it is refused rather than indexed.
MAX_NAME_CHARS = 1_000
# Remarks are cut by OFAC at 1,000 characters and continued in sdn_comments.csv; joined they
# stay well under this bound. Larger fields are cut and reported.
MAX_FIELD_CHARS = 100_000


@dataclass(frozen=True)
class LoadResult:
    """What one loader read from one set of files.

    Attributes:
        source: list code ("ofac-sdn", "un", "uk", "opensanctions", "watchlist").
        entities: the entities read, in file order.
        problems: one line per problem (row number and what is wrong); rows with a
            problem are either skipped or loaded without the bad part, as the line says.
        rejected_rows: rows that could not be read at all (structure broken, no name...).
            A store refuses an import with rejected rows unless told to accept a partial list.
        truncated: the file looks cut short (unterminated quote, missing end marker,
            unclosed XML); never import such a file as a new version.
        files: the files read.
    """

    source: str
    entities: tuple[ListedEntity, ...]
    problems: tuple[str, ...] = ()
    rejected_rows: int = 0
    truncated: bool = False
    files: tuple[Path, ...] = field(default=())


def clean_text(text: str) -> str:
    """Drop control characters and collapse runs of white space.

    Args:
        text: a field as read from a file.

    Returns:
        The text with C0/C1 controls, format characters other than joiners and
        surrounding white space removed; inner white space runs become one space.
    """
    if text.isascii() and text.isprintable():
        return " ".join(text.split())
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category == "Cc" or (category == "Cf" and char not in "\u200c\u200d"):
            kept.append(" ")
        elif category in ("Cs", "Co", "Cn"):
            continue
        else:
            kept.append(char)
    return " ".join("".join(kept).split())


def read_bytes(path: Path) -> bytes:
    """Read a whole file, turning OS errors into an InputFileError that names the file."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"cannot read {path}: {exc.strerror or exc}. Check the path.") from exc


def decode_bytes(data: bytes, *, encoding: str = "utf-8") -> str:
    """Decode file bytes: the given encoding first, then cp1252, then latin-1 (never fails).

    A UTF-8 byte order mark is dropped.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        encoding = "utf-8"
    for candidate in (encoding, "cp1252"):
        try:
            return data.decode(candidate)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def csv_rows(text: str, *, path: Path, problems: list[str]) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, fields) for each CSV row; stop with a problem at a broken quote.

    An unterminated quoted field means the file was cut short: the rows before it are
    yielded, the problem names the line, and nothing after it is read.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.append(
                f"{path.name} line {line}: broken CSV ({exc}); the file looks truncated or "
                "mis-quoted, nothing after this line was read"
            )
            raise TruncatedCsvError from exc
        yield line, row


class TruncatedCsvError(Exception):
    """Internal signal: csv_rows stopped at a broken row."""


def expand_paths(paths: Sequence[Path], names: Sequence[str]) -> dict[str, Path]:
    """Map well-known file names to paths, looking inside folders for them.

    Args:
        paths: files or folders given by the user.
        names: the file names a loader knows (e.g. "sdn.csv", "alt.csv").

    Returns:
        file name -> path; a later path wins over an earlier one.

    Raises:
        InputFileError: a path does not exist, or a file has a name the loader does not know.
    """
    found: dict[str, Path] = {}
    for path in paths:
        if path.is_dir():
            for name in names:
                candidate = path / name
                if candidate.is_file():
                    found[name] = candidate
        elif path.is_file():
            name = path.name.lower()
            if name not in names:
                raise InputFileError(
                    f"{path}: unknown file name; expected one of {', '.join(names)}. "
                    "Rename the file or give the folder holding it."
                )
            found[name] = path
        else:
            raise InputFileError(f"{path} does not exist. Check the path.")
    return found
