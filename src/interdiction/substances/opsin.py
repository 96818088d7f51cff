"""Systematic (IUPAC) names to SMILES through OPSIN, the jar shipped inside the py2opsin wheel.

OPSIN runs as ``java -jar`` in a subprocess (JVM start ~0.5-1 s), so callers use it last, only
for text that is nothing else, and give a batch all its names in one call. We call the jar
directly rather than ``py2opsin.py2opsin`` because that writes a temporary file into the
current directory, which races when several processes run at once.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

from interdiction.errors import InputError

__all__ = ["OPSIN_TIMEOUT_S", "opsin_available", "opsin_smiles", "opsin_one"]

# One JVM start plus OPSIN's own parse of a few thousand names stays well under this.
OPSIN_TIMEOUT_S = 60.0


@lru_cache(maxsize=1)
def _jar() -> Path | None:
    try:
        folder = resources.files("py2opsin")
    except ModuleNotFoundError:
        return None
    jars = sorted(Path(str(folder)).glob("opsin*.jar"))
    return jars[-1] if jars else None


def opsin_available() -> bool:
    """True when both Java and the OPSIN jar are present."""
    return shutil.which("java") is not None and _jar() is not None


def opsin_smiles(names: Sequence[str]) -> list[str]:
    """SMILES for each name, "" where OPSIN cannot interpret it; one JVM for the whole list.

    Args:
        names: single-line names (newlines inside a name would shift the output lines, so
            they are replaced by spaces).

    Returns:
        One string per name, in order.

    Raises:
        InputError: when Java or the jar is missing, or OPSIN fails as a whole.
    """
    if not names:
        return []
    jar = _jar()
    java = shutil.which("java")
    if jar is None or java is None:
        raise InputError(
            "systematic names need OPSIN (Java 17+ and the py2opsin package); install them, "
            "or give a SMILES instead."
        )
    lines = [" ".join(name.split()) for name in names]
    try:
        done = subprocess.run(
            [java, "-jar", str(jar), "-osmi"],
            input="\n".join(lines) + "\n",
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=OPSIN_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InputError(f"OPSIN could not run ({exc}); give a SMILES instead.") from exc
    if done.returncode != 0:
        raise InputError(
            f"OPSIN failed (exit {done.returncode}): {done.stderr.strip()[:200]}; "
            "give a SMILES instead."
        )
    out = done.stdout.split("\n")
    # OPSIN writes exactly one line per input line, empty when the name is not understood.
    return [(out[i].strip() if i < len(out) else "") for i in range(len(lines))]


@lru_cache(maxsize=4096)
def opsin_one(name: str) -> str:
    """SMILES for one name ("" when OPSIN cannot interpret it), cached per process."""
    return opsin_smiles([name])[0]
