"""Refuse inputs that would make RDKit slow or noisy, before the expensive work starts.

Each limit below is checked as early as possible: on the text before parsing (length, number
of components, ring-closure digits, InChI formula), and on the molecule graph right after
parsing (atoms, independent rings). A refused input raises ``InputError`` naming the limit, the
value found and what to do. RDKit's own log lines are kept off stderr and folded into the
message instead.

The batch runner adds a hard per-record time limit as the last line of defence; these guards
make sure ordinary bad input never gets that far.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from rdkit import Chem, RDLogger, rdBase

from interdiction.errors import InputError

__all__ = [
    "MAX_INPUT_CHARS",
    "MAX_SMILES_CHARS",
    "MAX_NAME_CHARS",
    "MAX_HEAVY_ATOMS",
    "MAX_ATOMS",
    "MAX_RINGS",
    "MAX_COMPONENTS",
    "check_smiles_text",
    "check_inchi_text",
    "check_mol",
    "rdkit_call",
    "rdkit_silenced",
    "ring_closures",
    "silence_rdkit",
]

# Tuned limits, all in one place.
# The largest listed fentanyl-family structures have ~40 heavy atoms and drug-like screening
# compounds rarely exceed 100; 1000 still admits peptides and large natural products while a
# "10,000-atom molecule" (a polymer or a deliberately hostile input) is refused.
MAX_HEAVY_ATOMS = 1000
# Explicit hydrogens from molfiles roughly double the atom count.
MAX_ATOMS = 3000
# Independent rings (bonds - atoms + components, the number of ring-closure bonds). Steroids
# have 4, the largest marine polyethers ~30 (maitotoxin-class); a fused sheet of hundreds of
# rings makes ring perception and substructure search blow up, so it is refused.
MAX_RINGS = 40
# A 1000-heavy-atom SMILES is ~1500-3000 characters.
MAX_SMILES_CHARS = 5000
# A name (systematic names of large molecules run to a few hundred characters).
MAX_NAME_CHARS = 1000
# Any single input, including a molfile with hydrogens (~100 bytes per atom line).
MAX_INPUT_CHARS = 300_000
# "C.C.C..." with thousands of dots: the salt stripper looks at every component.
MAX_COMPONENTS = 100

_BRACKET_ATOM = re.compile(r"\[[^\]]*\]")
_TWO_DIGIT_CLOSURE = re.compile(r"%\d\d|%\(\d+\)")
_TIMESTAMP = re.compile(r"^\[\d\d:\d\d:\d\d\]\s*")
_FOR_INPUT = re.compile(r"\s*(for input|while parsing):.*$")
_INCHI_FORMULA = re.compile(r"^InChI=1S?/([^/]*)")
_FORMULA_PART = re.compile(r"^(\d*)(.*)$")
_ELEMENT_COUNT = re.compile(r"([A-Z][a-z]?)(\d*)")

T = TypeVar("T")


def ring_closures(smiles: str) -> int:
    """Number of ring-closure bonds written in a SMILES (digits and %nn outside brackets)."""
    bare = _BRACKET_ATOM.sub("", smiles)
    two_digit = len(_TWO_DIGIT_CLOSURE.findall(bare))
    bare = _TWO_DIGIT_CLOSURE.sub("", bare)
    single = sum(ch.isdigit() for ch in bare)
    # Each ring bond is written twice (open and close).
    return (two_digit + single) // 2


def check_smiles_text(text: str) -> None:
    """Refuse a SMILES string that is too long, has too many components or ring closures.

    Raises:
        InputError: naming the limit exceeded.
    """
    if len(text) > MAX_SMILES_CHARS:
        raise InputError(
            f"SMILES is {len(text)} characters long, over the limit of {MAX_SMILES_CHARS} "
            f"(about {MAX_HEAVY_ATOMS} atoms); screen large molecules one fragment at a time, "
            "or check that the cell holds one structure."
        )
    dots = text.count(".")
    if dots >= MAX_COMPONENTS:
        raise InputError(
            f"SMILES has {dots + 1} components (dot-separated), over the limit of "
            f"{MAX_COMPONENTS}; give each substance on its own row."
        )
    # Cheap bound first: every ring closure needs a digit; the exact count strips bracket atoms.
    if len(text) > 2 * MAX_RINGS and sum(map(text.count, "0123456789")) > 2 * MAX_RINGS:
        rings = ring_closures(text)
        if rings > MAX_RINGS:
            raise InputError(
                f"SMILES writes {rings} ring closures, over the limit of {MAX_RINGS} rings "
                "(a pathological ring system); check the structure, or screen it in parts."
            )


def check_inchi_text(text: str) -> None:
    """Refuse an InChI whose formula layer already says it is too large.

    Raises:
        InputError: naming the limit exceeded.
    """
    if len(text) > MAX_SMILES_CHARS:
        raise InputError(
            f"InChI is {len(text)} characters long, over the limit of {MAX_SMILES_CHARS}; "
            "check that the cell holds one structure."
        )
    match = _INCHI_FORMULA.match(text)
    if match is None:
        return
    heavy = 0
    components = match.group(1).split(".")
    for component in components:
        multiplier_text, formula = _FORMULA_PART.match(component).groups()  # type: ignore[union-attr]
        multiplier = int(multiplier_text) if multiplier_text else 1
        for element, count in _ELEMENT_COUNT.findall(formula):
            if element != "H":
                heavy += multiplier * (int(count) if count else 1)
    if heavy > MAX_HEAVY_ATOMS:
        raise InputError(
            f"InChI formula has {heavy} heavy atoms, over the limit of {MAX_HEAVY_ATOMS}; "
            "screen large molecules one fragment at a time."
        )
    if len(components) > MAX_COMPONENTS:
        raise InputError(
            f"InChI has {len(components)} components, over the limit of {MAX_COMPONENTS}; "
            "give each substance on its own row."
        )


def check_mol(mol: Chem.Mol) -> None:
    """Refuse a parsed molecule with too many atoms, rings or components.

    Works on sanitised and unsanitised molecules (it only counts atoms and bonds).

    Raises:
        InputError: naming the limit exceeded.
    """
    n_atoms = mol.GetNumAtoms()
    if n_atoms > MAX_ATOMS or (
        n_atoms > MAX_HEAVY_ATOMS and mol.GetNumHeavyAtoms() > MAX_HEAVY_ATOMS
    ):
        heavy = mol.GetNumHeavyAtoms()
        raise InputError(
            f"structure has {heavy} heavy atoms ({n_atoms} in all), over the limit of "
            f"{MAX_HEAVY_ATOMS}; this tool screens small molecules: check that the input is one "
            "substance, or screen its fragments separately."
        )
    n_bonds = mol.GetNumBonds()
    if n_bonds - n_atoms + 1 > MAX_RINGS:
        components = len(Chem.GetMolFrags(mol))
        if components > MAX_COMPONENTS:
            raise InputError(
                f"structure has {components} components, over the limit of {MAX_COMPONENTS}; "
                "give each substance on its own row."
            )
        rings = n_bonds - n_atoms + components
        if rings > MAX_RINGS:
            raise InputError(
                f"structure has {rings} independent rings, over the limit of {MAX_RINGS} "
                "(a pathological ring system); check the structure, or screen it in parts."
            )


def _reason(messages: str) -> str:
    """RDKit's log lines as one clause: no timestamps, echoed input, carets or duplicates."""
    seen: list[str] = []
    for raw in messages.splitlines():
        line = _TIMESTAMP.sub("", raw).strip()
        # RDKit echoes the input and a caret under the bad position on lines of their own.
        if " " not in line or line.startswith(("SMILES Parse Error: Failed parsing", "*")):
            continue
        line = _FOR_INPUT.sub("", line.replace("SMILES Parse Error: ", "")).rstrip(":").strip()
        if line and line not in seen:
            seen.append(line)
    reason = "; ".join(seen)
    return reason if len(reason) <= 300 else reason[:297] + "..."


_silenced = False


def silence_rdkit() -> None:
    """Turn RDKit's log off for this whole process (call once in a batch worker).

    ``rdkit_call`` then skips its per-call ``BlockLogs`` (~3 microseconds, a few per cent of a
    SMILES parse); failure reasons are still captured into the error messages.
    """
    global _silenced
    RDLogger.DisableLog("rdApp.*")  # type: ignore[attr-defined]
    _silenced = True


def rdkit_silenced() -> bool:
    """True once ``silence_rdkit`` has run in this process (no per-call log blocking needed)."""
    return _silenced


def rdkit_call(function: Callable[[], T | None]) -> tuple[T | None, str]:
    """Run an RDKit call with its log kept off stderr.

    Returns the result and, when the result is None (RDKit's way to say "failed"), RDKit's
    reason as one line ("" when it gave none). The call runs once more on failure only, to
    capture the reason: the common, successful case pays only for ``BlockLogs``.
    """
    if _silenced:
        result = function()
    else:
        with rdBase.BlockLogs():
            result = function()
    if result is not None:
        return result, ""
    with rdBase.CaptureErrorLog() as capture:
        function()
    try:
        messages = capture.messages
    except UnicodeDecodeError:
        # RDKit cuts long echoed inputs at a byte count, which can split a UTF-8 character.
        return None, "unreadable characters (RDKit's message could not be decoded)"
    return None, _reason(messages)
