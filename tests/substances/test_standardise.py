"""Standardisation: salts, hydrates, solvents and charges removed; stereo kept; idempotent."""

from __future__ import annotations

import csv
import os
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdkit import Chem

from interdiction.errors import ReferenceDataError
from interdiction.regulations import load_regulations
from interdiction.substances.identify import structure_key
from interdiction.substances.resolve import parse_smiles_fast
from interdiction.substances.standardise import load_salts, quick_parent, standardise


# Long fuzz campaigns: INTERDICTION_FUZZ_EXAMPLES=N raises every example budget in this file to at
# least N (e.g. 3000 with `pytest -n 1`); unset, the budgets below hold, so CI time is unchanged.
def _budget(n: int) -> int:
    return max(n, int(os.environ.get("INTERDICTION_FUZZ_EXAMPLES", "0")))


FENTANYL = "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"
FENTANYL_CANONICAL = Chem.MolToSmiles(Chem.MolFromSmiles(FENTANYL))
CITRIC_ACID = "OC(=O)CC(O)(CC(=O)O)C(=O)O"
CATALOG = Path(str(resources.files("interdiction") / "data" / "samples" / "catalog.csv"))


def parent_of(smiles: str) -> tuple[str, tuple[str, ...], tuple[str, ...], int]:
    parent = standardise(Chem.MolFromSmiles(smiles))
    return (
        Chem.MolToSmiles(parent.mol),
        parent.components,
        parent.removed,
        parent.n_input_components,
    )


@pytest.mark.parametrize(
    ("smiles", "removed", "n"),
    [
        (f"{FENTANYL}.{CITRIC_ACID}", ("citrate",), 2),
        ("CCC(=O)N(c1ccccc1)C1CC[NH+](CCc2ccccc2)CC1.[Cl-]", ("hydrochloride",), 2),
        ("CCC(=O)N(c1ccccc1)C1CC[NH+](CCc2ccccc2)CC1", (), 1),
        (f"{FENTANYL}.Cl.O.O", ("hydrochloride", "water (x2)"), 4),
        (
            "CCC(=O)N(c1ccccc1)C1CC[NH+](CCc2ccccc2)CC1.OC(=O)CC(O)(CC(=O)[O-])C(=O)O",
            ("citrate",),
            2,
        ),
        (f"{FENTANYL}.CCO", ("ethanol",), 2),
        (f"[H]Cl.{FENTANYL}", ("hydrochloride",), 2),
        (f"{FENTANYL}.OS(=O)(=O)O.[Na+]", ("sulfate", "sodium"), 3),
    ],
)
def test_fentanyl_salts_hydrates_and_charged_forms_give_the_parent(
    smiles: str, removed: tuple[str, ...], n: int
) -> None:
    assert parent_of(smiles) == (FENTANYL_CANONICAL, (FENTANYL_CANONICAL,), removed, n)


def test_two_salt_copies_of_one_cation_are_one_component() -> None:
    cation = "CCC(=O)N(c1ccccc1)C1CC[NH+](CCc2ccccc2)CC1"
    smiles, components, removed, n = parent_of(f"{cation}.{cation}.OS(=O)(=O)[O-].[O-]S(=O)(=O)O")
    assert (smiles, len(components), n) == (FENTANYL_CANONICAL, 1, 4)
    assert removed == ("sulfate (x2)",)


def test_two_organic_components_are_a_mixture() -> None:
    acetyl = "CC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"
    parent = standardise(Chem.MolFromSmiles(f"{acetyl}.{FENTANYL}.Cl"))
    assert parent.is_mixture
    assert set(parent.components) == {
        FENTANYL_CANONICAL,
        Chem.MolToSmiles(Chem.MolFromSmiles(acetyl)),
    }
    assert parent.components[0] == FENTANYL_CANONICAL  # largest first
    assert parent.removed == ("hydrochloride",)
    assert len(Chem.GetMolFrags(parent.mol)) == 2


def test_lone_counter_ion_or_solvent_is_kept() -> None:
    assert parent_of(CITRIC_ACID)[1] == (Chem.MolToSmiles(Chem.MolFromSmiles(CITRIC_ACID)),)
    assert parent_of("O") == ("O", ("O",), (), 1)
    smiles, _, removed, _ = parent_of("CC(=O)[O-].[Na+]")
    assert (smiles, removed) == ("CC(=O)O", ("sodium",))


def test_covalent_metal_salt_is_split() -> None:
    smiles, _, removed, n = parent_of("CC(=O)O[Na]")
    assert (smiles, removed, n) == ("CC(=O)O", ("sodium",), 2)


def test_unknown_inorganic_fragment_is_named_by_formula() -> None:
    assert parent_of(f"{FENTANYL}.[Cs+]")[2] == ("Cs+",)


def test_stereo_kept_in_parent_dropped_by_structure_key() -> None:
    cis = "CCC(=O)N(c1ccccc1)[C@@H]1CCN(CCc2ccccc2)C[C@@H]1C"
    trans = "CCC(=O)N(c1ccccc1)[C@@H]1CCN(CCc2ccccc2)C[C@H]1C"
    cis_parent = standardise(Chem.MolFromSmiles(f"{cis}.Cl")).mol
    trans_parent = standardise(Chem.MolFromSmiles(trans)).mol
    assert "@" in Chem.MolToSmiles(cis_parent)
    assert Chem.MolToSmiles(cis_parent) != Chem.MolToSmiles(trans_parent)
    assert structure_key(cis_parent) == structure_key(trans_parent)


def test_maleate_and_fumarate_stay_apart() -> None:
    assert parent_of(f"{FENTANYL}.OC(=O)/C=C\\C(=O)O")[2] == ("maleate",)
    assert parent_of(f"{FENTANYL}.OC(=O)/C=C/C(=O)O")[2] == ("fumarate",)


def test_quick_parent() -> None:
    simple = parse_smiles_fast(FENTANYL)
    assert quick_parent(simple) is simple
    charged = parse_smiles_fast("CCC(=O)N(c1ccccc1)C1CC[NH+](CCc2ccccc2)CC1")
    assert Chem.MolToSmiles(quick_parent(charged)) == FENTANYL_CANONICAL
    salt = parse_smiles_fast(f"Cl.{FENTANYL}.O")
    assert Chem.MolToSmiles(quick_parent(salt)) == FENTANYL_CANONICAL
    unmarked = Chem.MolFromSmiles(FENTANYL)  # e.g. from a molfile: no mark, same answer
    assert Chem.MolToSmiles(quick_parent(unmarked)) == FENTANYL_CANONICAL


def test_salt_table_never_strips_a_listed_substance() -> None:
    regulations = load_regulations()
    listed = {structure_key(Chem.MolFromSmiles(e.smiles)) for e in regulations.entries if e.smiles}
    salts = {structure_key(Chem.MolFromSmiles(e.smiles)) for e in load_salts().values()}
    assert listed & salts == set()


def test_salt_table_rejects_entry_without_source(tmp_path: Path) -> None:
    bad = tmp_path / "salts.yaml"
    bad.write_text(
        'version: "x"\nsources: {a: "A"}\nentries:\n'
        '  - {id: hcl, name: hydrochloride, kind: acid, smiles: "Cl", source: b}\n',
        encoding="utf-8",
    )
    with pytest.raises(ReferenceDataError, match="'hcl' cites source 'b'"):
        load_salts(bad)
    bad.write_text('version: "x"\nsources: {a: "A"}\nentries:\n  - {id: hcl}\n', encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="lacks name, kind, smiles, source"):
        load_salts(bad)


def _catalog_smiles() -> list[str]:
    with CATALOG.open(encoding="utf-8") as handle:
        # Names and CAS rows are not SMILES even when RDKit happens to parse them ("NPP" as N-P-P).
        texts = [
            row["input"]
            for row in csv.DictReader(handle)
            if row["kind"] not in ("name", "cas", "invalid")
        ]
    keep = []
    for text in texts:
        mol = Chem.MolFromSmiles(text) if text and " " not in text else None
        if mol is not None:
            keep.append(text)
    return keep


CATALOG_SMILES = _catalog_smiles()
SALT_SMILES = ["Cl", "[Cl-]", "O", CITRIC_ACID, "CS(=O)(=O)[O-]", "[Na+]", "CCO", "OC(=O)C(F)(F)F"]


@settings(max_examples=_budget(150), deadline=None)
@given(
    st.lists(st.sampled_from(CATALOG_SMILES), min_size=1, max_size=3),
    st.lists(st.sampled_from(SALT_SMILES), max_size=3),
)
def test_standardise_is_idempotent(organics: list[str], salts: list[str]) -> None:
    mol = Chem.MolFromSmiles(".".join(organics + salts))
    once = standardise(mol)
    twice = standardise(once.mol)
    assert Chem.MolToSmiles(twice.mol) == Chem.MolToSmiles(once.mol)
    assert twice.components == once.components
    assert twice.removed == ()
    assert Chem.GetFormalCharge(once.mol) == 0 or any(
        a.GetFormalCharge() > 0 and a.GetTotalNumHs() == 0 and a.GetSymbol() == "N"
        for a in once.mol.GetAtoms()
    )  # only quaternary nitrogen keeps a charge


@settings(max_examples=_budget(60), deadline=None)
@given(st.sampled_from(CATALOG_SMILES), st.sampled_from(SALT_SMILES))
def test_adding_a_salt_does_not_change_the_parent(organic: str, salt: str) -> None:
    alone = standardise(Chem.MolFromSmiles(organic))
    with_salt = standardise(Chem.MolFromSmiles(f"{organic}.{salt}"))
    # An organic that is itself in the salt/solvent table (acetone, ethanol) is not a parent.
    is_salt_or_solvent = Chem.MolToSmiles(Chem.MolFromSmiles(organic)) in load_salts()
    if (
        len(alone.components) == 1
        and not is_salt_or_solvent
        and alone.components[0]
        not in {Chem.MolToSmiles(Chem.MolFromSmiles(s)) for s in SALT_SMILES}
    ):
        assert with_salt.components == alone.components


def test_standardise_keeps_stderr_quiet(capfd: pytest.CaptureFixture[str]) -> None:
    params = Chem.SmilesParserParams()
    params.removeHs = False  # type: ignore[assignment]
    mols = [Chem.MolFromSmiles(s, params) for s in ("CCO.[H]", "CC[NH+](C)C.[Cl-]", "CC(=O)O[Na]")]
    capfd.readouterr()
    for mol in mols:
        standardise(mol)
        quick_parent(mol)
    assert capfd.readouterr().err == ""
