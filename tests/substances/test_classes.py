"""Class definitions: clause by clause, positives and negatives drawn from the legal texts."""

from __future__ import annotations

import pytest
from rdkit import Chem

from interdiction.substances.classes import load_class_definitions, load_scaffold
from interdiction.substances.regions import analyse

SCAFFOLD = load_scaffold()
DEFINITIONS = {d.id: d for d in load_class_definitions()}


def _basis(definition_id: str, smiles: str) -> str:
    mol = Chem.MolFromSmiles(smiles)
    definition = DEFINITIONS[definition_id]
    for match in SCAFFOLD.scaffold.matches(mol):
        result = definition.evaluate(analyse(mol, match, SCAFFOLD.reference_acyl))
        if result.member:
            return definition.basis(result)
    return ""


def test_every_definition_loads_with_citations() -> None:
    assert set(DEFINITIONS) == {"us-frs", "cn-frs", "uk-fentanyl-generic", "ca-fentanyl-analogues"}
    for definition in DEFINITIONS.values():
        assert all(p.citation.document for p in definition.periods)
    assert DEFINITIONS["uk-fentanyl-generic"].periods[0].citation.confidence == "U"
    assert SCAFFOLD.reference_acyl == "*C(=O)CC"


@pytest.mark.parametrize(
    "smiles, basis",
    [
        ("CCC(=O)N(c1ccccc1)C1CCN(CCc2cccs2)CC1", "us:frs:A"),  # thiophene for phenyl
        ("CCC(=O)N(c1ccccc1)C1CCN(CCC2CCCCC2)CC1", "us:frs:A"),  # "any monocycle"
        ("CCC(=O)N(c1ccccc1)C1CCN(C(C)Cc2ccccc2)CC1", "us:frs:B"),  # alpha-methyl
        ("CCC(=O)N(c1ccccc1)C1CCN(CC(O)c2ccccc2)CC1", "us:frs:B"),  # beta-hydroxy
        ("CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1C", "us:frs:C"),  # 3-methyl
        ("CCC(=O)N(c1ccccc1)C1(CCN(CCc2ccccc2)CC1)C(=O)OC", "us:frs:C"),  # ester
        ("CCC(=O)N(c1ccccc1)C1(COC)CCN(CCc2ccccc2)CC1", "us:frs:C"),  # ether
        ("CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1[N+](=O)[O-]", "us:frs:C"),  # nitro
        ("CCC(=O)N(c1ccccc1)C1CCN(CC(N)c2ccccc2)CC1", "us:frs:B"),  # amino on the linker
        ("CCC(=O)N(c1ccccn1)C1CCN(CCc2ccccc2)CC1", "us:frs:D"),  # pyridyl
        ("CCC(=O)N(c1ccc(F)cc1)C1CCN(CCc2ccccc2)CC1", "us:frs:D"),  # substituted aromatic
        ("O=C(c1ccco1)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", "us:frs:E"),  # furanyl acyl
        ("CCOC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", "us:frs:E"),  # carbamate
        ("O=CN(c1ccccc1)C1CCN(CCc2ccccc2)CC1", "us:frs:E"),  # formyl
        ("CCC(=O)N(c1ccc2OCOc2c1)C1CCN(CCc2ccccc2)CC1", "us:frs:D"),  # substituted monocycle
        ("COCC(=O)N(c1ccccc1F)C1CCN(CCn2nnn(CC)c2=O)CC1C", "us:frs:A+C+D+E"),  # brifentanil
    ],
)
def test_us_clause_positives(smiles: str, basis: str) -> None:
    assert _basis("us-frs", smiles) == basis


@pytest.mark.parametrize(
    "smiles",
    [
        "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1",  # fentanyl itself: no modification
        "CCC(=O)N(c1ccccc1)C1CCN(Cc2ccccc2)CC1",  # benzyl: linker shortened
        "CCC(=O)N(c1ccccc1)C1CCN(CCCc2ccccc2)CC1",  # linker lengthened
        "CCC(=O)N(c1ccccc1)C1CCNCC1",  # norfentanyl
        "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccc3ccccc3c2)CC1",  # bicyclic, not a monocycle
        "CCC(=O)N(C1CCCCC1)C1CCN(CCc2ccccc2)CC1",  # aniline ring not aromatic
        "CCC(=O)N(c1ccccc1)C1(c2ccccc2)CCN(CCc2ccccc2)CC1",  # aryl not in clause C list
        "CCC(=O)N(c1ccccc1)C1CCN(CCC(=O)OC)CC1",  # ester chain, no ring (remifentanil-like)
        "CCC(=O)N(c1ccccc1)C1CCN(CC(=O)c2ccccc2)CC1",  # beta-keto: oxo is not in clause B
        "CCC(=O)N(c1ccccc1)C1CC2CCC(C1)N2CCc1ccccc1",  # bridged piperidine (tropane)
        "CCC(=O)N(c1ccccc1)C1(CCN(CCc2ccccc2)CC1)C(=O)O",  # carboxylic acid not in clause C
    ],
)
def test_us_clause_negatives(smiles: str) -> None:
    assert _basis("us-frs", smiles) == ""


@pytest.mark.parametrize(
    "smiles, basis",
    [
        ("CCC(=O)N(c1ccccc1)C1CCN(Cc2ccccc2)CC1", "cn:frs:4"),  # benzyl
        ("CCC(=O)N(c1ccccc1)C1CCN(C)CC1", "cn:frs:4"),  # any group except H
        ("CCC(=O)N(c1ccccc1)C1(c2ccccc2)CCN(CCc2ccccc2)CC1", "cn:frs:3"),  # open list 等
        ("CC(=O)N(c1ccsc1)C1CCN(CCc2ccccc2)CC1", "cn:frs:1+2"),
    ],
)
def test_cn_clause_positives(smiles: str, basis: str) -> None:
    assert _basis("cn-frs", smiles) == basis


def test_cn_clause_4_excludes_hydrogen() -> None:
    assert _basis("cn-frs", "CCC(=O)N(c1ccccc1)C1CCNCC1") == ""


def test_cn_open_list_is_said_in_the_reason() -> None:
    mol = Chem.MolFromSmiles("CCC(=O)N(c1ccccc1)C1(c2ccccc2)CCN(CCc2ccccc2)CC1")
    analysis = analyse(mol, SCAFFOLD.scaffold.matches(mol)[0], SCAFFOLD.reference_acyl)
    definition = DEFINITIONS["cn-frs"]
    result = definition.evaluate(analysis)
    clause_id, change = result.assignments[0]
    assert "open" in definition.clause(clause_id).note_for(change)


@pytest.mark.parametrize(
    "smiles, basis",
    [
        ("CCC(=O)N(c1ccccc1)C1CCN(CCc2cccs2)CC1", "uk:fentanyl-generic:i"),
        ("CCC(=O)N(c1ccccc1)C1(CCN(CCc2ccccc2)CC1)C(=O)OC", "uk:fentanyl-generic:v"),
        ("CCC(=O)N(c1ccc(F)cc1)C1CCN(CCc2ccccc2)CC1", "uk:fentanyl-generic:iv"),
        ("CCC(=O)N(c1ccc2OCOc2c1)C1CCN(CCc2ccccc2)CC1", "uk:fentanyl-generic:iv"),  # dioxy
        ("CCC(=O)N(c1ccccn1)C1CCN(CCc2ccccc2)CC1", ""),  # no ring replacement in the UK text
        ("CCC(=O)N(c1ccccc1)C1CCN(CCC2CCCCC2)CC1", ""),  # heteromonocycle only
    ],
)
def test_uk_generic_clauses(smiles: str, basis: str) -> None:
    assert _basis("uk-fentanyl-generic", smiles) == basis


def test_every_clause_has_section_and_text() -> None:
    for definition in DEFINITIONS.values():
        for clause in definition.clauses:
            assert clause.section and clause.text, (definition.id, clause.id)


def test_ca_class_covers_any_modification_but_not_removal() -> None:
    assert _basis("ca-fentanyl-analogues", "CCC(=O)N(c1ccccc1)C1CC2CCC(C1)N2CCc1ccccc1").startswith(
        "ca:fentanyl-analogues"
    )  # bridged piperidine: joined regions are allowed in Canada's analogue reading
    assert _basis("ca-fentanyl-analogues", "CCC(=O)N(c1ccccc1)C1CCNCC1") == ""  # norfentanyl


def test_us_class_periods_are_continuous_from_the_tso() -> None:
    from datetime import date

    us = DEFINITIONS["us-frs"]
    assert us.period_on(date(2018, 2, 5)) is None
    assert us.period_on(date(2018, 2, 6)) is not None
    assert us.period_on(date(2025, 7, 15)) is not None
    halt = us.period_on(date(2025, 7, 16))
    assert halt is not None and "HALT" in halt.citation.document


@pytest.mark.parametrize(
    "group, kind, labels",
    [
        ("O", "hydroxy", {"hydroxy"}),
        ("OC", "alkoxy", {"alkoxy"}),
        ("COC", "alkoxyalkyl", {"alkyl", "ether"}),
        ("C(=O)OC", "alkoxycarbonyl", {"ester", "alkyl"}),
        ("OC(C)=O", "acyloxy", {"ester", "alkyl"}),
        ("C(F)(F)F", "haloalkyl", {"haloalkyl"}),
        ("F", "halo", {"halo"}),
        ("N(C)C", "amino", {"amino"}),
        ("[N+](=O)[O-]", "nitro", {"nitro"}),
        ("C=C", "alkenyl", {"alkenyl"}),
        ("CO", "mixed", {"alkyl", "hydroxy"}),
        ("c1ccccc1", "cyclic", {"cyclic"}),
        ("C#N", "cyano", {"cyano"}),
    ],
)
def test_substituent_classification(group: str, kind: str, labels: set[str]) -> None:
    from interdiction.substances.substituents import classify_substituent

    mol = Chem.MolFromSmiles(f"C1CCCCC1{group}")  # the group hangs on cyclohexane atom 5
    atoms = set(range(6, mol.GetNumAtoms()))
    sub = classify_substituent(mol, atoms, 6, 5)
    assert (sub.kind, set(sub.labels)) == (kind, labels)
