"""Input resolution: SMILES, InChI, molfile, CAS number, registry names, OPSIN, and the guards."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdkit import Chem

from interdiction.errors import InputError
from interdiction.regulations import Regulations, load_regulations
from interdiction.substances import guards
from interdiction.substances.identify import structure_key
from interdiction.substances.opsin import opsin_available, opsin_one
from interdiction.substances.resolve import (
    _SMILES_SYNTAX,
    SIMPLE_PROP,
    parse_smiles_fast,
    resolve,
    resolve_many,
)


# Long fuzz campaigns: INTERDICTION_FUZZ_EXAMPLES=N raises every example budget in this file to at
# least N (e.g. 3000 with `pytest -n 1`); unset, the budgets below hold, so CI time is unchanged.
def _budget(n: int) -> int:
    return max(n, int(os.environ.get("INTERDICTION_FUZZ_EXAMPLES", "0")))


FENTANYL = "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"
BOC_4_AP = "CC(C)(C)OC(=O)N1CCC(Nc2ccccc2)CC1"
FENTANYL_NAME = "N-phenyl-N-[1-(2-phenylethyl)piperidin-4-yl]propanamide"


@dataclass(frozen=True)
class FakeEntry:
    name: str
    smiles: str


@dataclass
class MemoryLookup:
    """An in-memory registry: exact names and CAS numbers."""

    by_name: dict[str, list[FakeEntry]] = field(default_factory=dict)
    by_cas: dict[str, list[FakeEntry]] = field(default_factory=dict)

    def find_by_name(self, text: str) -> Sequence[FakeEntry]:
        return self.by_name.get(text.lower(), [])

    def find_by_cas(self, cas_number: str) -> Sequence[FakeEntry]:
        return self.by_cas.get(cas_number, [])


EMPTY = MemoryLookup()


@pytest.fixture(scope="module")
def registry() -> Regulations:
    return load_regulations()


def canonical(mol: Chem.Mol) -> str:
    return str(Chem.MolToSmiles(mol))


FENTANYL_CANONICAL = canonical(Chem.MolFromSmiles(FENTANYL))


# --- the user's examples -------------------------------------------------------------------


def test_smiles_example(registry: Regulations) -> None:
    resolved = resolve(FENTANYL, names=registry)
    assert (resolved.how, resolved.name, resolved.original) == ("smiles", "", FENTANYL)
    assert canonical(resolved.mol) == FENTANYL_CANONICAL


def test_cas_example_gives_registry_structure_and_name(registry: Regulations) -> None:
    resolved = resolve("125541-22-2", names=registry)
    assert resolved.how == "cas"
    assert canonical(resolved.mol) == canonical(Chem.MolFromSmiles(BOC_4_AP))
    assert "1-boc-4-AP" in resolved.name


def test_abbreviation_example(registry: Regulations) -> None:
    resolved = resolve("1-boc-4-AP", names=registry)
    assert resolved.how == "name"
    assert canonical(resolved.mol) == canonical(Chem.MolFromSmiles(BOC_4_AP))


def test_chinese_name_example_gets_english_preferred_name(registry: Regulations) -> None:
    resolved = resolve("芬太尼", names=registry)
    assert resolved.how == "name"
    assert resolved.name == "Fentanyl"
    assert canonical(resolved.mol) == FENTANYL_CANONICAL


@pytest.mark.parametrize("text", ["fentanilo", "FENTANYL", "NPP", "  fentanyl  "])
def test_other_names_and_abbreviations(registry: Regulations, text: str) -> None:
    resolved = resolve(text, names=registry)
    assert resolved.how == "name"
    assert resolved.original == text


def test_systematic_name_example_is_found_in_the_registry(registry: Regulations) -> None:
    resolved = resolve(FENTANYL_NAME, names=registry)
    assert canonical(resolved.mol) == FENTANYL_CANONICAL


@pytest.mark.skipif(not opsin_available(), reason="needs Java and the OPSIN jar")
def test_systematic_name_example_through_opsin() -> None:
    resolved = resolve(FENTANYL_NAME, names=EMPTY)
    assert resolved.how == "iupac"
    assert resolved.name == ""
    assert canonical(resolved.mol) == FENTANYL_CANONICAL


@pytest.mark.skipif(not opsin_available(), reason="needs Java and the OPSIN jar")
def test_resolve_many_sends_all_names_to_one_opsin_call() -> None:
    texts = ["2-methylpropan-1-ol", "CCO", "foobarium", "ethyl ethanoate", ""]
    started = time.perf_counter()
    results = resolve_many(texts, names=EMPTY)
    elapsed = time.perf_counter() - started
    assert [getattr(r, "how", None) for r in results] == ["iupac", "smiles", None, "iupac", None]
    assert canonical(results[0].mol) == "CC(C)CO"  # type: ignore[union-attr]
    assert "could not recognise 'foobarium'" in str(results[2])
    assert str(results[4]) == "empty input"
    assert elapsed < 10  # one JVM, not three


# --- order and refusals ----------------------------------------------------------------------


def test_empty_input() -> None:
    for text in ("", "   ", "\t\n"):
        with pytest.raises(InputError, match="^empty input$"):
            resolve(text, names=EMPTY)


def test_wrong_cas_check_digit_says_so() -> None:
    with pytest.raises(InputError, match="check digit.*should end in 2"):
        resolve("125541-22-3", names=EMPTY)


def test_valid_unknown_cas_asks_for_smiles() -> None:
    with pytest.raises(
        InputError, match="64-17-5 is valid but not in the bundled registry.*SMILES"
    ):
        resolve("64-17-5", names=EMPTY)


def test_cas_with_spaces_is_normalised_before_lookup() -> None:
    lookup = MemoryLookup(by_cas={"125541-22-2": [FakeEntry("1-boc-4-AP", BOC_4_AP)]})
    assert resolve(" 125541 - 22 - 2 ", names=lookup).name == "1-boc-4-AP"


def test_name_naming_two_structures_is_an_error_not_a_guess() -> None:
    lookup = MemoryLookup(by_name={"mix": [FakeEntry("A", FENTANYL), FakeEntry("B", BOC_4_AP)]})
    with pytest.raises(InputError, match="ambiguous"):
        resolve("mix", names=lookup)


def test_name_repeated_across_jurisdictions_with_one_structure_is_fine() -> None:
    lookup = MemoryLookup(
        by_name={"f": [FakeEntry("芬太尼", FENTANYL), FakeEntry("Fentanyl", FENTANYL)]}
    )
    assert resolve("f", names=lookup).name == "Fentanyl"


def test_name_without_structure_is_an_error() -> None:
    lookup = MemoryLookup(by_name={"class": [FakeEntry("Some class", "")]})
    with pytest.raises(InputError, match="no structure"):
        resolve("class", names=lookup)


def test_inchi_and_inchikey() -> None:
    inchi = Chem.MolToInchi(Chem.MolFromSmiles(FENTANYL))  # type: ignore[no-untyped-call]
    resolved = resolve(inchi, names=EMPTY)
    assert resolved.how == "inchi" and canonical(resolved.mol) == FENTANYL_CANONICAL
    with pytest.raises(InputError, match="InChIKey"):
        resolve("PJMPHNIQZUBGLI-UHFFFAOYSA-N", names=EMPTY)
    with pytest.raises(InputError, match="cannot read InChI"):
        resolve("InChI=1S/garbage", names=EMPTY)


def test_molblock_keeps_stereo() -> None:
    mol = Chem.MolFromSmiles("C[C@H](N)C(=O)O")
    resolved = resolve(Chem.MolToMolBlock(mol), names=EMPTY)
    assert resolved.how == "molblock"
    assert canonical(resolved.mol) == canonical(mol)


def test_broken_molblock_is_an_input_error() -> None:
    block = Chem.MolToMolBlock(Chem.MolFromSmiles("CCO")).replace("  1  2  1", "  1  9  1")
    with pytest.raises(InputError, match="cannot read molfile"):
        resolve(block, names=EMPTY)


@pytest.mark.parametrize("text", ["CCO", "CO", "ClCCl", "CCN", "c1ccccc1", "O"])
def test_letters_only_smiles(text: str) -> None:
    assert resolve(text, names=EMPTY).how == "smiles"


@pytest.mark.parametrize("text", ["PCP", "BOC", "NBS", "SOS", "NIS"])
def test_abbreviation_like_words_are_not_taken_as_smiles(text: str) -> None:
    with pytest.raises(InputError, match="abbreviation"):
        resolve(text, names=EMPTY, allow_opsin=False)


def test_invalid_smiles_reports_rdkit_reason_without_opsin() -> None:
    started = time.perf_counter()
    with pytest.raises(InputError, match=r"cannot read SMILES 'C1CC': unclosed ring"):
        resolve("C1CC", names=EMPTY)  # allow_opsin default: must not start a JVM
    assert time.perf_counter() - started < 0.3
    with pytest.raises(InputError, match="valence"):
        resolve("C[N](C)(C)(C)C", names=EMPTY)


def test_unknown_word_message() -> None:
    with pytest.raises(InputError, match="could not recognise 'foobarium'.*give a SMILES"):
        resolve("foobarium", names=EMPTY, allow_opsin=False)


def test_smiles_with_a_space_is_refused_not_truncated() -> None:
    with pytest.raises(InputError, match="space"):
        parse_smiles_fast("CCO ethanol")
    with pytest.raises(InputError):
        resolve("CCO ethanol", names=EMPTY, allow_opsin=False)


def test_no_registry_name_with_smiles_syntax_parses_as_smiles(registry: Regulations) -> None:
    # resolve tries SMILES-syntax text before names; this keeps that order harmless.
    clashes = []
    for entry in registry.entries:
        for name in entry.all_names():
            text = name.strip()
            if _SMILES_SYNTAX.search(text) and not any(c.isspace() for c in text):
                try:
                    parse_smiles_fast(text)
                except InputError:
                    continue
                clashes.append(text)
    assert clashes == []


def test_simple_mark_only_on_single_uncharged_smiles() -> None:
    assert parse_smiles_fast(FENTANYL).HasProp(SIMPLE_PROP)
    for text in ("CC[NH+](C)C", "CC.O", "C[O-]", "[Na+].[Cl-]", "C[N+](=O)[O-]"):
        assert not parse_smiles_fast(text).HasProp(SIMPLE_PROP), text


# --- guards ----------------------------------------------------------------------------------


def _ladder_smiles(rings: int) -> str:
    """A ladder of fused four-membered rings, written with many ring closures."""
    mol = Chem.RWMol()
    for _ in range(2 * (rings + 1)):
        mol.AddAtom(Chem.Atom(6))
    for i in range(rings + 1):
        mol.AddBond(2 * i, 2 * i + 1, Chem.BondType.SINGLE)
        if i:
            mol.AddBond(2 * i - 2, 2 * i, Chem.BondType.SINGLE)
            mol.AddBond(2 * i - 1, 2 * i + 1, Chem.BondType.SINGLE)
    return str(Chem.MolToSmiles(mol))


def test_ten_thousand_atoms_refused_fast() -> None:
    started = time.perf_counter()
    with pytest.raises(InputError, match="over the limit"):
        resolve("C" * 10_000, names=EMPTY)
    with pytest.raises(InputError, match="heavy atoms"):
        parse_smiles_fast("C(C)" * 1100)  # 2200 atoms in 4400 characters
    assert time.perf_counter() - started < 0.5


def test_pathological_ring_system_refused_as_smiles_and_molfile() -> None:
    smiles = _ladder_smiles(200)
    started = time.perf_counter()
    with pytest.raises(InputError, match="ring"):
        parse_smiles_fast(smiles)
    block = Chem.MolToMolBlock(Chem.MolFromSmiles(smiles, sanitize=False))
    with pytest.raises(InputError, match="independent rings"):
        resolve(block, names=EMPTY)
    assert time.perf_counter() - started < 1.0
    assert parse_smiles_fast(_ladder_smiles(10)).GetNumAtoms() == 22


def test_huge_inchi_refused_from_its_formula() -> None:
    with pytest.raises(InputError, match="2000 heavy atoms"):
        resolve("InChI=1S/C2000H4002/c1-3-5", names=EMPTY)


def test_long_name_does_not_start_opsin() -> None:
    started = time.perf_counter()
    with pytest.raises(InputError, match="could not recognise"):
        resolve("ethyl" * 300, names=EMPTY)
    assert time.perf_counter() - started < 0.3


def test_many_components_refused() -> None:
    with pytest.raises(InputError, match="components"):
        parse_smiles_fast(".".join(["C"] * (guards.MAX_COMPONENTS + 1)))


def test_rdkit_errors_do_not_reach_stderr(capfd: pytest.CaptureFixture[str]) -> None:
    for text in ("C1CC", "c1cccc1", "C[N](C)(C)(C)C", "InChI=1S/xx"):
        with pytest.raises(InputError):
            resolve(text, names=EMPTY, allow_opsin=False)
    assert capfd.readouterr().err == ""


# --- properties ------------------------------------------------------------------------------

SMILES_ALPHABET = "CNOSPFIBrlcnos()[]=#@+-/\\.%0123456789H "


@settings(max_examples=_budget(150), deadline=None)
@given(st.text(max_size=60) | st.text(alphabet=SMILES_ALPHABET, max_size=60))
def test_resolve_raises_only_input_error(text: str) -> None:
    try:
        resolved = resolve(text, names=EMPTY, allow_opsin=False)
    except InputError as exc:
        assert str(exc)
    else:
        assert resolved.original == text
        assert resolved.mol.GetNumAtoms() > 0


@settings(max_examples=_budget(100), deadline=None)
@given(st.from_regex(r"[1-9][0-9]{1,6}-[0-9]{2}", fullmatch=True))
def test_cas_check_digit_property(body: str) -> None:
    digits = body.replace("-", "")
    check = sum(int(d) * i for i, d in enumerate(reversed(digits), start=1)) % 10
    with pytest.raises(InputError, match="valid but not in the bundled registry"):
        resolve(f"{body}-{check}", names=EMPTY)
    with pytest.raises(InputError, match="check digit"):
        resolve(f"{body}-{(check + 1) % 10}", names=EMPTY)


@settings(max_examples=_budget(50), deadline=None)
@given(st.sampled_from([FENTANYL, BOC_4_AP, "C[C@H](N)C(=O)O", "OC(=O)CC(O)(CC(=O)O)C(=O)O"]))
def test_smiles_inchi_molblock_agree(smiles: str) -> None:
    mol = Chem.MolFromSmiles(smiles)
    keys = {
        structure_key(resolve(text, names=EMPTY).mol)
        for text in (smiles, Chem.MolToInchi(mol), Chem.MolToMolBlock(mol))  # type: ignore[no-untyped-call]
    }
    assert keys == {structure_key(mol)}


def test_silenced_process_still_explains_failures() -> None:
    code = (
        "from interdiction.substances import guards\n"
        "from interdiction.substances.resolve import parse_smiles_fast\n"
        "guards.silence_rdkit()\n"
        "try:\n"
        "    parse_smiles_fast('C1CC')\n"
        "except Exception as exc:\n"
        "    print(exc)\n"
        "print(parse_smiles_fast('CCO').GetNumAtoms())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == ["cannot read SMILES 'C1CC': unclosed ring.", "3"]
    assert done.stderr == ""


def test_formula_cells_and_smiles_syntax_never_start_opsin() -> None:
    started = time.perf_counter()
    for text in ('=HYPERLINK("http://example.com","fentanyl")', "C=CC(=O)Nfooxyz", "@SUM(A1)"):
        with pytest.raises(InputError):
            resolve(text, names=EMPTY)
    assert time.perf_counter() - started < 0.3


@settings(max_examples=_budget(100), deadline=None)
@given(st.text(max_size=40) | st.sampled_from(["fentanyl", "NPP", "4-ANPP", "芬太尼", "ANPP"]))
def test_resolve_with_the_real_registry_raises_only_input_error(text: str) -> None:
    registry = load_regulations()
    try:
        resolved = resolve(text, names=registry, allow_opsin=False)
    except InputError as exc:
        assert str(exc)
    else:
        assert resolved.how in ("smiles", "inchi", "molblock", "cas", "name")


def test_default_lookup_is_the_bundled_registry() -> None:
    assert resolve("4-ANPP").how == "name"


@pytest.mark.skipif(not opsin_available(), reason="needs Java and the OPSIN jar")
def test_opsin_session_answers_names_quickly_after_starting() -> None:
    opsin_one("propan-2-ol")  # starts the JVM once
    names = [f"{prefix}ane" for prefix in ("meth", "eth", "prop", "but", "pent", "hex", "hept")]
    started = time.perf_counter()
    answers = [opsin_one(name) for name in names]
    assert time.perf_counter() - started < 1.5
    assert answers[:3] == ["C", "CC", "CCC"]
    assert opsin_one("foobarium") == ""
