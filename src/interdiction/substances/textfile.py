"""Open an input file (optionally gzipped) and yield its lines decoded, one at a time.

Encodings: a byte-order mark decides (UTF-8, UTF-16 LE/BE); UTF-16 without a mark is
recognised by its zero bytes. Otherwise each line is decoded as UTF-8, and a line that is not
UTF-8 falls back to Windows-1252 (what spreadsheet programs on Windows write); the line is
flagged so the row can say so. A line that neither decodes is kept with its error, never
dropped. Only a file that cannot be opened at all raises ``InputFileError``.
"""

from __future__ import annotations

import codecs
import gzip
import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from interdiction.errors import InputFileError

__all__ = ["DecodedLine", "open_binary", "decoded_lines", "is_gzip_name"]

_HEAD = 4096


@dataclass(frozen=True)
class DecodedLine:
    """One line of text (line ending removed) and how it was decoded.

    Attributes:
        text: the decoded line.
        number: 1-based physical line number in the file.
        encoding: "" for the file's main encoding, "cp1252" when this line fell back to it.
        error: why the line could not be decoded ("" when fine); ``text`` then holds a
            best-effort version with U+FFFD for the bad bytes.
    """

    text: str
    number: int
    encoding: str = ""
    error: str = ""


def is_gzip_name(path: Path) -> bool:
    """True when the file name ends in .gz."""
    return path.suffix.lower() == ".gz"


def open_binary(path: Path) -> IO[bytes]:
    """Open a file for binary reading, through gzip when its name ends in .gz.

    Raises:
        InputFileError: when the file is missing, unreadable, or not gzip despite its name.
    """
    try:
        handle: IO[bytes] = path.open("rb")
    except OSError as exc:
        raise InputFileError(f"cannot open {path}: {exc.strerror or exc}; check the path.") from exc
    if not is_gzip_name(path):
        return handle
    gz = gzip.GzipFile(fileobj=handle)
    try:
        gz.peek(1)
    except (OSError, EOFError, zlib.error) as exc:
        handle.close()
        raise InputFileError(
            f"{path} is named .gz but is not a readable gzip file ({exc}); "
            "decompress it or fix its name."
        ) from exc
    return gz  # type: ignore[return-value]


def _utf16_without_bom(head: bytes) -> str:
    even, odd = head[0::2], head[1::2]
    if len(head) >= 4 and odd.count(0) > 0.8 * len(odd):
        return "utf-16-le"
    if len(head) >= 4 and even.count(0) > 0.8 * len(even):
        return "utf-16-be"
    return ""


def decoded_lines(stream: IO[bytes], label: str) -> Iterator[DecodedLine]:
    """Decode a binary stream line by line (see the module docstring).

    Args:
        stream: the open file (closed by the caller).
        label: file name for messages.

    Raises:
        InputFileError: when the file is binary (zero bytes, not UTF-16) or breaks mid-read
            (a truncated gzip file).
    """
    buffered: IO[bytes] = stream if hasattr(stream, "peek") else io.BufferedReader(stream)  # type: ignore[type-var]
    try:
        head = buffered.peek(_HEAD)[:_HEAD]  # type: ignore[attr-defined]
    except (OSError, EOFError, zlib.error) as exc:
        raise InputFileError(f"cannot read {label}: {exc}") from exc
    if head.startswith(codecs.BOM_UTF8):
        yield from _text_lines(buffered, "utf-8-sig", label)
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        yield from _text_lines(buffered, "utf-16", label)
    elif b"\x00" in head:
        encoding = _utf16_without_bom(head)
        if not encoding:
            raise InputFileError(
                f"{label} looks like a binary file (it has zero bytes), not text; export it as "
                "CSV, SMILES or SDF text, or give it a .parquet name if it is Parquet."
            )
        yield from _text_lines(buffered, encoding, label)
    else:
        yield from _byte_lines(buffered, label)


def _text_lines(stream: IO[bytes], encoding: str, label: str) -> Iterator[DecodedLine]:
    wrapper = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline=None)
    number = 0
    try:
        for line in wrapper:
            number += 1
            text = line.rstrip("\r\n")
            error = (
                f"line {number} has bytes that are not valid {encoding}" if "\ufffd" in text else ""
            )
            yield DecodedLine(text, number, "", error)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputFileError(f"{label}: reading stopped after line {number}: {exc}") from exc
    finally:
        wrapper.detach()


def _decode(body: bytes, number: int) -> DecodedLine:
    try:
        return DecodedLine(body.decode("utf-8"), number)
    except UnicodeDecodeError:
        pass
    try:
        return DecodedLine(body.decode("cp1252"), number, "cp1252")
    except UnicodeDecodeError:
        return DecodedLine(
            body.decode("utf-8", errors="replace"),
            number,
            "",
            f"line {number} is neither UTF-8 nor Windows-1252 text; re-save the file as UTF-8",
        )


def _byte_lines(stream: IO[bytes], label: str) -> Iterator[DecodedLine]:
    number = 0
    try:
        for raw in stream:
            # A lone CR ends a line too (old Mac files; universal newlines).
            for body in raw.rstrip(b"\r\n").split(b"\r"):
                number += 1
                yield _decode(body, number)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputFileError(
            f"{label}: reading stopped after line {number} ({exc}); the file is truncated or "
            "corrupt: the rows before it were read."
        ) from exc
