"""Turn what a user typed into a molecule: SMILES, InChI, molfile, CAS number or name.

Order (first that applies wins; never a guess):

1. empty text -> error;
2. a molfile (has "M  END", V2000 or V3000) -> RDKit molfile parser;
3. "InChI=..." -> RDKit InChI parser; an InChIKey -> error (a key cannot give a structure);
4. CAS-shaped text -> check digit, then the bundled registry (valid but unknown -> error);
5. text written with SMILES syntax (digits, brackets, bonds) -> SMILES, if it parses;
6. a registry name or synonym (English, Chinese, Spanish, abbreviations such as "1-boc-4-AP");
7. letters-only text ("CCO") -> SMILES, unless it reads like an abbreviation ("PCP", "BOC");
8. a systematic name -> OPSIN;
9. otherwise an error saying what was tried.

Steps 5 and 6 are in this order for speed (a name look-up costs ~8 microseconds, a tenth of
a SMILES parse); tests/substances/test_resolve.py checks that no registry name parses as a
SMILES containing SMILES syntax, so the order cannot change a result.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, Protocol, cast

from rdkit import Chem

from interdiction.errors import InputError
from interdiction.substances import guards
from interdiction.substances.cas import looks_like_cas, normalise_cas
from interdiction.substances.identify import structure_key
from interdiction.substances.opsin import opsin_one, opsin_smiles

__all__ = [
    "How",
    "NameLookup",
    "RegistryEntry",
    "ResolvedInput",
    "parse_smiles_fast",
    "resolve",
    "resolve_many",
    "SIMPLE_PROP",
]

How = Literal["smiles", "inchi", "molblock", "cas", "name", "iupac"]

# Set by parse_smiles_fast on a molecule whose SMILES had one component and no charge, so that
# standardise.quick_parent can return it in about a microsecond without looking at the atoms.
SIMPLE_PROP = "_interdiction_simple"

# Characters that only SMILES uses (names have brackets and digits too, but never these in a
# way that also parses; see the module docstring).
_SMILES_SYNTAX = re.compile(r"[=#@/\\%.\[\]()0-9+]")
_LETTERS_ONLY = re.compile(r"[A-Za-z]+")
# Letters-only text that also parses as SMILES but reads like an abbreviation: 2-5 letters with
# no carbon, or with boron, phosphorus or iodine ("NPP", "PCP", "BOC", "NBS", "SOS").
_ABBREVIATION = re.compile(r"(?=[A-Za-z]{2,5}$)(?:[^Cc]*|.*(?:B(?!r)|P|I).*)")
_INCHIKEY = re.compile(r"[A-Z]{14}-[A-Z]{10}-[A-Z]")
_CHARGE_IN_BRACKET = re.compile(r"\[[^\]]*-")
_WHITESPACE = re.compile(r"\s")
_BRACKET_ATOM = re.compile(r"\[[^\]]*\]")
_NAME_LETTER = re.compile(r"[ad-kmqt-z]")
# Characters no chemical name uses: "=HYPERLINK(...)" or "C=CC#N" never go to OPSIN.
_NEVER_IN_NAMES = re.compile(r'[=#@\\%"<>|;$!?*]')


class RegistryEntry(Protocol):
    """What resolution needs from a registry entry (``regulations.Entry`` has these)."""

    @property
    def name(self) -> str: ...

    @property
    def smiles(self) -> str: ...


class NameLookup(Protocol):
    """Names and CAS numbers to registry entries (``regulations.Regulations`` is one)."""

    def find_by_name(self, text: str) -> Sequence[RegistryEntry]: ...

    def find_by_cas(self, cas_number: str) -> Sequence[RegistryEntry]: ...


@dataclass(frozen=True)
class ResolvedInput:
    """An input and the molecule it stands for.

    Attributes:
        original: the user's text, unchanged.
        mol: the parsed molecule (not yet standardised: salts and charges as given).
        how: which kind of input it was.
        name: the registry's preferred name when resolved from a name or CAS number, else "".
    """

    original: str
    mol: Chem.Mol
    how: How
    name: str = ""


@lru_cache(maxsize=1)
def _bundled_registry() -> NameLookup:
    from interdiction.regulations import load_regulations

    return load_regulations()


def parse_smiles_fast(text: str) -> Chem.Mol:
    """Parse one SMILES with the input guards and no RDKit noise on stderr.

    Args:
        text: a SMILES string (surrounding whitespace ignored; whitespace inside is refused,
            because RDKit would silently read the rest as a title).

    Returns:
        The sanitised molecule.

    Raises:
        InputError: empty, too large, pathological, or not valid SMILES (with RDKit's reason).
    """
    smiles = text.strip()
    if not smiles:
        raise InputError("empty input")
    guards.check_smiles_text(smiles)
    if _WHITESPACE.search(smiles):
        raise InputError(
            f"SMILES {_show(smiles)} contains a space; put one structure per cell, "
            "and an identifier in its own column."
        )
    mol, reason = guards.rdkit_call(lambda: Chem.MolFromSmiles(smiles))
    if mol is None:
        raise InputError(f"cannot read SMILES {_show(smiles)}: {reason or 'RDKit refused it'}.")
    guards.check_mol(mol)
    if "." not in smiles and "+" not in smiles and not _CHARGE_IN_BRACKET.search(smiles):
        mol.SetBoolProp(SIMPLE_PROP, True)
    return mol


def _show(text: str) -> str:
    return repr(text if len(text) <= 80 else text[:77] + "...")


def _parse_inchi(text: str) -> Chem.Mol:
    guards.check_inchi_text(text)
    try:
        mol, reason = guards.rdkit_call(lambda: Chem.MolFromInchi(text))  # type: ignore[no-untyped-call]
    except (RuntimeError, ValueError) as exc:
        mol, reason = None, str(exc)
    if mol is None:
        raise InputError(
            f"cannot read InChI {_show(text)}: {reason or 'RDKit refused it'}; "
            "check that it was copied whole, or give a SMILES."
        )
    guards.check_mol(mol)
    return cast(Chem.Mol, mol)


def _parse_molblock(text: str) -> Chem.Mol:
    if len(text) > guards.MAX_INPUT_CHARS:
        raise InputError(
            f"molfile is {len(text)} characters, over the limit of {guards.MAX_INPUT_CHARS}; "
            "check that the record holds one structure."
        )
    try:
        # Count atoms and rings on the raw graph first: sanitising a hostile graph is the
        # expensive part.
        raw, reason = guards.rdkit_call(
            lambda: Chem.MolFromMolBlock(text, sanitize=False, removeHs=False)
        )
        if raw is not None:
            guards.check_mol(raw)
            mol, reason = guards.rdkit_call(lambda: Chem.MolFromMolBlock(text))
        else:
            mol = None
    except (RuntimeError, ValueError) as exc:
        mol, reason = None, str(exc)
    if mol is None:
        raise InputError(
            f"cannot read molfile: {reason or 'RDKit refused it'}; check the atom and bond "
            "blocks, or give a SMILES."
        )
    return mol


def _from_entries(
    text: str, entries: Sequence[RegistryEntry], how: How, what: str
) -> ResolvedInput:
    keys: dict[str, RegistryEntry] = {}
    for entry in entries:
        if not entry.smiles:
            continue
        mol = parse_smiles_fast(entry.smiles)
        keys.setdefault(structure_key(mol), entry)
    if not keys:
        raise InputError(
            f"{what} {text.strip()!r} names {entries[0].name!r}, which has no structure in the "
            "bundled registry; give its SMILES instead."
        )
    if len(keys) > 1:
        names = "; ".join(sorted({e.name for e in keys.values()}))
        raise InputError(
            f"{what} {text.strip()!r} is ambiguous: it names different structures ({names}); "
            "give a SMILES or CAS number instead."
        )
    entry = next(iter(keys.values()))
    return ResolvedInput(text, parse_smiles_fast(entry.smiles), how, _preferred_name(entries))


def _preferred_name(entries: Sequence[RegistryEntry]) -> str:
    # Entries come in file order (us cn un ...); prefer the first one written in Latin script
    # so an English report says "Fentanyl" even for the input "芬太尼".
    for entry in entries:
        if entry.name.isascii():
            return entry.name
    return entries[0].name


def _cas(text: str, names: NameLookup) -> ResolvedInput:
    cas_number = normalise_cas(text)
    entries = names.find_by_cas(cas_number)
    if not entries:
        raise InputError(
            f"CAS number {cas_number} is valid but not in the bundled registry (it holds the "
            "controlled substances and precursors only); give the structure as SMILES."
        )
    return _from_entries(text, entries, "cas", "CAS number")


def _could_be_name(text: str) -> bool:
    """True when text could be a systematic name worth a JVM start.

    A name has a lowercase letter SMILES never writes outside brackets ("methanol": m, e, t,
    h, a); SMILES outside brackets only use b c n o p s (aromatic) and the l/r of Cl/Br. So an
    invalid SMILES such as "C1CC" is reported at once instead of costing an OPSIN call.
    """
    return (
        len(text) <= guards.MAX_NAME_CHARS
        and "\n" not in text
        and _NEVER_IN_NAMES.search(text) is None
        and _NAME_LETTER.search(_BRACKET_ATOM.sub("", text)) is not None
    )


def _resolve_without_opsin(text: str, names: NameLookup) -> tuple[ResolvedInput | None, str]:
    """Steps 1-7. Returns (result, reason SMILES failed); (None, ...) means "try OPSIN"."""
    stripped = text.strip()
    if not stripped:
        raise InputError("empty input")
    if len(stripped) > guards.MAX_INPUT_CHARS:
        raise InputError(
            f"input is {len(stripped)} characters, over the limit of {guards.MAX_INPUT_CHARS}; "
            "check that the cell holds one structure or name."
        )
    if "\n" in stripped and ("M  END" in text or "V2000" in text or "V3000" in text):
        return ResolvedInput(text, _parse_molblock(text), "molblock"), ""
    if stripped.startswith("InChI="):
        return ResolvedInput(text, _parse_inchi(stripped), "inchi"), ""
    if _INCHIKEY.fullmatch(stripped):
        raise InputError(
            f"{stripped!r} is an InChIKey, which cannot be turned back into a structure; "
            "give the InChI, SMILES, CAS number or name instead."
        )
    if looks_like_cas(stripped):
        return _cas(stripped, names), ""
    smiles_error: InputError | None = None
    if _SMILES_SYNTAX.search(stripped) and not _WHITESPACE.search(stripped):
        try:
            return ResolvedInput(text, parse_smiles_fast(stripped), "smiles"), ""
        except InputError as exc:
            smiles_error = exc
    entries = names.find_by_name(stripped)
    if entries:
        return _from_entries(text, entries, "name", "name"), ""
    if smiles_error is not None and not _could_be_name(stripped):
        # SMILES syntax, not a name: RDKit's reason is the most useful message.
        raise smiles_error
    if _LETTERS_ONLY.fullmatch(stripped):
        if _ABBREVIATION.fullmatch(stripped):
            raise InputError(
                f"{stripped!r} reads like an abbreviation and is not a name in the bundled "
                "registry; give the full name, a CAS number, or, if you meant SMILES, write it "
                "with explicit bonds (e.g. 'N-P-P')."
            )
        try:
            return ResolvedInput(text, parse_smiles_fast(stripped), "smiles"), ""
        except InputError as exc:
            # A word such as "foobarium" is not a failed SMILES: say nothing about SMILES.
            smiles_error = None if _could_be_name(stripped) else exc
    return None, (str(smiles_error) if smiles_error is not None else "")


def _unrecognised(text: str, smiles_reason: str, tried_opsin: bool) -> InputError:
    tried = (
        "SMILES, InChI, CAS number, a known name or a systematic name"
        if tried_opsin
        else "SMILES, InChI, CAS number or a known name"
    )
    why = f" ({smiles_reason.rstrip('.')})" if smiles_reason else ""
    return InputError(
        f"could not recognise {_show(text.strip())} as {tried}{why}; check spelling or give a "
        "SMILES."
    )


def _from_opsin(text: str, smiles: str) -> ResolvedInput:
    try:
        return ResolvedInput(text, parse_smiles_fast(smiles), "iupac")
    except InputError as exc:
        raise InputError(
            f"OPSIN read the name {_show(text.strip())} as {smiles!r}, which RDKit cannot use "
            f"({exc}); give a SMILES instead."
        ) from exc


def resolve(
    text: str, *, names: NameLookup | None = None, allow_opsin: bool = True
) -> ResolvedInput:
    """Turn one input into a molecule (see the module docstring for the order).

    Args:
        text: SMILES, InChI, molfile, CAS number, name or systematic name; kept unchanged.
        names: registry for names and CAS numbers (default: the bundled legal data).
        allow_opsin: also try systematic names through OPSIN (starts a JVM; ~1 s).

    Returns:
        The resolved input.

    Raises:
        InputError: when the text is empty, too large, or not recognised; never guesses.
    """
    lookup = names if names is not None else _bundled_registry()
    result, smiles_reason = _resolve_without_opsin(text, lookup)
    if result is not None:
        return result
    stripped = text.strip()
    use_opsin = allow_opsin and _could_be_name(stripped)
    if use_opsin:
        smiles = opsin_one(stripped)
        if smiles:
            return _from_opsin(text, smiles)
    raise _unrecognised(text, smiles_reason, use_opsin)


def resolve_many(
    texts: Sequence[str], *, names: NameLookup | None = None, allow_opsin: bool = True
) -> list[ResolvedInput | InputError]:
    """Resolve a batch; systematic names all go to OPSIN in one call (one JVM start).

    Returns:
        One item per text, in order: the resolved input, or the InputError explaining why not.
    """
    lookup = names if names is not None else _bundled_registry()
    results: list[ResolvedInput | InputError | None] = []
    reasons: dict[int, str] = {}
    for position, text in enumerate(texts):
        try:
            result, reasons[position] = _resolve_without_opsin(text, lookup)
        except InputError as exc:
            results.append(exc)
            continue
        results.append(result)
    pending = [p for p, r in enumerate(results) if r is None]
    waiting = [p for p in pending if allow_opsin and _could_be_name(texts[p].strip())]
    found: dict[int, str] = {}
    opsin_error: InputError | None = None
    if waiting:
        try:
            smiles = opsin_smiles([texts[p].strip() for p in waiting])
            found = dict(zip(waiting, smiles, strict=True))
        except InputError as exc:
            opsin_error = exc
    for position in pending:
        text = texts[position]
        if found.get(position):
            try:
                results[position] = _from_opsin(text, found[position])
            except InputError as exc:
                results[position] = exc
        elif opsin_error is not None and position in waiting:
            results[position] = opsin_error
        else:
            results[position] = _unrecognised(text, reasons[position], position in waiting)
    return [r if r is not None else InputError("internal: unresolved") for r in results]
