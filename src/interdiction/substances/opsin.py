"""Systematic (IUPAC) names to SMILES through OPSIN, the jar shipped inside the py2opsin wheel.

OPSIN runs as ``java -jar`` in a subprocess (JVM start ~0.5-1.5 s), so callers use it last, only
for text that is nothing else. ``opsin_one`` keeps one OPSIN process per Python process and
asks it name by name (milliseconds each after the start); ``opsin_smiles`` runs a fresh one on
a whole list. We call the jar
directly rather than ``py2opsin.py2opsin`` because that writes a temporary file into the
current directory, which races when several processes run at once.
"""

from __future__ import annotations

import atexit
import os
import select
import shutil
import subprocess
import time
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

from interdiction.errors import InputError

__all__ = ["OPSIN_TIMEOUT_S", "opsin_available", "opsin_smiles", "opsin_one"]

# One JVM start plus OPSIN's own parse of a few thousand names stays well under this.
OPSIN_TIMEOUT_S = 60.0
# The machine is shared by batch workers that may each start one OPSIN: keep each JVM small.
_JVM_OPTIONS = ("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")


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
            [java, *_JVM_OPTIONS, "-jar", str(jar), "-osmi"],
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


class _Session:
    """One long-running OPSIN process: the JVM starts once, then each name takes milliseconds.

    OPSIN answers one line per input line and flushes each answer, so a name can be written
    and its answer read back. The process belongs to the process that started it: a forked
    batch worker starts its own.
    """

    def __init__(self, java: str, jar: Path) -> None:
        self.pid = os.getpid()
        self.proc = subprocess.Popen(
            [java, *_JVM_OPTIONS, "-jar", str(jar), "-osmi"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            # OPSIN explains failures on stderr; unread, a pipe would fill up and block it.
            stderr=subprocess.DEVNULL,
            bufsize=0,
        )

    def alive(self) -> bool:
        return self.pid == os.getpid() and self.proc.poll() is None

    def ask(self, name: str, timeout_s: float) -> str:
        stdin, stdout = self.proc.stdin, self.proc.stdout
        if stdin is None or stdout is None:  # never: both are pipes
            raise InputError("OPSIN is not connected; give a SMILES instead.")
        stdin.write((name + "\n").encode("utf-8"))
        stdin.flush()
        answer = b""
        deadline = time.monotonic() + timeout_s
        while not answer.endswith(b"\n"):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.close()
                raise InputError(
                    f"OPSIN gave no answer within {timeout_s:g} s; give a SMILES instead."
                )
            ready, _, _ = select.select([stdout], [], [], remaining)
            if ready:
                chunk = os.read(stdout.fileno(), 65536)
                if not chunk:
                    self.close()
                    raise InputError("OPSIN stopped unexpectedly; give a SMILES instead.")
                answer += chunk
        return answer.decode("utf-8", errors="replace").strip()

    def close(self) -> None:
        if self.pid == os.getpid() and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


_session: _Session | None = None


def _close_session() -> None:
    if _session is not None:
        _session.close()


atexit.register(_close_session)


@lru_cache(maxsize=4096)
def opsin_one(name: str) -> str:
    """SMILES for one name ("" when OPSIN cannot interpret it), cached per process.

    Uses one long-running OPSIN process per Python process (~1 s to start, then milliseconds
    per name).

    Raises:
        InputError: when Java or the jar is missing, or OPSIN fails or hangs.
    """
    global _session
    jar = _jar()
    java = shutil.which("java")
    if jar is None or java is None:
        raise InputError(
            "systematic names need OPSIN (Java 17+ and the py2opsin package); install them, "
            "or give a SMILES instead."
        )
    if _session is None or not _session.alive():
        try:
            _session = _Session(java, jar)
        except OSError as exc:
            raise InputError(f"OPSIN could not start ({exc}); give a SMILES instead.") from exc
    return _session.ask(" ".join(name.split()), OPSIN_TIMEOUT_S)
